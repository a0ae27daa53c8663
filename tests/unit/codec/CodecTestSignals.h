#pragma once

// Test signals and measurements shared by the codec tests: free functions, no state.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace earshot::codec::test {

inline constexpr int kRateHz = 48'000;

// A sine of `frequencyHz` at `amplitude`, the same in every channel, interleaved.
inline std::vector<float> tone(double frequencyHz, int frames, int channels = 1, double amplitude = 0.5)
{
    std::vector<float> pcm(static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels));
    for (int i = 0; i < frames; ++i) {
        const auto value = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * i / kRateHz));
        for (int c = 0; c < channels; ++c)
            pcm[static_cast<std::size_t>(i * channels + c)] = value;
    }
    return pcm;
}

// Something Opus treats like speech: a harmonic series on a 100..220 Hz fundamental that glides
// at an intonation-like 3 Hz (voiced sound; fast enough that concealment cannot just repeat the
// last pitch period), amplitude-modulated by low-passed noise at syllable rate (~8 Hz), plus a
// little breath noise. Deterministic for a given seed. In stereo the right channel is the left one with
// its own breath noise and a slightly detuned fundamental, so the channels differ.
inline std::vector<float> speechLike(int frames, int channels = 1, std::uint32_t seed = 1)
{
    std::mt19937 random(seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::vector<float> pcm(static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels));
    double envelopeState = 0.0;
    double envelopeTarget = 0.5;
    std::vector<double> phase(static_cast<std::size_t>(channels), 0.0);
    for (int i = 0; i < frames; ++i) {
        if (i % (kRateHz / 8) == 0) // a new syllable target every 125 ms
            envelopeTarget = std::clamp(0.55 + 0.35 * gauss(random), 0.05, 1.0);
        envelopeState += (envelopeTarget - envelopeState) * (1.0 / 1200.0); // ~25 ms smoothing
        const double t = double(i) / kRateHz;
        for (int c = 0; c < channels; ++c) {
            const double f0 = 160.0 + 60.0 * std::sin(2.0 * std::numbers::pi * 3.0 * t) + 7.0 * c;
            double& p = phase[static_cast<std::size_t>(c)];
            p += 2.0 * std::numbers::pi * f0 / kRateHz;
            double voiced = 0.0;
            for (int k = 1; k <= 16; ++k)
                voiced += std::sin(k * p) / k;
            const double value = envelopeState * (0.3 * voiced + 0.02 * gauss(random));
            pcm[static_cast<std::size_t>(i * channels + c)] = static_cast<float>(value);
        }
    }
    return pcm;
}

// One channel of an interleaved buffer.
inline std::vector<float> channel(std::span<const float> interleaved, int channels, int index)
{
    std::vector<float> mono(interleaved.size() / static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < mono.size(); ++i)
        mono[i] = interleaved[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(index)];
    return mono;
}

// Normalised correlation of reference[n] with signal[n + lag] over n in [begin, end).
inline double correlationAt(std::span<const float> reference, std::span<const float> signal, std::size_t begin,
                            std::size_t end, std::size_t lag)
{
    double cross = 0.0;
    double energyReference = 0.0;
    double energySignal = 0.0;
    for (std::size_t n = begin; n < end && n + lag < signal.size() && n < reference.size(); ++n) {
        cross += double(reference[n]) * signal[n + lag];
        energyReference += double(reference[n]) * reference[n];
        energySignal += double(signal[n + lag]) * signal[n + lag];
    }
    if (energyReference <= 0.0 || energySignal <= 0.0)
        return 0.0;
    return cross / std::sqrt(energyReference * energySignal);
}

struct Alignment {
    std::size_t lag = 0;
    double correlation = 0.0;
};

// The lag in [0, maxLag] at which `signal` best matches `reference` (the codec delay).
inline Alignment bestAlignment(std::span<const float> reference, std::span<const float> signal, std::size_t begin,
                               std::size_t end, std::size_t maxLag)
{
    Alignment best;
    best.correlation = -2.0;
    for (std::size_t lag = 0; lag <= maxLag; ++lag) {
        const double c = correlationAt(reference, signal, begin, end, lag);
        if (c > best.correlation)
            best = {lag, c};
    }
    return best;
}

// The codec delay and how well the output matches: the best lag in [0, maxLag] over the
// quarter second from `searchBegin` (enough to pin it down, and cheap in Debug builds), then the
// correlation at that lag over all of [begin, end).
inline Alignment alignAndCorrelate(std::span<const float> reference, std::span<const float> signal, std::size_t begin,
                                   std::size_t end, std::size_t searchBegin, std::size_t maxLag = 1000)
{
    Alignment aligned = bestAlignment(reference, signal, searchBegin, searchBegin + kRateHz / 4, maxLag);
    aligned.correlation = correlationAt(reference, signal, begin, end, aligned.lag);
    return aligned;
}

// RMS of signal[n + lag] over n in [begin, end), in dB of full scale (very low for silence).
inline double rmsDb(std::span<const float> signal, std::size_t begin, std::size_t end, std::size_t lag = 0)
{
    double energy = 0.0;
    std::size_t count = 0;
    for (std::size_t n = begin + lag; n < end + lag && n < signal.size(); ++n, ++count)
        energy += double(signal[n]) * signal[n];
    return 10.0 * std::log10(energy / double(std::max<std::size_t>(count, 1)) + 1e-20);
}

} // namespace earshot::codec::test
