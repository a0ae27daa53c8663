#include "dsp/Gain.h"

#include <QTest>

#include <cmath>
#include <cstddef>
#include <vector>

using earshot::dsp::Gain;

namespace {

constexpr int kSampleRateHz = 48000;

// Some audio that is not all one value: a few cycles of a 0.8-amplitude sine, interleaved
// stereo (the same on both channels).
std::vector<float> stereoSine(int frames)
{
    std::vector<float> samples;
    for (int frame = 0; frame < frames; ++frame) {
        const float value = 0.8f * static_cast<float>(std::sin(2.0 * M_PI * 440.0 * frame / kSampleRateHz));
        samples.push_back(value);
        samples.push_back(value);
    }
    return samples;
}

} // namespace

class GainTest : public QObject {
    Q_OBJECT

private slots:
    void unityIsExact();
    void volume200IsPlus6Db();
    void volume0AndMuteAreSilent_data();
    void volume0AndMuteAreSilent();
    void outOfRangeVolumeIsClamped();
    void rampHasNoLargerStepThanAllowed_data();
    void rampHasNoLargerStepThanAllowed();
    void rampSpansBlocks();
    void resetSkipsTheRamp();
    void addToAccumulates();
};

void GainTest::unityIsExact()
{
    Gain gain(2, kSampleRateHz);
    const std::vector<float> input = stereoSine(480);
    std::vector<float> samples = input;
    gain.process(samples, 480);
    QCOMPARE(samples, input);
    // Also after a change away from unity and back, once the ramps are over.
    gain.setVolume(50);
    gain.process(samples, 480);
    gain.setVolume(100);
    samples = input;
    gain.process(samples, 480); // the ramp back up
    samples = input;
    gain.process(samples, 480);
    QCOMPARE(samples, input);
}

void GainTest::volume200IsPlus6Db()
{
    Gain gain(2, kSampleRateHz);
    gain.setVolume(200);
    QCOMPARE(gain.volume(), 200);
    std::vector<float> samples = stereoSine(480);
    const std::vector<float> input = samples;
    gain.process(samples, 480);
    for (std::size_t i = 0; i < samples.size(); ++i)
        QCOMPARE(samples[i], 2.0f * input[i]);
    const double db = 20.0 * std::log10(samples[20] / input[20]);
    QVERIFY2(std::abs(db - 6.0206) < 1e-3, qPrintable(QString::number(db)));
}

void GainTest::volume0AndMuteAreSilent_data()
{
    QTest::addColumn<int>("volume");
    QTest::addColumn<bool>("muted");
    QTest::newRow("volume 0") << 0 << false;
    QTest::newRow("mute at unity") << 100 << true;
    QTest::newRow("mute at 200") << 200 << true;
}

void GainTest::volume0AndMuteAreSilent()
{
    QFETCH(int, volume);
    QFETCH(bool, muted);
    Gain gain(2, kSampleRateHz);
    gain.setVolume(volume);
    gain.setMuted(muted);
    QCOMPARE(gain.isMuted(), muted);
    std::vector<float> samples = stereoSine(480);
    gain.process(samples, 480);
    for (const float sample : samples)
        QCOMPARE(sample, 0.0f);
}

void GainTest::outOfRangeVolumeIsClamped()
{
    Gain gain(1, kSampleRateHz);
    gain.setVolume(-5);
    QCOMPARE(gain.volume(), 0);
    gain.setVolume(1000);
    QCOMPARE(gain.volume(), 200);
}

void GainTest::rampHasNoLargerStepThanAllowed_data()
{
    QTest::addColumn<int>("fromVolume");
    QTest::addColumn<bool>("fromMuted");
    QTest::addColumn<int>("toVolume");
    QTest::addColumn<bool>("toMuted");
    QTest::newRow("100 → 0") << 100 << false << 0 << false;
    QTest::newRow("0 → 200") << 0 << false << 200 << false;
    QTest::newRow("200 → mute") << 200 << false << 200 << true;
    QTest::newRow("mute → 100") << 100 << true << 100 << false;
    QTest::newRow("100 → 150") << 100 << false << 150 << false;
}

void GainTest::rampHasNoLargerStepThanAllowed()
{
    QFETCH(int, fromVolume);
    QFETCH(bool, fromMuted);
    QFETCH(int, toVolume);
    QFETCH(bool, toMuted);
    // A constant (DC) input of 0.5 makes the output the gain curve itself, times 0.5.
    constexpr int kFrames = 960;
    constexpr float kInput = 0.5f;
    Gain gain(1, kSampleRateHz);
    QCOMPARE(gain.rampFrames(), kSampleRateHz * Gain::kRampMs / 1000);
    gain.setVolume(fromVolume);
    gain.setMuted(fromMuted);
    std::vector<float> before(kFrames, kInput);
    gain.process(before, kFrames);
    const float fromGain = fromMuted ? 0.0f : static_cast<float>(fromVolume) / 100.0f;
    const float toGain = toMuted ? 0.0f : static_cast<float>(toVolume) / 100.0f;
    QCOMPARE(before.back(), kInput * fromGain);

    gain.setVolume(toVolume);
    gain.setMuted(toMuted);
    std::vector<float> after(kFrames, kInput);
    gain.process(after, kFrames);
    const float allowedStep
        = kInput * std::abs(toGain - fromGain) / static_cast<float>(gain.rampFrames()) + 1e-6f;
    float previous = before.back();
    for (int frame = 0; frame < kFrames; ++frame) {
        const float step = std::abs(after[static_cast<std::size_t>(frame)] - previous);
        QVERIFY2(step <= allowedStep,
            qPrintable(QStringLiteral("frame %1: step %2 > %3").arg(frame).arg(step).arg(allowedStep)));
        previous = after[static_cast<std::size_t>(frame)];
    }
    // The ramp moves every frame and ends exactly on the new gain after rampFrames frames.
    QVERIFY(after[0] != before.back());
    QCOMPARE(after[static_cast<std::size_t>(gain.rampFrames()) - 1], kInput * toGain);
    QCOMPARE(after.back(), kInput * toGain);
}

void GainTest::rampSpansBlocks()
{
    // Blocks much shorter than the ramp (10 frames; the ramp is 240): the ramp continues across
    // blocks, and a change in the middle of a ramp starts from where the gain is.
    Gain gain(1, kSampleRateHz);
    std::vector<float> curve;
    std::vector<float> block(10);
    const auto run = [&](int blocks) {
        for (int i = 0; i < blocks; ++i) {
            std::fill(block.begin(), block.end(), 1.0f);
            gain.process(block, 10);
            curve.insert(curve.end(), block.begin(), block.end());
        }
    };
    run(2);
    gain.setVolume(0);
    run(10); // 100 frames into the ramp down
    gain.setVolume(200);
    run(40);
    const float maxStep = 2.0f / static_cast<float>(gain.rampFrames()) + 1e-6f;
    for (std::size_t i = 1; i < curve.size(); ++i)
        QVERIFY2(std::abs(curve[i] - curve[i - 1]) <= maxStep, qPrintable(QString::number(i)));
    QCOMPARE(curve[19], 1.0f);
    QVERIFY(curve[119] > 0.5f && curve[119] < 0.6f); // 100 of 240 frames down
    QCOMPARE(curve.back(), 2.0f);
}

void GainTest::resetSkipsTheRamp()
{
    Gain gain(1, kSampleRateHz);
    std::vector<float> block(16, 1.0f);
    gain.process(block, 16);
    gain.setVolume(0);
    gain.reset();
    std::fill(block.begin(), block.end(), 1.0f);
    gain.process(block, 16);
    for (const float sample : block)
        QCOMPARE(sample, 0.0f);
}

void GainTest::addToAccumulates()
{
    Gain gain(2, kSampleRateHz);
    gain.setVolume(50);
    const std::vector<float> input = stereoSine(100);
    std::vector<float> accumulator(input.size(), 0.25f);
    gain.addTo(input, accumulator, 100);
    for (std::size_t i = 0; i < input.size(); ++i)
        QCOMPARE(accumulator[i], 0.25f + input[i] * 0.5f);
}

QTEST_APPLESS_MAIN(GainTest)
#include "GainTest.moc"
