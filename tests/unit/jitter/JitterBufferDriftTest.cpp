// JitterBuffer against sender clock drift: ten minutes of simulated time with the sender's
// clock 0.1 % fast or slow. The playback device is the clock, so without correction the buffer
// would gain or lose 600 ms; it must stay within bounds and never run dry.
#include "FakeDecoder.h"
#include "LinkSimulation.h"

#include "jitter/JitterBuffer.h"

#include <QTest>

#include <cmath>
#include <cstdint>

using namespace earshot::jitter;
using earshot::jitter::test::FakeDecoder;
using earshot::jitter::test::LinkSimulation;

namespace {

constexpr std::int64_t kBaseDelayUs = 30'000;
constexpr std::int64_t kSimulatedUs = 600'000'000; // 10 minutes
constexpr std::int64_t kWarmUpUs = 10'000'000;

std::int64_t pseudoRandom(std::uint64_t sequence, std::int64_t bound)
{
    std::uint64_t x = sequence * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return bound > 0 ? static_cast<std::int64_t>(x % static_cast<std::uint64_t>(bound)) : 0;
}

} // namespace

class JitterBufferDriftTest : public QObject {
    Q_OBJECT

private slots:
    void driftStaysBounded_data();
    void driftStaysBounded();
};

void JitterBufferDriftTest::driftStaysBounded_data()
{
    QTest::addColumn<double>("driftPercent"); // sender clock against the playback clock
    QTest::addColumn<qint64>("jitterMs");     // uniform network jitter on top
    QTest::addColumn<bool>("pauses");         // talkspurts, or speech that never stops
    QTest::addColumn<int>("packetMs");
    QTest::addColumn<double>("maxDelayMs");   // bound on the delay after warm-up

    // With pauses every second the delay only moves in them, within the dead band around the
    // target (40 ms clean, 60 ms with 20 ms jitter, for 20 ms packets).
    QTest::newRow("+0.1 %, clean, talkspurts") << 0.1 << qint64(0) << true << 20 << 70.0;
    QTest::newRow("-0.1 %, clean, talkspurts") << -0.1 << qint64(0) << true << 20 << 70.0;
    QTest::newRow("+0.1 %, 20 ms jitter, talkspurts") << 0.1 << qint64(20) << true << 20 << 95.0;
    QTest::newRow("-0.1 %, 20 ms jitter, talkspurts") << -0.1 << qint64(20) << true << 20 << 95.0;
    QTest::newRow("+0.1 %, 10 ms packets") << 0.1 << qint64(5) << true << 10 << 70.0;
    QTest::newRow("-0.1 %, 10 ms packets") << -0.1 << qint64(5) << true << 10 << 70.0;
    QTest::newRow("+0.1 %, 60 ms packets") << 0.1 << qint64(5) << true << 60 << 170.0;
    QTest::newRow("-0.1 %, 60 ms packets") << -0.1 << qint64(5) << true << 60 << 170.0;
    // No pause in ten minutes: after waiting for one (2 s to accelerate, 0.5 s to expand) the
    // buffer splices pitch periods in speech instead.
    QTest::newRow("+0.1 %, clean, no pauses") << 0.1 << qint64(0) << false << 20 << 70.0;
    QTest::newRow("-0.1 %, clean, no pauses") << -0.1 << qint64(0) << false << 20 << 70.0;
}

void JitterBufferDriftTest::driftStaysBounded()
{
    QFETCH(double, driftPercent);
    QFETCH(qint64, jitterMs);
    QFETCH(bool, pauses);
    QFETCH(int, packetMs);
    QFETCH(double, maxDelayMs);
    const int packetFrames = packetMs * 48;

    const double ratio = 1.0 + driftPercent / 100.0;
    // Enough packets that the sender is still sending when the ten minutes are up.
    const auto count = static_cast<std::int64_t>(std::ceil(double(kSimulatedUs + 1'000'000) / (packetMs * 1000.0) * ratio));
    LinkSimulation::Options options;
    options.packetFrames = packetFrames;
    options.recordTrace = false;
    LinkSimulation simulation(options);
    simulation.send(LinkSimulation::steadyStream(
        count, packetFrames, ratio,
        [&](std::uint64_t sequence, std::int64_t) { return kBaseDelayUs + pseudoRandom(sequence, jitterMs * 1000); },
        [&](std::uint64_t sequence) {
            return pauses && (sequence % 50) >= 35 ? std::uint8_t(FakeDecoder::Silent) : std::uint8_t(0);
        }));
    simulation.run(kWarmUpUs);
    const JitterStatistics warm = simulation.buffer().statistics();
    simulation.resetDelayRange(simulation.nowUs());
    simulation.run(kSimulatedUs);

    const JitterStatistics statistics = simulation.buffer().statistics();
    const double netStretchMs = double(statistics.acceleratedMs - statistics.expandedMs);
    qInfo("drift %+.1f %%, %d ms packets, jitter %lld ms, %s: delay %.1f..%.1f ms over %.0f min (target %.1f ms); "
          "accelerated %lld x / %lld ms, expanded %lld x / %lld ms; underruns %lld, lost %lld, late %lld, "
          "concealed %lld ms",
          driftPercent, packetMs, static_cast<long long>(jitterMs), pauses ? "talkspurts" : "no pauses",
          simulation.minDelayMs(), simulation.maxDelayMs(), double(kSimulatedUs - kWarmUpUs) / 60e6,
          statistics.targetDelayMs, static_cast<long long>(statistics.accelerateCount),
          static_cast<long long>(statistics.acceleratedMs), static_cast<long long>(statistics.expandCount),
          static_cast<long long>(statistics.expandedMs), static_cast<long long>(statistics.underrunCount),
          static_cast<long long>(statistics.lostPackets), static_cast<long long>(statistics.latePackets),
          static_cast<long long>(statistics.concealedMs));

    // Bounded: the 600 ms the drift brings or takes over ten minutes never accumulates.
    QVERIFY2(simulation.maxDelayMs() <= maxDelayMs, qPrintable(QString::number(simulation.maxDelayMs())));
    QVERIFY2(simulation.minDelayMs() >= 0.0, qPrintable(QString::number(simulation.minDelayMs())));
    // Never runs dry on a steady link, so nothing is concealed or lost, after warm-up or before.
    QCOMPARE(statistics.underrunCount, qint64(0));
    QCOMPARE(statistics.concealedMs, qint64(0));
    QCOMPARE(statistics.lostPackets, qint64(0));
    QCOMPARE(statistics.latePackets, warm.latePackets);
    // The drift went into stretching: 0.1 % of ten minutes is 600 ms, removed when the sender
    // is fast, added when it is slow (give or take the change of the level itself).
    QVERIFY2(std::abs(netStretchMs - driftPercent * 6000.0) <= 100.0,
             qPrintable(QString::number(netStretchMs)));
    QCOMPARE(simulation.framesOut(), kSimulatedUs / 1000 * 48);
}

QTEST_GUILESS_MAIN(JitterBufferDriftTest)
#include "JitterBufferDriftTest.moc"
