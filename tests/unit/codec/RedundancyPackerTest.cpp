#include "CodecTestSignals.h"

#include "codec/OpusAudioDecoder.h"
#include "codec/OpusAudioEncoder.h"
#include "codec/RedundancyPacker.h"

#include <QTest>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

using namespace earshot::codec;

Q_DECLARE_METATYPE(earshot::codec::RedundancyError)

namespace {

using Bytes = std::vector<std::uint8_t>;

// A recognisable fake Opus packet: `size` bytes counting up from `first`.
Bytes frameBytes(std::size_t size, std::uint8_t first)
{
    Bytes bytes(size);
    std::iota(bytes.begin(), bytes.end(), first);
    return bytes;
}

bool sameBytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

} // namespace

class RedundancyPackerTest : public QObject {
    Q_OBJECT

private slots:
    void packsWithoutRedundancy();
    void carriesPreviousFrames_data();
    void carriesPreviousFrames();
    void historyStopsAtTimestampJumps();
    void timestampWrapIsContinuous();
    void oversizedFramesAreNotRepeated();
    void budgetDropsOldestFirst();
    void packRejectsBadInput();
    void serializeRoundTrips();
    void unpackRejectsMalformed_data();
    void unpackRejectsMalformed();
    void unpackRejectsEveryTruncation();
    void randomInputNeverCrashes();
    void redundantCopyRestoresLostPacketsExactly();
};

void RedundancyPackerTest::packsWithoutRedundancy()
{
    RedundancyPacker packer;
    QCOMPARE(packer.redundantFrames(), 0);
    const Bytes primary = frameBytes(80, 1);
    Bytes out(kMaxRedundancyPayloadBytes);
    for (std::uint32_t i = 0; i < 3; ++i) {
        const RedundancyPackResult packed = packer.pack(primary, i * 960, out);
        QCOMPARE(packed.error, RedundancyError::None);
        QCOMPARE(packed.bytes, primary.size() + 1);
        QCOMPARE(packed.redundantFrames, 0);
        QCOMPARE(out[0], std::uint8_t {0x40}); // version 1, no blocks
        const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(out).first(packed.bytes));
        QCOMPARE(unpacked.error, RedundancyError::None);
        QCOMPARE(unpacked.redundantCount, 0);
        QVERIFY(sameBytes(unpacked.primary, primary));
    }
}

void RedundancyPackerTest::carriesPreviousFrames_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("frameTicks");
    QTest::newRow("N=1, 20 ms") << 1 << 960;
    QTest::newRow("N=2, 20 ms") << 2 << 960;
    QTest::newRow("N=2, 10 ms") << 2 << 480;
    QTest::newRow("N=2, 60 ms") << 2 << 2880;
    QTest::newRow("N=3 clamps to 2") << 3 << 960;
}

void RedundancyPackerTest::carriesPreviousFrames()
{
    QFETCH(int, level);
    QFETCH(int, frameTicks);
    RedundancyPacker packer;
    packer.setRedundantFrames(level);
    const int expectedLevel = std::min(level, kMaxRedundantFrames);
    QCOMPARE(packer.redundantFrames(), expectedLevel);

    std::vector<Bytes> frames;
    Bytes out(kMaxRedundancyPayloadBytes);
    const std::uint32_t base = 123'456;
    for (int i = 0; i < 6; ++i) {
        frames.push_back(frameBytes(static_cast<std::size_t>(60 + i), static_cast<std::uint8_t>(i * 40)));
        const std::uint32_t timestamp = base + static_cast<std::uint32_t>(i * frameTicks);
        const RedundancyPackResult packed = packer.pack(frames.back(), timestamp, out);
        QCOMPARE(packed.error, RedundancyError::None);
        const int carried = std::min(i, expectedLevel); // only as many as came before
        QCOMPARE(packed.redundantFrames, carried);

        const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(out).first(packed.bytes));
        QCOMPARE(unpacked.error, RedundancyError::None);
        QVERIFY(sameBytes(unpacked.primary, frames.back()));
        QCOMPARE(unpacked.redundantCount, carried);
        for (int b = 0; b < carried; ++b) {
            // Oldest first: block b is the frame (carried - b) frames back.
            const int back = carried - b;
            const RedundantBlock& block = unpacked.redundantBlocks()[static_cast<std::size_t>(b)];
            QCOMPARE(block.timestampOffset, static_cast<std::uint32_t>(back * frameTicks));
            QVERIFY(sameBytes(block.payload, frames[static_cast<std::size_t>(i - back)]));
        }
    }
}

void RedundancyPackerTest::historyStopsAtTimestampJumps()
{
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    Bytes out(kMaxRedundancyPayloadBytes);
    const Bytes frame = frameBytes(50, 0);
    QCOMPARE(packer.pack(frame, 1000, out).redundantFrames, 0);
    QCOMPARE(packer.pack(frame, 1960, out).redundantFrames, 1);
    // 500 ms later (beyond the 14-bit offset): nothing old is worth repeating.
    QCOMPARE(packer.pack(frame, 1960 + 24'000, out).redundantFrames, 0);
    // Timestamps going backwards (a new stream with a random start): no repeats either.
    QCOMPARE(packer.pack(frame, 500, out).redundantFrames, 0);
    QCOMPARE(packer.pack(frame, 1460, out).redundantFrames, 1);
    packer.clearHistory();
    QCOMPARE(packer.pack(frame, 2420, out).redundantFrames, 0);
    packer.setRedundantFrames(0);
    QCOMPARE(packer.pack(frame, 3380, out).redundantFrames, 0);
    packer.setRedundantFrames(-5);
    QCOMPARE(packer.redundantFrames(), 0);
}

void RedundancyPackerTest::timestampWrapIsContinuous()
{
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    Bytes out(kMaxRedundancyPayloadBytes);
    const Bytes frame = frameBytes(30, 9);
    QVERIFY(packer.pack(frame, 0xFFFF'FC40u, out).error == RedundancyError::None); // 2^32 - 960
    QVERIFY(packer.pack(frame, 0u, out).redundantFrames == 1);
    const RedundancyPackResult packed = packer.pack(frame, 960u, out);
    QCOMPARE(packed.redundantFrames, 2);
    const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(out).first(packed.bytes));
    QCOMPARE(unpacked.redundantBlocks()[0].timestampOffset, 1920u);
    QCOMPARE(unpacked.redundantBlocks()[1].timestampOffset, 960u);
}

void RedundancyPackerTest::oversizedFramesAreNotRepeated()
{
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    Bytes out(kMaxRedundancyPayloadBytes);
    QCOMPARE(packer.pack(frameBytes(100, 0), 0, out).redundantFrames, 0);
    // Above 1023 bytes: sent as primary, never repeated; it also hides the frame before it.
    const Bytes large = frameBytes(kMaxRedundantBlockBytes + 1, 3);
    const RedundancyPackResult withLarge = packer.pack(large, 960, out);
    QCOMPARE(withLarge.error, RedundancyError::None);
    QCOMPARE(withLarge.redundantFrames, 1);
    QCOMPARE(packer.pack(frameBytes(100, 7), 1920, out).redundantFrames, 0);
    // Exactly 1023 bytes may be repeated.
    QCOMPARE(packer.pack(frameBytes(kMaxRedundantBlockBytes, 1), 2880, out).error, RedundancyError::None);
    QCOMPARE(packer.pack(frameBytes(10, 1), 3840, out).redundantFrames, 2);
}

void RedundancyPackerTest::budgetDropsOldestFirst()
{
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    Bytes out(kMaxRedundancyPayloadBytes);
    const Bytes older = frameBytes(200, 1);
    const Bytes previous = frameBytes(150, 2);
    const Bytes current = frameBytes(100, 3);
    QVERIFY(packer.pack(older, 0, out).error == RedundancyError::None);
    QVERIFY(packer.pack(previous, 960, out).error == RedundancyError::None);

    // Room for the previous frame but not both: the older one goes.
    Bytes budget(1 + 100 + 3 + 150 + 3 + 199);
    const RedundancyPackResult packed = packer.pack(current, 1920, budget);
    QCOMPARE(packed.error, RedundancyError::None);
    QCOMPARE(packed.redundantFrames, 1);
    const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(budget).first(packed.bytes));
    QCOMPARE(unpacked.redundantBlocks()[0].timestampOffset, 960u);
    QVERIFY(sameBytes(unpacked.redundantBlocks()[0].payload, previous));

    // Room for the primary only.
    Bytes tight(1 + 100);
    QCOMPARE(packer.pack(current, 2880, tight).redundantFrames, 0);
    // Not even that: an error, and nothing is remembered.
    Bytes tooTight(100);
    QCOMPARE(packer.pack(current, 3840, tooTight).error, RedundancyError::BufferTooSmall);
    QCOMPARE(packer.pack(current, 4800, out).redundantFrames, 2); // 2880 and 1920
}

void RedundancyPackerTest::packRejectsBadInput()
{
    RedundancyPacker packer;
    Bytes out(kMaxRedundancyPayloadBytes + 10);
    QCOMPARE(packer.pack({}, 0, out).error, RedundancyError::EmptyPrimary);
    QCOMPARE(packer.pack(frameBytes(kMaxRedundancyPayloadBytes, 0), 0, out).error, RedundancyError::Oversized);
    QCOMPARE(packer.pack(frameBytes(kMaxRedundancyPayloadBytes - 1, 0), 0, out).error, RedundancyError::None);
}

void RedundancyPackerTest::serializeRoundTrips()
{
    const Bytes a = frameBytes(kMaxRedundantBlockBytes, 1);
    const Bytes b = frameBytes(1, 2);
    const Bytes primary = frameBytes(5, 3);
    const RedundantBlock blocks[] = {{kMaxRedundantTimestampOffset, a}, {1, b}};
    Bytes out(kMaxRedundancyPayloadBytes);
    const RedundancyPackResult packed = RedundancyPacker::serialize(blocks, primary, out);
    QCOMPARE(packed.error, RedundancyError::None);
    QCOMPARE(packed.bytes, 1 + 2 * 3 + a.size() + b.size() + primary.size());
    const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(out).first(packed.bytes));
    QCOMPARE(unpacked.error, RedundancyError::None);
    QCOMPARE(unpacked.redundantCount, 2);
    QCOMPARE(unpacked.redundantBlocks()[0].timestampOffset, kMaxRedundantTimestampOffset);
    QVERIFY(sameBytes(unpacked.redundantBlocks()[0].payload, a));
    QCOMPARE(unpacked.redundantBlocks()[1].timestampOffset, 1u);
    QVERIFY(sameBytes(unpacked.redundantBlocks()[1].payload, b));
    QVERIFY(sameBytes(unpacked.primary, primary));

    // The writer refuses what the parser would refuse.
    const RedundantBlock increasing[] = {{1, b}, {2, b}};
    QCOMPARE(RedundancyPacker::serialize(increasing, primary, out).error, RedundancyError::BadOffset);
    const RedundantBlock zero[] = {{0, b}};
    QCOMPARE(RedundancyPacker::serialize(zero, primary, out).error, RedundancyError::BadOffset);
    const RedundantBlock far[] = {{kMaxRedundantTimestampOffset + 1, b}};
    QCOMPARE(RedundancyPacker::serialize(far, primary, out).error, RedundancyError::BadOffset);
    const RedundantBlock empty[] = {{5, {}}};
    QCOMPARE(RedundancyPacker::serialize(empty, primary, out).error, RedundancyError::BadBlockLength);
    const Bytes huge = frameBytes(kMaxRedundantBlockBytes + 1, 0);
    const RedundantBlock large[] = {{5, huge}};
    QCOMPARE(RedundancyPacker::serialize(large, primary, out).error, RedundancyError::BadBlockLength);
    const RedundantBlock three[] = {{3, b}, {2, b}, {1, b}};
    QCOMPARE(RedundancyPacker::serialize(three, primary, out).error, RedundancyError::TooManyBlocks);
    QCOMPARE(RedundancyPacker::serialize({}, {}, out).error, RedundancyError::EmptyPrimary);
    Bytes small(5); // header + primary need 6
    QCOMPARE(RedundancyPacker::serialize({}, primary, small).error, RedundancyError::BufferTooSmall);
}

void RedundancyPackerTest::unpackRejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<RedundancyError>("error");
    const auto hex = [](const char* text) { return QByteArray::fromHex(text); };

    QTest::newRow("empty") << QByteArray() << RedundancyError::Empty;
    QTest::newRow("oversized") << QByteArray(int(kMaxRedundancyPayloadBytes) + 1, '\x40') << RedundancyError::Oversized;
    QTest::newRow("version 0") << hex("00aa") << RedundancyError::UnsupportedVersion;
    QTest::newRow("version 2") << hex("80aa") << RedundancyError::UnsupportedVersion;
    QTest::newRow("version 3") << hex("c0aa") << RedundancyError::UnsupportedVersion;
    QTest::newRow("reserved bit") << hex("44aa") << RedundancyError::ReservedBitsSet;
    QTest::newRow("three blocks") << hex("43000401000401000401aabbccdd") << RedundancyError::TooManyBlocks;
    QTest::newRow("header only") << hex("40") << RedundancyError::EmptyPrimary;
    QTest::newRow("block header cut") << hex("41000c") << RedundancyError::Truncated;
    // offset 960 (0x3c0 << 10 = 0x0f0000) | length 2
    QTest::newRow("block data cut") << hex("410f0002aa") << RedundancyError::Truncated;
    QTest::newRow("no primary after block") << hex("410f0002aabb") << RedundancyError::EmptyPrimary;
    QTest::newRow("zero offset") << hex("41000002aabbcc") << RedundancyError::BadOffset;
    QTest::newRow("zero length") << hex("410f0000cc") << RedundancyError::BadBlockLength;
    QTest::newRow("offsets not decreasing")
        << hex("420f00010f0001aabbcc") << RedundancyError::BadOffset;
    QTest::newRow("offsets increasing") << hex("420f00011e0001aabbcc") << RedundancyError::BadOffset;
    QTest::newRow("length past end") << hex("420f03ff0f0001aabbcc") << RedundancyError::Truncated;
    QTest::newRow("valid two blocks") << hex("421e00010f0001aabbcc") << RedundancyError::None;
    QTest::newRow("valid max offset") << hex("41fffc01aabb") << RedundancyError::None;
}

void RedundancyPackerTest::unpackRejectsMalformed()
{
    QFETCH(QByteArray, payload);
    QFETCH(RedundancyError, error);
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(payload.constData()),
                                 static_cast<std::size_t>(payload.size()));
    const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(bytes);
    QCOMPARE(unpacked.error, error);
    if (error != RedundancyError::None) {
        QVERIFY(unpacked.primary.empty());
        QCOMPARE(unpacked.redundantCount, 0);
    }
    QVERIFY(errorText(error) != nullptr);
}

void RedundancyPackerTest::unpackRejectsEveryTruncation()
{
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    Bytes out(kMaxRedundancyPayloadBytes);
    QVERIFY(packer.pack(frameBytes(40, 1), 0, out).error == RedundancyError::None);
    QVERIFY(packer.pack(frameBytes(41, 2), 960, out).error == RedundancyError::None);
    const RedundancyPackResult packed = packer.pack(frameBytes(42, 3), 1920, out);
    QCOMPARE(packed.redundantFrames, 2);
    // Every prefix that ends inside the blocks is rejected; from the first primary byte on, a
    // shorter primary is indistinguishable from a real one (Opus packets carry no length).
    const std::size_t primaryAt = packed.bytes - 42;
    for (std::size_t length = 0; length <= primaryAt; ++length)
        QVERIFY(RedundancyPacker::unpack(std::span(out).first(length)).error != RedundancyError::None);
    for (std::size_t length = primaryAt + 1; length <= packed.bytes; ++length)
        QCOMPARE(RedundancyPacker::unpack(std::span(out).first(length)).error, RedundancyError::None);
}

void RedundancyPackerTest::randomInputNeverCrashes()
{
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 64);
    Bytes input;
    Bytes rewritten(kMaxRedundancyPayloadBytes);
    int accepted = 0;
    for (int i = 0; i < 10'000; ++i) {
        input.resize(static_cast<std::size_t>(i % 100 == 0 ? 1600 : length(random)));
        for (std::uint8_t& b : input)
            b = static_cast<std::uint8_t>(byte(random));
        if (i % 2 == 0 && !input.empty())
            input[0] = static_cast<std::uint8_t>(0x40 | (input[0] & 0x03)); // get past the version check
        const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(input);
        if (unpacked.error != RedundancyError::None)
            continue;
        ++accepted;
        // What the parser accepts, the writer reproduces byte for byte (one canonical form).
        const RedundancyPackResult again
            = RedundancyPacker::serialize(unpacked.redundantBlocks(), unpacked.primary, rewritten);
        QCOMPARE(again.error, RedundancyError::None);
        QVERIFY(sameBytes(std::span(rewritten).first(again.bytes), input));
    }
    qInfo("%d of 10000 random payloads parsed", accepted);
    QVERIFY(accepted > 0);
}

void RedundancyPackerTest::redundantCopyRestoresLostPacketsExactly()
{
    // Sender: Opus at 20 ms, every packet carrying the two before it.
    EncoderCreateResult encoderCreated = OpusAudioEncoder::create({});
    QVERIFY(encoderCreated.encoder);
    OpusAudioEncoder& encoder = *encoderCreated.encoder;
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    const std::vector<float> input = test::speechLike(test::kRateHz);
    std::vector<Bytes> opusPackets;
    std::vector<Bytes> payloads;
    Bytes opus(kMaxPacketBytes);
    Bytes payload(kMaxRedundancyPayloadBytes);
    for (std::size_t at = 0; at + 960 <= input.size(); at += 960) {
        const EncodeResult encoded = encoder.encode(std::span(input).subspan(at, 960), opus);
        QVERIFY(encoded.ok());
        opusPackets.emplace_back(opus.begin(), opus.begin() + encoded.bytes);
        const RedundancyPackResult packed = packer.pack(opusPackets.back(), static_cast<std::uint32_t>(at), payload);
        QCOMPARE(packed.error, RedundancyError::None);
        payloads.emplace_back(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(packed.bytes));
    }

    // Receivers: one gets everything; the other loses packets 10, 20-21 (a burst of two) and
    // takes them from the redundancy of the next packet that arrives.
    const auto decodeStream = [&](const std::vector<bool>& lost) {
        std::vector<bool> missing = lost;
        DecoderCreateResult created = OpusAudioDecoder::create(ChannelLayout::Mono);
        std::vector<float> pcm;
        std::vector<float> frame(static_cast<std::size_t>(kMaxFramesPerPacket));
        const auto play = [&](std::span<const std::uint8_t> packet) {
            const int frames = created.decoder->decode(packet, frame);
            pcm.insert(pcm.end(), frame.begin(), frame.begin() + std::max(frames, 0));
        };
        for (std::size_t s = 0; s < payloads.size(); ++s) {
            if (lost[s])
                continue;
            const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(payloads[s]);
            if (unpacked.error != RedundancyError::None)
                return std::vector<float> {};
            const auto count = static_cast<std::size_t>(unpacked.redundantCount);
            for (std::size_t i = 0; i < count; ++i) {
                const std::size_t sequence = s - (count - i); // block i is packet s - (n - i)
                if (missing[sequence]) {
                    play(unpacked.redundantBlocks()[i].payload);
                    missing[sequence] = false;
                }
            }
            play(unpacked.primary);
        }
        return pcm;
    };
    std::vector<bool> none(payloads.size(), false);
    std::vector<bool> some = none;
    some[10] = some[20] = some[21] = true;
    const std::vector<float> reference = decodeStream(none);
    const std::vector<float> recovered = decodeStream(some);
    QCOMPARE(reference.size(), input.size());
    // Same bitstream in the same order: the output is bit-identical, not merely similar.
    QVERIFY(recovered == reference);
}

QTEST_GUILESS_MAIN(RedundancyPackerTest)
#include "RedundancyPackerTest.moc"
