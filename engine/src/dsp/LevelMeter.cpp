#include "dsp/LevelMeter.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace earshot::dsp {

namespace {

// RMS in dB + this = level in dBFS relative to a full-scale sine (AES17): 20·log10(√2).
constexpr double kSineCrestDb = 3.0102999566398120;

} // namespace

LevelMeter::LevelMeter(int sampleRateHz)
    : m_sampleRateHz(static_cast<float>(sampleRateHz))
{
    assert(sampleRateHz >= 1);
    static_assert(std::atomic<float>::is_always_lock_free);
    static_assert(std::atomic<VoiceActivity>::is_always_lock_free);
}

float LevelMeter::levelOfMeanSquare(double meanSquare)
{
    // Below the floor (and for silence, where the logarithm would be −∞) the level is 0.
    constexpr double kFloorMeanSquare = 1e-6 / 2.0; // −60 dBFS sine: (10^−3)² / 2
    if (!(meanSquare > kFloorMeanSquare))
        return 0.0f;
    const double dbfs = 10.0 * std::log10(meanSquare) + kSineCrestDb;
    const double level = (dbfs - kFloorDbfs) / -kFloorDbfs * kMaxLevel;
    return static_cast<float>(std::clamp(level, 0.0, static_cast<double>(kMaxLevel)));
}

void LevelMeter::process(std::span<const float> samples, int channels, VoiceActivity voiceActivity)
{
    assert(channels >= 1);
    double sumOfSquares = 0.0;
    float peak = 0.0f;
    for (const float sample : samples) {
        sumOfSquares += static_cast<double>(sample) * static_cast<double>(sample);
        peak = std::max(peak, std::fabs(sample));
    }
    if (!samples.empty()) {
        const float blockLevel = levelOfMeanSquare(sumOfSquares / static_cast<double>(samples.size()));
        // One-pole smoothing whose coefficient depends on the block's duration, so that the
        // response is the same for any block size.
        const float frames = static_cast<float>(samples.size() / static_cast<std::size_t>(channels));
        const float blockMs = frames * 1000.0f / m_sampleRateHz;
        const float timeConstantMs = blockLevel > m_smoothedLevel ? kAttackMs : kDecayMs;
        const float coefficient = 1.0f - std::exp(-blockMs / timeConstantMs);
        m_smoothedLevel += coefficient * (blockLevel - m_smoothedLevel);
    }
    m_level.store(m_smoothedLevel, std::memory_order_relaxed);
    m_peak.store(peak, std::memory_order_relaxed);
    m_voiceActivity.store(voiceActivity, std::memory_order_relaxed);
}

void LevelMeter::reset()
{
    m_smoothedLevel = 0.0f;
    m_level.store(0.0f, std::memory_order_relaxed);
    m_peak.store(0.0f, std::memory_order_relaxed);
    m_voiceActivity.store(VoiceActivity::Silent, std::memory_order_relaxed);
}

int LevelMeter::level() const
{
    return static_cast<int>(std::lround(exactLevel()));
}

float LevelMeter::exactLevel() const
{
    return m_level.load(std::memory_order_relaxed);
}

float LevelMeter::peak() const
{
    return m_peak.load(std::memory_order_relaxed);
}

VoiceActivity LevelMeter::voiceActivity() const
{
    return m_voiceActivity.load(std::memory_order_relaxed);
}

} // namespace earshot::dsp
