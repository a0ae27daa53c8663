#include "dsp/Gain.h"

#include <algorithm>
#include <cassert>
#include <cstddef>

namespace earshot::dsp {

namespace {

int rampFramesFor(int sampleRateHz)
{
    assert(sampleRateHz >= 1);
    return std::max(1, sampleRateHz * Gain::kRampMs / 1000);
}

} // namespace

Gain::Gain(int channels, int sampleRateHz)
    : m_channels(channels)
    , m_rampFrames(rampFramesFor(sampleRateHz))
{
    assert(channels >= 1);
}

void Gain::setVolume(int volume)
{
    m_volume.store(std::clamp(volume, kMinVolume, kMaxVolume), std::memory_order_relaxed);
}

int Gain::volume() const
{
    return m_volume.load(std::memory_order_relaxed);
}

void Gain::setMuted(bool muted)
{
    m_muted.store(muted, std::memory_order_relaxed);
}

bool Gain::isMuted() const
{
    return m_muted.load(std::memory_order_relaxed);
}

void Gain::reset()
{
    m_started = false;
}

void Gain::beginBlock()
{
    const float target = m_muted.load(std::memory_order_relaxed)
        ? 0.0f
        : static_cast<float>(m_volume.load(std::memory_order_relaxed)) / static_cast<float>(kUnityVolume);
    if (!m_started) {
        m_started = true;
        m_currentGain = target;
        m_targetGain = target;
        return;
    }
    if (target == m_targetGain)
        return;
    // A new target (possibly in the middle of a ramp): ramp from wherever the gain is now.
    m_targetGain = target;
    m_rampStartGain = m_currentGain;
    m_rampFramesDone = 0;
}

template<typename Apply> void Gain::forEachRun(int frames, Apply&& apply)
{
    assert(frames >= 0);
    beginBlock();
    const auto channelCount = static_cast<std::size_t>(m_channels);
    const auto frameCount = static_cast<std::size_t>(frames);
    std::size_t frame = 0;
    for (; frame < frameCount && m_currentGain != m_targetGain; ++frame) {
        ++m_rampFramesDone;
        // Computed from the start of the ramp rather than accumulated, so that the rounding
        // does not add up; the last ramp frame lands exactly on the target.
        m_currentGain = m_rampFramesDone >= m_rampFrames ? m_targetGain
                                                         : m_rampStartGain
                + (m_targetGain - m_rampStartGain) * static_cast<float>(m_rampFramesDone)
                    / static_cast<float>(m_rampFrames);
        apply(frame * channelCount, channelCount, m_currentGain);
    }
    if (frame < frameCount)
        apply(frame * channelCount, (frameCount - frame) * channelCount, m_currentGain);
}

void Gain::process(std::span<float> samples, int frames)
{
    assert(samples.size() >= static_cast<std::size_t>(frames) * static_cast<std::size_t>(m_channels));
    forEachRun(frames, [samples](std::size_t first, std::size_t count, float gain) {
        const auto run = samples.subspan(first, count);
        if (gain == 1.0f)
            return;
        if (gain == 0.0f) {
            std::fill(run.begin(), run.end(), 0.0f);
            return;
        }
        for (float& sample : run)
            sample *= gain;
    });
}

void Gain::addTo(std::span<const float> input, std::span<float> accumulator, int frames)
{
    const std::size_t needed = static_cast<std::size_t>(frames) * static_cast<std::size_t>(m_channels);
    assert(input.size() >= needed && accumulator.size() >= needed);
    (void)needed;
    forEachRun(frames, [input, accumulator](std::size_t first, std::size_t count, float gain) {
        if (gain == 0.0f)
            return;
        const auto in = input.subspan(first, count);
        const auto out = accumulator.subspan(first, count);
        if (gain == 1.0f) {
            for (std::size_t i = 0; i < count; ++i)
                out[i] += in[i];
            return;
        }
        for (std::size_t i = 0; i < count; ++i)
            out[i] += in[i] * gain;
    });
}

} // namespace earshot::dsp
