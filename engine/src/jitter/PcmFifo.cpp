#include "jitter/PcmFifo.h"

#include <algorithm>

namespace earshot::jitter {

PcmFifo::PcmFifo(int capacityFrames, int channels)
    : m_channels(std::max(1, channels))
    , m_capacityFrames(std::max(1, capacityFrames))
{
    m_samples.resize(static_cast<std::size_t>(m_capacityFrames) * static_cast<std::size_t>(m_channels));
}

int PcmFifo::push(std::span<const float> samples, int frames) noexcept
{
    frames = std::min({frames, m_capacityFrames - m_frames, static_cast<int>(samples.size()) / m_channels});
    if (frames <= 0)
        return 0;
    const auto ch = static_cast<std::size_t>(m_channels);
    int written = 0;
    while (written < frames) {
        const int writeFrame = (m_readFrame + m_frames + written) % m_capacityFrames;
        const int run = std::min(frames - written, m_capacityFrames - writeFrame);
        const auto from = samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(written) * ch);
        std::copy(from, from + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(run) * ch),
                  m_samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(writeFrame) * ch));
        written += run;
    }
    m_frames += frames;
    return frames;
}

int PcmFifo::pop(std::span<float> out, int frames) noexcept
{
    frames = std::min({frames, m_frames, static_cast<int>(out.size()) / m_channels});
    if (frames <= 0)
        return 0;
    const auto ch = static_cast<std::size_t>(m_channels);
    int read = 0;
    while (read < frames) {
        const int run = std::min(frames - read, m_capacityFrames - m_readFrame);
        const auto from = m_samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(m_readFrame) * ch);
        std::copy(from, from + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(run) * ch),
                  out.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(read) * ch));
        read += run;
        m_readFrame = (m_readFrame + run) % m_capacityFrames;
    }
    m_frames -= frames;
    return frames;
}

void PcmFifo::clear() noexcept
{
    m_readFrame = 0;
    m_frames = 0;
}

} // namespace earshot::jitter
