#include "dsp/Resampler.h"

#include "SignalAnalysis.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using earshot::dsp::ResampleResult;
using earshot::dsp::Resampler;
using earshot::dsp::ResamplerError;
namespace analysis = earshot::audio::test;

namespace {

std::vector<float> tone(double frequencyHz, double amplitude, int sampleRateHz, double seconds, int channels = 1)
{
    const auto frames = static_cast<std::size_t>(seconds * sampleRateHz);
    std::vector<float> samples(frames * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < frames; ++i) {
        const auto value = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * i / sampleRateHz));
        for (int channel = 0; channel < channels; ++channel)
            samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(channel)] = value;
    }
    return samples;
}

// The middle of a signal, away from the filter's start-up and tail.
std::span<const float> middle(const std::vector<float>& samples, double fraction = 0.1)
{
    const auto skip = static_cast<std::size_t>(static_cast<double>(samples.size()) * fraction);
    return std::span<const float>(samples).subspan(skip, samples.size() - 2 * skip);
}

// Streams `input` through `resampler` in blocks of `blockFrames`, as a device callback does.
std::vector<float> stream(Resampler& resampler, const std::vector<float>& input, int blockFrames)
{
    const auto channels = static_cast<std::size_t>(resampler.channels());
    std::vector<float> output;
    std::vector<float> block(static_cast<std::size_t>(resampler.maxOutputFrames(blockFrames)) * channels);
    for (std::size_t start = 0; start < input.size(); start += static_cast<std::size_t>(blockFrames) * channels) {
        const std::size_t length = std::min(static_cast<std::size_t>(blockFrames) * channels, input.size() - start);
        const ResampleResult result = resampler.process(std::span<const float>(input).subspan(start, length), block);
        if (result.inputFrames != static_cast<int>(length / channels))
            return {}; // a large enough output must take all input
        output.insert(output.end(), block.begin(), block.begin() + result.outputFrames * static_cast<std::ptrdiff_t>(channels));
    }
    return output;
}

} // namespace

class ResamplerTest : public QObject {
    Q_OBJECT

private slots:
    void rejectsInvalidArguments_data();
    void rejectsInvalidArguments();
    void equalRatesCopy();
    void toneKeepsFrequencyAndLevelThroughARoundTrip();
    void outputLengthFollowsTheRateRatio_data();
    void outputLengthFollowsTheRateRatio();
    void stereoChannelsStayApart();
    void processAllAlignsWithTheInput();
    void moveKeepsTheState();
};

void ResamplerTest::rejectsInvalidArguments_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("inputRate");
    QTest::addColumn<int>("outputRate");
    QTest::addColumn<int>("quality");
    QTest::newRow("no channels") << 0 << 44100 << 48000 << 4;
    QTest::newRow("zero input rate") << 1 << 0 << 48000 << 4;
    QTest::newRow("negative output rate") << 1 << 44100 << -1 << 4;
    QTest::newRow("quality too low") << 1 << 44100 << 48000 << -1;
    QTest::newRow("quality too high") << 1 << 44100 << 48000 << 11;
}

void ResamplerTest::rejectsInvalidArguments()
{
    QFETCH(int, channels);
    QFETCH(int, inputRate);
    QFETCH(int, outputRate);
    QFETCH(int, quality);
    Resampler resampler;
    QCOMPARE(resampler.init(channels, inputRate, outputRate, quality), ResamplerError::InvalidArgument);
    QVERIFY(!resampler.isValid());
    std::vector<float> in(100, 0.5f);
    std::vector<float> out(200);
    const ResampleResult result = resampler.process(in, out);
    QCOMPARE(result.inputFrames, 0);
    QCOMPARE(result.outputFrames, 0);
}

void ResamplerTest::equalRatesCopy()
{
    Resampler resampler;
    QCOMPARE(resampler.init(2, 48000, 48000), ResamplerError::None);
    QCOMPARE(resampler.inputLatencyFrames(), 0);
    const std::vector<float> in{0.1f, -0.1f, 0.2f, -0.2f, 0.3f, -0.3f};
    std::vector<float> out(6);
    const ResampleResult result = resampler.process(in, out);
    QCOMPARE(result.inputFrames, 3);
    QCOMPARE(result.outputFrames, 3);
    QCOMPARE(out, in);
}

// The acceptance test: a 1 kHz tone through 44.1 → 48 → 44.1 kHz, streamed in 10 ms
// device blocks, keeps its frequency and level.
void ResamplerTest::toneKeepsFrequencyAndLevelThroughARoundTrip()
{
    constexpr double kFrequencyHz = 1000.0;
    constexpr double kAmplitude = 0.5;
    const std::vector<float> original = tone(kFrequencyHz, kAmplitude, 44100, 2.0);

    Resampler up;
    Resampler down;
    QCOMPARE(up.init(1, 44100, 48000), ResamplerError::None);
    QCOMPARE(down.init(1, 48000, 44100), ResamplerError::None);
    const std::vector<float> at48k = stream(up, original, 441);
    QVERIFY(!at48k.empty());
    const std::vector<float> back = stream(down, at48k, 480);
    QVERIFY(!back.empty());

    const double frequency48k = analysis::zeroCrossingFrequencyHz(middle(at48k), 48000);
    const double frequencyBack = analysis::zeroCrossingFrequencyHz(middle(back), 44100);
    const double level = analysis::rms(middle(back));
    qInfo("48 kHz: %.3f Hz; back at 44.1 kHz: %.3f Hz, RMS %.4f (ideal %.4f)", frequency48k, frequencyBack, level,
          kAmplitude / std::sqrt(2.0));
    QVERIFY2(std::abs(frequency48k - kFrequencyHz) < 0.5, "frequency changed at 48 kHz");
    QVERIFY2(std::abs(frequencyBack - kFrequencyHz) < 0.5, "frequency changed after the round trip");
    // Within 0.1 dB.
    QVERIFY2(std::abs(20.0 * std::log10(level / (kAmplitude / std::sqrt(2.0)))) < 0.1, "level changed");
}

void ResamplerTest::outputLengthFollowsTheRateRatio_data()
{
    QTest::addColumn<int>("inputRate");
    QTest::addColumn<int>("outputRate");
    QTest::addColumn<int>("blockFrames");
    QTest::newRow("44.1k → 48k") << 44100 << 48000 << 441;
    QTest::newRow("48k → 44.1k") << 48000 << 44100 << 480;
    QTest::newRow("16k → 48k") << 16000 << 48000 << 160;
    QTest::newRow("48k → 8k") << 48000 << 8000 << 480;
    QTest::newRow("22.05k → 48k odd blocks") << 22050 << 48000 << 97;
    QTest::newRow("96k → 48k") << 96000 << 48000 << 960;
}

void ResamplerTest::outputLengthFollowsTheRateRatio()
{
    QFETCH(int, inputRate);
    QFETCH(int, outputRate);
    QFETCH(int, blockFrames);
    Resampler resampler;
    QCOMPARE(resampler.init(1, inputRate, outputRate), ResamplerError::None);
    const std::vector<float> input = tone(440.0, 0.3, inputRate, 3.0);
    const std::vector<float> output = stream(resampler, input, blockFrames);
    QVERIFY(!output.empty());
    // A streaming resampler emits exactly the rate ratio's worth of frames; its filter delay
    // shows as leading zeros (a delay), not as missing frames.
    const double expected = static_cast<double>(input.size()) * outputRate / inputRate;
    QVERIFY2(std::abs(static_cast<double>(output.size()) - expected) <= 2.0,
             qPrintable(QStringLiteral("got %1 frames, expected %2").arg(output.size()).arg(expected)));
    // No block may exceed the bound the real-time paths size their buffers with.
    QVERIFY(resampler.maxOutputFrames(blockFrames)
            >= static_cast<int>(std::ceil(static_cast<double>(blockFrames) * outputRate / inputRate)));
}

void ResamplerTest::stereoChannelsStayApart()
{
    // Left: a 500 Hz tone; right: silence.
    std::vector<float> input = tone(500.0, 0.5, 44100, 1.0, 2);
    for (std::size_t i = 1; i < input.size(); i += 2)
        input[i] = 0.0f;
    Resampler resampler;
    QCOMPARE(resampler.init(2, 44100, 48000), ResamplerError::None);
    const std::vector<float> output = stream(resampler, input, 441);
    const std::vector<float> left = analysis::channelOf(output, 2, 0);
    const std::vector<float> right = analysis::channelOf(output, 2, 1);
    QVERIFY(std::abs(analysis::zeroCrossingFrequencyHz(middle(left), 48000) - 500.0) < 0.5);
    QVERIFY(analysis::rms(middle(left)) > 0.3);
    QVERIFY(analysis::rms(right) < 1e-6);
}

void ResamplerTest::processAllAlignsWithTheInput()
{
    const std::vector<float> input = tone(1000.0, 0.5, 44100, 0.5);
    Resampler resampler;
    QCOMPARE(resampler.init(1, 44100, 48000), ResamplerError::None);
    const std::vector<float> output = resampler.processAll(input);
    QCOMPARE(output.size(), static_cast<std::size_t>(std::lround(input.size() * 48000.0 / 44100.0)));
    // With the delay removed, output sample k is the tone at time k / 48 kHz.
    double worst = 0.0;
    for (std::size_t k = 200; k + 200 < output.size(); ++k) {
        const double ideal = 0.5 * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(k) / 48000.0);
        worst = std::max(worst, std::abs(output[k] - ideal));
    }
    QVERIFY2(worst < 0.01, qPrintable(QStringLiteral("largest deviation %1").arg(worst)));
}

void ResamplerTest::moveKeepsTheState()
{
    Resampler original;
    QCOMPARE(original.init(1, 44100, 48000), ResamplerError::None);
    Resampler moved = std::move(original);
    QVERIFY(moved.isValid());
    QCOMPARE(moved.inputRateHz(), 44100);
    std::vector<float> in(441, 0.25f);
    std::vector<float> out(static_cast<std::size_t>(moved.maxOutputFrames(441)));
    QCOMPARE(moved.process(in, out).inputFrames, 441);
}

QTEST_APPLESS_MAIN(ResamplerTest)
#include "ResamplerTest.moc"
