#pragma once

#include <cstdint>
#include <limits>

namespace earshot::codec {

// Thresholds of RedundancyPolicy, loss as a fraction 0..1. Raising is immediate at the upper
// thresholds; lowering waits until loss has stayed below the lower ones for holdMs, so a link
// hovering around a threshold does not flap between bitrates every report.
struct RedundancyPolicyConfig {
    double oneFrameAtLoss = 0.05;       // >= this: repeat the previous frame
    double twoFramesAtLoss = 0.15;      // >= this: repeat the previous two (bursts of two)
    double backToOneBelowLoss = 0.10;   // 2 -> 1 once below this for holdMs
    double backToNoneBelowLoss = 0.02;  // 1 -> 0 once below this for holdMs
    std::int64_t holdMs = 10'000;       // receiver reports come every few seconds
    int maxExpectedLossPercent = 25;    // above this LBRR starves the primary encoding
};

struct RedundancyDecision {
    int redundantFrames = 0;     // for RedundancyPacker::setRedundantFrames, 0..2
    int expectedLossPercent = 0; // for OpusAudioEncoder::setExpectedLossPercent, 0..100

    bool operator==(const RedundancyDecision&) const = default;
};

// Decides, from the loss the receivers report, how many earlier frames each packet repeats and
// what loss the Opus encoder should plan its in-band FEC for.
//
// Expected loss: the reported loss is smoothed (rises at once, decays by half per report), then
// the loss that redundancy leaves over is estimated as p^(N+1) for independent losses. Opus's
// LBRR sits in the next packet, exactly where a RED copy of the previous frame already is, so
// with N >= 1 it only pays for what RED cannot recover; planning for the raw loss would spend
// the bitrate twice on the same single losses.
//
// Feed it the worst loss among the stream's receivers (or the server's report of the uplink).
// Pure logic: one instance per published stream, used on the media thread; no allocation,
// never throws.
class RedundancyPolicy {
public:
    explicit RedundancyPolicy(const RedundancyPolicyConfig& config = {}) noexcept
        : m_config(config)
    {
    }

    // One receiver report: `lossFraction` 0..1 (clamped; NaN is ignored), `nowMs` on a
    // monotonic clock (a clock going backwards counts as no time passing). Returns the new
    // decision (also from decision()). Thread: media thread.
    RedundancyDecision onLossReport(double lossFraction, std::int64_t nowMs) noexcept;

    [[nodiscard]] RedundancyDecision decision() const noexcept { return m_decision; }

    // Back to no redundancy and no expected loss (a new stream). Thread: media thread.
    void reset() noexcept;

private:
    [[nodiscard]] int levelFor(double loss) const noexcept;
    [[nodiscard]] double lowerThreshold(int level) const noexcept;
    [[nodiscard]] int expectedLossPercent() const noexcept;

    RedundancyPolicyConfig m_config;
    RedundancyDecision m_decision;
    double m_smoothedLoss = 0.0;
    bool m_below = false;          // loss has stayed below the current level's lower threshold
    std::int64_t m_belowSinceMs = 0;
    std::int64_t m_lastMs = std::numeric_limits<std::int64_t>::min();
};

} // namespace earshot::codec
