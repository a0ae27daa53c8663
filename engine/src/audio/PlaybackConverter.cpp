#include "audio/PlaybackConverter.h"

#include "dsp/ChannelMixer.h"

#include <algorithm>
#include <cassert>

namespace earshot::audio {

bool PlaybackConverter::init(int deviceRateHz, int deviceChannels, const AudioFormat& engineFormat,
                             int maxDeviceFrames, int resamplerQuality)
{
    if (deviceChannels < 1 || maxDeviceFrames < 1)
        return false;
    if (m_resampler.init(engineFormat.channels, engineFormat.sampleRateHz, deviceRateHz, resamplerQuality)
        != dsp::ResamplerError::None)
        return false;
    m_deviceChannels = deviceChannels;
    m_engineChannels = engineFormat.channels;
    m_framesPerPeriod = engineFormat.framesPerPeriod;
    m_maxDeviceFrames = maxDeviceFrames;
    m_period.assign(static_cast<std::size_t>(m_framesPerPeriod * m_engineChannels), 0.0f);
    // Before a refill the FIFO holds fewer than maxDeviceFrames; one period adds at most
    // maxOutputFrames(period).
    const int fifoFrames = maxDeviceFrames + m_resampler.maxOutputFrames(m_framesPerPeriod);
    m_fifo.assign(static_cast<std::size_t>(fifoFrames * m_engineChannels), 0.0f);
    m_fifoFrames = 0;
    return true;
}

void PlaybackConverter::reset()
{
    m_resampler.reset();
    m_fifoFrames = 0;
}

void PlaybackConverter::render(float* deviceOutput, int deviceFrames, Source& source)
{
    assert(deviceFrames >= 0 && deviceFrames <= m_maxDeviceFrames);
    const auto engineChannels = static_cast<std::size_t>(m_engineChannels);
    while (m_fifoFrames < deviceFrames) {
        source.renderPeriod(m_period.data());
        const auto fifoEnd = static_cast<std::size_t>(m_fifoFrames) * engineChannels;
        const dsp::ResampleResult result =
            m_resampler.process(m_period, std::span<float>(m_fifo).subspan(fifoEnd));
        assert(result.inputFrames == m_framesPerPeriod);
        m_fifoFrames += result.outputFrames;
    }

    const auto takenSamples = static_cast<std::size_t>(deviceFrames) * engineChannels;
    // AudioCallback promises clipping; the device must never see values outside [-1, 1].
    for (std::size_t i = 0; i < takenSamples; ++i)
        m_fifo[i] = std::clamp(m_fifo[i], -1.0f, 1.0f);
    dsp::ChannelMixer::mix(std::span<const float>(m_fifo).first(takenSamples), m_engineChannels,
                           std::span<float>(deviceOutput, static_cast<std::size_t>(deviceFrames * m_deviceChannels)),
                           m_deviceChannels, deviceFrames);
    // Keep the remainder (under one period) at the front for the next block.
    const auto leftSamples = static_cast<std::size_t>(m_fifoFrames - deviceFrames) * engineChannels;
    std::copy_n(m_fifo.begin() + static_cast<std::ptrdiff_t>(takenSamples), leftSamples, m_fifo.begin());
    m_fifoFrames -= deviceFrames;
}

} // namespace earshot::audio
