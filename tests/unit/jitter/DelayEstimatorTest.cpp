// DelayEstimator: relative delay against the fastest packet of the window, its percentile,
// and how fast it rises on a spike and falls after it.
#include "jitter/DelayEstimator.h"

#include <QList>
#include <QTest>

#include <cstdint>
#include <limits>

using earshot::jitter::DelayEstimator;
using earshot::jitter::DelayEstimatorConfig;

namespace {

constexpr std::int64_t kPacketFrames = 960;
constexpr std::int64_t kPacketUs = 20'000;

DelayEstimatorConfig noStartup()
{
    DelayEstimatorConfig config;
    config.startupJitterMs = 0.0;
    return config;
}

} // namespace

class DelayEstimatorTest : public QObject {
    Q_OBJECT

private slots:
    void patterns_data();
    void patterns();
    void spikeRisesAtOnceAndLeavesWithTheWindow();
    void startupAllowance();
    void driftIsNotJitter_data();
    void driftIsNotJitter();
    void hostileInputStaysFinite();
};

// Each row: per-packet extra delays in ms (cycled over 500 packets, one every 20 ms), and the
// expected estimate at the end: the 95th percentile of the window's relative delays, or the
// third largest when that is higher (it is, over the 151 packets of a 3 s window).
void DelayEstimatorTest::patterns_data()
{
    QTest::addColumn<QList<int>>("extraDelaysMs");
    QTest::addColumn<double>("expectedMs");

    QTest::newRow("constant delay") << QList<int> {0} << 0.0;
    QTest::newRow("constant 80 ms delay") << QList<int> {80} << 0.0;
    QTest::newRow("alternating 0 / 30") << QList<int> {0, 30} << 30.0;
    QTest::newRow("one in ten 50 ms late") << QList<int> {0, 0, 0, 0, 0, 0, 0, 0, 0, 50} << 50.0;
    QTest::newRow("one in fifty 50 ms late: three in the window") << QList<int>(49, 0) + QList<int> {50} << 50.0;
    QTest::newRow("one in a hundred 50 ms late: stray") << QList<int>(99, 0) + QList<int> {50} << 0.0;
    QTest::newRow("ramp 0..19") << QList<int> {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
                                << 19.0;
}

void DelayEstimatorTest::patterns()
{
    QFETCH(QList<int>, extraDelaysMs);
    QFETCH(double, expectedMs);
    DelayEstimator estimator(noStartup());
    for (int i = 0; i < 500; ++i) {
        const std::int64_t extraUs = extraDelaysMs[i % extraDelaysMs.size()] * 1000;
        estimator.onPacket(i * kPacketFrames, i * kPacketUs + 10'000 + extraUs);
    }
    QCOMPARE(estimator.jitterMs(), expectedMs);
}

void DelayEstimatorTest::spikeRisesAtOnceAndLeavesWithTheWindow()
{
    DelayEstimator estimator(noStartup());
    std::int64_t i = 0;
    const auto send = [&](std::int64_t extraUs) {
        const double relative = estimator.onPacket(i * kPacketFrames, i * kPacketUs + extraUs);
        ++i;
        return relative;
    };
    for (int n = 0; n < 250; ++n)
        send(0);
    QCOMPARE(estimator.jitterMs(), 0.0);
    // A 200 ms stall: ten packets come together as it ends, 200, 180, ... 20 ms late.
    for (int n = 0; n < 10; ++n)
        QCOMPARE(send((10 - n) * 20'000), double((10 - n) * 20));
    QVERIFY2(estimator.jitterMs() >= 100.0, "the spike counts at once");
    // Still held 2.5 s later ...
    for (int n = 0; n < 125; ++n)
        send(0);
    QVERIFY(estimator.jitterMs() >= 100.0);
    // ... gone once it is older than the 3 s window.
    for (int n = 0; n < 30; ++n)
        send(0);
    QCOMPARE(estimator.jitterMs(), 0.0);
}

void DelayEstimatorTest::startupAllowance()
{
    DelayEstimator estimator; // 20 ms until a window of packets has been seen
    QCOMPARE(estimator.jitterMs(), 0.0);
    for (int i = 0; i < 100; ++i)
        estimator.onPacket(i * kPacketFrames, i * kPacketUs);
    QCOMPARE(estimator.jitterMs(), 20.0);
    for (int i = 100; i < 200; ++i)
        estimator.onPacket(i * kPacketFrames, i * kPacketUs);
    QCOMPARE(estimator.jitterMs(), 0.0);
    estimator.reset();
    QCOMPARE(estimator.jitterMs(), 0.0);
}

void DelayEstimatorTest::driftIsNotJitter_data()
{
    QTest::addColumn<double>("ratio");
    QTest::newRow("+0.1 %") << 1.001;
    QTest::newRow("-0.1 %") << 0.999;
    QTest::newRow("+1 %") << 1.01;
}

// A sender clock off by 0.1 % moves the transit 1 ms per second; the sliding minimum follows,
// so the estimate stays within the window's share of it (3 ms).
void DelayEstimatorTest::driftIsNotJitter()
{
    QFETCH(double, ratio);
    DelayEstimator estimator(noStartup());
    double highest = 0.0;
    for (int i = 0; i < 30'000; ++i) {
        const auto arrivalUs = static_cast<std::int64_t>(double(i) * kPacketUs / ratio);
        estimator.onPacket(i * kPacketFrames, arrivalUs);
        highest = std::max(highest, estimator.jitterMs());
    }
    QVERIFY2(highest <= 3000.0 * std::abs(ratio - 1.0) + 0.01, qPrintable(QString::number(highest)));
}

void DelayEstimatorTest::hostileInputStaysFinite()
{
    DelayEstimator estimator;
    const std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                     0, -1, 1};
    for (const std::int64_t timestamp : extremes) {
        for (const std::int64_t arrival : extremes) {
            const double relative = estimator.onPacket(timestamp, arrival);
            QVERIFY(relative >= 0.0 && relative <= 10'000.0);
            QVERIFY(estimator.jitterMs() >= 0.0 && estimator.jitterMs() <= 10'000.0);
        }
    }
}

QTEST_GUILESS_MAIN(DelayEstimatorTest)
#include "DelayEstimatorTest.moc"
