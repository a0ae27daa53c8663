#include "dsp/LevelMeter.h"

#include <QTest>

#include <cmath>
#include <vector>

using earshot::dsp::LevelMeter;
using earshot::dsp::VoiceActivity;

namespace {

constexpr int kSampleRateHz = 48000;
constexpr int kBlockFrames = 480; // 10 ms

// Blocks of a mono sine, continuous in phase across calls.
class SineSource {
public:
    explicit SineSource(double dbfs)
        : m_amplitude(std::pow(10.0, dbfs / 20.0))
    {
    }
    std::vector<float> next()
    {
        std::vector<float> block;
        for (int frame = 0; frame < kBlockFrames; ++frame, ++m_frame)
            block.push_back(
                static_cast<float>(m_amplitude * std::sin(2.0 * M_PI * 1000.0 * m_frame / kSampleRateHz)));
        return block;
    }

private:
    double m_amplitude;
    long m_frame = 0;
};

void feed(
    LevelMeter& meter, SineSource& source, int blocks, VoiceActivity voiceActivity = VoiceActivity::Silent)
{
    for (int i = 0; i < blocks; ++i)
        meter.process(source.next(), 1, voiceActivity);
}

} // namespace

class LevelMeterTest : public QObject {
    Q_OBJECT

private slots:
    void mapping_data();
    void mapping();
    void silenceIsZero();
    void fullScaleSineIsHundred();
    void minus30DbfsSineIsFifty();
    void attackIsFastDecayIsSlow();
    void voiceActivityAndPeak();
    void stereoCountsAllSamples();
};

void LevelMeterTest::mapping_data()
{
    QTest::addColumn<double>("meanSquare");
    QTest::addColumn<double>("expected");
    QTest::newRow("silence") << 0.0 << 0.0;
    QTest::newRow("full-scale sine (0 dBFS)") << 0.5 << 100.0;
    QTest::newRow("full-scale square (+3 dBFS) clamps") << 1.0 << 100.0;
    QTest::newRow("-30 dBFS sine") << 0.5e-3 << 50.0;
    QTest::newRow("-6 dBFS sine") << 0.5 * std::pow(10.0, -0.6) << 90.0;
    QTest::newRow("-60 dBFS sine") << 0.5e-6 << 0.0;
    QTest::newRow("-80 dBFS sine") << 0.5e-8 << 0.0;
}

void LevelMeterTest::mapping()
{
    QFETCH(double, meanSquare);
    QFETCH(double, expected);
    const float level = LevelMeter::levelOfMeanSquare(meanSquare);
    QVERIFY2(std::abs(level - expected) < 1e-3, qPrintable(QString::number(level)));
}

void LevelMeterTest::silenceIsZero()
{
    LevelMeter meter(kSampleRateHz);
    QCOMPARE(meter.level(), 0);
    const std::vector<float> silence(kBlockFrames, 0.0f);
    for (int i = 0; i < 10; ++i)
        meter.process(silence, 1, VoiceActivity::Silent);
    QCOMPARE(meter.level(), 0);
    QCOMPARE(meter.exactLevel(), 0.0f);
    QCOMPARE(meter.peak(), 0.0f);
}

void LevelMeterTest::fullScaleSineIsHundred()
{
    LevelMeter meter(kSampleRateHz);
    SineSource source(0.0);
    feed(meter, source, 20);
    QCOMPARE(meter.level(), 100);
    QVERIFY(std::abs(meter.peak() - 1.0f) < 1e-3f);
}

void LevelMeterTest::minus30DbfsSineIsFifty()
{
    LevelMeter meter(kSampleRateHz);
    SineSource source(-30.0);
    feed(meter, source, 20);
    QCOMPARE(meter.level(), 50);
    QVERIFY2(std::abs(meter.exactLevel() - 50.0f) < 0.05f, qPrintable(QString::number(meter.exactLevel())));
}

void LevelMeterTest::attackIsFastDecayIsSlow()
{
    LevelMeter meter(kSampleRateHz);
    SineSource loud(0.0);
    // Attack: rises at once but does not jump all the way, and never overshoots.
    feed(meter, loud, 1);
    const float afterOneBlock = meter.exactLevel();
    QVERIFY2(afterOneBlock > 50.0f && afterOneBlock < 100.0f, qPrintable(QString::number(afterOneBlock)));
    float previous = afterOneBlock;
    for (int i = 0; i < 5; ++i) {
        feed(meter, loud, 1);
        QVERIFY(meter.exactLevel() >= previous && meter.exactLevel() <= 100.0f);
        previous = meter.exactLevel();
    }
    QVERIFY(previous > 99.0f); // 60 ms is six attack time constants

    // Decay: silence lowers the level step by step, slowly (100 ms of silence keeps most of it).
    const std::vector<float> silence(kBlockFrames, 0.0f);
    for (int i = 0; i < 10; ++i) {
        meter.process(silence, 1, VoiceActivity::Silent);
        QVERIFY(meter.exactLevel() < previous);
        previous = meter.exactLevel();
    }
    QVERIFY2(previous > 65.0f && previous < 80.0f, qPrintable(QString::number(previous)));
    // ... and reaches 0 in the end.
    for (int i = 0; i < 500; ++i)
        meter.process(silence, 1, VoiceActivity::Silent);
    QCOMPARE(meter.level(), 0);
}

void LevelMeterTest::voiceActivityAndPeak()
{
    LevelMeter meter(kSampleRateHz);
    QCOMPARE(meter.voiceActivity(), VoiceActivity::Silent);
    SineSource source(-20.0);
    feed(meter, source, 1, VoiceActivity::Speech);
    QCOMPARE(meter.voiceActivity(), VoiceActivity::Speech);
    QVERIFY(std::abs(meter.peak() - 0.1f) < 1e-4f);
    feed(meter, source, 1, VoiceActivity::Silent);
    QCOMPARE(meter.voiceActivity(), VoiceActivity::Silent);
    meter.reset();
    QCOMPARE(meter.level(), 0);
    QCOMPARE(meter.peak(), 0.0f);
}

void LevelMeterTest::stereoCountsAllSamples()
{
    // A −30 dBFS sine on one channel of two: the mean square halves (−3 dB), and the block
    // duration (for the smoothing) is counted in frames.
    LevelMeter meter(kSampleRateHz);
    SineSource source(-30.0);
    for (int i = 0; i < 20; ++i) {
        const std::vector<float> mono = source.next();
        std::vector<float> stereo;
        for (const float sample : mono) {
            stereo.push_back(sample);
            stereo.push_back(0.0f);
        }
        meter.process(stereo, 2, VoiceActivity::Silent);
    }
    QVERIFY2(std::abs(meter.exactLevel() - 45.0f) < 0.1f, qPrintable(QString::number(meter.exactLevel())));
}

QTEST_APPLESS_MAIN(LevelMeterTest)
#include "LevelMeterTest.moc"
