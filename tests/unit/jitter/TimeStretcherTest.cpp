// TimeStretcher: overlap-add shortening and lengthening, in quiet blocks and by pitch period,
// and the low-energy classification that decides where the jitter buffer may stretch.
#include "jitter/TimeStretcher.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using earshot::jitter::StretchRegion;
using earshot::jitter::TimeStretcher;

namespace {

constexpr int kRateHz = 48'000;

std::vector<float> sine(int frames, double frequencyHz, double amplitude, int channels = 1, int capacityFrames = 0)
{
    std::vector<float> block(static_cast<std::size_t>(std::max(frames, capacityFrames) * channels), 0.0f);
    for (int i = 0; i < frames; ++i) {
        const auto value = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * i / kRateHz));
        for (int c = 0; c < channels; ++c)
            block[static_cast<std::size_t>(i * channels + c)] = value;
    }
    return block;
}

// The largest step between neighbouring frames of channel 0: a splice that breaks the waveform
// shows up as a step far above the signal's own slope.
double largestStep(const std::vector<float>& block, int frames, int channels = 1)
{
    double largest = 0.0;
    for (int i = 1; i < frames; ++i) {
        largest = std::max(largest, std::abs(double(block[static_cast<std::size_t>(i * channels)])
                                             - double(block[static_cast<std::size_t>((i - 1) * channels)])));
    }
    return largest;
}

} // namespace

class TimeStretcherTest : public QObject {
    Q_OBJECT

private slots:
    void lowEnergyClassification();
    void shortenQuietBlock_data();
    void shortenQuietBlock();
    void periodicSplicesWholePeriods_data();
    void periodicSplicesWholePeriods();
    void tooShortBlocksAreLeftAlone();
    void stereoChannelsStayTogether();
};

void TimeStretcherTest::lowEnergyClassification()
{
    TimeStretcher stretcher(kRateHz, 1);
    QVERIFY(stretcher.isLowEnergy(std::vector<float>(960, 0.0f), 960));
    QVERIFY(stretcher.isLowEnergy(sine(960, 200, 0.002), 960)); // -57 dBFS
    QVERIFY(!stretcher.isLowEnergy(sine(960, 200, 0.3), 960));
    for (int i = 0; i < 50; ++i)
        QVERIFY(!stretcher.isLowEnergy(sine(960, 200, 0.3), 960));
    // 25 dB under the speech level: quiet in this conversation, though well above -50 dBFS.
    QVERIFY(stretcher.isLowEnergy(sine(960, 200, 0.017), 960));
    QVERIFY(!stretcher.isLowEnergy(sine(960, 200, 0.1), 960)); // -10 dB: still speech
    std::vector<float> broken(960, 0.0f);
    broken[3] = std::nanf("");
    QVERIFY(!stretcher.isLowEnergy(broken, 960)); // unmeasurable is never cut
    QVERIFY(stretcher.isLowEnergy({}, 0));
}

void TimeStretcherTest::shortenQuietBlock_data()
{
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("wanted");
    QTest::addColumn<int>("removed");
    QTest::newRow("some of a 20 ms block") << 960 << 300 << 300;
    QTest::newRow("at most half") << 960 << 900 << 480;
    QTest::newRow("less than 1 ms: nothing") << 960 << 47 << 0;
    QTest::newRow("10 ms block") << 480 << 1000 << 240;
}

void TimeStretcherTest::shortenQuietBlock()
{
    QFETCH(int, frames);
    QFETCH(int, wanted);
    QFETCH(int, removed);
    TimeStretcher stretcher(kRateHz, 1);
    std::vector<float> block = sine(frames, 1000, 0.001);
    QCOMPARE(stretcher.shorten(block, frames, wanted, StretchRegion::LowEnergy), removed);

    std::vector<float> longer = sine(frames, 1000, 0.001, 1, frames * 2);
    QCOMPARE(stretcher.lengthen(longer, frames, wanted, StretchRegion::LowEnergy), removed);
    QCOMPARE(longer[static_cast<std::size_t>(frames + removed - 1)],
             sine(frames, 1000, 0.001)[static_cast<std::size_t>(frames - 1)]); // the tail moved intact
}

void TimeStretcherTest::periodicSplicesWholePeriods_data()
{
    QTest::addColumn<double>("frequencyHz");
    QTest::addColumn<int>("period");
    QTest::newRow("200 Hz") << 200.0 << 240;
    QTest::newRow("120 Hz") << 120.0 << 400;
    QTest::newRow("300 Hz") << 300.0 << 160;
}

// A voiced-like tone: the splice removes or repeats whole periods (lag search), so the result
// is as smooth as the tone itself.
void TimeStretcherTest::periodicSplicesWholePeriods()
{
    QFETCH(double, frequencyHz);
    QFETCH(int, period);
    TimeStretcher stretcher(kRateHz, 1);
    constexpr int kFrames = 960;
    const double ownStep = largestStep(sine(kFrames, frequencyHz, 0.5), kFrames);

    std::vector<float> block = sine(kFrames, frequencyHz, 0.5);
    const int removed = stretcher.shorten(block, kFrames, 960, StretchRegion::Periodic);
    QVERIFY2(removed > 0 && (std::abs(removed - period) <= 2 || std::abs(removed - 2 * period) <= 2),
             qPrintable(QString::number(removed)));
    QVERIFY(largestStep(block, kFrames - removed) <= ownStep * 1.05);

    std::vector<float> longer = sine(kFrames, frequencyHz, 0.5, 1, kFrames * 2);
    const int inserted = stretcher.lengthen(longer, kFrames, 960, StretchRegion::Periodic);
    QVERIFY2(inserted > 0 && (std::abs(inserted - period) <= 2 || std::abs(inserted - 2 * period) <= 2),
             qPrintable(QString::number(inserted)));
    QVERIFY(largestStep(longer, kFrames + inserted) <= ownStep * 1.05);
}

void TimeStretcherTest::tooShortBlocksAreLeftAlone()
{
    TimeStretcher stretcher(kRateHz, 1);
    std::vector<float> block = sine(200, 200, 0.5, 1, 400);
    QCOMPARE(stretcher.shorten(block, 200, 100, StretchRegion::Periodic), 0); // two 2.5 ms lags do not fit
    QCOMPARE(stretcher.lengthen(block, 200, 100, StretchRegion::Periodic), 0);
    std::vector<float> full = sine(960, 200, 0.001);
    QCOMPARE(stretcher.lengthen(full, 960, 480, StretchRegion::LowEnergy), 0); // no room
    QCOMPARE(stretcher.shorten(full, 0, 480, StretchRegion::LowEnergy), 0);
}

void TimeStretcherTest::stereoChannelsStayTogether()
{
    TimeStretcher stretcher(kRateHz, 2);
    std::vector<float> block = sine(960, 200, 0.5, 2);
    const int removed = stretcher.shorten(block, 960, 960, StretchRegion::Periodic);
    QVERIFY(removed > 0);
    for (int i = 0; i < 960 - removed; ++i)
        QCOMPARE(block[static_cast<std::size_t>(2 * i)], block[static_cast<std::size_t>(2 * i + 1)]);
}

QTEST_GUILESS_MAIN(TimeStretcherTest)
#include "TimeStretcherTest.moc"
