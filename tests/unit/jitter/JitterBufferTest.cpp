// JitterBuffer: what is played, in which order, and what is counted, for the basic packet
// patterns (in order, reorder, loss, FEC, duplicates, late), plus its API contract.
#include "FakeDecoder.h"
#include "LinkSimulation.h"

#include "jitter/JitterBuffer.h"

#include <QList>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

using namespace earshot::jitter;
using earshot::jitter::test::FakeDecoder;
using earshot::jitter::test::LinkSimulation;
using earshot::jitter::test::SimPacket;

namespace {

constexpr int kPacketFrames = 960;             // 20 ms
constexpr std::int64_t kPacketUs = 20'000;
constexpr std::int64_t kNetworkDelayUs = 5'000;

QList<int> range(int first, int last)
{
    QList<int> values;
    for (int i = first; i <= last; ++i)
        values.append(i);
    return values;
}

QList<int> gaps(int count)
{
    return QList<int>(count, -1);
}

// Entry i of `arrivals` arrives in the i-th packet interval (-1: nothing arrives then).
std::vector<SimPacket> schedule(const QList<int>& arrivals, const QList<int>& withFec)
{
    std::vector<SimPacket> packets;
    for (int i = 0; i < arrivals.size(); ++i) {
        if (arrivals[i] < 0)
            continue;
        const auto sequence = static_cast<std::uint64_t>(arrivals[i]);
        const std::uint8_t flags = withFec.contains(arrivals[i]) ? FakeDecoder::HasFec : 0;
        packets.push_back({sequence, i * kPacketUs + kNetworkDelayUs, flags});
    }
    return packets;
}

// The trace without the silence played while the buffer filled up the first time.
QList<int> playout(const LinkSimulation& simulation)
{
    QList<int> trace(simulation.trace().begin(), simulation.trace().end());
    while (!trace.isEmpty() && trace.first() == earshot::jitter::test::kSilence)
        trace.removeFirst();
    return trace;
}

bool allFinite(const std::vector<float>& samples)
{
    for (const float sample : samples) {
        if (!std::isfinite(sample))
            return false;
    }
    return true;
}

} // namespace

class JitterBufferTest : public QObject {
    Q_OBJECT

private slots:
    void packetPatterns_data();
    void packetPatterns();
    void insertOutcomes();
    void redundantCopiesOnlyFillGaps();
    void senderPauseIsNotConcealment();
    void absurdJumpNeedsConfirmation();
    void streamResumesAfterOutage();
    void silenceBeforeFirstPacket();
    void pullAlwaysFillsFrames_data();
    void pullAlwaysFillsFrames();
    void badArguments();
    void corruptPayloadIsConcealed();
    void dtxGapIsFilledNotCounted();
    void stereoIsInterleaved();
};

// Each row delivers packets one per 20 ms interval in the order given and checks the playout
// trace (packet ids, 1000 + id for FEC, -1 for a run of concealment) and the counters.
void JitterBufferTest::packetPatterns_data()
{
    QTest::addColumn<QList<int>>("arrivals");
    QTest::addColumn<QList<int>>("withFec");
    QTest::addColumn<QList<int>>("expectedTrace");
    QTest::addColumn<int>("lost");
    QTest::addColumn<int>("late");
    QTest::addColumn<int>("duplicates");
    QTest::addColumn<int>("fecRecovered");
    QTest::addColumn<int>("concealedPackets");

    const QList<int> all = range(0, 39);
    const QList<int> none;
    constexpr int C = earshot::jitter::test::kConcealed;
    constexpr int F = earshot::jitter::test::kFecBase;

    QTest::newRow("in order") << all << none << all << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("adjacent swaps") << range(0, 9) + QList<int> {11, 10} + range(12, 19) + QList<int> {21, 20}
            + range(22, 39)
                                    << none << all << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("one packet two intervals late") << range(0, 9) + QList<int> {11, 12, 10} + range(13, 39) << none
                                                   << all << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("first packets reordered") << QList<int> {1, 0, 2} + range(3, 39) << none << all << 0 << 0 << 0
                                             << 0 << 0;
    QTest::newRow("single loss") << range(0, 9) + gaps(1) + range(11, 39) << none
                                 << range(0, 9) + QList<int> {C} + range(11, 39) << 1 << 0 << 0 << 0 << 1;
    QTest::newRow("single loss, FEC") << range(0, 9) + gaps(1) + range(11, 39) << all
                                      << range(0, 9) + QList<int> {F + 10} + range(11, 39) << 1 << 0 << 0 << 1 << 0;
    QTest::newRow("burst loss") << range(0, 9) + gaps(5) + range(15, 39) << none
                                << range(0, 9) + QList<int> {C} + range(15, 39) << 5 << 0 << 0 << 0 << 5;
    // Only the packet right before a received one can come back from FEC.
    QTest::newRow("burst loss, FEC") << range(0, 9) + gaps(5) + range(15, 39) << all
                                     << range(0, 9) + QList<int> {C, F + 14} + range(15, 39) << 5 << 0 << 0 << 1 << 4;
    QTest::newRow("FEC only in some packets") << range(0, 9) + gaps(1) + range(11, 19) + gaps(1) + range(21, 39)
                                              << QList<int> {21}
                                              << range(0, 9) + QList<int> {C} + range(11, 19) + QList<int> {F + 20}
            + range(21, 39)
                                              << 2 << 0 << 0 << 1 << 1;
    QTest::newRow("duplicates, buffered and played") << range(0, 9) + QList<int> {9} + range(10, 29) + QList<int> {3}
            + range(30, 39)
                                                     << none << all << 0 << 0 << 2 << 0 << 0;
    QTest::newRow("late packet") << range(0, 9) + range(11, 29) + QList<int> {10} + range(30, 39) << none
                                 << range(0, 9) + QList<int> {C} + range(11, 39) << 1 << 1 << 0 << 0 << 1;
    QTest::newRow("late packet twice") << range(0, 9) + range(11, 29) + QList<int> {10, 10} + range(30, 39) << none
                                       << range(0, 9) + QList<int> {C} + range(11, 39) << 1 << 2 << 0 << 0 << 1;
}

void JitterBufferTest::packetPatterns()
{
    QFETCH(QList<int>, arrivals);
    QFETCH(QList<int>, withFec);
    QFETCH(QList<int>, expectedTrace);
    QFETCH(int, lost);
    QFETCH(int, late);
    QFETCH(int, duplicates);
    QFETCH(int, fecRecovered);
    QFETCH(int, concealedPackets);

    // A fixed 150 ms floor: the bursts below end before their playout time, so what is counted
    // does not depend on how fast the delay adapts (JitterBufferAdaptationTest covers that).
    LinkSimulation::Options options;
    options.config.minDelayMs = 150;
    LinkSimulation simulation(options);
    simulation.run(schedule(arrivals, withFec));

    QCOMPARE(playout(simulation), expectedTrace);
    const JitterStatistics statistics = simulation.buffer().statistics();
    QCOMPARE(statistics.lostPackets, qint64(lost));
    QCOMPARE(statistics.latePackets, qint64(late));
    QCOMPARE(statistics.duplicatePackets, qint64(duplicates));
    QCOMPARE(statistics.fecRecoveredFrames, qint64(fecRecovered));
    QCOMPARE(simulation.concealedFramesInTrace(), qint64(concealedPackets) * kPacketFrames);
    QCOMPARE(statistics.concealedMs, qint64(concealedPackets) * 20);
    QCOMPARE(statistics.packetsReceived, qint64(schedule(arrivals, withFec).size()));
    QCOMPARE(statistics.underrunCount, qint64(0));
    QCOMPARE(statistics.rejectedPackets, qint64(0));
}

void JitterBufferTest::insertOutcomes()
{
    FakeDecoder decoder;
    JitterBufferConfig config;
    config.slotCount = 64;
    config.maxPayloadBytes = 32;
    JitterBuffer buffer(decoder, config);
    const auto payload = [](std::uint32_t id) { return FakeDecoder::makePayload(id, kPacketFrames); };

    QCOMPARE(buffer.insert(100, 0, payload(100), 0), InsertResult::Accepted);
    QCOMPARE(buffer.insert(100, 0, payload(100), 1), InsertResult::Duplicate);
    // Before playout starts, an earlier packet moves the start back instead of being late.
    QCOMPARE(buffer.insert(99, 0u - 960u, payload(99), 2), InsertResult::Accepted);
    const std::array<std::uint8_t, 33> oversized {};
    QCOMPARE(buffer.insert(101, 960, oversized, 3), InsertResult::Oversized);
    // A payload of exactly the slot size fits.
    std::array<std::uint8_t, 32> fits {};
    const auto small = payload(101);
    std::copy(small.begin(), small.end(), fits.begin());
    QCOMPARE(buffer.insert(101, 960, fits, 4), InsertResult::Accepted);
    for (std::uint64_t sequence = 102; sequence < 110; ++sequence) {
        QCOMPARE(buffer.insert(sequence, static_cast<std::uint32_t>((sequence - 100) * 960), payload(sequence), 5),
                 InsertResult::Accepted);
    }

    std::vector<float> out(480);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(buffer.pull(out, 480), JitterError::None);
    // 99 and 100 have been played: again they are duplicates, 98 (never seen) is late.
    QCOMPARE(buffer.insert(99, 0u - 960u, payload(99), 6), InsertResult::Duplicate);
    QCOMPARE(buffer.insert(98, 0u - 1920u, payload(98), 7), InsertResult::Late);

    const JitterStatistics statistics = buffer.statistics();
    QCOMPARE(statistics.packetsReceived, qint64(15));
    QCOMPARE(statistics.duplicatePackets, qint64(2));
    QCOMPARE(statistics.latePackets, qint64(1));
    QCOMPARE(statistics.rejectedPackets, qint64(1));
}

// RED copies (PacketOrigin::Redundant) arrive with the next packet: one that fills a loss is
// played as the real packet, every other one vanishes without touching the counters or the
// delay estimate.
void JitterBufferTest::redundantCopiesOnlyFillGaps()
{
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    const auto payload = [](std::uint64_t id) {
        return FakeDecoder::makePayload(static_cast<std::uint32_t>(id), kPacketFrames);
    };
    const auto timestamp = [](std::uint64_t sequence) { return static_cast<std::uint32_t>(sequence * 960); };
    std::vector<int> played;
    std::vector<float> out(kPacketFrames);
    std::int64_t nowUs = 0;
    for (std::uint64_t sequence = 0; sequence < 400; ++sequence) {
        // Every packet carries the previous one; 200..202 and 300 are lost on the way, so 200, 201
        // and 300 come back as copies, 202 only if its next packet carries it (it does).
        if (sequence != 200 && sequence != 201 && sequence != 300) {
            if (sequence > 0) {
                const InsertResult copy = buffer.insert(sequence - 1, timestamp(sequence - 1), payload(sequence - 1),
                                                        nowUs + 2000, PacketOrigin::Redundant);
                const bool wasLost = sequence - 1 == 200 || sequence - 1 == 201 || sequence - 1 == 300;
                QCOMPARE(copy, wasLost ? InsertResult::Accepted : InsertResult::Duplicate);
            }
            QCOMPARE(buffer.insert(sequence, timestamp(sequence), payload(sequence), nowUs + 2000),
                     InsertResult::Accepted);
        }
        QCOMPARE(buffer.pull(out, kPacketFrames), JitterError::None);
        const int id = FakeDecoder::markerId(out[kPacketFrames / 2]);
        if (out[kPacketFrames / 2] != 0.0f)
            played.push_back(id);
        nowUs += kPacketUs;
    }
    const JitterStatistics statistics = buffer.statistics();
    // 200 was lost with its only carrier 201; 201 came back in 202, and 300 in 301.
    QCOMPARE(statistics.redundancyRecovered, qint64(2));
    QCOMPARE(statistics.packetsReceived, qint64(397));
    QCOMPARE(statistics.duplicatePackets, qint64(0));
    QCOMPARE(statistics.latePackets, qint64(0));
    QCOMPARE(statistics.lostPackets, qint64(1));
    QVERIFY(std::find(played.begin(), played.end(), 201) != played.end());
    QVERIFY(std::find(played.begin(), played.end(), 300) != played.end());
    QVERIFY(std::find(played.begin(), played.end(), 200) == played.end());
    // Copies arriving with their carrier did not look like jitter.
    QVERIFY2(statistics.jitterMs < 1.0, qPrintable(QString::number(statistics.jitterMs)));
}

// A sender in DTX stops sending: the buffer runs dry and plays the decoder's continuation, but
// when the next packet (the very next sequence number, later media time) arrives it is clear that
// nothing was lost, and the time counts as a pause, not as concealment or an underrun.
void JitterBufferTest::senderPauseIsNotConcealment()
{
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    std::vector<float> out(kPacketFrames);
    std::int64_t nowUs = 0;
    std::uint32_t timestamp = 0;
    std::uint64_t sequence = 0;
    const auto sendAndPlay = [&](int packets) {
        for (int i = 0; i < packets; ++i) {
            QCOMPARE(buffer.insert(sequence, timestamp, FakeDecoder::makePayload(std::uint32_t(sequence), kPacketFrames),
                                   nowUs + kNetworkDelayUs),
                     InsertResult::Accepted);
            ++sequence;
            timestamp += kPacketFrames;
            QCOMPARE(buffer.pull(out, kPacketFrames), JitterError::None);
            nowUs += kPacketUs;
        }
    };
    sendAndPlay(100);
    // Two seconds without packets; media time runs on at the sender.
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(buffer.pull(out, kPacketFrames), JitterError::None);
        nowUs += kPacketUs;
        timestamp += kPacketFrames;
    }
    sendAndPlay(50);
    const JitterStatistics statistics = buffer.statistics();
    QCOMPARE(statistics.pauseCount, qint64(1));
    QVERIFY2(statistics.pauseFilledMs >= 280 && statistics.pauseFilledMs <= 340,
             qPrintable(QString::number(statistics.pauseFilledMs)));
    QCOMPARE(statistics.concealedMs, qint64(0));
    QCOMPARE(statistics.underrunCount, qint64(0));
    QCOMPARE(statistics.lostPackets, qint64(0));
}

void JitterBufferTest::absurdJumpNeedsConfirmation()
{
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    for (std::uint64_t sequence = 0; sequence < 5; ++sequence) {
        QCOMPARE(buffer.insert(sequence, static_cast<std::uint32_t>(sequence * 960),
                               FakeDecoder::makePayload(static_cast<std::uint32_t>(sequence), kPacketFrames), 0),
                 InsertResult::Accepted);
    }
    const std::uint64_t far = 1'000'000;
    // A lone wild packet is dropped and does not disturb the stream.
    QCOMPARE(buffer.insert(far, 0, FakeDecoder::makePayload(1, kPacketFrames), 1), InsertResult::SequenceJump);
    QCOMPARE(buffer.insert(5, 5 * 960, FakeDecoder::makePayload(5, kPacketFrames), 2), InsertResult::Accepted);
    QCOMPARE(buffer.insert(far, 0, FakeDecoder::makePayload(1, kPacketFrames), 3), InsertResult::SequenceJump);
    // The next number after it confirms the jump: the stream really moved.
    QCOMPARE(buffer.insert(far + 1, 960, FakeDecoder::makePayload(2, kPacketFrames), 4), InsertResult::Accepted);
    QCOMPARE(buffer.insert(far + 2, 1920, FakeDecoder::makePayload(3, kPacketFrames), 5), InsertResult::Accepted);
    QCOMPARE(buffer.insert(5, 5 * 960, FakeDecoder::makePayload(5, kPacketFrames), 6), InsertResult::SequenceJump);

    const JitterStatistics statistics = buffer.statistics();
    QCOMPARE(statistics.rejectedPackets, qint64(3));
    QCOMPARE(statistics.resyncCount, qint64(1));
    QCOMPARE(statistics.lostPackets, qint64(6)); // 0..5 were flushed unplayed
}

// The sender goes quiet for 15 s (longer than the slots span), then carries on: the buffer
// stops concealing after 300 ms, plays silence, and starts again with the new packets.
void JitterBufferTest::streamResumesAfterOutage()
{
    LinkSimulation simulation({});
    std::vector<SimPacket> packets = LinkSimulation::steadyStream(
        50, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kNetworkDelayUs; }, {});
    for (SimPacket& packet : LinkSimulation::steadyStream(
             1000, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kNetworkDelayUs; }, {})) {
        if (packet.sequence < 800)
            continue;
        packets.push_back(packet);
    }
    simulation.run(packets);

    const JitterStatistics statistics = simulation.buffer().statistics();
    QCOMPARE(statistics.underrunCount, qint64(1));
    QVERIFY(statistics.concealedMs >= 280 && statistics.concealedMs <= 320);
    QCOMPARE(statistics.resyncCount, qint64(1));
    const QList<int> trace = playout(simulation);
    QVERIFY(trace.contains(49));
    QVERIFY(trace.contains(800 % FakeDecoder::kMarkerIds));
    QCOMPARE(trace.last(), 999 % FakeDecoder::kMarkerIds);
}

void JitterBufferTest::silenceBeforeFirstPacket()
{
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    std::vector<float> out(480, 1.0f);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(buffer.pull(out, 480), JitterError::None);
        QVERIFY(std::all_of(out.begin(), out.end(), [](float sample) { return sample == 0.0f; }));
    }
    QCOMPARE(decoder.concealCalls, 0);
    QCOMPARE(buffer.statistics().concealedMs, qint64(0));
    QCOMPARE(buffer.statistics().currentDelayMs, 0.0);
}

void JitterBufferTest::pullAlwaysFillsFrames_data()
{
    QTest::addColumn<int>("frames");
    for (const int frames : {0, 1, 119, 480, 481, 960, 4000, 20'000})
        QTest::newRow(qPrintable(QString::number(frames))) << frames;
}

// Odd pull sizes across packet boundaries, through startup, playout and underrun: every sample
// is written every time.
void JitterBufferTest::pullAlwaysFillsFrames()
{
    QFETCH(int, frames);
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    std::vector<float> out(static_cast<std::size_t>(frames) + 8);
    std::uint64_t sequence = 0;
    for (int step = 0; step < 200; ++step) {
        if (step < 100) {
            static_cast<void>(buffer.insert(sequence, static_cast<std::uint32_t>(sequence * 960),
                                            FakeDecoder::makePayload(static_cast<std::uint32_t>(sequence), kPacketFrames),
                                            step * kPacketUs));
            ++sequence;
        }
        std::fill(out.begin(), out.end(), std::numeric_limits<float>::quiet_NaN());
        QCOMPARE(buffer.pull(out, frames), JitterError::None);
        QVERIFY(allFinite(std::vector<float>(out.begin(), out.begin() + frames)));
        QVERIFY(std::all_of(out.begin() + frames, out.end(), [](float sample) { return std::isnan(sample); }));
    }
}

void JitterBufferTest::badArguments()
{
    FakeDecoder decoder;
    JitterBuffer buffer(decoder);
    std::vector<float> out(100, 1.0f);
    QCOMPARE(buffer.pull(out, 101), JitterError::BadArgument);
    QVERIFY(std::all_of(out.begin(), out.end(), [](float sample) { return sample == 0.0f; }));
    QCOMPARE(buffer.pull(out, -1), JitterError::BadArgument);
    QCOMPARE(buffer.pull({}, 0), JitterError::None);

    QCOMPARE(buffer.setBufferIntervalRange(-1, 100), JitterError::BadArgument);
    QCOMPARE(buffer.setBufferIntervalRange(200, 100), JitterError::BadArgument);
    QCOMPARE(buffer.setBufferIntervalRange(0, 4001), JitterError::BadArgument);
    QCOMPARE(buffer.setBufferIntervalRange(0, 4000), JitterError::None);
    QCOMPARE(buffer.setBufferIntervalRange(4000, 4000), JitterError::None);
    QCOMPARE(buffer.setBufferIntervalRange(0, 0), JitterError::None);
    QCOMPARE(QString(errorText(JitterError::BadArgument)), QStringLiteral("bad argument"));
}

void JitterBufferTest::corruptPayloadIsConcealed()
{
    LinkSimulation simulation({});
    auto packets = LinkSimulation::steadyStream(
        40, kPacketFrames, 1.0, [](std::uint64_t, std::int64_t) { return kNetworkDelayUs; },
        [](std::uint64_t sequence) { return std::uint8_t(sequence == 20 ? FakeDecoder::Corrupt : 0); });
    simulation.run(packets);
    constexpr int C = earshot::jitter::test::kConcealed;
    QCOMPARE(playout(simulation), range(0, 19) + QList<int> {C} + range(21, 39));
    QCOMPARE(simulation.buffer().statistics().decodeErrors, qint64(1));
    QCOMPARE(simulation.buffer().statistics().lostPackets, qint64(0));
    QCOMPARE(simulation.buffer().statistics().concealedMs, qint64(20));
}

// DTX: the sender stops sending for 200 ms in a pause but keeps its sequence numbers
// contiguous. The media time in between is filled, not counted as concealment or loss, and the
// packets after it play on time.
void JitterBufferTest::dtxGapIsFilledNotCounted()
{
    FakeDecoder decoder;
    JitterBufferConfig config;
    config.minDelayMs = 300; // holds the pause, so no underrun
    JitterBuffer buffer(decoder, config);
    std::vector<float> out(480);
    std::vector<int> ids;
    std::uint64_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::int64_t nextSendUs = 0;
    for (std::int64_t nowUs = 0; nowUs < 3'000'000; nowUs += 10'000) {
        while (nextSendUs <= nowUs && sequence < 100) {
            static_cast<void>(buffer.insert(sequence, timestamp,
                                            FakeDecoder::makePayload(static_cast<std::uint32_t>(sequence), kPacketFrames),
                                            nowUs));
            ++sequence;
            timestamp += 960;
            nextSendUs += kPacketUs;
            if (sequence == 50) { // 10 packet times of silence without packets
                timestamp += 10 * 960;
                nextSendUs += 10 * kPacketUs;
            }
        }
        QCOMPARE(buffer.pull(out, 480), JitterError::None);
        const int id = FakeDecoder::markerId(out.front());
        if (id >= 0 && (ids.empty() || ids.back() != id))
            ids.push_back(id);
    }
    QCOMPARE(ids.size(), std::size_t(100));
    QCOMPARE(buffer.statistics().lostPackets, qint64(0));
    QCOMPARE(buffer.statistics().underrunCount, qint64(1)); // only after the last packet
}

void JitterBufferTest::stereoIsInterleaved()
{
    FakeDecoder decoder(2);
    JitterBuffer buffer(decoder);
    QCOMPARE(buffer.channels(), 2);
    for (std::uint64_t sequence = 0; sequence < 10; ++sequence) {
        static_cast<void>(buffer.insert(sequence, static_cast<std::uint32_t>(sequence * 960),
                                        FakeDecoder::makePayload(static_cast<std::uint32_t>(sequence), kPacketFrames), 0));
    }
    std::vector<float> out(2 * 480);
    QCOMPARE(buffer.pull(out, 480), JitterError::None);
    QCOMPARE(out[0], FakeDecoder::markerValue(0));
    QCOMPARE(out[1], FakeDecoder::markerValue(0));
    QCOMPARE(out[959], FakeDecoder::markerValue(0));
    QCOMPARE(buffer.pull(out, 480), JitterError::None);
    QCOMPARE(out[0], FakeDecoder::markerValue(0));
    QCOMPARE(buffer.pull(out, 480), JitterError::None);
    QCOMPARE(out[958], FakeDecoder::markerValue(1));
    QCOMPARE(out[959], FakeDecoder::markerValue(1));
}

QTEST_GUILESS_MAIN(JitterBufferTest)
#include "JitterBufferTest.moc"
