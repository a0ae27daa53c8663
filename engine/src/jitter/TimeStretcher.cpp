#include "jitter/TimeStretcher.h"

#include <algorithm>
#include <cmath>

namespace earshot::jitter {

namespace {

constexpr double kSilenceRms = 0.00316;       // -50 dBFS: quiet whatever the speech level
constexpr double kQuietBelowSpeech = 0.1;     // -20 dB under the tracked speech level
constexpr double kSpeechLevelRate = 0.02;     // per loud block: about a second at 20 ms blocks
constexpr double kSpeechLevelDecay = 0.999;   // per quiet block: a talker who got quieter for
                                              // good is tracked down within a minute
constexpr int kLagSearchStep = 2;             // frames; halves the search cost, still < 0.05 ms

} // namespace

TimeStretcher::TimeStretcher(int sampleRateHz, int channels) noexcept
    : m_sampleRateHz(std::max(1000, sampleRateHz))
    , m_channels(std::clamp(channels, 1, 8))
{
}

bool TimeStretcher::isLowEnergy(std::span<const float> block, int frames) noexcept
{
    const std::size_t samples = std::min(block.size(), static_cast<std::size_t>(std::max(0, frames)) * m_channels);
    if (samples == 0)
        return true;
    double energy = 0.0;
    for (std::size_t i = 0; i < samples; ++i)
        energy += double(block[i]) * double(block[i]);
    const double rms = std::sqrt(energy / static_cast<double>(samples));
    // NaN or infinity from a broken decoder counts as loud: never cut what we cannot measure.
    if (!std::isfinite(rms))
        return false;
    const bool quiet = rms < kSilenceRms || rms < kQuietBelowSpeech * m_speechRms;
    if (quiet)
        m_speechRms *= kSpeechLevelDecay;
    else
        m_speechRms = m_speechRms == 0.0 ? rms : m_speechRms + kSpeechLevelRate * (rms - m_speechRms);
    return quiet;
}

int TimeStretcher::segmentFrames(std::span<const float> block, int frames, int wantFrames,
                                 StretchRegion region) const noexcept
{
    const int minSegment = m_sampleRateHz / 1000;
    if (region == StretchRegion::LowEnergy) {
        const int length = std::min(wantFrames, frames / 2);
        return length >= minSegment ? length : 0;
    }
    if (wantFrames < minSegment)
        return 0;
    const int minLag = m_sampleRateHz / 400; // 2.5 ms: a 400 Hz voice
    const int maxLag = std::min(m_sampleRateHz * 15 / 1000, frames / 2); // 15 ms: 67 Hz
    if (maxLag < minLag)
        return 0;
    const auto mono = [&](int frame) {
        double sum = 0.0;
        for (int c = 0; c < m_channels; ++c)
            sum += block[static_cast<std::size_t>(frame * m_channels + c)];
        return sum;
    };
    int bestLag = minLag;
    double bestCorrelation = -2.0;
    for (int lag = minLag; lag <= maxLag; lag += kLagSearchStep) {
        double cross = 0.0;
        double energyA = 0.0;
        double energyB = 0.0;
        for (int n = 0; n < lag; n += kLagSearchStep) {
            const double a = mono(n);
            const double b = mono(n + lag);
            cross += a * b;
            energyA += a * a;
            energyB += b * b;
        }
        const double norm = std::sqrt(energyA * energyB);
        const double correlation = norm > 0.0 ? cross / norm : 0.0;
        // Strictly better only, so the shortest of equally good lags (one period, not two) wins.
        if (correlation > bestCorrelation + 1e-6) {
            bestCorrelation = correlation;
            bestLag = lag;
        }
    }
    return bestLag;
}

int TimeStretcher::shorten(std::span<float> block, int frames, int maxFrames, StretchRegion region) noexcept
{
    frames = std::min(frames, static_cast<int>(block.size()) / m_channels);
    const int length = segmentFrames(block, frames, maxFrames, region);
    if (length <= 0 || 2 * length > frames)
        return 0;
    const auto ch = static_cast<std::size_t>(m_channels);
    const auto len = static_cast<std::size_t>(length);
    // In place: sample i reads i and i + L, both at or after anything already written.
    for (std::size_t i = 0; i < len; ++i) {
        const float weight = (static_cast<float>(i) + 0.5f) / static_cast<float>(length);
        for (std::size_t c = 0; c < ch; ++c) {
            float& out = block[i * ch + c];
            out = out * (1.0f - weight) + block[(i + len) * ch + c] * weight;
        }
    }
    const auto tail = block.begin() + static_cast<std::ptrdiff_t>(2 * len * ch);
    std::copy(tail, block.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(frames) * ch),
              block.begin() + static_cast<std::ptrdiff_t>(len * ch));
    return length;
}

int TimeStretcher::lengthen(std::span<float> block, int frames, int maxFrames, StretchRegion region) noexcept
{
    const int capacityFrames = static_cast<int>(block.size()) / m_channels;
    frames = std::min(frames, capacityFrames);
    const int length = segmentFrames(block, frames, std::min(maxFrames, capacityFrames - frames), region);
    if (length <= 0 || 2 * length > frames || frames + length > capacityFrames)
        return 0;
    const auto ch = static_cast<std::size_t>(m_channels);
    const auto len = static_cast<std::size_t>(length);
    const auto begin = block.begin();
    // Make room: frames [L, frames) move to [2L, frames + L); the gap [L, 2L) becomes the
    // cross-fade from the original [L, 2L) (now at [2L, 3L)) back to [0, L).
    std::copy_backward(begin + static_cast<std::ptrdiff_t>(len * ch),
                       begin + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(frames) * ch),
                       begin + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(frames) + len) * ch));
    for (std::size_t i = 0; i < len; ++i) {
        const float weight = (static_cast<float>(i) + 0.5f) / static_cast<float>(length);
        for (std::size_t c = 0; c < ch; ++c) {
            block[(len + i) * ch + c] = block[(2 * len + i) * ch + c] * (1.0f - weight) + block[i * ch + c] * weight;
        }
    }
    return length;
}

} // namespace earshot::jitter
