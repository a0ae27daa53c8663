#pragma once
// What the mouth-to-ear benchmark (LatencyBench.cpp) needs around the processes it runs: the
// click train it publishes, the detector that finds the clicks again in what was heard, the
// pairing of the two, and earshot-cli child processes whose --events lines go to a file and
// whose CPU time comes from wait4(). Linux (posix_spawn, wait4); main thread only.

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <span>
#include <sys/types.h>
#include <vector>

namespace earshot::bench {

// A click: a 1 ms Hann-windowed burst of a 3 kHz sine (its energy lies at about 1–5 kHz, where
// Opus keeps the waveform at speech bitrates), 0.5 peak.
inline constexpr int kClickFrames = 48;
inline constexpr double kClickHz = 3000.0;
inline constexpr float kClickPeak = 0.5f;

struct ClickTrain {
    std::vector<float> samples; // 48 kHz mono
    std::vector<double> clickFrames; // the centre of each click
};

// Clicks 450–550 ms apart, the spacing drawn at random (so that a click heard can only be paired
// with the one it came from: a wrong pairing would not repeat from click to click), the first
// at 0.5 s, over `seconds`. Between them white noise at `backgroundDbfs` RMS, which keeps
// Opus out of DTX so that packets flow without pause as in speech (below −150: digital
// silence). Deterministic for a seed.
ClickTrain makeClickTrain(double seconds, double backgroundDbfs, std::uint32_t seed);

struct ClickDetection {
    double frame = 0.0; // the centre, to a tenth of a sample
    double amplitude = 0.0; // the envelope there: the peak of a click that arrived unchanged
};

// The clicks in `samples`: the envelope of a quadrature matched filter (the click's sine and
// cosine bursts), which peaks at a click's centre whatever the codec did to its phase, scaled
// so that an unchanged click reads its peak. Returns the local maxima above `threshold`, each
// the largest within ±minSpacingFrames, in time order.
std::vector<ClickDetection> findClicks(
    std::span<const float> samples, double threshold, int minSpacingFrames);

// Output clicks paired with the input clicks they came from, all as wall-clock microseconds.
// The common delay is the most frequent output − input difference in (0, 2 s] (5 ms bins);
// each output click is then paired with the input click nearest to it minus that delay, if
// within ±100 ms. Returns the delay of each pair in ms, in output order.
std::vector<double> pairClicks(
    std::span<const double> inputUnixMicros, std::span<const double> outputUnixMicros);

// Stretches of at least minRunFrames exact zeros in samples[from, to): in a recording of
// decoded noise these can only be the player's device underruns.
struct Dropouts {
    int count = 0;
    std::int64_t frames = 0;
};
Dropouts findDropouts(std::span<const float> samples, std::size_t from, std::size_t to, std::size_t minRunFrames);

// The p-th percentile (0..100) by linear interpolation; 0 when empty.
double percentile(std::vector<double> values, double p);

// One earshot-cli child process, spawned with posix_spawn: stdout (the --events lines) goes to
// `eventsPath`, which poll() reads as it grows, stderr to `logPath`. Reaped with wait4(), which
// gives the CPU time the whole process used (user + system, every thread).
class CliChild {
public:
    struct Event {
        QJsonObject json;
        std::int64_t seenNs = 0; // steady clock when the bench read the line (poll() granularity)
    };

    CliChild() = default;
    ~CliChild(); // kills and reaps a child still running
    CliChild(const CliChild&) = delete;
    CliChild& operator=(const CliChild&) = delete;

    // False (with a message) when the process cannot be spawned.
    bool start(const QString& program, const QStringList& arguments, const QString& eventsPath,
        const QString& logPath);
    // Reads the new event lines and reaps the child when it has exited. True while it runs.
    bool poll();
    // SIGKILL and reap (after a timeout).
    void kill();

    [[nodiscard]] bool running() const { return m_pid > 0 && !m_exited; }
    // The first event named `name` whose fields include `fields`; nullptr when none.
    [[nodiscard]] const Event* find(const QString& name, const QJsonObject& fields = {}) const;
    [[nodiscard]] std::vector<const Event*> all(const QString& name) const;
    [[nodiscard]] const std::vector<Event>& events() const { return m_events; }

    [[nodiscard]] std::int64_t spawnNs() const { return m_spawnNs; }
    // After the exit: its code (-1 when killed by a signal), the CPU time (user + system) and
    // the wall time from spawn to reaping.
    [[nodiscard]] int exitCode() const { return m_exitCode; }
    [[nodiscard]] double cpuSeconds() const { return m_cpuSeconds; }
    [[nodiscard]] double wallSeconds() const { return m_wallSeconds; }
    [[nodiscard]] const QString& logPath() const { return m_logPath; }

private:
    void readEvents();

    pid_t m_pid = -1;
    bool m_exited = false;
    int m_exitCode = -1;
    double m_cpuSeconds = 0.0;
    double m_wallSeconds = 0.0;
    std::int64_t m_spawnNs = 0;
    QString m_eventsPath;
    QString m_logPath;
    qint64 m_eventsOffset = 0;
    QByteArray m_pending;
    std::vector<Event> m_events;
};

// CLOCK_MONOTONIC in nanoseconds (the clock CliChild stamps with).
std::int64_t steadyNs();

} // namespace earshot::bench
