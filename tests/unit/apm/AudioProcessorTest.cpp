#include "apm/AudioProcessor.h"

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <vector>

using namespace earshot::apm;

namespace {

constexpr int kSampleRateHz = 48000;
constexpr int kBlockFrames = 480;
constexpr const char* kUnavailable = "webrtc-audio-processing not found; 3A disabled (pass-through)";

// Deterministic uniform noise in [−1, 1) (LCG, fixed seed).
class Noise {
public:
    explicit Noise(std::uint32_t seed) : m_state(seed) {}
    double next()
    {
        m_state = m_state * 1664525u + 1013904223u;
        return 2.0 * static_cast<double>(m_state >> 8) / static_cast<double>(1u << 24) - 1.0;
    }

private:
    std::uint32_t m_state;
};

double dbOf(double power)
{
    return 10.0 * std::log10(power + 1e-30);
}

double meanSquare(std::span<const float> signal)
{
    double sum = 0.0;
    for (float sample : signal)
        sum += static_cast<double>(sample) * sample;
    return signal.empty() ? 0.0 : sum / static_cast<double>(signal.size());
}

void scaleToRms(std::vector<float>& signal, double rmsDbfs)
{
    const double gain = std::pow(10.0, rmsDbfs / 20.0) / std::sqrt(meanSquare(signal));
    for (float& sample : signal)
        sample = static_cast<float>(sample * gain);
}

// A speech-like signal: voiced "syllables" (a 100–220 Hz glottal pulse train's harmonics with a
// slow pitch glide, plus some band-limited noise) of 120–320 ms separated by 40–200 ms pauses,
// with raised-cosine envelopes; scaled to `rmsDbfs` overall.
std::vector<float> speechLike(int frames, double rmsDbfs, std::uint32_t seed)
{
    Noise random(seed);
    std::vector<float> signal(static_cast<std::size_t>(frames), 0.0f);
    int position = 0;
    double lowPassed = 0.0;
    while (position < frames) {
        const int length = static_cast<int>((0.12 + 0.10 * (random.next() + 1.0)) * kSampleRateHz);
        const double f0 = 160.0 + 60.0 * random.next();
        const double glide = 0.3 * random.next();
        double phase = 0.0;
        for (int i = 0; i < length && position + i < frames; ++i) {
            const double t = static_cast<double>(i) / length;
            const double envelope = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * t);
            const double frequency = f0 * (1.0 + glide * t);
            phase += 2.0 * std::numbers::pi * frequency / kSampleRateHz;
            double voiced = 0.0;
            for (int harmonic = 1; harmonic <= 24 && harmonic * frequency < 8000.0; ++harmonic)
                voiced += std::sin(harmonic * phase) / harmonic;
            lowPassed += 0.3 * (random.next() - lowPassed);
            signal[static_cast<std::size_t>(position + i)] = static_cast<float>(envelope * (voiced + 0.5 * lowPassed));
        }
        position += length + static_cast<int>((0.04 + 0.08 * (random.next() + 1.0)) * kSampleRateHz);
    }
    scaleToRms(signal, rmsDbfs);
    return signal;
}

std::vector<float> whiteNoise(int frames, double rmsDbfs, std::uint32_t seed)
{
    Noise random(seed);
    std::vector<float> signal(static_cast<std::size_t>(frames));
    for (float& sample : signal)
        sample = static_cast<float>(random.next());
    scaleToRms(signal, rmsDbfs);
    return signal;
}

// The amplitude of the `frequencyHz` component of `signal` (projection on sine and cosine).
double toneAmplitude(std::span<const float> signal, double frequencyHz)
{
    double inPhase = 0.0;
    double quadrature = 0.0;
    for (std::size_t i = 0; i < signal.size(); ++i) {
        const double angle = 2.0 * std::numbers::pi * frequencyHz * static_cast<double>(i) / kSampleRateHz;
        inPhase += signal[i] * std::cos(angle);
        quadrature += signal[i] * std::sin(angle);
    }
    return 2.0 * std::hypot(inPhase, quadrature) / static_cast<double>(signal.size());
}

AudioProcessorSettings allOff()
{
    AudioProcessorSettings settings;
    settings.echoCancellation = false;
    settings.noiseSuppression = false;
    settings.transientSuppression = false;
    settings.gainControl = false;
    settings.highPass = false;
    return settings;
}

// Runs `capture` (and, if given, `playback` first for each block) through a processor, returns the
// processed capture signal.
std::vector<float> run(AudioProcessor& processor, const std::vector<float>& capture,
                       const std::vector<float>* playback = nullptr)
{
    std::vector<float> output = capture;
    const std::size_t blocks = output.size() / kBlockFrames;
    for (std::size_t index = 0; index < blocks; ++index) {
        if (playback) {
            const auto far = std::span<const float>(*playback).subspan(index * kBlockFrames, kBlockFrames);
            if (processor.processPlayback(far) != ProcessingError::None)
                return {};
        }
        const auto near = std::span<float>(output).subspan(index * kBlockFrames, kBlockFrames);
        if (processor.processCapture(near) != ProcessingError::None)
            return {};
    }
    return output;
}

// The last `seconds` of a signal.
std::span<const float> tail(const std::vector<float>& signal, double seconds)
{
    const auto frames = static_cast<std::size_t>(seconds * kSampleRateHz);
    return std::span<const float>(signal).subspan(signal.size() - frames);
}

} // namespace

class AudioProcessorTest : public QObject {
    Q_OBJECT

private:
    // ERLE in dB of the echo canceller on a far-end speech-like signal whose echo (40 ms later,
    // −6 dB, with a weaker −14 dB reflection 5 ms after) is the whole near-end capture.
    static double measureErle(bool echoCancellation, EchoCancellationMode mode)
    {
        constexpr int kSeconds = 10;
        const std::vector<float> far = speechLike(kSeconds * kSampleRateHz, -20.0, 1234u);
        std::vector<float> near(far.size(), 0.0f);
        const std::size_t delay = 40 * kSampleRateHz / 1000;
        const std::size_t reflection = delay + 5 * kSampleRateHz / 1000;
        for (std::size_t i = delay; i < near.size(); ++i)
            near[i] = 0.5f * far[i - delay] + (i >= reflection ? 0.2f * far[i - reflection] : 0.0f);

        AudioProcessorConfig config;
        config.settings = allOff();
        config.settings.echoCancellation = echoCancellation;
        config.settings.echoCancellationMode = mode;
        config.streamDelayMs = 40;
        AudioProcessor processor(config);
        const std::vector<float> output = run(processor, near, &far);
        if (output.empty())
            return -1000.0;
        // After convergence: the last 4 s.
        return dbOf(meanSquare(tail(near, 4.0))) - dbOf(meanSquare(tail(output, 4.0)));
    }

private slots:
    void echoCancellationRemovesEcho_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("soft") << static_cast<int>(EchoCancellationMode::Soft);
        QTest::newRow("medium") << static_cast<int>(EchoCancellationMode::Medium);
        QTest::newRow("aggressive") << static_cast<int>(EchoCancellationMode::Aggressive);
    }

    void echoCancellationRemovesEcho()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        QFETCH(int, mode);
        const double erleOn = measureErle(true, static_cast<EchoCancellationMode>(mode));
        const double erleOff = measureErle(false, static_cast<EchoCancellationMode>(mode));
        qInfo("ERLE with AEC on: %.1f dB, off: %.1f dB", erleOn, erleOff);
        QVERIFY2(erleOn >= 10.0, qPrintable(QString::number(erleOn)));
        QVERIFY2(std::abs(erleOff) <= 1.0, qPrintable(QString::number(erleOff)));
    }

    void noiseSuppressionReducesSteadyNoise()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        constexpr int kSeconds = 6;
        const std::vector<float> noise = whiteNoise(kSeconds * kSampleRateHz, -40.0, 99u);

        AudioProcessorConfig config;
        config.settings = allOff();
        config.settings.noiseSuppression = true;
        config.settings.noiseSuppressionMode = NoiseSuppressionMode::Medium;
        AudioProcessor processor(config);
        const std::vector<float> output = run(processor, noise);
        QVERIFY(!output.empty());
        const double reductionDb = dbOf(meanSquare(tail(noise, 3.0))) - dbOf(meanSquare(tail(output, 3.0)));
        qInfo("noise reduction (medium): %.1f dB", reductionDb);
        QVERIFY2(reductionDb >= 6.0, qPrintable(QString::number(reductionDb)));
    }

    // The noise suppressor learns any stationary sound as noise, a steady tone included (measured:
    // a continuous −20 dBFS 1 kHz tone loses about 12.7 dB after 6 s). A tone that comes and goes
    // like a voiced syllable (250 ms on, 250 ms off) must come through at its level.
    void noiseSuppressionKeepsTone()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        constexpr int kSeconds = 6;
        constexpr double kToneHz = 1000.0;
        constexpr std::size_t kPeriodFrames = kSampleRateHz / 2;
        constexpr std::size_t kBurstFrames = kSampleRateHz / 4;
        std::vector<float> input = whiteNoise(kSeconds * kSampleRateHz, -40.0, 7u);
        const double toneAmplitudeIn = std::pow(10.0, -20.0 / 20.0) * std::numbers::sqrt2; // −20 dBFS RMS
        for (std::size_t i = 0; i < input.size(); ++i) {
            if (i % kPeriodFrames < kBurstFrames)
                input[i] += static_cast<float>(toneAmplitudeIn *
                                               std::sin(2.0 * std::numbers::pi * kToneHz * static_cast<double>(i) / kSampleRateHz));
        }

        AudioProcessorConfig config;
        config.settings = allOff();
        config.settings.noiseSuppression = true;
        AudioProcessor processor(config);
        const std::vector<float> output = run(processor, input);
        QVERIFY(!output.empty());
        // The middle 150 ms of each burst in the last 3 s.
        double sumDb = 0.0;
        int bursts = 0;
        for (std::size_t start = input.size() - 6 * kPeriodFrames; start < input.size(); start += kPeriodFrames) {
            const auto middle = std::span<const float>(output).subspan(start + kSampleRateHz / 20, 3 * kSampleRateHz / 20);
            sumDb += 20.0 * std::log10(toneAmplitude(middle, kToneHz) / toneAmplitudeIn);
            ++bursts;
        }
        const double changeDb = sumDb / bursts;
        qInfo("tone-burst level change under noise suppression: %.2f dB", changeDb);
        QVERIFY2(std::abs(changeDb) <= 3.0, qPrintable(QString::number(changeDb)));
    }

    void gainControlRaisesQuietSpeech()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        constexpr int kSeconds = 10;
        const std::vector<float> input = speechLike(kSeconds * kSampleRateHz, -40.0, 42u);

        AudioProcessorConfig config;
        config.settings = allOff();
        config.settings.gainControl = true;
        AudioProcessor processor(config);
        const std::vector<float> output = run(processor, input);
        QVERIFY(!output.empty());
        const double gainDb = dbOf(meanSquare(tail(output, 4.0))) - dbOf(meanSquare(tail(input, 4.0)));
        qInfo("AGC gain on -40 dBFS speech: %.1f dB", gainDb);
        QVERIFY2(gainDb >= 6.0, qPrintable(QString::number(gainDb)));
    }

    void everythingOffPassesThrough()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        const std::vector<float> input = speechLike(2 * kSampleRateHz, -20.0, 5u);
        const std::vector<float> far = speechLike(2 * kSampleRateHz, -20.0, 6u);
        AudioProcessorConfig config;
        config.settings = allOff();
        AudioProcessor processor(config);
        const std::vector<float> output = run(processor, input, &far);
        QCOMPARE(output.size(), input.size());
        double maxError = 0.0;
        for (std::size_t i = 0; i < input.size(); ++i)
            maxError = std::max(maxError, static_cast<double>(std::abs(output[i] - input[i])));
        qInfo("pass-through max abs error: %g", maxError);
        QVERIFY2(maxError <= 1e-6, qPrintable(QString::number(maxError)));
    }

    void settingsChangeAppliesAtNextBlock()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        AudioProcessorConfig config;
        config.settings = allOff();
        AudioProcessor processor(config);
        const std::vector<float> noise = whiteNoise(6 * kSampleRateHz, -40.0, 3u);
        // Off first: untouched; then switched on from "another thread's" setter: reduced.
        std::vector<float> first(noise.begin(), noise.begin() + 3 * kSampleRateHz);
        std::vector<float> second(noise.begin() + 3 * kSampleRateHz, noise.end());
        const std::vector<float> firstOut = run(processor, first);
        processor.setNoiseSuppressionEnabled(true);
        processor.setNoiseSuppressionMode(NoiseSuppressionMode::VeryAggressive);
        processor.setTransientSuppressionEnabled(true);
        const std::vector<float> secondOut = run(processor, second);
        QVERIFY(!firstOut.empty() && !secondOut.empty());
        QVERIFY(std::abs(dbOf(meanSquare(firstOut)) - dbOf(meanSquare(first))) < 0.1);
        const double reductionDb = dbOf(meanSquare(tail(second, 1.5))) - dbOf(meanSquare(tail(secondOut, 1.5)));
        qInfo("noise reduction after switching on (very aggressive + transient): %.1f dB", reductionDb);
        QVERIFY(reductionDb >= 6.0);
        const AudioProcessorSettings settings = processor.settings();
        QVERIFY(settings.noiseSuppression);
        QCOMPARE(settings.noiseSuppressionMode, NoiseSuppressionMode::VeryAggressive);
        QVERIFY(settings.transientSuppression);
    }

    void unavailableLibraryPassesThrough()
    {
        AudioProcessor processor;
        if (processor.isAvailable())
            QSKIP("built with webrtc-audio-processing; the pass-through build is tested without it");
        std::vector<float> block = speechLike(kBlockFrames, -20.0, 11u);
        const std::vector<float> original = block;
        QCOMPARE(processor.processPlayback(block), ProcessingError::None);
        QCOMPARE(processor.processCapture(block), ProcessingError::None);
        QVERIFY(block == original);
    }

    void badBlockSizesAreRejected_data()
    {
        QTest::addColumn<int>("captureChannels");
        QTest::addColumn<int>("samples");
        QTest::newRow("mono empty") << 1 << 0;
        QTest::newRow("mono 479") << 1 << 479;
        QTest::newRow("mono 481") << 1 << 481;
        QTest::newRow("mono 960 (20 ms)") << 1 << 960;
        QTest::newRow("stereo 480 (5 ms)") << 2 << 480;
        QTest::newRow("stereo 961") << 2 << 961;
    }

    void badBlockSizesAreRejected()
    {
        QFETCH(int, captureChannels);
        QFETCH(int, samples);
        AudioProcessorConfig config;
        config.captureChannels = captureChannels;
        config.playbackChannels = captureChannels;
        AudioProcessor processor(config);
        std::vector<float> block(static_cast<std::size_t>(samples), 0.25f);
        QCOMPARE(processor.processCapture(block), ProcessingError::BadBlockSize);
        QCOMPARE(processor.processPlayback(block), ProcessingError::BadBlockSize);
        for (float sample : block)
            QCOMPARE(sample, 0.25f); // untouched
        // A right-sized block still works afterwards.
        std::vector<float> good(static_cast<std::size_t>(kBlockFrames * captureChannels), 0.0f);
        QCOMPARE(processor.processPlayback(good), ProcessingError::None);
        QCOMPARE(processor.processCapture(good), ProcessingError::None);
        QCOMPARE(processor.failedBlocks(), std::uint64_t{0});
        QVERIFY(std::string(errorText(ProcessingError::BadBlockSize)).size() > 0);
    }

    void streamDelayIsRangeChecked()
    {
        AudioProcessor processor;
        QCOMPARE(processor.setStreamDelayMs(-1), ProcessingError::BadArgument);
        QCOMPARE(processor.setStreamDelayMs(AudioProcessor::kMaxStreamDelayMs + 1), ProcessingError::BadArgument);
        QCOMPARE(processor.setStreamDelayMs(60), ProcessingError::None);
        QCOMPARE(processor.streamDelayMs(), 60);
    }

    void stereoCaptureProcesses()
    {
        if (!AudioProcessor().isAvailable())
            QSKIP(kUnavailable);
        AudioProcessorConfig config;
        config.captureChannels = 2;
        config.playbackChannels = 2;
        AudioProcessor processor(config);
        std::vector<float> block(static_cast<std::size_t>(2 * kBlockFrames), 0.0f);
        for (int i = 0; i < 300; ++i) {
            QCOMPARE(processor.processPlayback(block), ProcessingError::None);
            QCOMPARE(processor.processCapture(block), ProcessingError::None);
        }
    }
};

QTEST_GUILESS_MAIN(AudioProcessorTest)
#include "AudioProcessorTest.moc"
