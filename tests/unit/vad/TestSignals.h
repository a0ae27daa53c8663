#pragma once

// Deterministic test signals for the VAD and gate tests: white noise and tone bursts at given
// levels, 48 kHz mono, built whole and then fed block by block.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace earshot::vad::test {

constexpr int kSampleRateHz = 48000;
constexpr int kBlockFrames = 480; // 10 ms

inline double amplitudeFor(double dbfs)
{
    return std::pow(10.0, dbfs / 20.0);
}

// Appends `frames` frames of uniform white noise with RMS `rmsDbfs` (a fixed-seed LCG, so every
// run sees the same samples). `state` carries the generator between calls.
inline void appendNoise(std::vector<float>& signal, int frames, double rmsDbfs, std::uint32_t& state)
{
    // Uniform on [−a, a] has RMS a / √3.
    const double peak = amplitudeFor(rmsDbfs) * std::sqrt(3.0);
    for (int i = 0; i < frames; ++i) {
        state = state * 1664525u + 1013904223u;
        const double unit = static_cast<double>(state >> 8) / static_cast<double>(1u << 24); // [0, 1)
        signal.push_back(static_cast<float>(peak * (2.0 * unit - 1.0)));
    }
}

// Adds a sine of `frequencyHz` with RMS `rmsDbfs` to signal[start, start + frames), with a
// 2 ms raised-cosine attack and release like a syllable's.
inline void addToneBurst(std::vector<float>& signal, std::size_t start, int frames, double frequencyHz,
                         double rmsDbfs)
{
    const double peak = amplitudeFor(rmsDbfs) * std::numbers::sqrt2;
    const int rampFrames = kSampleRateHz / 500;
    for (int i = 0; i < frames && start + i < signal.size(); ++i) {
        double envelope = 1.0;
        if (i < rampFrames)
            envelope = 0.5 - 0.5 * std::cos(std::numbers::pi * i / rampFrames);
        else if (frames - i < rampFrames)
            envelope = 0.5 - 0.5 * std::cos(std::numbers::pi * (frames - i) / rampFrames);
        signal[start + i] += static_cast<float>(
            peak * envelope * std::sin(2.0 * std::numbers::pi * frequencyHz * i / kSampleRateHz));
    }
}

// Block `index` of a mono signal.
inline std::span<const float> block(const std::vector<float>& signal, std::size_t index)
{
    return std::span<const float>(signal).subspan(index * kBlockFrames, kBlockFrames);
}

inline std::size_t blockCount(const std::vector<float>& signal)
{
    return signal.size() / kBlockFrames;
}

} // namespace earshot::vad::test
