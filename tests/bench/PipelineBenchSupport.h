#pragma once
// What the pipeline benchmark (PipelineBench.cpp) needs around the code it measures: its input
// (a WAV file, espeak-ng's speech, or a synthetic speech-like signal, all as 48 kHz mono), the
// machine it runs on, CPU time, and the measurements that compare an output with its input:
// the delay by cross-correlation, a delay track that follows the jitter buffer's time
// stretching, log-spectral distance and envelope correlation. Plus a small Markdown table
// printer. Single-threaded; nothing here is real-time safe, nor needs to be.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace earshot::bench {

inline constexpr int kRateHz = 48'000;
inline constexpr int kFramesPerMs = kRateHz / 1000;

// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in seconds.
double threadCpuSeconds();
// Median of `values` (0 when empty).
double median(std::vector<double> values);

struct MachineInfo {
    long processors = 0; // online CPUs (what nproc prints)
    std::string cpuModel; // "model name" of /proc/cpuinfo
    std::string loadAverage; // the 1/5/15-minute figures of /proc/loadavg
};
MachineInfo machineInfo();

// `seconds` of mono speech-like signal at 48 kHz with peak 1: voiced syllables of 120–280 ms
// with a gliding pitch (100–240 Hz), harmonics up to 8 kHz under two formant bumps and a bit
// of breath noise, separated by 40–160 ms pauses, and a longer pause every few syllables.
// Deterministic for a seed.
std::vector<float> speechLike(double seconds, std::uint32_t seed);

// Reads a WAV file as 48 kHz mono: channels averaged, other rates converted with
// dsp::Resampler. False, with `error` set, when it cannot be read.
bool readWavMono48k(const std::string& path, std::vector<float>& samples, std::string& error);
// Writes 48 kHz mono 16-bit PCM. False when it fails (a message is printed).
bool writeWav(const std::string& path, std::span<const float> samples);

// Runs `espeak-ng -w wavPath text` (no shell). False when espeak-ng is not on PATH or fails.
bool speakWithEspeak(const std::string& text, const std::string& wavPath);

// Scales `samples` so that the peak is `peak`; silence is left alone.
void normalizePeak(std::vector<float>& samples, float peak);
// `samples` repeated (or cut) to exactly `frames` frames.
std::vector<float> loopTo(std::span<const float> samples, std::size_t frames);

// RMS level in dB re full scale (a full-scale square wave is 0 dB); −200 for silence.
double rmsDb(std::span<const float> samples);

struct Alignment {
    int delayFrames = 0; // output[i + delay] repeats input[i]
    double waveformCorrelation = 0.0; // normalised, at that delay
};

// The delay of `output` against `input` within [minDelay, maxDelay] frames: first on 1 ms RMS
// envelopes, then to the sample on the waveforms within ±2 ms of the envelopes' best lag.
Alignment align(
    std::span<const float> input, std::span<const float> output, int minDelayFrames, int maxDelayFrames);
// Normalised correlation of input[first, first + count) with the output `lagFrames` later.
double waveformCorrelation(std::span<const float> input, std::span<const float> output, std::size_t first,
    std::size_t count, int lagFrames);

// The delay of `output` against `input` along the input: one alignment (align() above) per
// 200 ms window every 100 ms, searched within ±150 ms of `centreFrames` (the whole signal's
// delay). Windows below −40 dB, whose match is poor (envelope correlation < 0.5), or whose new
// delay correlates no better (by 0.05) than the previous one keep the previous delay; a running
// median of five windows then removes single strays. A jitter buffer that stretches time moves
// the delay in steps of a pitch period; this follows it, so frames are compared with their own
// output.
struct DelayTrack {
    static constexpr int kHopFrames = 100 * kFramesPerMs;
    std::vector<int> delayFrames; // for input frames [i × kHopFrames, (i + 1) × kHopFrames)
    [[nodiscard]] int at(std::size_t inputFrame) const;
    // Median delay of the windows that start in [firstFrame, endFrame) of the input.
    [[nodiscard]] int medianFrames(std::size_t firstFrame, std::size_t endFrame) const;
    [[nodiscard]] double medianMs() const;
    [[nodiscard]] double minMs() const;
    [[nodiscard]] double maxMs() const;
};
DelayTrack trackDelay(std::span<const float> input, std::span<const float> output, int centreFrames);

// How far the output is from the input, frame by frame along a delay track.
struct Distortion {
    // Log-spectral distance, dB: per 20 ms Hann-windowed frame (10 ms hop) whose input is above
    // −40 dB, the RMS over the bins of 50 Hz–8 kHz of the difference of the two power spectra
    // in dB (each floored at −90 dB re a full-scale sine), averaged over the frames.
    double logSpectralDistanceDb = 0.0;
    int frames = 0; // frames that counted
    // Pearson correlation of the 10 ms RMS envelopes (every block, silence included).
    double envelopeCorrelation = 0.0;
};
Distortion measureDistortion(
    std::span<const float> input, std::span<const float> output, const DelayTrack& track);

// A table printed as Markdown (readable in a terminal, pasteable into docs/PERFORMANCE.md):
// columns padded to their widest cell.
class Table {
public:
    explicit Table(std::vector<std::string> header);
    void addRow(std::vector<std::string> cells);
    void print() const;

private:
    std::vector<std::vector<std::string>> m_rows; // the header first
};

// printf-style formatting into a std::string, for table cells.
std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

} // namespace earshot::bench
