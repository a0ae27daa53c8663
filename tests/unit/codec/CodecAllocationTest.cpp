// Checks the media-thread contract of earshot::codec (DESIGN.md §3): after construction, encoding,
// packing, unpacking, decoding, FEC and concealment allocate nothing. The test replaces glibc's
// malloc family for this executable (glibc supports that) and counts calls made by the test
// thread while armed; libopus allocates with malloc, so this sees inside it too. Sanitizer builds
// bring their own allocator, so the count is compiled out there and the test skips.
#include "CodecTestSignals.h"

#include "codec/OpusAudioDecoder.h"
#include "codec/OpusAudioEncoder.h"
#include "codec/RedundancyPacker.h"
#include "codec/RedundancyPolicy.h"

#include <QTest>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "AllocationCounter.h"

using earshot::test::AllocationCounter;
using namespace earshot::codec;

class CodecAllocationTest : public QObject {
    Q_OBJECT

private slots:
    void counterWorks();
    void steadyStateAllocatesNothing();
};

void CodecAllocationTest::counterWorks()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("allocation counting needs glibc's allocator (not available under sanitizers)");
#else
    int counted = 0;
    {
        const AllocationCounter counter;
        auto* volatile vector = new std::vector<int>(100);
        delete vector;
        counted = counter.count();
    }
    QVERIFY(counted >= 2); // the vector object and its storage
#endif
}

void CodecAllocationTest::steadyStateAllocatesNothing()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("allocation counting needs glibc's allocator (not available under sanitizers)");
#else
    EncoderConfig config;
    config.expectedLossPercent = 10;
    EncoderCreateResult encoderCreated = OpusAudioEncoder::create(config);
    DecoderCreateResult decoderCreated = OpusAudioDecoder::create(ChannelLayout::Mono);
    QVERIFY(encoderCreated.encoder && decoderCreated.decoder);
    OpusAudioEncoder& encoder = *encoderCreated.encoder;
    OpusAudioDecoder& decoder = *decoderCreated.decoder;
    RedundancyPacker packer;
    packer.setRedundantFrames(2);
    RedundancyPolicy policy;

    constexpr int kFrames = 100;
    const std::vector<float> input = test::speechLike(960 * kFrames);
    std::vector<std::uint8_t> opusPacket(kMaxPacketBytes);
    std::vector<std::uint8_t> payload(kMaxRedundancyPayloadBytes);
    std::vector<float> pcm(static_cast<std::size_t>(kMaxFramesPerPacket));
    std::array<int, kFrames> decoded {};
    int failures = 0;

    int allocations = 0;
    {
        const AllocationCounter counter;
        for (int i = 0; i < kFrames; ++i) {
            const RedundancyDecision decision = policy.onLossReport(i % 10 == 0 ? 0.2 : 0.0, i * 20);
            packer.setRedundantFrames(decision.redundantFrames);
            failures += encoder.setExpectedLossPercent(decision.expectedLossPercent) != CodecError::None;
            const EncodeResult encoded
                = encoder.encode(std::span(input).subspan(static_cast<std::size_t>(i) * 960, 960), opusPacket);
            failures += !encoded.ok();
            const RedundancyPackResult packed = packer.pack(
                std::span(opusPacket).first(static_cast<std::size_t>(encoded.bytes)), static_cast<std::uint32_t>(i * 960),
                payload);
            const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(std::span(payload).first(packed.bytes));
            failures += unpacked.error != RedundancyError::None;
            if (i % 7 == 3) {
                failures += decoder.decodeFec(unpacked.primary, 960, pcm) < 0 && decoder.conceal(960, pcm) < 0;
            } else {
                for (const RedundantBlock& block : unpacked.redundantBlocks())
                    failures += decoder.framesInPacket(block.payload) != 960;
                decoded[static_cast<std::size_t>(i)] = decoder.decode(unpacked.primary, pcm);
            }
        }
        allocations = counter.count();
    }
    QCOMPARE(failures, 0);
    QCOMPARE(decoded[1], 960);
    QCOMPARE(allocations, 0);
#endif
}

QTEST_GUILESS_MAIN(CodecAllocationTest)
#include "CodecAllocationTest.moc"
