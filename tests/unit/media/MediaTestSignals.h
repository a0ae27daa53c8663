#pragma once
// Test signals and measurements shared by the media tests: a deterministic speech-like signal
// (voiced "syllables" with gliding pitch and formant-shaped harmonics, separated by pauses), and
// the cross-correlation that finds how much later, and how faithfully, an output repeats it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace earshot::media::test {

inline constexpr int kRateHz = 48'000;

// `seconds` of mono speech-like signal at 48 kHz, peak about `peak`. Syllables of 120–280 ms
// with a pitch gliding within 100–240 Hz, 30 harmonics under two formant bumps, a 10 ms attack
// and a 30 ms decay, and 40–160 ms pauses between them. Deterministic for a given seed.
inline std::vector<float> speechLike(double seconds, float peak = 0.5f, std::uint32_t seed = 7)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto total = static_cast<std::size_t>(seconds * kRateHz);
    std::vector<float> signal(total, 0.0f);
    std::size_t position = static_cast<std::size_t>(0.05 * kRateHz);
    while (position < total) {
        const auto length = static_cast<std::size_t>((0.12 + 0.16 * unit(random)) * kRateHz);
        const double startPitch = 100.0 + 140.0 * unit(random);
        const double endPitch = std::clamp(startPitch * (0.8 + 0.4 * unit(random)), 100.0, 240.0);
        const double formant1 = 500.0 + 400.0 * unit(random);
        const double formant2 = 1200.0 + 1000.0 * unit(random);
        double phase = 0.0;
        for (std::size_t i = 0; i < length && position + i < total; ++i) {
            const double t = static_cast<double>(i) / kRateHz;
            const double progress = static_cast<double>(i) / static_cast<double>(length);
            const double pitch = startPitch + (endPitch - startPitch) * progress;
            phase += pitch / kRateHz;
            const double attack = std::min(1.0, t / 0.010);
            const double decay = std::min(1.0, (static_cast<double>(length - i) / kRateHz) / 0.030);
            double sample = 0.0;
            for (int harmonic = 1; harmonic <= 30; ++harmonic) {
                const double frequency = pitch * harmonic;
                if (frequency > 8000.0)
                    break;
                const double weight = 1.0 / harmonic
                    + 0.8 * std::exp(-std::pow((frequency - formant1) / 150.0, 2.0))
                    + 0.5 * std::exp(-std::pow((frequency - formant2) / 250.0, 2.0));
                sample += weight * std::sin(2.0 * std::numbers::pi * harmonic * phase);
            }
            signal[position + i] = static_cast<float>(0.25 * peak * attack * decay * sample);
        }
        position += length + static_cast<std::size_t>((0.04 + 0.12 * unit(random)) * kRateHz);
    }
    float maximum = 0.0f;
    for (const float sample : signal)
        maximum = std::max(maximum, std::abs(sample));
    if (maximum > 0.0f) {
        for (float& sample : signal)
            sample *= peak / maximum;
    }
    return signal;
}

// RMS of consecutive windows of `window` samples.
inline std::vector<double> envelope(std::span<const float> signal, std::size_t window)
{
    std::vector<double> result;
    for (std::size_t start = 0; start + window <= signal.size(); start += window) {
        double sum = 0.0;
        for (std::size_t i = start; i < start + window; ++i)
            sum += double(signal[i]) * signal[i];
        result.push_back(std::sqrt(sum / static_cast<double>(window)));
    }
    return result;
}

// Normalised correlation of a[i] with b[i + lag] over the samples both have, in [−1, 1].
template <typename T>
double correlationAt(std::span<const T> a, std::span<const T> b, std::ptrdiff_t lag)
{
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + lag;
        if (j < 0 || j >= static_cast<std::ptrdiff_t>(b.size()))
            continue;
        const double x = a[i];
        const double y = b[static_cast<std::size_t>(j)];
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    return aa > 0.0 && bb > 0.0 ? ab / std::sqrt(aa * bb) : 0.0;
}

struct Alignment {
    std::ptrdiff_t delayFrames = 0;   // output[i + delay] repeats input[i]
    double envelopeCorrelation = 0.0; // of 10 ms RMS envelopes at that delay
    double waveformCorrelation = 0.0; // of the samples at the best delay near the envelope's
};

// Finds the delay of `output` against `input` (0 … maxDelayFrames): first coarsely on 1 ms
// envelopes, then to the sample on the waveforms within ±2 ms of it; then compares the 10 ms
// envelopes at that delay (a measure that ignores phase, which concealment does not keep).
inline Alignment align(std::span<const float> input, std::span<const float> output, std::ptrdiff_t maxDelayFrames)
{
    constexpr std::size_t kWindow = kRateHz / 1000;
    const std::vector<double> in = envelope(input, kWindow);
    const std::vector<double> out = envelope(output, kWindow);
    Alignment best;
    double bestCoarse = -2.0;
    std::ptrdiff_t bestLag = 0;
    for (std::ptrdiff_t lag = 0; lag <= maxDelayFrames / static_cast<std::ptrdiff_t>(kWindow); ++lag) {
        const double c = correlationAt<double>(in, out, lag);
        if (c > bestCoarse) {
            bestCoarse = c;
            bestLag = lag;
        }
    }
    best.waveformCorrelation = -2.0;
    const std::ptrdiff_t centre = bestLag * static_cast<std::ptrdiff_t>(kWindow);
    for (std::ptrdiff_t lag = std::max<std::ptrdiff_t>(0, centre - 96); lag <= centre + 96; ++lag) {
        const double c = correlationAt<float>(input, output, lag);
        if (c > best.waveformCorrelation) {
            best.waveformCorrelation = c;
            best.delayFrames = lag;
        }
    }
    if (best.delayFrames < static_cast<std::ptrdiff_t>(output.size())) {
        constexpr std::size_t kEnvelopeWindow = kRateHz / 100;
        const std::vector<double> inEnvelope = envelope(input, kEnvelopeWindow);
        const std::vector<double> outEnvelope
            = envelope(output.subspan(static_cast<std::size_t>(best.delayFrames)), kEnvelopeWindow);
        best.envelopeCorrelation = correlationAt<double>(inEnvelope, outEnvelope, 0);
    }
    return best;
}

// The waveform correlation where the delay may change while the signal plays: the jitter
// buffer lengthens and shortens quiet blocks to follow its target, which moves everything after
// by a few milliseconds. Each `segmentFrames` of the input is aligned on its own within
// ±`searchFrames` of `delayFrames`; the median of the segments' correlations is returned (0 when
// no segment fits). Loud segments only, as silence correlates with nothing.
inline double segmentedWaveformCorrelation(std::span<const float> input, std::span<const float> output,
                                           std::ptrdiff_t delayFrames, std::size_t segmentFrames,
                                           std::ptrdiff_t searchFrames)
{
    std::vector<double> correlations;
    for (std::size_t start = 0; start + segmentFrames <= input.size(); start += segmentFrames) {
        const std::span<const float> segment = input.subspan(start, segmentFrames);
        if (envelope(segment, segmentFrames).front() < 0.05)
            continue;
        double best = -2.0;
        for (std::ptrdiff_t lag = delayFrames - searchFrames; lag <= delayFrames + searchFrames; ++lag) {
            const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(start) + lag;
            if (at < 0 || at + static_cast<std::ptrdiff_t>(segmentFrames) > static_cast<std::ptrdiff_t>(output.size()))
                continue;
            best = std::max(best, correlationAt<float>(segment, output.subspan(static_cast<std::size_t>(at), segmentFrames), 0));
        }
        if (best > -2.0)
            correlations.push_back(best);
    }
    if (correlations.empty())
        return 0.0;
    const auto middle = correlations.begin() + static_cast<std::ptrdiff_t>(correlations.size() / 2);
    std::nth_element(correlations.begin(), middle, correlations.end());
    return *middle;
}

} // namespace earshot::media::test
