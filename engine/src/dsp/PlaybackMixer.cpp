#include "dsp/PlaybackMixer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace earshot::dsp {

PlaybackMixer::PlaybackMixer(int capacity, int channels, int sampleRateHz)
    : m_channels(channels)
    , m_master(channels, sampleRateHz)
{
    assert(capacity >= 1 && capacity <= kMaxStreams);
    m_streams.reserve(static_cast<std::size_t>(capacity));
    for (int slot = 0; slot < capacity; ++slot)
        m_streams.push_back(std::make_unique<Gain>(channels, sampleRateHz));
}

PlaybackMixer::~PlaybackMixer() = default;

Gain& PlaybackMixer::stream(int slot) const
{
    assert(slot >= 0 && slot < capacity());
    return *m_streams[static_cast<std::size_t>(slot)];
}

void PlaybackMixer::setStreamVolume(int slot, int volume)
{
    stream(slot).setVolume(volume);
}

int PlaybackMixer::streamVolume(int slot) const
{
    return stream(slot).volume();
}

void PlaybackMixer::setStreamMuted(int slot, bool muted)
{
    stream(slot).setMuted(muted);
}

bool PlaybackMixer::isStreamMuted(int slot) const
{
    return stream(slot).isMuted();
}

void PlaybackMixer::setMasterVolume(int volume)
{
    m_master.setVolume(volume);
}

int PlaybackMixer::masterVolume() const
{
    return m_master.volume();
}

void PlaybackMixer::setMasterMuted(bool muted)
{
    m_master.setMuted(muted);
}

bool PlaybackMixer::isMasterMuted() const
{
    return m_master.isMuted();
}

void PlaybackMixer::resetStream(int slot)
{
    stream(slot).reset();
}

float PlaybackMixer::limit(float sample)
{
    const float magnitude = std::fabs(sample);
    if (magnitude <= kLimiterKnee)
        return sample;
    if (std::isnan(sample))
        return 0.0f;
    constexpr float kHeadroom = 1.0f - kLimiterKnee;
    const float limited
        = std::min(1.0f, kLimiterKnee + kHeadroom * std::tanh((magnitude - kLimiterKnee) / kHeadroom));
    return std::copysign(limited, sample);
}

void PlaybackMixer::mix(std::span<const std::span<const float>> streams, std::span<float> output, int frames)
{
    assert(frames >= 0);
    assert(streams.size() <= m_streams.size());
    const std::size_t sampleCount = static_cast<std::size_t>(frames) * static_cast<std::size_t>(m_channels);
    assert(output.size() >= sampleCount);
    const auto mixed = output.first(sampleCount);

    std::fill(mixed.begin(), mixed.end(), 0.0f);
    for (std::size_t slot = 0; slot < streams.size(); ++slot) {
        if (streams[slot].empty())
            continue;
        m_streams[slot]->addTo(streams[slot], mixed, frames);
    }
    m_master.process(mixed, frames);
    for (float& sample : mixed)
        sample = limit(sample);
}

} // namespace earshot::dsp
