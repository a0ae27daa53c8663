#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

// Measurements the audio tests make on signals: level and the frequency of a tone.
namespace earshot::audio::test {

inline std::vector<float> channelOf(std::span<const float> interleaved, int channels, int channel)
{
    std::vector<float> mono;
    const auto step = static_cast<std::size_t>(channels);
    for (std::size_t i = static_cast<std::size_t>(channel); i < interleaved.size(); i += step)
        mono.push_back(interleaved[i]);
    return mono;
}

inline double rms(std::span<const float> samples)
{
    if (samples.empty())
        return 0.0;
    double sum = 0.0;
    for (const float sample : samples)
        sum += static_cast<double>(sample) * sample;
    return std::sqrt(sum / static_cast<double>(samples.size()));
}

// The frequency of a clean tone from its rising zero crossings, each located to a fraction of
// a sample by linear interpolation: (crossings − 1) periods between the first and the last.
// Returns 0 with fewer than two crossings.
inline double zeroCrossingFrequencyHz(std::span<const float> mono, int sampleRateHz)
{
    double first = -1.0;
    double last = -1.0;
    int crossings = 0;
    for (std::size_t i = 1; i < mono.size(); ++i) {
        if (mono[i - 1] < 0.0f && mono[i] >= 0.0f) {
            const double fraction = mono[i - 1] / static_cast<double>(mono[i - 1] - mono[i]);
            const double when = static_cast<double>(i - 1) + fraction;
            if (crossings == 0)
                first = when;
            last = when;
            ++crossings;
        }
    }
    if (crossings < 2)
        return 0.0;
    return (crossings - 1) * sampleRateHz / (last - first);
}

// The largest absolute difference between consecutive samples: a discontinuity (a dropped or
// repeated block) in a low tone shows up as a jump far above the tone's own slope.
inline double maxStep(std::span<const float> mono)
{
    double largest = 0.0;
    for (std::size_t i = 1; i < mono.size(); ++i)
        largest = std::max(largest, std::abs(static_cast<double>(mono[i]) - mono[i - 1]));
    return largest;
}

} // namespace earshot::audio::test
