// PlayoutStream: the packets of a real CaptureChain (speech-like input) go through a network
// schedule the test controls (sent when their frame is complete, arriving a fixed delay later,
// some dropped) and are pulled 10 ms at a time on a simulated clock. Checked: what plays (against
// the input, MediaTestSignals.h's align()), and what the stream and its jitter buffer count,
// for a clean stream, losses recovered by redundancy or by Opus FEC, malformed payloads, and
// redundant copies that would lie before the stream's first packet.
#include "MediaTestSignals.h"

#include "codec/RedundancyPacker.h"
#include "media/CaptureChain.h"
#include "media/EncodedPacketSink.h"
#include "media/PlayoutStream.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

using namespace earshot;
using namespace earshot::media;
using earshot::media::test::align;
using earshot::media::test::Alignment;
using earshot::media::test::kRateHz;
using earshot::media::test::speechLike;

namespace {

constexpr std::int64_t kBlockUs = 10'000;
constexpr std::int64_t kNetworkDelayUs = 30'000;
constexpr std::ptrdiff_t kMaxDelayFrames = kRateHz / 2;

struct Delivery {
    std::uint64_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::vector<std::uint8_t> payload;
    std::int64_t arrivalUs = 0;
};

// Numbers the chain's packets as the transport would and schedules each to arrive
// kNetworkDelayUs after the block that completed it was processed.
class Transport final : public EncodedPacketSink {
public:
    void onEncodedPacket(const EncodedPacket& packet) override
    {
        packets.push_back({nextSequence++, packet.timestamp,
                           std::vector<std::uint8_t>(packet.payload.begin(), packet.payload.end()),
                           (block + 1) * kBlockUs + kNetworkDelayUs});
        redundantFrames = std::max(redundantFrames, packet.redundantFrames);
    }

    std::vector<Delivery> packets;
    std::int64_t block = 0;
    std::uint64_t nextSequence = 0;
    int redundantFrames = 0;
};

struct Encoding {
    std::vector<Delivery> packets;
    int redundantFrames = 0; // the most any packet carried
};

// 4 s of speech-like signal and 0.3 s of silence after it.
std::vector<float> testInput()
{
    std::vector<float> input = speechLike(4.0);
    input.resize(input.size() + static_cast<std::size_t>(kRateHz * 3 / 10), 0.0f);
    return input;
}

// Encodes `input` in continuous mode, 20 ms frames; a `reportedLoss` above 0 is reported to the
// chain first (redundancy), `expectedLossPercent` is the encoder's initial FEC setting.
Encoding encode(const std::vector<float>& input, double reportedLoss = 0.0, int expectedLossPercent = 0)
{
    CaptureChainConfig config;
    config.encoder.expectedLossPercent = expectedLossPercent;
    config.initialTimestamp = 0xFFFF'F000u; // wraps after 85 ms
    Transport transport;
    std::unique_ptr<CaptureChain> chain = CaptureChain::create(config, nullptr, transport);
    if (!chain)
        return {};
    if (reportedLoss > 0.0)
        chain->onLossReport(reportedLoss, 0);
    std::array<float, kBlockFrames> block {};
    for (std::size_t start = 0; start + kBlockFrames <= input.size(); start += kBlockFrames) {
        std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(start), kBlockFrames, block.begin());
        transport.block = static_cast<std::int64_t>(start / kBlockFrames);
        chain->process(block);
    }
    return {std::move(transport.packets), transport.redundantFrames};
}

// Every 5th packet (sequence 4, 9, …) is lost, but not the last two (nothing would reveal
// their loss before the run ends).
bool isDropped(std::uint64_t sequence, std::size_t count)
{
    return sequence % 5 == 4 && sequence + 2 < count;
}

std::vector<Delivery> withoutDropped(const std::vector<Delivery>& packets, int& dropped)
{
    std::vector<Delivery> kept;
    dropped = 0;
    for (const Delivery& packet : packets) {
        if (isDropped(packet.sequence, packets.size()))
            ++dropped;
        else
            kept.push_back(packet);
    }
    return kept;
}

struct Playout {
    std::vector<float> output;
    jitter::JitterStatistics jitter;
    PlayoutStatistics stream;
    int notTaken = 0;             // insert() calls that returned Oversized
    std::int64_t firstPlayedTick = -1; // the first pull after which hasPlayedAudio() was true
    int loudBlocks = 0;           // pulled blocks with speech in them (RMS > 0.05)
    int loudBlocksWithoutLevel = 0;
    int maxLevel = 0;
    double speechMs = 0.0;        // audio pulled while the stream's VAD flag said speech
};

// Inserts each delivery once the clock reaches its arrival and pulls `pullFrames` (480: 10 ms,
// the pipeline's block for long device periods) every as many frames, until the last arrival.
// The target delay is held at 60 ms: the jitter estimate starts high and decays, and the
// buffer would shed the difference mid-run, which moves the alignment.
Playout play(std::vector<Delivery> deliveries, int pullFrames = kBlockFrames)
{
    Playout result;
    PlayoutStreamConfig config;
    config.jitter.minDelayMs = 60;
    std::unique_ptr<PlayoutStream> stream = PlayoutStream::create(config);
    if (!stream || deliveries.empty())
        return result;
    stream->setVoiceDetection(true);
    const std::int64_t pullUs = std::int64_t {pullFrames} * 1'000'000 / kRateHz;
    std::stable_sort(deliveries.begin(), deliveries.end(),
                     [](const Delivery& a, const Delivery& b) { return a.arrivalUs < b.arrivalUs; });
    std::size_t next = 0;
    std::vector<float> block(static_cast<std::size_t>(pullFrames));
    for (std::int64_t tick = 0; tick * pullUs <= deliveries.back().arrivalUs; ++tick) {
        for (; next < deliveries.size() && deliveries[next].arrivalUs <= tick * pullUs; ++next) {
            const Delivery& delivery = deliveries[next];
            if (stream->insert(delivery.sequence, delivery.timestamp, delivery.payload, delivery.arrivalUs)
                == jitter::InsertResult::Oversized)
                ++result.notTaken;
        }
        stream->pull(block, pullFrames);
        result.output.insert(result.output.end(), block.begin(), block.end());
        if (stream->level().voiceActivity() == dsp::VoiceActivity::Speech)
            result.speechMs += 1000.0 * pullFrames / kRateHz;
        if (result.firstPlayedTick < 0 && stream->hasPlayedAudio())
            result.firstPlayedTick = tick;
        double energy = 0.0;
        for (const float sample : block)
            energy += static_cast<double>(sample) * sample;
        if (std::sqrt(energy / pullFrames) > 0.05) {
            ++result.loudBlocks;
            if (stream->level().level() == 0)
                ++result.loudBlocksWithoutLevel;
        }
        result.maxLevel = std::max(result.maxLevel, stream->level().level());
    }
    result.jitter = stream->jitterStatistics();
    result.stream = stream->statistics();
    return result;
}

QString describe(const Alignment& alignment)
{
    return QStringLiteral("delay %1, waveform %2, envelope %3")
        .arg(alignment.delayFrames)
        .arg(alignment.waveformCorrelation)
        .arg(alignment.envelopeCorrelation);
}

// The counters a payload the stream drops must not move.
bool sameCounters(const jitter::JitterStatistics& a, const jitter::JitterStatistics& b)
{
    return a.packetsReceived == b.packetsReceived && a.redundancyRecovered == b.redundancyRecovered
        && a.decodedPackets == b.decodedPackets && a.duplicatePackets == b.duplicatePackets
        && a.latePackets == b.latePackets && a.rejectedPackets == b.rejectedPackets && a.lostPackets == b.lostPackets
        && a.fecRecoveredFrames == b.fecRecoveredFrames && a.decodeErrors == b.decodeErrors
        && a.concealedMs == b.concealedMs && a.underrunCount == b.underrunCount && a.resyncCount == b.resyncCount
        && a.accelerateCount == b.accelerateCount && a.expandCount == b.expandCount
        && a.currentDelayMs == b.currentDelayMs && a.targetDelayMs == b.targetDelayMs;
}

} // namespace

class PlayoutStreamTest : public QObject {
    Q_OBJECT

private slots:
    void cleanStreamPlaysInput();
    void voiceDetectionGathersShortPulls_data();
    void voiceDetectionGathersShortPulls();
    void redundancyRecoversDroppedPackets();
    void lossWithoutRedundancy_data();
    void lossWithoutRedundancy();
    void malformedPayloadsChangeNothing_data();
    void malformedPayloadsChangeNothing();
    void redundancyBeforeFirstPacketIsIgnored_data();
    void redundancyBeforeFirstPacketIsIgnored();
};

void PlayoutStreamTest::cleanStreamPlaysInput()
{
    const std::vector<float> input = testInput();
    const Encoding encoding = encode(input);
    QVERIFY(encoding.packets.size() > 150);
    QCOMPARE(encoding.redundantFrames, 0);
    const Playout playout = play(encoding.packets);

    const auto sent = static_cast<std::int64_t>(encoding.packets.size());
    QCOMPARE(playout.jitter.packetsReceived, sent);
    QCOMPARE(playout.jitter.lostPackets, std::int64_t {0});
    QCOMPARE(playout.jitter.concealedMs, std::int64_t {0});
    QCOMPARE(playout.jitter.decodeErrors, std::int64_t {0});
    QCOMPARE(playout.jitter.redundancyRecovered, std::int64_t {0});
    QCOMPARE(playout.jitter.accelerateCount + playout.jitter.expandCount, std::int64_t {0});
    // All but what is still buffered at the end (the target delay's worth) was played.
    QVERIFY2(playout.jitter.decodedPackets >= sent - 5 && playout.jitter.decodedPackets < sent,
             qPrintable(QString::number(playout.jitter.decodedPackets)));
    QCOMPARE(playout.stream.malformedPayloads, std::int64_t {0});
    QCOMPARE(playout.stream.redundantBlocks, std::int64_t {0});
    QCOMPARE(playout.notTaken, 0);

    // Nothing counts as played before a packet was decoded, which is after the first arrival.
    QVERIFY(playout.firstPlayedTick >= 0);
    QVERIFY(playout.firstPlayedTick * kBlockUs >= encoding.packets.front().arrivalUs);
    QVERIFY(playout.speechMs > 1000.0);
    QVERIFY(playout.loudBlocks > 100);
    QCOMPARE(playout.loudBlocksWithoutLevel, 0);
    QVERIFY2(playout.maxLevel >= 50, qPrintable(QString::number(playout.maxLevel)));

    const Alignment alignment = align(input, playout.output, kMaxDelayFrames);
    QVERIFY2(alignment.waveformCorrelation > 0.8, qPrintable(describe(alignment)));
    // Frame assembly (20 ms) + network + at least one packet of buffering, at most the target.
    QVERIFY2(alignment.delayFrames > kRateHz * 50 / 1000 && alignment.delayFrames < kRateHz * 150 / 1000,
             qPrintable(describe(alignment)));
}

void PlayoutStreamTest::voiceDetectionGathersShortPulls_data()
{
    QTest::addColumn<int>("pullFrames");
    QTest::newRow("2.5 ms") << 120;
    QTest::newRow("5 ms") << 240;
    QTest::newRow("20 ms") << 960;
}

// The pipeline pulls one device period at a time (AudioPipeline); the detector takes 10 ms
// blocks, so shorter pulls are gathered and longer ones split: the speech found is the same.
void PlayoutStreamTest::voiceDetectionGathersShortPulls()
{
    QFETCH(int, pullFrames);
    const Encoding encoding = encode(testInput());
    const Playout tenMs = play(encoding.packets);
    const Playout other = play(encoding.packets, pullFrames);
    qInfo("speech flagged: %.0f ms with 10 ms pulls, %.0f ms with %d-frame pulls", tenMs.speechMs, other.speechMs,
          pullFrames);
    QVERIFY(tenMs.speechMs > 1000.0);
    QVERIFY(std::abs(other.speechMs - tenMs.speechMs) <= 0.1 * tenMs.speechMs);
}

void PlayoutStreamTest::redundancyRecoversDroppedPackets()
{
    const std::vector<float> input = testInput();
    const Encoding encoding = encode(input, 0.1); // one repeated frame
    QCOMPARE(encoding.redundantFrames, 1);
    int dropped = 0;
    const std::vector<Delivery> delivered = withoutDropped(encoding.packets, dropped);
    QVERIFY(dropped > 30);
    const Playout playout = play(delivered);

    QCOMPARE(playout.jitter.redundancyRecovered, std::int64_t {dropped});
    QCOMPARE(playout.jitter.lostPackets, std::int64_t {0});
    QCOMPARE(playout.jitter.concealedMs, std::int64_t {0});
    QCOMPARE(playout.jitter.fecRecoveredFrames, std::int64_t {0});
    QCOMPARE(playout.jitter.duplicatePackets, std::int64_t {0}); // copies of received packets are not counted
    QCOMPARE(playout.jitter.packetsReceived, static_cast<std::int64_t>(delivered.size()));
    // Every delivered packet but the first carries one copy.
    QCOMPARE(playout.stream.redundantBlocks, static_cast<std::int64_t>(delivered.size() - 1));
    QCOMPARE(playout.stream.malformedPayloads, std::int64_t {0});

    const Alignment alignment = align(input, playout.output, kMaxDelayFrames);
    QVERIFY2(alignment.waveformCorrelation > 0.8, qPrintable(describe(alignment)));
}

void PlayoutStreamTest::lossWithoutRedundancy_data()
{
    QTest::addColumn<int>("expectedLossPercent");
    QTest::newRow("no FEC: concealed") << 0;
    QTest::newRow("FEC at 20 % expected loss") << 20;
}

void PlayoutStreamTest::lossWithoutRedundancy()
{
    QFETCH(int, expectedLossPercent);
    const std::vector<float> input = testInput();
    const Encoding encoding = encode(input, 0.0, expectedLossPercent);
    QCOMPARE(encoding.redundantFrames, 0);
    int dropped = 0;
    const Playout playout = play(withoutDropped(encoding.packets, dropped));

    QCOMPARE(playout.jitter.redundancyRecovered, std::int64_t {0});
    QCOMPARE(playout.stream.redundantBlocks, std::int64_t {0});
    // Every drop is a loss, whether FEC rebuilds it or it is concealed.
    QCOMPARE(playout.jitter.lostPackets, std::int64_t {dropped});
    if (expectedLossPercent > 0) {
        QVERIFY2(playout.jitter.fecRecoveredFrames > 0 && playout.jitter.fecRecoveredFrames <= dropped,
                 qPrintable(QString::number(playout.jitter.fecRecoveredFrames)));
    } else {
        QCOMPARE(playout.jitter.fecRecoveredFrames, std::int64_t {0});
        QVERIFY(playout.jitter.concealedMs >= 20 * dropped - 20);
    }
    const Alignment alignment = align(input, playout.output, kMaxDelayFrames);
    QVERIFY2(alignment.envelopeCorrelation > 0.9, qPrintable(describe(alignment)));
}

void PlayoutStreamTest::malformedPayloadsChangeNothing_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("version 0") << QByteArray("\x00\xf8\xff\xfe", 4);
    QTest::newRow("version 2") << QByteArray("\x80\xf8\xff\xfe", 4);
    QTest::newRow("reserved bits") << QByteArray("\x44\xf8\xff\xfe", 4);
    QTest::newRow("truncated block header") << QByteArray("\x41\x0f\x00", 3);
    QTest::newRow("block longer than payload") << QByteArray("\x41\x0f\x00\x40\xf8\xff", 6);
}

void PlayoutStreamTest::malformedPayloadsChangeNothing()
{
    QFETCH(QByteArray, payload);
    const std::vector<std::uint8_t> malformed(payload.begin(), payload.end());
    QCOMPARE(codec::RedundancyPacker::unpack(malformed).error == codec::RedundancyError::None, false);

    const std::vector<float> input = testInput();
    const Encoding encoding = encode(input);
    QVERIFY(!encoding.packets.empty());
    const Playout clean = play(encoding.packets);

    // A malformed payload before the first packet (under a sequence number that would move the
    // cursor), and one just before every 10th packet, under that packet's sequence number.
    std::vector<Delivery> deliveries;
    deliveries.push_back({5'000, 12'345, malformed, 0});
    for (const Delivery& packet : encoding.packets) {
        if (packet.sequence % 10 == 3)
            deliveries.push_back({packet.sequence, packet.timestamp, malformed, packet.arrivalUs});
        deliveries.push_back(packet);
    }
    const int malformedCount = static_cast<int>(deliveries.size() - encoding.packets.size());
    const Playout playout = play(deliveries);

    QCOMPARE(playout.stream.malformedPayloads, std::int64_t {malformedCount});
    QCOMPARE(playout.notTaken, malformedCount);
    QCOMPARE(clean.notTaken, 0);
    QCOMPARE(playout.stream.redundantBlocks, clean.stream.redundantBlocks);
    QVERIFY(sameCounters(playout.jitter, clean.jitter));
    QCOMPARE(playout.jitter.packetsReceived, static_cast<std::int64_t>(encoding.packets.size()));
    QCOMPARE(playout.output.size(), clean.output.size());
    QVERIFY(playout.output == clean.output);
    QCOMPARE(playout.firstPlayedTick, clean.firstPlayedTick);
}

void PlayoutStreamTest::redundancyBeforeFirstPacketIsIgnored_data()
{
    QTest::addColumn<bool>("firstLost");
    QTest::newRow("packets 0 and 1 arrive") << false;
    QTest::newRow("packet 0 lost") << true;
}

void PlayoutStreamTest::redundancyBeforeFirstPacketIsIgnored()
{
    QFETCH(bool, firstLost);
    const std::vector<float> input = testInput();
    const Encoding encoding = encode(input);
    QVERIFY(encoding.packets.size() > 10);
    const auto primaryOf = [&encoding](std::size_t index) {
        const codec::RedundancyUnpackResult unpacked = codec::RedundancyPacker::unpack(encoding.packets[index].payload);
        return std::vector<std::uint8_t>(unpacked.primary.begin(), unpacked.primary.end());
    };
    // Packets 0 and 1 rewritten to carry two earlier frames each: real Opus packets, where the
    // only copy that can exist is packet 1's of packet 0.
    std::vector<Delivery> deliveries = encoding.packets;
    const std::vector<std::uint8_t> other1 = primaryOf(7);
    const std::vector<std::uint8_t> other2 = primaryOf(8);
    const std::vector<std::uint8_t> primary0 = primaryOf(0);
    const std::vector<std::uint8_t> primary1 = primaryOf(1);
    const std::array<codec::RedundantBlock, 2> blocks0 {{{1920, other1}, {960, other2}}};
    const std::array<codec::RedundantBlock, 2> blocks1 {{{1920, other1}, {960, primary0}}};
    std::array<std::uint8_t, codec::kMaxRedundancyPayloadBytes> buffer {};
    const codec::RedundancyPackResult packed0 = codec::RedundancyPacker::serialize(blocks0, primary0, buffer);
    QCOMPARE(packed0.error, codec::RedundancyError::None);
    deliveries[0].payload.assign(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(packed0.bytes));
    const codec::RedundancyPackResult packed1 = codec::RedundancyPacker::serialize(blocks1, primary1, buffer);
    QCOMPARE(packed1.error, codec::RedundancyError::None);
    QCOMPARE(packed1.redundantFrames, 2);
    deliveries[1].payload.assign(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(packed1.bytes));
    if (firstLost)
        deliveries.erase(deliveries.begin());
    const Playout playout = play(deliveries);

    // Only packet 1's copy of packet 0 is taken.
    QCOMPARE(playout.stream.redundantBlocks, std::int64_t {1});
    QCOMPARE(playout.stream.malformedPayloads, std::int64_t {0});
    QCOMPARE(playout.jitter.rejectedPackets, std::int64_t {0});
    QCOMPARE(playout.jitter.resyncCount, std::int64_t {0});
    QCOMPARE(playout.jitter.lostPackets, std::int64_t {0});
    QCOMPARE(playout.jitter.duplicatePackets, std::int64_t {0});
    QCOMPARE(playout.jitter.packetsReceived, static_cast<std::int64_t>(deliveries.size()));
    QCOMPARE(playout.jitter.redundancyRecovered, std::int64_t {firstLost ? 1 : 0});
    QVERIFY(playout.jitter.decodedPackets >= static_cast<std::int64_t>(encoding.packets.size()) - 5);
    if (!firstLost) {
        // The copies changed nothing at all.
        const Playout clean = play(encoding.packets);
        QVERIFY(sameCounters(playout.jitter, clean.jitter));
        QVERIFY(playout.output == clean.output);
    }
    const Alignment alignment = align(input, playout.output, kMaxDelayFrames);
    QVERIFY2(alignment.waveformCorrelation > 0.8, qPrintable(describe(alignment)));
}

QTEST_APPLESS_MAIN(PlayoutStreamTest)
#include "PlayoutStreamTest.moc"

