#include "net/ReceiverStatistics.h"

#include <earshot/protocol/SequenceUnwrapper.h>

#include <QList>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <limits>

using earshot::net::ReceiverStatistics;
using earshot::protocol::SequenceUnwrapper;

namespace {

constexpr std::uint32_t kSsrc = 0xABCD0001;
constexpr std::uint32_t kSamplesPerPacket = 960; // 20 ms at 48 kHz
constexpr std::int64_t kPacketIntervalUs = 20'000;

// Feeds 16-bit sequence numbers as the transport does: unwrapped to 48 bits first. Every packet
// arrives exactly on time (constant delay), so only the sequence bookkeeping is exercised.
void feed(ReceiverStatistics& statistics, SequenceUnwrapper& unwrapper, const QList<int>& sequences)
{
    for (const int sequence : sequences) {
        const auto extended = unwrapper.unwrap(static_cast<std::uint16_t>(sequence));
        QVERIFY(extended.has_value());
        unwrapper.update(*extended);
        const auto timestamp = static_cast<std::uint32_t>(*extended * kSamplesPerPacket);
        statistics.onPacket(*extended, timestamp, static_cast<std::int64_t>(*extended) * kPacketIntervalUs);
    }
}

QList<int> range(int first, int last, int skipModulo = 0, int skipRemainder = 0)
{
    QList<int> sequences;
    for (int i = first; i <= last; ++i) {
        if (skipModulo == 0 || i % skipModulo != skipRemainder)
            sequences.append(i & 0xFFFF);
    }
    return sequences;
}

} // namespace

class ReceiverStatisticsTest : public QObject {
    Q_OBJECT

private slots:
    void losses_data();
    void losses();
    void fractionResetsBetweenReports();
    void constantDelayHasNoJitter_data();
    void constantDelayHasNoJitter();
    void alternatingDelayConvergesToRfcValue();
    void hostileTimestampsStayBounded();
    void reportClampsRtt_data();
    void reportClampsRtt();
};

// Each row delivers `sequences` (16-bit, in arrival order) and checks the first report.
void ReceiverStatisticsTest::losses_data()
{
    QTest::addColumn<QList<int>>("sequences");
    QTest::addColumn<int>("fractionLost");
    QTest::addColumn<qint64>("cumulativeLost");
    QTest::addColumn<qint64>("highestSequence");
    QTest::addColumn<qint64>("packetsReceived");

    QTest::newRow("nothing received") << QList<int>{} << 0 << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("no loss") << range(0, 99) << 0 << qint64(0) << qint64(99) << qint64(100);
    // 10 of 100 lost: 10 * 256 / 100 = 25.6, truncated as RFC 3550 A.3 does.
    QTest::newRow("10 % loss") << range(0, 99, 10, 5) << 25 << qint64(10) << qint64(99) << qint64(90);
    QTest::newRow("reorder is not loss") << QList<int>{0, 2, 1, 4, 3, 5} << 0 << qint64(0) << qint64(5) << qint64(6);
    QTest::newRow("first packet late") << QList<int>{1, 0, 2} << 0 << qint64(0) << qint64(2) << qint64(3);
    QTest::newRow("late packet fills the gap") << QList<int>{10, 11, 13, 14, 12} << 0 << qint64(0) << qint64(14)
                                               << qint64(5);
    // Duplicates count as received (RFC 3550 6.4.1): the cumulative loss goes negative and the
    // fraction is 0, never negative.
    QTest::newRow("duplicates") << QList<int>{0, 1, 1, 2, 2} << 0 << qint64(-2) << qint64(2) << qint64(5);
    QTest::newRow("duplicate hides a loss") << QList<int>{0, 1, 1, 3} << 0 << qint64(0) << qint64(3) << qint64(4);
    QTest::newRow("16-bit wrap") << range(65530, 65545) << 0 << qint64(0) << qint64(65545) << qint64(16);
    // Expected 5 (65534..65538), received 4: 256 / 5 = 51.
    QTest::newRow("loss across the wrap") << QList<int>{65534, 65535, 1, 2} << 51 << qint64(1) << qint64(65538)
                                          << qint64(4);
    QTest::newRow("reorder across the wrap") << QList<int>{65534, 0, 65535, 1} << 0 << qint64(0) << qint64(65537)
                                             << qint64(4);
    // 8 of 10 lost: 8 * 256 / 10 = 204.
    QTest::newRow("heavy loss") << QList<int>{0, 9} << 204 << qint64(8) << qint64(9) << qint64(2);
    QTest::newRow("single packet") << QList<int>{4711} << 0 << qint64(0) << qint64(4711) << qint64(1);
}

void ReceiverStatisticsTest::losses()
{
    QFETCH(QList<int>, sequences);
    QFETCH(int, fractionLost);
    QFETCH(qint64, cumulativeLost);
    QFETCH(qint64, highestSequence);
    QFETCH(qint64, packetsReceived);

    ReceiverStatistics statistics(kSsrc);
    SequenceUnwrapper unwrapper;
    feed(statistics, unwrapper, sequences);

    const auto report = statistics.makeReport(QStringLiteral("stream-1"), 42);
    QCOMPARE(report.streamId, QStringLiteral("stream-1"));
    QCOMPARE(report.ssrc, kSsrc);
    QCOMPARE(int(report.fractionLost), fractionLost);
    QCOMPARE(report.cumulativeLost, cumulativeLost);
    QCOMPARE(report.highestSequence, quint64(highestSequence));
    QCOMPARE(report.packetsReceived, packetsReceived);
    QCOMPARE(report.rttMs, 42);
    QCOMPARE(statistics.packetsReceived(), packetsReceived);
    QCOMPARE(report.jitterSamples, 0u); // every packet on time

    // lossRate is cumulative lost / expected, never negative.
    const qint64 expected = sequences.isEmpty() ? 0 : cumulativeLost + packetsReceived;
    const double lossRate = expected > 0 && cumulativeLost > 0 ? double(cumulativeLost) / double(expected) : 0.0;
    QVERIFY(std::abs(statistics.lossRate() - lossRate) < 1e-12);
}

void ReceiverStatisticsTest::fractionResetsBetweenReports()
{
    ReceiverStatistics statistics(kSsrc);
    SequenceUnwrapper unwrapper;

    feed(statistics, unwrapper, range(0, 9, 10, 5)); // 1 of 10 lost: 25
    auto report = statistics.makeReport({}, -1);
    QCOMPARE(int(report.fractionLost), 25);
    QCOMPARE(report.cumulativeLost, qint64(1));

    feed(statistics, unwrapper, range(10, 19)); // none lost in this interval
    report = statistics.makeReport({}, -1);
    QCOMPARE(int(report.fractionLost), 0);
    QCOMPARE(report.cumulativeLost, qint64(1));

    feed(statistics, unwrapper, range(20, 29, 5, 0)); // 20 and 25 lost: 2 * 256 / 10 = 51
    report = statistics.makeReport({}, -1);
    QCOMPARE(int(report.fractionLost), 51);
    QCOMPARE(report.cumulativeLost, qint64(3));
    QCOMPARE(report.highestSequence, quint64(29));

    report = statistics.makeReport({}, -1); // nothing new
    QCOMPARE(int(report.fractionLost), 0);
    QCOMPARE(report.cumulativeLost, qint64(3));

    feed(statistics, unwrapper, QList<int>{40}); // 30..39 lost, 40 received: 10 * 256 / 11 = 232
    report = statistics.makeReport({}, -1);
    QCOMPARE(int(report.fractionLost), 232);
    QCOMPARE(report.cumulativeLost, qint64(13));

    feed(statistics, unwrapper, QList<int>{60}); // 41..59 lost, 60 received: 19 * 256 / 20 = 243
    report = statistics.makeReport({}, -1);
    QCOMPARE(int(report.fractionLost), 243);
}

void ReceiverStatisticsTest::constantDelayHasNoJitter_data()
{
    QTest::addColumn<qint64>("firstTimestamp");
    QTest::addColumn<qint64>("delayUs");
    QTest::newRow("from 0, 30 ms delay") << qint64(0) << qint64(30'000);
    QTest::newRow("random start, 250 ms delay") << qint64(0x12345678) << qint64(250'000);
    QTest::newRow("timestamp wraps") << qint64(0xFFFFFFFFLL - 50 * kSamplesPerPacket) << qint64(5'000);
    QTest::newRow("arrival clock wraps 2^32 units") << qint64(7) << qint64(89'478'485'000LL); // ~2^32 / 48 ms
}

void ReceiverStatisticsTest::constantDelayHasNoJitter()
{
    QFETCH(qint64, firstTimestamp);
    QFETCH(qint64, delayUs);
    ReceiverStatistics statistics;
    for (std::uint64_t i = 0; i < 200; ++i) {
        const auto timestamp = static_cast<std::uint32_t>(firstTimestamp + qint64(i) * kSamplesPerPacket);
        statistics.onPacket(i, timestamp, qint64(i) * kPacketIntervalUs + delayUs);
    }
    QCOMPARE(statistics.jitterMs(), 0.0);
    QCOMPARE(statistics.makeReport({}, -1).jitterSamples, 0u);
}

// Packets sent every 20 ms arrive alternately 5 ms early and 5 ms late, so every transit
// difference |D| is 10 ms = 480 timestamp units. RFC 3550 A.8's J += (|D| - J) / 16 from J = 0
// gives, after n differences, the closed form J(n) = 480 * (1 - (15/16)^n), which is what the
// statistics must report (computed here independently of the iteration it uses).
void ReceiverStatisticsTest::alternatingDelayConvergesToRfcValue()
{
    ReceiverStatistics statistics;
    constexpr double kDifference = 480.0;
    constexpr int kPackets = 100;
    for (int i = 0; i < kPackets; ++i) {
        const auto timestamp = static_cast<std::uint32_t>(1000 + i * int(kSamplesPerPacket));
        const std::int64_t offsetUs = i % 2 == 0 ? -5'000 : 5'000;
        statistics.onPacket(std::uint64_t(i), timestamp, 1'000'000 + i * kPacketIntervalUs + offsetUs);

        const int differences = i;
        const double expected = kDifference * (1.0 - std::pow(15.0 / 16.0, differences));
        QVERIFY2(std::abs(statistics.jitterMs() * 48.0 - expected) < 1e-6,
                 qPrintable(QStringLiteral("packet %1: %2 vs %3").arg(i).arg(statistics.jitterMs() * 48.0).arg(expected)));
    }
    const auto report = statistics.makeReport({}, -1);
    const double expectedFinal = kDifference * (1.0 - std::pow(15.0 / 16.0, kPackets - 1));
    QCOMPARE(report.jitterSamples, static_cast<std::uint32_t>(std::lround(expectedFinal)));
    QVERIFY(std::abs(statistics.jitterMs() - 10.0) < 0.02); // converged near 10 ms
}

// A hostile sender's timestamps jump by 2^31 every packet: the largest |D| there is.
void ReceiverStatisticsTest::hostileTimestampsStayBounded()
{
    ReceiverStatistics statistics;
    for (std::uint64_t i = 0; i < 1000; ++i)
        statistics.onPacket(i, i % 2 == 0 ? 0u : 0x80000000u, std::int64_t(i) * kPacketIntervalUs);
    const auto report = statistics.makeReport({}, -1);
    QVERIFY(report.jitterSamples > 0x7F000000u);
    QVERIFY(report.jitterSamples <= 0x80000000u);

    ReceiverStatistics wild;
    wild.onPacket(0, 0, std::numeric_limits<std::int64_t>::min());
    wild.onPacket(1, 0xFFFFFFFFu, std::numeric_limits<std::int64_t>::max());
    wild.onPacket(0xFFFFFFFFFFFFull, 0, -1);
    const auto wildReport = wild.makeReport({}, -1);
    QCOMPARE(wildReport.highestSequence, quint64(0xFFFFFFFFFFFFull));
    QCOMPARE(wildReport.cumulativeLost, earshot::protocol::kMaxCumulativeLost);
}

void ReceiverStatisticsTest::reportClampsRtt_data()
{
    QTest::addColumn<int>("rttMs");
    QTest::addColumn<int>("reported");
    QTest::newRow("unknown") << -1 << -1;
    QTest::newRow("negative") << -20 << -1;
    QTest::newRow("zero") << 0 << 0;
    QTest::newRow("typical") << 85 << 85;
    QTest::newRow("limit") << 60000 << 60000;
    QTest::newRow("above limit") << 600000 << 60000;
}

void ReceiverStatisticsTest::reportClampsRtt()
{
    QFETCH(int, rttMs);
    QFETCH(int, reported);
    ReceiverStatistics statistics;
    QCOMPARE(statistics.makeReport({}, rttMs).rttMs, reported);
}

QTEST_GUILESS_MAIN(ReceiverStatisticsTest)
#include "ReceiverStatisticsTest.moc"
