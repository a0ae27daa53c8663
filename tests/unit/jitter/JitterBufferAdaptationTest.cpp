// JitterBuffer delay adaptation on a simulated clock: it grows on jitter spikes and comes back
// within seconds on a clean link, follows steady jitter, and respects the configured range.
#include "FakeDecoder.h"
#include "LinkSimulation.h"

#include "jitter/JitterBuffer.h"

#include <QTest>

#include <algorithm>
#include <cstdint>

using namespace earshot::jitter;
using earshot::jitter::test::FakeDecoder;
using earshot::jitter::test::LinkSimulation;
using earshot::jitter::test::SimPacket;

namespace {

constexpr int kPacketFrames = 960; // 20 ms
constexpr std::int64_t kBaseDelayUs = 30'000;

// Speech-like talkspurts: 700 ms of voice, 300 ms of pause, so low-energy blocks come every
// second, as in conversation.
std::uint8_t talkspurts(std::uint64_t sequence)
{
    return (sequence % 50) >= 35 ? FakeDecoder::Silent : 0;
}

// A deterministic pseudo-random delay in [0, maxUs), a different one per packet.
std::int64_t uniformJitterUs(std::uint64_t sequence, std::int64_t maxUs)
{
    std::uint64_t x = sequence * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return maxUs > 0 ? static_cast<std::int64_t>(x % static_cast<std::uint64_t>(maxUs)) : 0;
}

// The network stalls from `stallStartUs` for `stallUs`: everything sent in that time arrives
// together when it ends, like a Wi-Fi scan or a congested queue draining.
auto stall(std::int64_t stallStartUs, std::int64_t stallUs)
{
    return [=](std::uint64_t, std::int64_t sendUs) {
        const std::int64_t arrivalUs = sendUs + kBaseDelayUs;
        if (sendUs >= stallStartUs && sendUs < stallStartUs + stallUs)
            return stallStartUs + stallUs + kBaseDelayUs - sendUs;
        return arrivalUs - sendUs;
    };
}

} // namespace

class JitterBufferAdaptationTest : public QObject {
    Q_OBJECT

private slots:
    void cleanLinkSettlesLow();
    void startupIsShedWithoutPauses();
    void jitterSpikeGrowsThenShrinks_data();
    void jitterSpikeGrowsThenShrinks();
    void steadyJitterIsCovered_data();
    void steadyJitterIsCovered();
    void rangeClamping_data();
    void rangeClamping();
    void loweringTheRangeShrinksTheDelay();
};

// No jitter: after the startup allowance has gone (3 s), the target is one packet plus the
// pull, the expand band and the margin, and the delay follows it, with no loss of any kind.
void JitterBufferAdaptationTest::cleanLinkSettlesLow()
{
    LinkSimulation simulation({});
    simulation.send(LinkSimulation::steadyStream(
        500, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kBaseDelayUs; }, talkspurts));
    simulation.run(6'000'000);
    simulation.resetDelayRange(simulation.nowUs());
    simulation.run(9'900'000);
    const JitterStatistics statistics = simulation.buffer().statistics();
    qInfo("clean link: target %.1f ms, delay %.0f..%.0f ms", statistics.targetDelayMs, simulation.minDelayMs(),
          simulation.maxDelayMs());
    QCOMPARE(statistics.jitterMs, 0.0);
    // One 20 ms packet + the 10 ms pull + the 3 ms expand band + the 2 ms margin: nothing for
    // jitter that is not there.
    QCOMPARE(statistics.targetDelayMs, 35.0);
    // The start-up allowance is shed down to the target, not only to the top of the accelerate
    // band (which left the level 6 ms higher for good): after each 10 ms pull the level is at
    // most the target less that pull, plus the base level's smoothing.
    QVERIFY(simulation.maxDelayMs() <= 35.0 - 10.0 + 2.0);
    // ... and it never sinks below the target less a packet and the expand band.
    QVERIFY(simulation.minDelayMs() >= 35.0 - 20.0 - 3.0);
    QCOMPARE(statistics.underrunCount, qint64(0));
    QCOMPARE(statistics.concealedMs, qint64(0));
    QCOMPARE(statistics.lostPackets, qint64(0));
    QCOMPARE(statistics.latePackets, qint64(0));
}

// No pause ever (music, steady background noise): nothing is low-energy, so the start-up
// allowance can only go by splicing in loud audio. Above the accelerate band that is done
// after a quarter of a second without a quiet block, not two seconds: the 20 ms go within
// two and a half seconds of the allowance ending (3 s), in splices of a pitch period (here the
// shortest, 2.5 ms), not in ten seconds or more.
void JitterBufferAdaptationTest::startupIsShedWithoutPauses()
{
    LinkSimulation simulation({});
    std::int64_t lastFarAboveUs = -1;
    const auto watch = [&](std::int64_t nowUs) {
        // After a 10 ms pull the level is at most the base level less that pull; far above is
        // more than the accelerate band (6 ms) over the 35 ms target.
        if (simulation.buffer().statistics().currentDelayMs > 35.0 + 6.0 - 10.0)
            lastFarAboveUs = nowUs;
    };
    simulation.run(LinkSimulation::steadyStream(
                       400, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kBaseDelayUs; },
                       [](std::uint64_t) { return std::uint8_t {0}; }),
                   7'000'000, watch);
    const JitterStatistics statistics = simulation.buffer().statistics();
    qInfo("far above the target until %.2f s; %lld accelerations (%lld ms)", double(lastFarAboveUs) / 1e6,
          static_cast<long long>(statistics.accelerateCount), static_cast<long long>(statistics.acceleratedMs));
    QVERIFY(lastFarAboveUs > 3'000'000); // the allowance held the level up for its 3 s
    QVERIFY2(lastFarAboveUs < 5'500'000, qPrintable(QString::number(lastFarAboveUs)));
    QCOMPARE(statistics.underrunCount, qint64(0));
    QCOMPARE(statistics.concealedMs, qint64(0));
}

void JitterBufferAdaptationTest::jitterSpikeGrowsThenShrinks_data()
{
    QTest::addColumn<qint64>("stallMs");
    QTest::addColumn<double>("minPeakMs"); // the delay must reach this after the spike

    QTest::newRow("100 ms stall") << qint64(100) << 80.0;
    QTest::newRow("250 ms stall") << qint64(250) << 200.0;
    QTest::newRow("500 ms stall") << qint64(500) << 350.0;
}

// A stall at 5 s: the buffer runs dry, conceals, and plays the delayed packets late instead of
// dropping them, so its delay jumps by about the stall. Once the spike has left the estimator's
// window (3 s) the target falls back and the delay is shed in the pauses within a few seconds.
void JitterBufferAdaptationTest::jitterSpikeGrowsThenShrinks()
{
    QFETCH(qint64, stallMs);
    QFETCH(double, minPeakMs);
    constexpr std::int64_t kStallStartUs = 5'000'000;

    LinkSimulation simulation({});
    const auto packets = LinkSimulation::steadyStream(1000, kPacketFrames, 1.0, stall(kStallStartUs, stallMs * 1000),
                                                      talkspurts);
    double beforeMs = 0.0;
    double peakMs = 0.0;
    double peakTargetMs = 0.0;
    double settledAtMs = -1.0;
    simulation.run(packets, 19'000'000, [&](std::int64_t nowUs) {
        const JitterStatistics statistics = simulation.buffer().statistics();
        if (nowUs == kStallStartUs)
            beforeMs = statistics.currentDelayMs;
        if (nowUs > kStallStartUs) {
            peakMs = std::max(peakMs, statistics.currentDelayMs);
            peakTargetMs = std::max(peakTargetMs, statistics.targetDelayMs);
            if (settledAtMs < 0 && nowUs > kStallStartUs + stallMs * 1000 + 200'000 && statistics.currentDelayMs <= 70.0)
                settledAtMs = double(nowUs - kStallStartUs) / 1000.0;
        }
    });
    const JitterStatistics statistics = simulation.buffer().statistics();
    qInfo("stall %lld ms: delay %.0f ms before, peak %.0f ms (target peak %.0f ms), back under 70 ms %.1f s "
          "after the stall began; %lld ms concealed, %lld accelerations (%lld ms)",
          static_cast<long long>(stallMs), beforeMs, peakMs, peakTargetMs, settledAtMs / 1000.0,
          static_cast<long long>(statistics.concealedMs), static_cast<long long>(statistics.accelerateCount),
          static_cast<long long>(statistics.acceleratedMs));

    QVERIFY(beforeMs <= 70.0);
    QVERIFY2(peakMs >= minPeakMs, "the delay grows to ride out the spike");
    QVERIFY2(peakMs <= double(stallMs) + 120.0, "but not much beyond it");
    QVERIFY2(settledAtMs > 0 && settledAtMs <= 8000.0 + double(stallMs), "and shrinks within seconds");
    QCOMPARE(statistics.latePackets, qint64(0));   // the delayed packets were played, late
    QCOMPARE(statistics.lostPackets, qint64(0));
    QVERIFY(statistics.accelerateCount > 0);
    QCOMPARE(simulation.buffer().statistics().currentDelayMs <= 70.0, true);
}

void JitterBufferAdaptationTest::steadyJitterIsCovered_data()
{
    QTest::addColumn<qint64>("jitterMs");
    QTest::newRow("20 ms") << qint64(20);
    QTest::newRow("60 ms") << qint64(60);
    QTest::newRow("150 ms") << qint64(150);
}

// Uniform jitter of up to J ms on every packet (with reordering beyond 20 ms): the target
// settles around the 95th percentile, so nearly every packet is in time and the delay stays
// below jitter + packet + margin + the stretch dead band.
void JitterBufferAdaptationTest::steadyJitterIsCovered()
{
    QFETCH(qint64, jitterMs);
    LinkSimulation simulation({});
    const auto packets = LinkSimulation::steadyStream(
        1500, kPacketFrames, 1.0,
        [&](std::uint64_t sequence, std::int64_t) { return kBaseDelayUs + uniformJitterUs(sequence, jitterMs * 1000); },
        talkspurts);
    simulation.run(packets, 10'000'000);
    simulation.resetDelayRange(simulation.nowUs());
    const JitterStatistics atTen = simulation.buffer().statistics();
    simulation.run(29'000'000);
    const JitterStatistics statistics = simulation.buffer().statistics();
    const double packetsPlayed = 1000.0; // 10 s .. 30 s
    const double lossRate = double(statistics.lostPackets - atTen.lostPackets) / packetsPlayed;
    qInfo("jitter %lld ms: estimate %.1f ms, target %.1f ms, delay %.0f..%.0f ms, loss %.2f %%",
          static_cast<long long>(jitterMs), statistics.jitterMs, statistics.targetDelayMs, simulation.minDelayMs(),
          simulation.maxDelayMs(), lossRate * 100.0);
    QVERIFY(statistics.jitterMs >= 0.8 * double(jitterMs) && statistics.jitterMs <= double(jitterMs));
    QVERIFY(lossRate <= 0.03);
    QVERIFY(simulation.maxDelayMs() <= double(jitterMs) + 20.0 + 20.0 + 40.0);
}

void JitterBufferAdaptationTest::rangeClamping_data()
{
    QTest::addColumn<int>("minMs");
    QTest::addColumn<int>("maxMs");
    QTest::addColumn<qint64>("jitterMs");
    QTest::addColumn<double>("expectedTargetMs");

    QTest::newRow("default range, clean") << 0 << 4000 << qint64(0) << 35.0;
    QTest::newRow("floor above the need") << 200 << 400 << qint64(0) << 200.0;
    QTest::newRow("ceiling below the need") << 0 << 60 << qint64(150) << 60.0;
    QTest::newRow("zero range: one packet") << 0 << 0 << qint64(0) << 20.0;
    QTest::newRow("min equals max") << 120 << 120 << qint64(60) << 120.0;
}

// The target is clamped to the range (never below one packet), and the delay follows it.
void JitterBufferAdaptationTest::rangeClamping()
{
    QFETCH(int, minMs);
    QFETCH(int, maxMs);
    QFETCH(qint64, jitterMs);
    QFETCH(double, expectedTargetMs);

    LinkSimulation simulation({});
    QCOMPARE(simulation.buffer().setBufferIntervalRange(minMs, maxMs), JitterError::None);
    const auto packets = LinkSimulation::steadyStream(
        1000, kPacketFrames, 1.0,
        [&](std::uint64_t sequence, std::int64_t) { return kBaseDelayUs + uniformJitterUs(sequence, jitterMs * 1000); },
        talkspurts);
    simulation.run(packets, 10'000'000);
    simulation.resetDelayRange(simulation.nowUs());
    simulation.run(19'000'000);
    const JitterStatistics statistics = simulation.buffer().statistics();
    qInfo("range %d..%d ms, jitter %lld ms: target %.1f ms, delay %.0f..%.0f ms", minMs, maxMs,
          static_cast<long long>(jitterMs), statistics.targetDelayMs, simulation.minDelayMs(), simulation.maxDelayMs());
    QCOMPARE(statistics.targetDelayMs, expectedTargetMs);
    // The level is a sawtooth of one packet plus pull granularity around the target, and the
    // control sits within its dead band; with jitter the level dips by the jitter too. With
    // more jitter than the ceiling allows, underruns let the delay overshoot by up to the
    // jitter for a moment before it is shed again.
    QVERIFY(simulation.maxDelayMs() <= std::max(expectedTargetMs, double(jitterMs)) + 20.0 + 20.0);
    if (jitterMs == 0)
        QVERIFY(simulation.minDelayMs() >= std::max(0.0, expectedTargetMs - 20.0 - 15.0));
}

// Lowering the range during playout takes effect by shortening pauses, without loss.
void JitterBufferAdaptationTest::loweringTheRangeShrinksTheDelay()
{
    LinkSimulation simulation({});
    QCOMPARE(simulation.buffer().setBufferIntervalRange(500, 1000), JitterError::None);
    const auto packets = LinkSimulation::steadyStream(
        1000, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kBaseDelayUs; }, talkspurts);
    simulation.run(packets, 5'000'000);
    QVERIFY(simulation.buffer().statistics().currentDelayMs >= 480.0);
    QCOMPARE(simulation.buffer().setBufferIntervalRange(0, 100), JitterError::None);
    simulation.run(11'000'000);
    const JitterStatistics statistics = simulation.buffer().statistics();
    QVERIFY2(statistics.currentDelayMs <= 60.0, qPrintable(QString::number(statistics.currentDelayMs)));
    QCOMPARE(statistics.lostPackets, qint64(0));
    QCOMPARE(statistics.concealedMs, qint64(0));
    QVERIFY(statistics.acceleratedMs >= 400);
}

QTEST_GUILESS_MAIN(JitterBufferAdaptationTest)
#include "JitterBufferAdaptationTest.moc"
