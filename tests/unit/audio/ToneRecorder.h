#pragma once

#include "audio/AudioCallback.h"
#include "audio/AudioFormat.h"

#include <atomic>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

// The sound tests' callback: plays a tone and records what comes back.
namespace earshot::audio::test {

constexpr double kToneHz = 440.0;
constexpr float kToneAmplitude = 0.3f;

// Plays a 440 Hz tone on every output channel and records the first input channel into a
// buffer allocated up front: everything the real-time contract allows and nothing more.
class ToneRecorder final : public AudioCallback {
public:
    ToneRecorder(AudioFormat format, double seconds)
        : m_format(format)
        , m_recording(static_cast<std::size_t>(seconds * format.sampleRateHz))
        , m_phaseIncrement(kToneHz / format.sampleRateHz)
    {
    }

    void process(const float* input, float* output, int frames) override
    {
        std::size_t recorded = m_recorded.load(std::memory_order_relaxed);
        for (int frame = 0; frame < frames; ++frame) {
            const auto value = static_cast<float>(kToneAmplitude * std::sin(2.0 * std::numbers::pi * m_phase));
            m_phase += m_phaseIncrement;
            m_phase -= std::floor(m_phase);
            for (int channel = 0; channel < m_format.channels; ++channel)
                output[frame * m_format.channels + channel] = value;
            if (recorded < m_recording.size())
                m_recording[recorded++] = input[frame * m_format.channels];
        }
        m_recorded.store(recorded, std::memory_order_release);
        m_calls.fetch_add(1, std::memory_order_relaxed);
        if (frames != m_format.framesPerPeriod)
            m_wrongFrames.store(true, std::memory_order_relaxed);
    }

    // Thread: the test's, after the device stopped (or while running, with the acquire).
    std::span<const float> recording() const
    {
        return std::span<const float>(m_recording).first(m_recorded.load(std::memory_order_acquire));
    }
    void restartRecording() { m_recorded.store(0, std::memory_order_release); }

    AudioFormat m_format;
    std::vector<float> m_recording;
    std::atomic<std::size_t> m_recorded{0};
    std::atomic<int> m_calls{0};
    std::atomic<bool> m_wrongFrames{false};
    double m_phase = 0.0;
    double m_phaseIncrement;
};

} // namespace earshot::audio::test
