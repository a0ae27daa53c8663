#pragma once

#include <cstdint>
#include <vector>

namespace earshot::jitter {

struct DelayEstimatorConfig {
    // How far back the estimator looks, in arrival time. It bounds how long a jitter spike keeps
    // the target delay up once the link is clean again ("shrink within a few seconds").
    int windowMs = 3000;
    // The share of packets the target delay should get in on time; the rest are concealed.
    double percentile = 0.95;
    // ... but never less than the peakRank-th largest relative delay of the window: a spike is
    // a handful of packets (a 200 ms stall delivers ten 20 ms packets at once), too few to move
    // a percentile over 150 packets, yet it is exactly what the next stall will look like. Three
    // lets one or two stray packets be concealed rather than delay everything.
    int peakRank = 3;
    // Packets remembered at most (fixed memory); at 10 ms packets 3 s need 300.
    int historyCapacity = 1024;
    // Assumed jitter until one window of packets has been seen, so the first second of a stream
    // does not underrun before anything was measured; a clean link sheds it after windowMs.
    double startupJitterMs = 20.0;
};

// Estimates network jitter from arrival times against RTP timestamps, as NetEQ's relative
// arrival delay does: each packet's transit (arrival minus media time) is compared with the
// smallest transit in the window, which stands for the fastest path through the network. The
// result, the packet's relative delay, says how much later than that path it came. The jitter
// estimate is a high percentile of the relative delays in the window, or its third largest if
// that is higher (see peakRank):
// - it rises as soon as three packets of a spike are in the window (grow quickly),
// - it falls once the spike has left the window (shrink in windowMs on a clean link),
// - a sender clock running fast or slow only moves the transit slowly (0.1 % is 1 ms per second
//   of audio), which the sliding minimum follows, so drift is not mistaken for jitter.
//
// Pure logic, not thread-safe: one per JitterBuffer, on the stream's playout thread. All memory
// is allocated in the constructor; onPacket() neither allocates nor throws.
class DelayEstimator {
public:
    // Out-of-range config values are clamped to sane ones. Thread: any (construction only).
    explicit DelayEstimator(const DelayEstimatorConfig& config = {});

    // Records a packet: its RTP timestamp unwrapped to 48 kHz frames and its arrival time in
    // microseconds on any monotonic clock (the same one every call). Returns the packet's
    // relative delay in milliseconds, 0 for the fastest packet of the window, clamped to
    // [0, 10 s] whatever the input (hostile timestamps cannot overflow anything).
    double onPacket(std::int64_t timestampFrames, std::int64_t arrivalUs) noexcept;

    // The current jitter estimate in milliseconds (the percentile above); 0 before any packet.
    [[nodiscard]] double jitterMs() const noexcept { return m_jitterMs; }

    // Forgets every packet (a new stream). Never allocates.
    void reset() noexcept;

private:
    struct Sample {
        std::int64_t arrivalUs = 0;
        double transitMs = 0.0;
        double relativeMs = 0.0;
    };

    DelayEstimatorConfig m_config;
    std::vector<Sample> m_history; // ring, m_count newest entries ending before m_next
    std::vector<double> m_scratch; // the window's relative delays, for nth_element
    std::size_t m_next = 0;
    std::size_t m_count = 0;
    bool m_started = false;
    std::int64_t m_firstArrivalUs = 0;
    std::int64_t m_latestArrivalUs = 0;
    double m_jitterMs = 0.0;
};

} // namespace earshot::jitter
