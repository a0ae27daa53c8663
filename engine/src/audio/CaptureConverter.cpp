#include "audio/CaptureConverter.h"

#include "dsp/ChannelMixer.h"

#include <algorithm>
#include <cassert>

namespace earshot::audio {

bool CaptureConverter::init(int deviceRateHz, int deviceChannels, const AudioFormat& engineFormat,
                            int maxDeviceFrames, int resamplerQuality)
{
    if (deviceChannels < 1 || maxDeviceFrames < 1)
        return false;
    if (m_resampler.init(engineFormat.channels, deviceRateHz, engineFormat.sampleRateHz, resamplerQuality)
        != dsp::ResamplerError::None)
        return false;
    m_deviceChannels = deviceChannels;
    m_engineChannels = engineFormat.channels;
    m_maxDeviceFrames = maxDeviceFrames;
    m_mixed.assign(static_cast<std::size_t>(maxDeviceFrames * m_engineChannels), 0.0f);
    return true;
}

int CaptureConverter::convert(const float* deviceInput, int deviceFrames, std::span<float> engineOutput)
{
    assert(deviceFrames >= 0 && deviceFrames <= m_maxDeviceFrames);
    assert(engineOutput.size() >= static_cast<std::size_t>(maxEngineFrames() * m_engineChannels));
    const auto mixedSamples = static_cast<std::size_t>(deviceFrames * m_engineChannels);
    if (deviceInput == nullptr) {
        std::fill_n(m_mixed.begin(), mixedSamples, 0.0f);
    } else {
        dsp::ChannelMixer::mix(std::span<const float>(deviceInput, static_cast<std::size_t>(deviceFrames * m_deviceChannels)),
                               m_deviceChannels, m_mixed, m_engineChannels, deviceFrames);
    }
    const dsp::ResampleResult result =
        m_resampler.process(std::span<const float>(m_mixed).first(mixedSamples), engineOutput);
    assert(result.inputFrames == deviceFrames);
    return result.outputFrames;
}

} // namespace earshot::audio
