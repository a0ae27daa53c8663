#pragma once

#include <cstdint>
#include <span>

namespace earshot::audio {

enum class SignalKind {
    Silence,
    Tone,       // a sine at frequencyHz, peak `amplitude`
    ClickTrain, // a one-sample impulse of `amplitude` every clickPeriodMs, starting at sample 0
};

struct SignalGeneratorConfig {
    SignalKind kind = SignalKind::Silence;
    double frequencyHz = 440.0;
    float amplitude = 0.5f;
    int clickPeriodMs = 500;
};

// Synthesises test signals for VirtualAudioDevice and tests: the same signal on every channel,
// continuous across calls (phase and click position carry over).
// Thread ownership: one thread at a time; generate() is real-time safe.
class SignalGenerator {
public:
    SignalGenerator() = default;
    // Thread: the owner's.
    SignalGenerator(const SignalGeneratorConfig& config, int sampleRateHz, int channels);

    // Fills every whole frame of `interleaved`. Thread: the owner's; real-time safe.
    void generate(std::span<float> interleaved);

    // Starts the signal again from sample 0. Thread: the owner's; real-time safe.
    void reset();

private:
    SignalGeneratorConfig m_config;
    int m_channels = 1;
    double m_phaseIncrement = 0.0; // cycles per sample
    double m_phase = 0.0;          // cycles, in [0, 1)
    std::int64_t m_clickPeriodFrames = 0;
    std::int64_t m_framesToNextClick = 0;
};

} // namespace earshot::audio
