// CaptureChain: what the published stream carries (packets, timestamps, markers, redundancy) in
// each transmission mode, for each frame duration, through DTX, mute, pauses in publishing, loss
// reports and capture volume changes; create()'s errors; 3A in the chain; and the real-time
// contract of process(). The packets are decoded with a real Opus decoder and compared with the
// input (MediaTestSignals.h). Allocations are counted with tests/support/AllocationCounter.h;
// sanitizer builds skip that test.
#include "MediaTestSignals.h"

#include "apm/AudioProcessor.h"
#include "codec/OpusAudioDecoder.h"
#include "codec/RedundancyPacker.h"
#include "media/CaptureChain.h"
#include "media/EncodedPacketSink.h"
#include "media/ProcessedCaptureSink.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "AllocationCounter.h"

using namespace earshot;
using namespace earshot::media;
using earshot::media::test::align;
using earshot::media::test::Alignment;
using earshot::media::test::kRateHz;
using earshot::media::test::speechLike;
using earshot::test::AllocationCounter;

Q_DECLARE_METATYPE(earshot::codec::CodecError)
Q_DECLARE_METATYPE(earshot::codec::FrameDuration)
Q_DECLARE_METATYPE(earshot::vad::TransmissionMode)

namespace {

constexpr int kPacketFrames = 960; // 20 ms, the default frame duration

struct RecordedPacket {
    std::uint32_t timestamp = 0;
    bool marker = false;
    int frames = 0;
    int redundantFrames = 0;
    std::vector<std::uint8_t> payload;
    std::int64_t block = 0; // index of the block whose process() produced it
};

// A chain recording its packets (copied) and what it sent, fed mono blocks.
struct Harness final : EncodedPacketSink {
    explicit Harness(const CaptureChainConfig& config, apm::AudioProcessor* processor = nullptr)
        : chain(CaptureChain::create(config, processor, *this))
        , initialTimestamp(config.initialTimestamp)
    {
    }

    void onEncodedPacket(const EncodedPacket& packet) override
    {
        packets.push_back({packet.timestamp, packet.marker, packet.frames, packet.redundantFrames,
                           std::vector<std::uint8_t>(packet.payload.begin(), packet.payload.end()), blocks});
    }

    void processBlock(std::span<const float> samples)
    {
        std::array<float, kBlockFrames> block {};
        std::copy(samples.begin(), samples.end(), block.begin());
        chain->process(block);
        ++blocks;
        sent.insert(sent.end(), block.begin(), block.end());
    }

    // Processes `input` block by block, zero-padding the last one.
    void feed(std::span<const float> input)
    {
        for (std::size_t start = 0; start < input.size(); start += kBlockFrames)
            processBlock(input.subspan(start, std::min<std::size_t>(kBlockFrames, input.size() - start)));
    }

    // The packet's timestamp relative to the first frame's, in frames.
    [[nodiscard]] std::int64_t offsetOf(const RecordedPacket& packet) const
    {
        return static_cast<std::uint32_t>(packet.timestamp - initialTimestamp);
    }

    std::vector<RecordedPacket> packets;
    std::unique_ptr<CaptureChain> chain;
    std::uint32_t initialTimestamp;
    std::int64_t blocks = 0;
    std::vector<float> sent;
};

// Counts without allocating (for the allocation test and the recording).
struct CountingSink final : EncodedPacketSink, ProcessedCaptureSink {
    void onEncodedPacket(const EncodedPacket&) override { ++packets; }
    void onProcessedCapture(std::span<const float> block) override
    {
        ++blocks;
        for (const float sample : block)
            energy += static_cast<double>(sample) * sample;
    }

    int packets = 0;
    int blocks = 0;
    double energy = 0.0;
};

double rms(std::span<const float> samples)
{
    double sum = 0.0;
    for (const float sample : samples)
        sum += static_cast<double>(sample) * sample;
    return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

// Each packet's primary frame, unpacked and decoded in order by one mono decoder; an empty
// vector for a packet that failed to unpack or decode.
std::vector<std::vector<float>> decodeEach(const std::vector<RecordedPacket>& packets)
{
    codec::DecoderCreateResult created = codec::OpusAudioDecoder::create(codec::ChannelLayout::Mono);
    std::vector<std::vector<float>> decoded;
    std::vector<float> pcm(static_cast<std::size_t>(codec::kMaxFramesPerPacket));
    for (const RecordedPacket& packet : packets) {
        const codec::RedundancyUnpackResult unpacked = codec::RedundancyPacker::unpack(packet.payload);
        const int frames = unpacked.error == codec::RedundancyError::None && created.decoder
            ? created.decoder->decode(unpacked.primary, pcm)
            : -1;
        decoded.emplace_back(pcm.begin(), pcm.begin() + std::max(frames, 0));
    }
    return decoded;
}

bool allDecoded(const std::vector<std::vector<float>>& decoded)
{
    return std::none_of(decoded.begin(), decoded.end(), [](const auto& frame) { return frame.empty(); });
}

// The packets decoded and laid out at their timestamps (skipped frames silent); empty when one
// of them failed to decode.
std::vector<float> decodeStream(const Harness& harness)
{
    const std::vector<std::vector<float>> decoded = decodeEach(harness.packets);
    if (!allDecoded(decoded))
        return {};
    std::vector<float> output(static_cast<std::size_t>(harness.blocks * kBlockFrames), 0.0f);
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        const auto at = static_cast<std::size_t>(harness.offsetOf(harness.packets[i]));
        for (std::size_t j = 0; j < decoded[i].size() && at + j < output.size(); ++j)
            output[at + j] = decoded[i][j];
    }
    return output;
}

// Empty when `output` repeats `input` within 4 frames of `expectedDelay` with a waveform
// correlation above 0.8; otherwise what was found.
QString misalignment(std::span<const float> input, std::span<const float> output, int expectedDelay)
{
    const Alignment found = align(input, output, expectedDelay + 2400);
    if (std::abs(found.delayFrames - expectedDelay) <= 4 && found.waveformCorrelation > 0.8)
        return {};
    return QStringLiteral("delay %1 (expected %2), correlation %3")
        .arg(found.delayFrames)
        .arg(expectedDelay)
        .arg(found.waveformCorrelation);
}

// Checks the timestamps and markers of a stream of `frames`-frame packets: every step is a whole
// number of frames and a packet follows skipped frames exactly when it has the marker; with an
// `input`, every skipped frame was digital silence in it. Returns the number of skipped frames
// (to compare with the chain's DTX count), or −1.
std::int64_t checkTimeline(const Harness& harness, int frames, std::span<const float> input = {})
{
    std::int64_t skipped = 0;
    std::int64_t previousOffset = -frames; // the first packet should start at the initial timestamp
    for (const RecordedPacket& packet : harness.packets) {
        const std::int64_t offset = harness.offsetOf(packet);
        const std::int64_t step = offset - previousOffset;
        if (step < frames || step % frames != 0 || packet.frames != frames)
            return -1;
        if (packet.marker != (step != frames || previousOffset < 0))
            return -1;
        for (auto i = std::max<std::int64_t>(previousOffset + frames, 0);
             i < std::min<std::int64_t>(offset, static_cast<std::int64_t>(input.size())); ++i) {
            if (input[static_cast<std::size_t>(i)] != 0.0f)
                return -1;
        }
        skipped += step / frames - 1;
        previousOffset = offset;
    }
    // Frames encoded after the last packet and skipped.
    return skipped + harness.chain->statistics().framesEncoded - 1 - previousOffset / frames;
}

} // namespace

class CaptureChainTest : public QObject {
    Q_OBJECT

private slots:
    void continuousStreamRepeatsInput_data();
    void continuousStreamRepeatsInput();
    void frameDurations_data();
    void frameDurations();
    void dtxSkipsDigitalSilence_data();
    void dtxSkipsDigitalSilence();
    void voiceActivationSendsOnlySpeech();
    void microphoneMuteSendsSilence();
    void notSendingStillProcesses_data();
    void notSendingStillProcesses();
    void lossReportAddsRedundancy();
    void captureVolumeScalesWhatIsSent();
    void createChecksConfig_data();
    void createChecksConfig();
    void audioProcessorInTheChain();
    void processDoesNotAllocate();
};

void CaptureChainTest::continuousStreamRepeatsInput_data()
{
    QTest::addColumn<int>("preRollMs");
    QTest::addColumn<quint32>("initialTimestamp");
    // Continuous transmission is never delayed by the gate, whatever its pre-roll.
    QTest::newRow("timestamps wrap") << 0 << quint32 {0xFFFF'FE00u};
    QTest::newRow("200 ms pre-roll configured") << 200 << quint32 {123'456u};
}

void CaptureChainTest::continuousStreamRepeatsInput()
{
    QFETCH(int, preRollMs);
    QFETCH(quint32, initialTimestamp);
    CaptureChainConfig config;
    config.gate.preRollMs = preRollMs;
    config.initialTimestamp = initialTimestamp;
    Harness harness(config);
    QVERIFY(harness.chain);
    const std::vector<float> input = speechLike(3.0);
    harness.feed(input);

    const auto& packets = harness.packets;
    const CaptureStatistics& statistics = harness.chain->statistics();
    const std::int64_t frames = harness.blocks * kBlockFrames / kPacketFrames;
    QCOMPARE(statistics.blocks, harness.blocks);
    QCOMPARE(statistics.framesEncoded, frames);
    QCOMPARE(statistics.packetsSent, static_cast<std::int64_t>(packets.size()));
    QCOMPARE(statistics.packetsSent + statistics.dtxFramesSkipped, frames);
    QCOMPARE(statistics.encodeErrors, std::int64_t {0});
    QVERIFY(!packets.empty());
    QVERIFY(harness.chain->hasCapturedAudio());
    QCOMPARE(harness.chain->gate().latencyFrames(), 0);
    // One packet per 20 ms from the initial timestamp on; only digital silence may be skipped.
    QCOMPARE(checkTimeline(harness, kPacketFrames, input), statistics.dtxFramesSkipped);
    if (statistics.dtxFramesSkipped == 0)
        QCOMPARE(packets.front().timestamp, initialTimestamp);
    std::int64_t payloadBytes = 0;
    for (const RecordedPacket& packet : packets) {
        payloadBytes += static_cast<std::int64_t>(packet.payload.size());
        QCOMPARE(packet.redundantFrames, 0);
    }
    QCOMPARE(statistics.payloadBytesSent, payloadBytes);

    // The decoded stream is the input, delayed by the encoder's lookahead.
    const std::vector<float> output = decodeStream(harness);
    QVERIFY(!output.empty());
    const QString problem = misalignment(input, output, harness.chain->encoder().lookaheadFrames());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void CaptureChainTest::frameDurations_data()
{
    QTest::addColumn<codec::FrameDuration>("duration");
    QTest::newRow("10 ms") << codec::FrameDuration::Ms10;
    QTest::newRow("20 ms") << codec::FrameDuration::Ms20;
    QTest::newRow("40 ms") << codec::FrameDuration::Ms40;
    QTest::newRow("60 ms") << codec::FrameDuration::Ms60;
}

void CaptureChainTest::frameDurations()
{
    QFETCH(codec::FrameDuration, duration);
    CaptureChainConfig config;
    config.encoder.frameDuration = duration;
    config.initialTimestamp = 777;
    Harness harness(config);
    QVERIFY(harness.chain);
    const int frames = codec::framesPerPacket(duration);
    QCOMPARE(harness.chain->encoder().framesPerPacket(), frames);
    harness.feed(speechLike(2.4)); // a whole number of 60 ms frames

    const std::int64_t expectedFrames = harness.blocks * kBlockFrames / frames;
    const CaptureStatistics& statistics = harness.chain->statistics();
    QCOMPARE(statistics.framesEncoded, expectedFrames);
    QCOMPARE(statistics.packetsSent + statistics.dtxFramesSkipped, expectedFrames);
    // Speech with short pauses: (almost) every frame goes out, 1000 / duration packets per second.
    QVERIFY(statistics.dtxFramesSkipped <= expectedFrames / 10);
    QCOMPARE(static_cast<std::int64_t>(harness.packets.size()), statistics.packetsSent);
    QCOMPARE(checkTimeline(harness, frames), statistics.dtxFramesSkipped);
    // The Opus packets themselves have that duration.
    for (const std::vector<float>& decoded : decodeEach(harness.packets))
        QCOMPARE(static_cast<int>(decoded.size()), frames);
}

void CaptureChainTest::dtxSkipsDigitalSilence_data()
{
    QTest::addColumn<vad::TransmissionMode>("mode");
    QTest::newRow("continuous") << vad::TransmissionMode::Continuous;
    QTest::newRow("voice activation") << vad::TransmissionMode::VoiceActivation;
}

void CaptureChainTest::dtxSkipsDigitalSilence()
{
    QFETCH(vad::TransmissionMode, mode);
    CaptureChainConfig config;
    config.mode = mode;
    config.initialTimestamp = 1'000'000;
    Harness harness(config);
    QVERIFY(harness.chain);
    constexpr double kSilenceSeconds = 3.0;
    std::vector<float> input = speechLike(0.8, 0.5f, 1);
    input.resize(input.size() + static_cast<std::size_t>(kSilenceSeconds * kRateHz), 0.0f);
    const std::size_t resumeFrame = input.size();
    const std::vector<float> speech = speechLike(1.0, 0.5f, 2);
    input.insert(input.end(), speech.begin(), speech.end());
    harness.feed(input);

    const CaptureStatistics& statistics = harness.chain->statistics();
    const auto silentFrames = static_cast<std::int64_t>(kSilenceSeconds * kRateHz) / kPacketFrames;
    // Opus marks silence with 1–2 byte DTX frames (no audio), which are skipped: most of the
    // silence costs nothing but a comfort-noise update every 400 ms.
    const auto dtxSent = std::count_if(harness.packets.begin(), harness.packets.end(),
                                       [](const RecordedPacket& packet) { return packet.payload.size() <= 1 + 2; });
    QVERIFY2(statistics.dtxFramesSkipped > silentFrames / 2,
             qPrintable(QStringLiteral("%1 of %2 silent frames skipped, %3 DTX frames sent")
                            .arg(statistics.dtxFramesSkipped).arg(silentFrames).arg(dtxSent)));
    QCOMPARE(statistics.packetsSent + statistics.dtxFramesSkipped, statistics.framesEncoded);
    // The timestamps jump by exactly the skipped frames, and each packet after a skip is marked.
    QCOMPARE(checkTimeline(harness, kPacketFrames), statistics.dtxFramesSkipped);

    // The speech after the pause goes out whole, delayed by the encoder's lookahead and, in a
    // voice-activation spurt, the gate's pre-roll.
    const std::vector<float> output = decodeStream(harness);
    QVERIFY(!output.empty());
    const int gateDelay = mode == vad::TransmissionMode::VoiceActivation ? harness.chain->gate().maxLatencyFrames() : 0;
    const QString problem = misalignment(std::span<const float>(input).subspan(resumeFrame),
                                         std::span<const float>(output).subspan(resumeFrame),
                                         gateDelay + harness.chain->encoder().lookaheadFrames());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void CaptureChainTest::voiceActivationSendsOnlySpeech()
{
    CaptureChainConfig config;
    config.mode = vad::TransmissionMode::VoiceActivation;
    Harness harness(config);
    QVERIFY(harness.chain);
    // 2 s of faint steady noise (−55 dBFS RMS), then speech.
    constexpr int kSilenceFrames = 2 * kRateHz;
    std::vector<float> input(static_cast<std::size_t>(kSilenceFrames));
    std::mt19937 random(3);
    std::uniform_real_distribution<float> noise(-0.003f, 0.003f);
    for (float& sample : input)
        sample = noise(random);
    const std::vector<float> speech = speechLike(2.0);
    input.insert(input.end(), speech.begin(), speech.end());

    harness.feed(std::span<const float>(input).first(kSilenceFrames));
    QVERIFY(!harness.chain->hasCapturedAudio());
    QCOMPARE(harness.chain->level().level(), 0);
    const std::size_t silencePackets = harness.packets.size();
    harness.feed(std::span<const float>(input).subspan(kSilenceFrames));
    QVERIFY(harness.chain->hasCapturedAudio());

    const auto& packets = harness.packets;
    const std::vector<std::vector<float>> decoded = decodeEach(packets);
    QVERIFY(allDecoded(decoded));
    // While the gate is closed only DTX / comfort-noise updates go out, and they carry nothing:
    // not even the noise that was captured.
    const std::int64_t closedFrames = kSilenceFrames / kPacketFrames;
    QVERIFY2(static_cast<std::int64_t>(silencePackets) <= closedFrames / 4,
             qPrintable(QStringLiteral("%1 packets in %2 silent frames").arg(silencePackets).arg(closedFrames)));
    for (std::size_t i = 0; i < silencePackets; ++i)
        QVERIFY2(rms(decoded[i]) < 1e-4, qPrintable(QStringLiteral("packet %1: rms %2").arg(i).arg(rms(decoded[i]))));
    QVERIFY(harness.chain->statistics().dtxFramesSkipped >= closedFrames - static_cast<std::int64_t>(silencePackets));

    // Speech: every frame from the gate's opening on is sent, and it is the speech.
    QVERIFY(packets.size() > silencePackets);
    QVERIFY(packets[silencePackets].marker);
    const std::int64_t speechFrames = (harness.blocks * kBlockFrames - kSilenceFrames) / kPacketFrames;
    QVERIFY2(static_cast<std::int64_t>(packets.size() - silencePackets) >= speechFrames * 9 / 10,
             qPrintable(QStringLiteral("%1 packets in %2 speech frames")
                            .arg(packets.size() - silencePackets)
                            .arg(speechFrames)));
    const std::vector<float> output = decodeStream(harness);
    QVERIFY(rms(std::span<const float>(output).subspan(kSilenceFrames)) > 0.05);
    // A spurt lags the input by the gate's whole pre-roll (the noise before it was never sent).
    QVERIFY(harness.chain->gate().maxLatencyFrames() > 0);
    const QString problem = misalignment(
        input, output, harness.chain->gate().maxLatencyFrames() + harness.chain->encoder().lookaheadFrames());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void CaptureChainTest::microphoneMuteSendsSilence()
{
    Harness harness(CaptureChainConfig {});
    QVERIFY(harness.chain);
    const std::vector<float> input = speechLike(4.0);
    constexpr int kMuteBlock = 100;
    constexpr int kUnmuteBlock = 300;
    for (std::size_t start = 0; start < input.size(); start += kBlockFrames) {
        if (harness.blocks == kMuteBlock)
            harness.chain->gate().setMicrophoneMute(vad::MicrophoneMute::On);
        if (harness.blocks == kUnmuteBlock)
            harness.chain->gate().setMicrophoneMute(vad::MicrophoneMute::Off);
        harness.processBlock(std::span<const float>(input).subspan(start, kBlockFrames));
    }
    QVERIFY(harness.chain->statistics().dtxFramesSkipped > 0);

    // Silence from the end of the mute's 5 ms fade until unmuting (continuous transmission is
    // not delayed).
    const std::int64_t muteStart = kMuteBlock * kBlockFrames;
    const std::int64_t silentFrom = muteStart + kRateHz * 5 / 1000;
    const std::int64_t silentUntil = kUnmuteBlock * kBlockFrames + harness.chain->gate().latencyFrames();
    for (std::int64_t i = silentFrom; i < silentUntil; ++i)
        QCOMPARE(harness.sent[static_cast<std::size_t>(i)], 0.0f);

    const auto& packets = harness.packets;
    const std::vector<std::vector<float>> decoded = decodeEach(packets);
    QVERIFY(allDecoded(decoded));
    std::vector<float> before;
    std::vector<float> after;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const std::int64_t offset = harness.offsetOf(packets[i]);
        if (offset + kPacketFrames <= muteStart) {
            before.insert(before.end(), decoded[i].begin(), decoded[i].end());
        } else if (offset >= silentFrom + kPacketFrames && offset + kPacketFrames <= silentUntil) {
            QVERIFY2(rms(decoded[i]) < 1e-3, qPrintable(QString::number(offset)));
        } else if (offset >= silentUntil + kPacketFrames) {
            after.insert(after.end(), decoded[i].begin(), decoded[i].end());
        }
    }
    QVERIFY(rms(before) > 0.05);
    QVERIFY(rms(after) > 0.05);
}

void CaptureChainTest::notSendingStillProcesses_data()
{
    QTest::addColumn<int>("pauseBlock");
    QTest::addColumn<int>("pauseBlocks");
    QTest::newRow("paused at a frame boundary") << 100 << 37;
    QTest::newRow("paused inside a frame") << 101 << 40;
}

void CaptureChainTest::notSendingStillProcesses()
{
    QFETCH(int, pauseBlock);
    QFETCH(int, pauseBlocks);
    CaptureChainConfig config;
    config.initialTimestamp = 0xFFFF'0000u;
    Harness harness(config);
    QVERIFY(harness.chain);
    CountingSink recording;
    harness.chain->setProcessedCaptureSink(&recording);
    const std::vector<float> input = speechLike(3.0);
    const auto nextBlock = [&] {
        const auto start = static_cast<std::size_t>(harness.blocks) * kBlockFrames;
        return std::span<const float>(input).subspan(start, kBlockFrames);
    };
    while (harness.blocks < pauseBlock)
        harness.processBlock(nextBlock());
    QVERIFY(harness.chain->isSending());
    const std::size_t packetsBefore = harness.packets.size();
    const std::int64_t framesBefore = harness.chain->statistics().framesEncoded;
    QVERIFY(packetsBefore > 0);

    harness.chain->setSending(false);
    QVERIFY(!harness.chain->isSending());
    float lowest = 100.0f;
    float highest = 0.0f;
    const int recordedBefore = recording.blocks;
    const double energyBefore = recording.energy;
    for (int i = 0; i < pauseBlocks; ++i) {
        harness.processBlock(nextBlock());
        lowest = std::min(lowest, harness.chain->level().exactLevel());
        highest = std::max(highest, harness.chain->level().exactLevel());
    }
    QCOMPARE(harness.packets.size(), packetsBefore);
    QCOMPARE(harness.chain->statistics().framesEncoded, framesBefore);
    QCOMPARE(harness.chain->statistics().blocks, harness.blocks);
    QCOMPARE(recording.blocks, recordedBefore + pauseBlocks);
    QVERIFY(recording.energy > energyBefore);
    QVERIFY2(highest > 30.0f && highest - lowest > 1.0f,
             qPrintable(QStringLiteral("level %1..%2").arg(lowest).arg(highest)));

    harness.chain->setSending(true);
    const std::int64_t resumeBlock = harness.blocks;
    while (harness.blocks < resumeBlock + 50)
        harness.processBlock(nextBlock());
    const auto& packets = harness.packets;
    QVERIFY(packets.size() > packetsBefore + 20);
    const RecordedPacket& resumed = packets[packetsBefore];
    QVERIFY(resumed.marker);
    QCOMPARE(resumed.block, resumeBlock + 1); // the first frame after resuming completes then
    // RTP time ran on through the pause: the first frame after it starts at the resume block.
    QCOMPARE(harness.offsetOf(resumed), resumeBlock * kBlockFrames);
    for (std::size_t i = packetsBefore + 1; i < packets.size(); ++i) {
        QVERIFY(!packets[i].marker);
        QCOMPARE(packets[i].timestamp - packets[i - 1].timestamp, std::uint32_t {kPacketFrames});
    }
    // A fresh encoder: the first packet after the pause decodes on its own.
    QVERIFY(allDecoded(decodeEach({resumed})));
}

void CaptureChainTest::lossReportAddsRedundancy()
{
    Harness harness(CaptureChainConfig {});
    QVERIFY(harness.chain);
    const std::vector<float> input = speechLike(12.0);
    std::size_t position = 0;
    // Processes `blocks` more blocks and checks that every new packet carries `expected`
    // redundant frames: byte for byte the primaries of the packets just before it.
    const auto run = [&](int blocks, int expected) {
        const std::size_t first = harness.packets.size();
        for (int i = 0; i < blocks; ++i, position += kBlockFrames)
            harness.processBlock(std::span<const float>(input).subspan(position % input.size(), kBlockFrames));
        const auto& packets = harness.packets;
        bool ok = packets.size() > first;
        for (std::size_t i = first; i < packets.size() && ok; ++i) {
            const codec::RedundancyUnpackResult unpacked = codec::RedundancyPacker::unpack(packets[i].payload);
            ok = unpacked.error == codec::RedundancyError::None && packets[i].redundantFrames == expected
                && unpacked.redundantCount == expected && i >= static_cast<std::size_t>(expected);
            for (int b = 0; b < unpacked.redundantCount && ok; ++b) {
                const std::size_t back = static_cast<std::size_t>(unpacked.redundantCount - b);
                const codec::RedundantBlock& copy = unpacked.redundant[static_cast<std::size_t>(b)];
                const RecordedPacket& earlier = packets[i - back];
                const std::span<const std::uint8_t> primary = codec::RedundancyPacker::unpack(earlier.payload).primary;
                ok = copy.timestampOffset == packets[i].timestamp - earlier.timestamp
                    && copy.timestampOffset == back * kPacketFrames
                    && std::equal(copy.payload.begin(), copy.payload.end(), primary.begin(), primary.end());
            }
        }
        return ok;
    };

    QVERIFY(run(50, 0));
    harness.chain->onLossReport(0.2, 1'000);
    const codec::RedundancyDecision raised = harness.chain->redundancy();
    QCOMPARE(raised.redundantFrames, 2);
    QVERIFY(raised.expectedLossPercent > 0);
    QCOMPARE(harness.chain->encoder().config().expectedLossPercent, raised.expectedLossPercent);
    QVERIFY(run(100, 2));

    // The loss is over; the repeats go only after the policy's hold time, one step at a time.
    const std::int64_t holdMs = codec::RedundancyPolicyConfig {}.holdMs;
    std::int64_t nowMs = 2'000;
    std::int64_t noneSinceMs = -1;
    for (; nowMs <= 2'000 + 3 * holdMs && noneSinceMs < 0; nowMs += 1'000) {
        harness.chain->onLossReport(0.0, nowMs);
        const codec::RedundancyDecision decision = harness.chain->redundancy();
        const int level = decision.redundantFrames;
        QCOMPARE(harness.chain->encoder().config().expectedLossPercent, decision.expectedLossPercent);
        if (nowMs < 2'000 + holdMs)
            QCOMPARE(level, 2);
        QVERIFY2(run(10, level), qPrintable(QStringLiteral("at %1 ms, level %2").arg(nowMs).arg(level)));
        if (level == 0)
            noneSinceMs = nowMs;
    }
    QVERIFY2(noneSinceMs > 2'000 + holdMs, qPrintable(QString::number(noneSinceMs)));
    QVERIFY(run(50, 0));
    QCOMPARE(harness.chain->statistics().encodeErrors, std::int64_t {0});
}

void CaptureChainTest::captureVolumeScalesWhatIsSent()
{
    const std::vector<float> input = speechLike(2.0, 0.2f);
    std::array<double, 3> levels {};
    const std::array<int, 3> volumes {100, 200, 0};
    for (std::size_t v = 0; v < volumes.size(); ++v) {
        Harness harness(CaptureChainConfig {});
        QVERIFY(harness.chain);
        harness.chain->captureVolume().setVolume(volumes[v]);
        harness.feed(input);
        const std::vector<float> output = decodeStream(harness);
        QVERIFY(!output.empty());
        levels[v] = rms(std::span<const float>(output).subspan(kRateHz * 3 / 10));
        if (volumes[v] == 0)
            QVERIFY(std::all_of(harness.sent.begin(), harness.sent.end(), [](float s) { return s == 0.0f; }));
    }
    QVERIFY2(levels[0] > 0.02, qPrintable(QString::number(levels[0])));
    const double ratio = levels[1] / levels[0];
    QVERIFY2(ratio > 1.8 && ratio < 2.2, qPrintable(QString::number(ratio)));
    QVERIFY2(levels[2] < 1e-4, qPrintable(QString::number(levels[2])));
}

void CaptureChainTest::createChecksConfig_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("bitrateBps");
    QTest::addColumn<codec::CodecError>("expected");
    QTest::newRow("mono") << 1 << 48'000 << codec::CodecError::None;
    QTest::newRow("stereo") << 2 << 64'000 << codec::CodecError::None;
    QTest::newRow("no channels") << 0 << 48'000 << codec::CodecError::InvalidArgument;
    QTest::newRow("3 channels") << 3 << 48'000 << codec::CodecError::InvalidArgument;
    QTest::newRow("bitrate too low") << 1 << 1'000 << codec::CodecError::InvalidArgument;
    QTest::newRow("bitrate too high") << 2 << 600'000 << codec::CodecError::InvalidArgument;
}

void CaptureChainTest::createChecksConfig()
{
    QFETCH(int, channels);
    QFETCH(int, bitrateBps);
    QFETCH(codec::CodecError, expected);
    CaptureChainConfig config;
    config.channels = channels;
    config.encoder.bitrateBps = bitrateBps;
    CountingSink sink;
    codec::CodecError error = codec::CodecError::Internal;
    const std::unique_ptr<CaptureChain> chain = CaptureChain::create(config, nullptr, sink, &error);
    QCOMPARE(error, expected);
    QCOMPARE(chain == nullptr, expected != codec::CodecError::None);
    if (!chain)
        return;
    QCOMPARE(chain->channels(), channels);
    QCOMPARE(chain->encoder().channels(), channels);
    std::vector<float> block(static_cast<std::size_t>(kBlockFrames * channels), 0.25f);
    chain->process(block);
    QCOMPARE(sink.packets, 0);
    chain->process(block);
    QCOMPARE(sink.packets, 1);
}

void CaptureChainTest::audioProcessorInTheChain()
{
    apm::AudioProcessorConfig processorConfig;
    processorConfig.settings = {.echoCancellation = true, .noiseSuppression = true, .transientSuppression = true,
                                .gainControl = true, .highPass = true};
    apm::AudioProcessor processor(processorConfig);
    qInfo("3A library available: %s", processor.isAvailable() ? "yes" : "no (pass-through)");
    Harness harness(CaptureChainConfig {}, &processor);
    QVERIFY(harness.chain);
    harness.feed(speechLike(3.0));

    const CaptureStatistics& statistics = harness.chain->statistics();
    QCOMPARE(statistics.processingErrors, std::int64_t {0});
    QCOMPARE(processor.failedBlocks(), std::uint64_t {0});
    QCOMPARE(statistics.encodeErrors, std::int64_t {0});
    QVERIFY2(statistics.packetsSent >= statistics.framesEncoded * 9 / 10,
             qPrintable(QStringLiteral("%1 of %2").arg(statistics.packetsSent).arg(statistics.framesEncoded)));
    QVERIFY(rms(decodeStream(harness)) > 0.01);
    QVERIFY(harness.chain->level().level() > 0);
}

void CaptureChainTest::processDoesNotAllocate()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("allocation counting needs glibc's allocator (not available under sanitizers)");
#else
    CountingSink sink;
    std::unique_ptr<CaptureChain> chain = CaptureChain::create(CaptureChainConfig {}, nullptr, sink);
    QVERIFY(chain);
    chain->setProcessedCaptureSink(&sink);
    std::vector<float> input = speechLike(6.0);
    const std::size_t blocks = input.size() / kBlockFrames;
    const auto block = [&input](std::size_t index) {
        return std::span<float>(input).subspan(index * kBlockFrames, kBlockFrames);
    };
    for (std::size_t i = 0; i < 10; ++i)
        chain->process(block(i));

    int allocations = 0;
    int failures = 0;
    {
        const AllocationCounter counter;
        for (std::size_t i = 10; i < blocks; ++i) {
            switch (i) {
            case 50: chain->onLossReport(0.3, 1'000); break;
            case 120: chain->setSending(false); break;
            case 151: chain->setSending(true); break;
            case 200: chain->gate().setMicrophoneMute(vad::MicrophoneMute::On); break;
            case 260: chain->gate().setMicrophoneMute(vad::MicrophoneMute::Off); break;
            case 300: chain->captureVolume().setVolume(150); break;
            case 320: failures += chain->setBitrateBps(24'000) != codec::CodecError::None; break;
            case 400: chain->gate().setMode(vad::TransmissionMode::VoiceActivation); break;
            case 450: chain->onLossReport(0.0, 100'000); break;
            default: break;
            }
            chain->process(block(i));
        }
        allocations = counter.count();
    }
    QCOMPARE(allocations, 0);
    QCOMPARE(failures, 0);
    QVERIFY(sink.packets > 200);
    QCOMPARE(sink.blocks, static_cast<int>(blocks));
    QVERIFY(chain->statistics().dtxFramesSkipped > 0); // the mute's silence went through DTX
#endif
}

QTEST_APPLESS_MAIN(CaptureChainTest)
#include "CaptureChainTest.moc"
