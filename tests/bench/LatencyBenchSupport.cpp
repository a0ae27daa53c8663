#include "LatencyBenchSupport.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <numbers>
#include <random>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

namespace earshot::bench {

namespace {

constexpr int kRateHz = 48'000;
constexpr double kCentreOffset = (kClickFrames - 1) / 2.0; // the window's centre, from its first frame

// The click's window and the two matched filters (its sine and cosine bursts, windowed again).
struct ClickShape {
    std::vector<double> window, sine, cosine;
    double gain = 0.0; // what a click of amplitude 1 gives the sine filter at its centre

    ClickShape()
    {
        for (int i = 0; i < kClickFrames; ++i) {
            const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (i + 0.5) / kClickFrames);
            const double phase = 2.0 * std::numbers::pi * kClickHz * (i - kCentreOffset) / kRateHz;
            window.push_back(w);
            sine.push_back(w * std::sin(phase));
            cosine.push_back(w * std::cos(phase));
            gain += w * std::sin(phase) * w * std::sin(phase);
        }
    }
};

const ClickShape& clickShape()
{
    static const ClickShape shape;
    return shape;
}

double secondsOf(const timeval& time)
{
    return double(time.tv_sec) + double(time.tv_usec) * 1e-6;
}

} // namespace

std::int64_t steadyNs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

ClickTrain makeClickTrain(double seconds, double backgroundDbfs, std::uint32_t seed)
{
    ClickTrain train;
    const auto frames = static_cast<std::size_t>(seconds * kRateHz);
    train.samples.assign(frames, 0.0f);
    std::mt19937 random(seed);
    if (backgroundDbfs > -150.0) {
        std::normal_distribution<double> noise(0.0, std::pow(10.0, backgroundDbfs / 20.0));
        for (float& sample : train.samples)
            sample = static_cast<float>(noise(random));
    }
    std::uniform_real_distribution<double> spacing(0.45, 0.55);
    const ClickShape& shape = clickShape();
    for (double start = 0.5 * kRateHz; start + 0.05 * kRateHz < double(frames);
         start += std::round(spacing(random) * kRateHz)) {
        const auto first = static_cast<std::size_t>(start);
        for (int i = 0; i < kClickFrames; ++i)
            train.samples[first + std::size_t(i)]
                += static_cast<float>(kClickPeak * shape.sine[std::size_t(i)]);
        train.clickFrames.push_back(start + kCentreOffset);
    }
    return train;
}

std::vector<ClickDetection> findClicks(std::span<const float> samples, double threshold, int minSpacingFrames)
{
    const ClickShape& shape = clickShape();
    if (samples.size() < std::size_t(kClickFrames))
        return {};
    // envelope[n]: the click amplitude that a click centred at n + kCentreOffset would explain.
    std::vector<double> envelope(samples.size() - kClickFrames + 1);
    for (std::size_t n = 0; n < envelope.size(); ++n) {
        double s = 0.0, c = 0.0;
        for (std::size_t i = 0; i < std::size_t(kClickFrames); ++i) {
            s += samples[n + i] * shape.sine[i];
            c += samples[n + i] * shape.cosine[i];
        }
        envelope[n] = std::sqrt(s * s + c * c) / shape.gain;
    }
    std::vector<std::size_t> candidates;
    for (std::size_t n = 1; n + 1 < envelope.size(); ++n) {
        if (envelope[n] > threshold && envelope[n] >= envelope[n - 1] && envelope[n] > envelope[n + 1])
            candidates.push_back(n);
    }
    std::sort(candidates.begin(), candidates.end(),
        [&envelope](std::size_t a, std::size_t b) { return envelope[a] > envelope[b]; });
    std::vector<std::size_t> accepted;
    for (const std::size_t n : candidates) {
        const bool nearOther = std::any_of(accepted.begin(), accepted.end(), [&](std::size_t other) {
            return std::abs(std::ptrdiff_t(n) - std::ptrdiff_t(other)) < minSpacingFrames;
        });
        if (!nearOther)
            accepted.push_back(n);
    }
    std::sort(accepted.begin(), accepted.end());
    std::vector<ClickDetection> clicks;
    for (const std::size_t n : accepted) {
        // The peak between samples: a parabola through the three around it.
        const double before = envelope[n - 1], at = envelope[n], after = envelope[n + 1];
        const double curvature = before - 2.0 * at + after;
        const double shift = curvature < 0.0 ? 0.5 * (before - after) / curvature : 0.0;
        clicks.push_back({ double(n) + shift + kCentreOffset, at });
    }
    return clicks;
}

Dropouts findDropouts(std::span<const float> samples, std::size_t from, std::size_t to, std::size_t minRunFrames)
{
    Dropouts dropouts;
    to = std::min(to, samples.size());
    std::size_t run = 0;
    for (std::size_t i = from; i <= to; ++i) {
        if (i < to && samples[i] == 0.0f) {
            ++run;
            continue;
        }
        if (run >= minRunFrames) {
            ++dropouts.count;
            dropouts.frames += static_cast<std::int64_t>(run);
        }
        run = 0;
    }
    return dropouts;
}

std::vector<double> pairClicks(
    std::span<const double> inputUnixMicros, std::span<const double> outputUnixMicros)
{
    constexpr double kBinMicros = 5'000.0;
    constexpr double kMaxDelayMicros = 2'000'000.0;
    constexpr double kToleranceMicros = 100'000.0;
    std::map<long long, int> histogram;
    for (const double output : outputUnixMicros) {
        for (const double input : inputUnixMicros) {
            const double delay = output - input;
            if (delay > 0.0 && delay <= kMaxDelayMicros)
                ++histogram[static_cast<long long>(delay / kBinMicros)];
        }
    }
    if (histogram.empty())
        return {};
    const auto mode = std::max_element(
        histogram.begin(), histogram.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const double commonDelay = (double(mode->first) + 0.5) * kBinMicros;
    std::vector<double> delaysMs;
    for (const double output : outputUnixMicros) {
        const double sent = output - commonDelay;
        const auto nearest = std::min_element(inputUnixMicros.begin(), inputUnixMicros.end(),
            [sent](double a, double b) { return std::abs(a - sent) < std::abs(b - sent); });
        if (nearest != inputUnixMicros.end() && std::abs(*nearest - sent) <= kToleranceMicros)
            delaysMs.push_back((output - *nearest) / 1000.0);
    }
    return delaysMs;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const double position = std::clamp(p, 0.0, 100.0) / 100.0 * double(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (values[above] - values[below]) * (position - double(below));
}

CliChild::~CliChild()
{
    kill();
}

bool CliChild::start(
    const QString& program, const QStringList& arguments, const QString& eventsPath, const QString& logPath)
{
    m_eventsPath = eventsPath;
    m_logPath = logPath;
    const std::string programPath = program.toStdString();
    std::vector<std::string> words { programPath };
    for (const QString& argument : arguments)
        words.push_back(argument.toStdString());
    std::vector<char*> argv;
    for (std::string& word : words)
        argv.push_back(word.data());
    argv.push_back(nullptr);

    const std::string eventsFile = eventsPath.toStdString();
    const std::string logFile = logPath.toStdString();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(
        &actions, STDOUT_FILENO, eventsFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(
        &actions, STDERR_FILENO, logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    m_spawnNs = steadyNs();
    const int error = posix_spawn(&m_pid, programPath.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        std::fprintf(stderr, "cannot start %s: %s\n", programPath.c_str(), std::strerror(error));
        m_pid = -1;
        return false;
    }
    return true;
}

bool CliChild::poll()
{
    readEvents();
    if (!running())
        return false;
    int status = 0;
    rusage usage {};
    if (wait4(m_pid, &status, WNOHANG, &usage) != m_pid)
        return true;
    m_exited = true;
    m_wallSeconds = double(steadyNs() - m_spawnNs) / 1e9;
    m_exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m_cpuSeconds = secondsOf(usage.ru_utime) + secondsOf(usage.ru_stime);
    readEvents();
    return false;
}

void CliChild::kill()
{
    if (!running())
        return;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    rusage usage {};
    wait4(m_pid, &status, 0, &usage);
    m_exited = true;
    m_exitCode = -1;
    m_wallSeconds = double(steadyNs() - m_spawnNs) / 1e9;
    m_cpuSeconds = secondsOf(usage.ru_utime) + secondsOf(usage.ru_stime);
}

void CliChild::readEvents()
{
    QFile file(m_eventsPath);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_eventsOffset))
        return;
    const QByteArray data = file.readAll();
    m_eventsOffset += data.size();
    m_pending += data;
    const std::int64_t now = steadyNs();
    qsizetype newline = 0;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QJsonDocument document = QJsonDocument::fromJson(m_pending.left(newline));
        m_pending.remove(0, newline + 1);
        if (document.isObject())
            m_events.push_back({ document.object(), now });
    }
}

const CliChild::Event* CliChild::find(const QString& name, const QJsonObject& fields) const
{
    for (const Event& event : m_events) {
        if (event.json.value(QStringLiteral("event")).toString() != name)
            continue;
        bool matches = true;
        for (auto it = fields.begin(); it != fields.end() && matches; ++it)
            matches = event.json.value(it.key()) == it.value();
        if (matches)
            return &event;
    }
    return nullptr;
}

std::vector<const CliChild::Event*> CliChild::all(const QString& name) const
{
    std::vector<const Event*> found;
    for (const Event& event : m_events) {
        if (event.json.value(QStringLiteral("event")).toString() == name)
            found.push_back(&event);
    }
    return found;
}

} // namespace earshot::bench
