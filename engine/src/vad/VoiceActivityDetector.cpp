#include "vad/VoiceActivityDetector.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace earshot::vad {

namespace {

// Energy of digital silence, so log10 stays finite (−120 dBFS).
constexpr double kEnergyEpsilon = 1e-12;
// Filter state below this is flushed to zero, so a long silence never runs on denormals.
constexpr double kDenormalThreshold = 1e-25;
// Width of the score's sigmoid, in dB: the score goes from ~0.12 to ~0.88 over margin ± 2 × this.
constexpr double kScoreSlopeDb = 2.0;

} // namespace

VoiceActivityDetector::Biquad VoiceActivityDetector::Biquad::highPass(double cutoffHz, double sampleRateHz)
{
    const double omega = 2.0 * std::numbers::pi * cutoffHz / sampleRateHz;
    const double q = 1.0 / std::numbers::sqrt2;
    const double a = std::sin(omega) / (2.0 * q);
    const double cosOmega = std::cos(omega);
    const double a0 = 1.0 + a;
    Biquad filter;
    filter.b0 = (1.0 + cosOmega) / 2.0 / a0;
    filter.b1 = -(1.0 + cosOmega) / a0;
    filter.b2 = filter.b0;
    filter.a1 = -2.0 * cosOmega / a0;
    filter.a2 = (1.0 - a) / a0;
    return filter;
}

VoiceActivityDetector::Biquad VoiceActivityDetector::Biquad::lowPass(double cutoffHz, double sampleRateHz)
{
    const double omega = 2.0 * std::numbers::pi * cutoffHz / sampleRateHz;
    const double q = 1.0 / std::numbers::sqrt2;
    const double a = std::sin(omega) / (2.0 * q);
    const double cosOmega = std::cos(omega);
    const double a0 = 1.0 + a;
    Biquad filter;
    filter.b0 = (1.0 - cosOmega) / 2.0 / a0;
    filter.b1 = (1.0 - cosOmega) / a0;
    filter.b2 = filter.b0;
    filter.a1 = -2.0 * cosOmega / a0;
    filter.a2 = (1.0 - a) / a0;
    return filter;
}

double VoiceActivityDetector::Biquad::process(double x)
{
    double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    if (std::abs(y) < kDenormalThreshold)
        y = 0.0;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
}

VoiceActivityDetector::VoiceActivityDetector(const VoiceActivityDetectorConfig& config)
    : m_config(config)
{
    assert(config.sampleRateHz > 0 && config.channels > 0 && config.blockFrames > 0);
    assert(config.highPassHz > 0.0 && config.lowPassHz > config.highPassHz
           && config.lowPassHz < config.sampleRateHz / 2.0);
    assert(config.onsetBlocks >= 1 && config.hangoverMs >= 0);
    assert(config.floorFallTimeConstantMs > 0.0 && config.floorRiseDbPerSecond >= 0.0);

    m_highPass = Biquad::highPass(config.highPassHz, config.sampleRateHz);
    m_lowPass = Biquad::lowPass(config.lowPassHz, config.sampleRateHz);
    const double blockMs = 1000.0 * config.blockFrames / config.sampleRateHz;
    m_hangoverBlocks = static_cast<int>(std::lround(config.hangoverMs / blockMs));
    m_floorFallCoefficient = 1.0 - std::exp(-blockMs / config.floorFallTimeConstantMs);
    m_floorRiseDbPerBlock = config.floorRiseDbPerSecond * blockMs / 1000.0;
}

VoiceActivity VoiceActivityDetector::process(std::span<const float> block)
{
    const auto channels = static_cast<std::size_t>(m_config.channels);
    assert(block.size() == static_cast<std::size_t>(m_config.blockFrames) * channels);

    double sumSquares = 0.0;
    for (std::size_t frame = 0; frame + channels <= block.size(); frame += channels) {
        double sample = 0.0;
        for (std::size_t channel = 0; channel < channels; ++channel)
            sample += block[frame + channel];
        sample /= static_cast<double>(channels);
        const double band = m_lowPass.process(m_highPass.process(sample));
        sumSquares += band * band;
    }
    const double energyDb = 10.0 * std::log10(sumSquares / m_config.blockFrames + kEnergyEpsilon);

    if (!m_floorValid) {
        m_noiseFloorDb = energyDb;
        m_floorValid = true;
    }
    const double aboveFloorDb = energyDb - m_noiseFloorDb;
    const bool loud = energyDb >= m_config.minimumSpeechDbfs && aboveFloorDb >= m_config.speechMarginDb;

    // Fast down, slow up: the floor is judged on this block before it moves.
    if (aboveFloorDb < 0.0)
        m_noiseFloorDb += m_floorFallCoefficient * aboveFloorDb;
    else
        m_noiseFloorDb += std::min(aboveFloorDb, m_floorRiseDbPerBlock);

    m_loudBlocks = loud ? m_loudBlocks + 1 : 0;
    VoiceActivity activity;
    if (m_loudBlocks >= m_config.onsetBlocks) {
        activity.speech = true;
        m_hangoverRemaining = m_hangoverBlocks;
    } else if (m_hangoverRemaining > 0) {
        activity.speech = true;
        --m_hangoverRemaining;
    }
    if (energyDb >= m_config.minimumSpeechDbfs)
        activity.score = static_cast<float>(
            1.0 / (1.0 + std::exp(-(aboveFloorDb - m_config.speechMarginDb) / kScoreSlopeDb)));
    return activity;
}

void VoiceActivityDetector::reset()
{
    m_highPass.clear();
    m_lowPass.clear();
    m_floorValid = false;
    m_noiseFloorDb = 0.0;
    m_loudBlocks = 0;
    m_hangoverRemaining = 0;
}

} // namespace earshot::vad
