#include "media/DeviceBridge.h"

#include <algorithm>

namespace earshot::media {

DeviceBridge::DeviceBridge(int channels, int captureCapacityFrames, int playbackCapacityFrames)
    : m_channels(channels)
    , m_capture(static_cast<std::size_t>(captureCapacityFrames) * static_cast<std::size_t>(channels))
    , m_playback(static_cast<std::size_t>(playbackCapacityFrames) * static_cast<std::size_t>(channels))
{
}

void DeviceBridge::process(const float* input, float* output, int frames)
{
    const auto samples = static_cast<std::size_t>(frames) * static_cast<std::size_t>(m_channels);
    const std::size_t captured = m_capture.write(std::span<const float>(input, samples));
    if (captured < samples)
        m_captureOverflow.fetch_add(static_cast<std::int64_t>(samples - captured), std::memory_order_relaxed);

    const std::size_t played = m_playback.read(std::span<float>(output, samples));
    std::fill(output + played, output + samples, 0.0f);
    if (played > 0)
        m_playbackStarted = true;
    if (played < samples && m_playbackStarted)
        m_playbackUnderrun.fetch_add(static_cast<std::int64_t>(samples - played), std::memory_order_relaxed);
    m_callbacks.fetch_add(1, std::memory_order_relaxed);
}

} // namespace earshot::media
