#include "audio/SignalGenerator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot::audio {

SignalGenerator::SignalGenerator(const SignalGeneratorConfig& config, int sampleRateHz, int channels)
    : m_config(config)
    , m_channels(std::max(channels, 1))
    , m_phaseIncrement(sampleRateHz > 0 ? config.frequencyHz / sampleRateHz : 0.0)
    , m_clickPeriodFrames(std::max<std::int64_t>(1, static_cast<std::int64_t>(config.clickPeriodMs) * sampleRateHz / 1000))
{
}

void SignalGenerator::reset()
{
    m_phase = 0.0;
    m_framesToNextClick = 0;
}

void SignalGenerator::generate(std::span<float> interleaved)
{
    const auto channels = static_cast<std::size_t>(m_channels);
    const std::size_t frames = interleaved.size() / channels;
    for (std::size_t frame = 0; frame < frames; ++frame) {
        float value = 0.0f;
        switch (m_config.kind) {
        case SignalKind::Silence:
            break;
        case SignalKind::Tone:
            value = m_config.amplitude * static_cast<float>(std::sin(2.0 * std::numbers::pi * m_phase));
            // Kept in [0, 1) so precision does not decay over hours of audio.
            m_phase += m_phaseIncrement;
            m_phase -= std::floor(m_phase);
            break;
        case SignalKind::ClickTrain:
            if (m_framesToNextClick == 0) {
                value = m_config.amplitude;
                m_framesToNextClick = m_clickPeriodFrames;
            }
            --m_framesToNextClick;
            break;
        }
        std::fill_n(interleaved.begin() + static_cast<std::ptrdiff_t>(frame * channels), channels, value);
    }
}

} // namespace earshot::audio
