#include "PipelineBenchSupport.h"

#include "audio/WavReader.h"
#include "audio/WavWriter.h"
#include "dsp/Resampler.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

namespace earshot::bench {

namespace {

// 1 ms RMS windows for the coarse alignment, 10 ms ones for the envelope correlation.
constexpr int kCoarseWindowFrames = kFramesPerMs;
constexpr int kEnvelopeWindowFrames = 10 * kFramesPerMs;
constexpr int kRefineFrames = 2 * kFramesPerMs;
constexpr double kActiveThresholdDb = -40.0;

// The spectral analysis: 20 ms frames, 10 ms hop, zero-padded to a 1024-point FFT.
constexpr int kAnalysisFrames = 20 * kFramesPerMs;
constexpr int kAnalysisHopFrames = 10 * kFramesPerMs;
constexpr int kFftSize = 1024;
constexpr double kLowestHz = 50.0;
constexpr double kHighestHz = 8000.0;
constexpr double kSpectrumFloorDb = -90.0;

std::vector<double> rmsEnvelope(std::span<const float> signal, int window)
{
    std::vector<double> result(signal.size() / static_cast<std::size_t>(window));
    for (std::size_t block = 0; block < result.size(); ++block) {
        double sum = 0.0;
        for (std::size_t i = block * static_cast<std::size_t>(window);
             i < (block + 1) * static_cast<std::size_t>(window); ++i)
            sum += double(signal[i]) * signal[i];
        result[block] = std::sqrt(sum / window);
    }
    return result;
}

// Pearson correlation of a[i] with b[i + lag] for i in [first, first + count), over the
// indices both have. 0 when either side is constant.
double pearsonAt(std::span<const double> a, std::span<const double> b, std::ptrdiff_t first,
    std::ptrdiff_t count, std::ptrdiff_t lag)
{
    double sumA = 0, sumB = 0, sumAA = 0, sumBB = 0, sumAB = 0;
    int n = 0;
    for (std::ptrdiff_t i = std::max<std::ptrdiff_t>(first, -lag); i < first + count; ++i) {
        const std::ptrdiff_t j = i + lag;
        if (i >= static_cast<std::ptrdiff_t>(a.size()) || j >= static_cast<std::ptrdiff_t>(b.size()))
            break;
        const double x = a[static_cast<std::size_t>(i)];
        const double y = b[static_cast<std::size_t>(j)];
        sumA += x;
        sumB += y;
        sumAA += x * x;
        sumBB += y * y;
        sumAB += x * y;
        ++n;
    }
    if (n < 2)
        return 0.0;
    const double covariance = sumAB - sumA * sumB / n;
    const double varianceA = sumAA - sumA * sumA / n;
    const double varianceB = sumBB - sumB * sumB / n;
    return varianceA > 1e-20 && varianceB > 1e-20 ? covariance / std::sqrt(varianceA * varianceB) : 0.0;
}

// Normalised (uncentred) correlation of input[first, first + count) with output at `lag`.
double waveformCorrelationAt(std::span<const float> input, std::span<const float> output, std::size_t first,
    std::size_t count, std::ptrdiff_t lag)
{
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = first; i < first + count && i < input.size(); ++i) {
        const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + lag;
        if (j < 0)
            continue;
        if (j >= static_cast<std::ptrdiff_t>(output.size()))
            break;
        const double x = input[i];
        const double y = output[static_cast<std::size_t>(j)];
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

struct Match {
    Alignment alignment;
    double envelopeCorrelation = 0.0; // of the coarse search's best lag
};

// Aligns input[first, first + count) within lags [minLag, maxLag] frames, the envelopes given.
Match alignRange(std::span<const float> input, std::span<const float> output,
    std::span<const double> inputEnvelope, std::span<const double> outputEnvelope, std::size_t first,
    std::size_t count, int minLag, int maxLag)
{
    Match best;
    best.envelopeCorrelation = -2.0;
    int bestCoarseMs = minLag / kCoarseWindowFrames;
    const auto envelopeFirst = static_cast<std::ptrdiff_t>(first / kCoarseWindowFrames);
    const auto envelopeCount = static_cast<std::ptrdiff_t>(count / kCoarseWindowFrames);
    for (int lagMs = minLag / kCoarseWindowFrames; lagMs <= maxLag / kCoarseWindowFrames; ++lagMs) {
        const double c = pearsonAt(inputEnvelope, outputEnvelope, envelopeFirst, envelopeCount, lagMs);
        if (c > best.envelopeCorrelation) {
            best.envelopeCorrelation = c;
            bestCoarseMs = lagMs;
        }
    }
    best.alignment.waveformCorrelation = -2.0;
    const int centre = bestCoarseMs * kCoarseWindowFrames;
    for (int lag = std::max(minLag, centre - kRefineFrames); lag <= std::min(maxLag, centre + kRefineFrames);
         ++lag) {
        const double c = waveformCorrelationAt(input, output, first, count, lag);
        if (c > best.alignment.waveformCorrelation) {
            best.alignment.waveformCorrelation = c;
            best.alignment.delayFrames = lag;
        }
    }
    return best;
}

// Iterative radix-2 FFT of a fixed power-of-two size, in place.
class Fft {
public:
    explicit Fft(int size)
        : m_size(static_cast<std::size_t>(size))
        , m_twiddles(m_size / 2)
        , m_reversed(m_size)
    {
        for (std::size_t k = 0; k < m_size / 2; ++k)
            m_twiddles[k] = std::polar(1.0, -2.0 * std::numbers::pi * double(k) / double(m_size));
        int bits = 0;
        while ((std::size_t { 1 } << bits) < m_size)
            ++bits;
        for (std::size_t i = 0; i < m_size; ++i) {
            std::size_t reversed = 0;
            for (int b = 0; b < bits; ++b)
                reversed |= ((i >> b) & 1u) << (bits - 1 - b);
            m_reversed[i] = reversed;
        }
    }

    void transform(std::vector<std::complex<double>>& data) const
    {
        for (std::size_t i = 0; i < m_size; ++i)
            if (i < m_reversed[i])
                std::swap(data[i], data[m_reversed[i]]);
        for (std::size_t length = 2; length <= m_size; length *= 2) {
            const std::size_t half = length / 2;
            const std::size_t stride = m_size / length;
            for (std::size_t start = 0; start < m_size; start += length) {
                for (std::size_t j = 0; j < half; ++j) {
                    const std::complex<double> u = data[start + j];
                    const std::complex<double> v = data[start + j + half] * m_twiddles[j * stride];
                    data[start + j] = u + v;
                    data[start + j + half] = u - v;
                }
            }
        }
    }

private:
    std::size_t m_size;
    std::vector<std::complex<double>> m_twiddles;
    std::vector<std::size_t> m_reversed;
};

// Power spectrum in dB of one Hann-windowed 20 ms frame, 0 dB for a full-scale sine, floored.
class Spectrum {
public:
    Spectrum()
        : m_fft(kFftSize)
        , m_window(kAnalysisFrames)
        , m_buffer(kFftSize)
    {
        double sum = 0.0;
        for (int i = 0; i < kAnalysisFrames; ++i) {
            m_window[static_cast<std::size_t>(i)]
                = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kAnalysisFrames);
            sum += m_window[static_cast<std::size_t>(i)];
        }
        m_reference = (sum / 2.0) * (sum / 2.0);
    }

    void powerDb(std::span<const float> frame, std::vector<double>& out)
    {
        std::fill(m_buffer.begin(), m_buffer.end(), std::complex<double>());
        for (std::size_t i = 0; i < m_window.size(); ++i)
            m_buffer[i] = frame[i] * m_window[i];
        m_fft.transform(m_buffer);
        out.resize(kFftSize / 2 + 1);
        for (std::size_t k = 0; k < out.size(); ++k)
            out[k]
                = std::max(kSpectrumFloorDb, 10.0 * std::log10(std::norm(m_buffer[k]) / m_reference + 1e-30));
    }

private:
    Fft m_fft;
    std::vector<double> m_window;
    std::vector<std::complex<double>> m_buffer;
    double m_reference = 1.0;
};

std::string readFirstLine(const char* path)
{
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

std::size_t displayWidth(const std::string& text)
{
    // UTF-8: count every byte that does not continue a character.
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

} // namespace

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
}

MachineInfo machineInfo()
{
    MachineInfo info;
    info.processors = sysconf(_SC_NPROCESSORS_ONLN);
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0) {
            const std::size_t colon = line.find(':');
            info.cpuModel
                = colon == std::string::npos ? line : line.substr(line.find_first_not_of(' ', colon + 1));
            break;
        }
    }
    if (info.cpuModel.empty())
        info.cpuModel = "unknown";
    const std::string load = readFirstLine("/proc/loadavg");
    std::size_t end = 0;
    for (int field = 0; field < 3 && end != std::string::npos; ++field)
        end = load.find(' ', end + (field > 0 ? 1 : 0));
    info.loadAverage = load.substr(0, end);
    return info;
}

std::vector<float> speechLike(double seconds, std::uint32_t seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 1.0);
    const auto total = static_cast<std::size_t>(seconds * kRateHz);
    std::vector<float> signal(total, 0.0f);
    std::size_t position = static_cast<std::size_t>(0.1 * kRateHz);
    int syllable = 0;
    while (position < total) {
        const auto length = static_cast<std::size_t>((0.12 + 0.16 * unit(random)) * kRateHz);
        const double startPitch = 100.0 + 140.0 * unit(random);
        const double endPitch = std::clamp(startPitch * (0.8 + 0.4 * unit(random)), 100.0, 240.0);
        const double formant1 = 500.0 + 400.0 * unit(random);
        const double formant2 = 1200.0 + 1000.0 * unit(random);
        const double loudness = 0.5 + 0.5 * unit(random);
        double phase = 0.0;
        double breath = 0.0; // one-pole low-passed noise, as a consonant's hiss
        for (std::size_t i = 0; i < length && position + i < total; ++i) {
            const double t = double(i) / kRateHz;
            const double progress = double(i) / double(length);
            const double pitch = startPitch + (endPitch - startPitch) * progress;
            phase += pitch / kRateHz;
            const double attack = std::min(1.0, t / 0.010);
            const double decay = std::min(1.0, (double(length - i) / kRateHz) / 0.030);
            double sample = 0.0;
            for (int harmonic = 1; harmonic <= 40; ++harmonic) {
                const double frequency = pitch * harmonic;
                if (frequency > 8000.0)
                    break;
                const double weight = 1.0 / harmonic
                    + 0.8 * std::exp(-std::pow((frequency - formant1) / 150.0, 2.0))
                    + 0.5 * std::exp(-std::pow((frequency - formant2) / 250.0, 2.0));
                sample += weight * std::sin(2.0 * std::numbers::pi * harmonic * phase);
            }
            breath = 0.7 * breath + 0.3 * noise(random);
            const double hiss = t < 0.04 ? 0.3 * (1.0 - t / 0.04) : 0.0; // a short onset consonant
            signal[position + i]
                = static_cast<float>(loudness * attack * decay * (0.25 * sample + hiss * breath));
        }
        ++syllable;
        const double pause = syllable % 6 == 0 ? 0.3 + 0.3 * unit(random) : 0.04 + 0.12 * unit(random);
        position += length + static_cast<std::size_t>(pause * kRateHz);
    }
    normalizePeak(signal, 1.0f);
    return signal;
}

bool readWavMono48k(const std::string& path, std::vector<float>& samples, std::string& error)
{
    audio::WavReader reader;
    std::vector<float> interleaved;
    audio::WavError result = reader.open(path);
    if (result == audio::WavError::None)
        result = reader.readAll(interleaved);
    if (result != audio::WavError::None) {
        error = audio::wavErrorText(result);
        return false;
    }
    const auto channels = static_cast<std::size_t>(reader.info().channels);
    std::vector<float> mono(interleaved.size() / channels);
    for (std::size_t frame = 0; frame < mono.size(); ++frame) {
        double sum = 0.0;
        for (std::size_t channel = 0; channel < channels; ++channel)
            sum += interleaved[frame * channels + channel];
        mono[frame] = static_cast<float>(sum / double(channels));
    }
    if (reader.info().sampleRateHz == kRateHz) {
        samples = std::move(mono);
        return true;
    }
    dsp::Resampler resampler;
    if (resampler.init(1, reader.info().sampleRateHz, kRateHz) != dsp::ResamplerError::None) {
        error = "cannot resample from " + std::to_string(reader.info().sampleRateHz) + " Hz";
        return false;
    }
    samples = resampler.processAll(mono);
    return true;
}

bool writeWav(const std::string& path, std::span<const float> samples)
{
    audio::WavWriter writer;
    audio::WavError result = writer.open(path, kRateHz, 1, audio::WavSampleFormat::Pcm16);
    if (result == audio::WavError::None)
        result = writer.write(samples);
    if (result == audio::WavError::None)
        result = writer.close();
    if (result != audio::WavError::None)
        std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), audio::wavErrorText(result));
    return result == audio::WavError::None;
}

bool speakWithEspeak(const std::string& text, const std::string& wavPath)
{
    std::string program = "espeak-ng", option = "-w", path = wavPath, words = text;
    char* argv[] = { program.data(), option.data(), path.data(), words.data(), nullptr };
    pid_t pid = 0;
    if (posix_spawnp(&pid, "espeak-ng", nullptr, nullptr, argv, environ) != 0)
        return false; // not on PATH
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && access(wavPath.c_str(), R_OK) == 0;
}

void normalizePeak(std::vector<float>& samples, float peak)
{
    float maximum = 0.0f;
    for (const float sample : samples)
        maximum = std::max(maximum, std::abs(sample));
    if (maximum > 0.0f)
        for (float& sample : samples)
            sample *= peak / maximum;
}

std::vector<float> loopTo(std::span<const float> samples, std::size_t frames)
{
    std::vector<float> result(frames, 0.0f);
    if (samples.empty())
        return result;
    for (std::size_t i = 0; i < frames; ++i)
        result[i] = samples[i % samples.size()];
    return result;
}

double rmsDb(std::span<const float> samples)
{
    double sum = 0.0;
    for (const float sample : samples)
        sum += double(sample) * sample;
    const double rms = samples.empty() ? 0.0 : std::sqrt(sum / double(samples.size()));
    return rms > 1e-10 ? 20.0 * std::log10(rms) : -200.0;
}

Alignment align(
    std::span<const float> input, std::span<const float> output, int minDelayFrames, int maxDelayFrames)
{
    const std::vector<double> inputEnvelope = rmsEnvelope(input, kCoarseWindowFrames);
    const std::vector<double> outputEnvelope = rmsEnvelope(output, kCoarseWindowFrames);
    return alignRange(
        input, output, inputEnvelope, outputEnvelope, 0, input.size(), minDelayFrames, maxDelayFrames)
        .alignment;
}

double waveformCorrelation(std::span<const float> input, std::span<const float> output, std::size_t first,
    std::size_t count, int lagFrames)
{
    return waveformCorrelationAt(input, output, first, count, lagFrames);
}

int DelayTrack::medianFrames(std::size_t firstFrame, std::size_t endFrame) const
{
    std::vector<double> values;
    for (std::size_t i = 0; i < delayFrames.size(); ++i) {
        const std::size_t start = i * static_cast<std::size_t>(kHopFrames);
        if (start >= firstFrame && start < endFrame)
            values.push_back(delayFrames[i]);
    }
    return static_cast<int>(std::lround(median(values)));
}

int DelayTrack::at(std::size_t inputFrame) const
{
    if (delayFrames.empty())
        return 0;
    return delayFrames[std::min(inputFrame / static_cast<std::size_t>(kHopFrames), delayFrames.size() - 1)];
}

double DelayTrack::medianMs() const
{
    return median(std::vector<double>(delayFrames.begin(), delayFrames.end())) / kFramesPerMs;
}

double DelayTrack::minMs() const
{
    return delayFrames.empty()
        ? 0.0
        : double(*std::min_element(delayFrames.begin(), delayFrames.end())) / kFramesPerMs;
}

double DelayTrack::maxMs() const
{
    return delayFrames.empty()
        ? 0.0
        : double(*std::max_element(delayFrames.begin(), delayFrames.end())) / kFramesPerMs;
}

DelayTrack trackDelay(std::span<const float> input, std::span<const float> output, int centreFrames)
{
    constexpr std::size_t kWindowFrames = 200 * kFramesPerMs;
    constexpr int kRangeFrames = 150 * kFramesPerMs;
    // A voiced window matches itself shifted by a pitch period almost as well as unshifted; the
    // previous delay is kept unless the new one is clearly better, so the track does not hop.
    constexpr double kHysteresis = 0.05;
    const std::vector<double> inputEnvelope = rmsEnvelope(input, kCoarseWindowFrames);
    const std::vector<double> outputEnvelope = rmsEnvelope(output, kCoarseWindowFrames);
    std::vector<int> raw;
    int previous = centreFrames;
    for (std::size_t start = 0; start < input.size(); start += DelayTrack::kHopFrames) {
        const std::size_t count = std::min(kWindowFrames, input.size() - start);
        if (count >= static_cast<std::size_t>(DelayTrack::kHopFrames)
            && rmsDb(input.subspan(start, count)) > kActiveThresholdDb) {
            const Match match = alignRange(input, output, inputEnvelope, outputEnvelope, start, count,
                std::max(0, centreFrames - kRangeFrames), centreFrames + kRangeFrames);
            if (match.envelopeCorrelation >= 0.5 && match.alignment.delayFrames != previous) {
                double kept = -2.0;
                for (int lag = std::max(0, previous - kRefineFrames); lag <= previous + kRefineFrames; ++lag)
                    kept = std::max(kept, waveformCorrelationAt(input, output, start, count, lag));
                if (match.alignment.waveformCorrelation > kept + kHysteresis)
                    previous = match.alignment.delayFrames;
            }
        }
        raw.push_back(previous);
    }
    // A running median of five windows drops the odd window whose match went astray (a burst of
    // concealment matches nothing well).
    DelayTrack track;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        std::vector<int> around(raw.begin() + static_cast<std::ptrdiff_t>(i >= 2 ? i - 2 : 0),
            raw.begin() + static_cast<std::ptrdiff_t>(std::min(raw.size(), i + 3)));
        std::nth_element(
            around.begin(), around.begin() + static_cast<std::ptrdiff_t>(around.size() / 2), around.end());
        track.delayFrames.push_back(around[around.size() / 2]);
    }
    return track;
}

Distortion measureDistortion(
    std::span<const float> input, std::span<const float> output, const DelayTrack& track)
{
    Distortion result;
    Spectrum spectrum;
    std::vector<double> inputDb, outputDb;
    const auto lowest = static_cast<std::size_t>(std::ceil(kLowestHz * kFftSize / kRateHz));
    const auto highest = static_cast<std::size_t>(std::floor(kHighestHz * kFftSize / kRateHz));
    double sum = 0.0;
    for (std::size_t start = 0; start + kAnalysisFrames <= input.size(); start += kAnalysisHopFrames) {
        const std::span<const float> frame = input.subspan(start, kAnalysisFrames);
        if (rmsDb(frame) <= kActiveThresholdDb)
            continue;
        const auto outputStart = static_cast<std::ptrdiff_t>(start) + track.at(start + kAnalysisFrames / 2);
        if (outputStart < 0 || static_cast<std::size_t>(outputStart) + kAnalysisFrames > output.size())
            continue;
        spectrum.powerDb(frame, inputDb);
        spectrum.powerDb(output.subspan(static_cast<std::size_t>(outputStart), kAnalysisFrames), outputDb);
        double squares = 0.0;
        for (std::size_t k = lowest; k <= highest; ++k)
            squares += (inputDb[k] - outputDb[k]) * (inputDb[k] - outputDb[k]);
        sum += std::sqrt(squares / double(highest - lowest + 1));
        ++result.frames;
    }
    result.logSpectralDistanceDb = result.frames > 0 ? sum / result.frames : 0.0;

    std::vector<double> inputEnvelope, outputEnvelope;
    for (std::size_t start = 0; start + kEnvelopeWindowFrames <= input.size();
         start += kEnvelopeWindowFrames) {
        const auto outputStart
            = static_cast<std::ptrdiff_t>(start) + track.at(start + kEnvelopeWindowFrames / 2);
        if (outputStart < 0 || static_cast<std::size_t>(outputStart) + kEnvelopeWindowFrames > output.size())
            continue;
        const auto rms = [](std::span<const float> block) {
            double squares = 0.0;
            for (const float sample : block)
                squares += double(sample) * sample;
            return std::sqrt(squares / double(block.size()));
        };
        inputEnvelope.push_back(rms(input.subspan(start, kEnvelopeWindowFrames)));
        outputEnvelope.push_back(
            rms(output.subspan(static_cast<std::size_t>(outputStart), kEnvelopeWindowFrames)));
    }
    result.envelopeCorrelation
        = pearsonAt(inputEnvelope, outputEnvelope, 0, static_cast<std::ptrdiff_t>(inputEnvelope.size()), 0);
    return result;
}

Table::Table(std::vector<std::string> header)
{
    m_rows.push_back(std::move(header));
}

void Table::addRow(std::vector<std::string> cells)
{
    cells.resize(m_rows.front().size());
    m_rows.push_back(std::move(cells));
}

void Table::print() const
{
    std::vector<std::size_t> widths(m_rows.front().size(), 3);
    for (const auto& row : m_rows)
        for (std::size_t column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], displayWidth(row[column]));
    const auto printRow = [&widths](const std::vector<std::string>& row) {
        std::string line = "|";
        for (std::size_t column = 0; column < row.size(); ++column)
            line += " " + row[column] + std::string(widths[column] - displayWidth(row[column]), ' ') + " |";
        std::printf("%s\n", line.c_str());
    };
    printRow(m_rows.front());
    std::string rule = "|";
    for (const std::size_t width : widths)
        rule += std::string(width + 2, '-') + "|";
    std::printf("%s\n", rule.c_str());
    for (std::size_t row = 1; row < m_rows.size(); ++row)
        printRow(m_rows[row]);
}

std::string format(const char* pattern, ...)
{
    char buffer[256];
    va_list arguments;
    va_start(arguments, pattern);
    std::vsnprintf(buffer, sizeof buffer, pattern, arguments);
    va_end(arguments);
    return buffer;
}

} // namespace earshot::bench
