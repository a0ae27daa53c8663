#include "media/PlayoutStream.h"

#include "audio/AudioFormat.h"
#include "codec/RedundancyPacker.h"
#include "media/CaptureChain.h"

#include <algorithm>
#include <cassert>

namespace earshot::media {

namespace {

vad::VoiceActivityDetectorConfig detectorConfig(int channels)
{
    vad::VoiceActivityDetectorConfig config;
    config.sampleRateHz = audio::kEngineSampleRateHz;
    config.channels = channels;
    config.blockFrames = kBlockFrames;
    return config;
}

} // namespace

std::unique_ptr<PlayoutStream> PlayoutStream::create(const PlayoutStreamConfig& config, codec::CodecError* error)
{
    const auto fail = [error](codec::CodecError code) {
        if (error != nullptr)
            *error = code;
        return nullptr;
    };
    if (config.channels != 1 && config.channels != 2)
        return fail(codec::CodecError::InvalidArgument);
    codec::DecoderCreateResult created = codec::OpusAudioDecoder::create(
        config.channels == 2 ? codec::ChannelLayout::Stereo : codec::ChannelLayout::Mono);
    if (!created.decoder)
        return fail(created.error);
    if (error != nullptr)
        *error = codec::CodecError::None;
    return std::unique_ptr<PlayoutStream>(new PlayoutStream(config, std::move(created.decoder)));
}

PlayoutStream::PlayoutStream(const PlayoutStreamConfig& config, std::unique_ptr<codec::OpusAudioDecoder> decoder)
    : m_decoder(std::move(decoder))
    , m_buffer(*m_decoder, config.jitter)
    , m_level(audio::kEngineSampleRateHz)
    , m_detector(detectorConfig(config.channels))
    , m_vadBlock(static_cast<std::size_t>(kBlockFrames * config.channels))
{
}

PlayoutStream::~PlayoutStream() = default;

jitter::InsertResult PlayoutStream::insert(std::uint64_t extendedSequence, std::uint32_t timestamp,
                                           std::span<const std::uint8_t> payload, std::int64_t arrivalUs)
{
    const codec::RedundancyUnpackResult unpacked = codec::RedundancyPacker::unpack(payload);
    if (unpacked.error != codec::RedundancyError::None) {
        ++m_statistics.malformedPayloads;
        return jitter::InsertResult::Oversized;
    }
    // Block i of n (oldest first) is packet s − (n − i) (RedundancyPacker.h). Copies that
    // would lie before the stream's first packet cannot exist and are skipped.
    const auto count = static_cast<std::uint64_t>(unpacked.redundantCount);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t back = count - i;
        if (back > extendedSequence)
            continue;
        const codec::RedundantBlock& block = unpacked.redundant[i];
        ++m_statistics.redundantBlocks;
        static_cast<void>(m_buffer.insert(extendedSequence - back, timestamp - block.timestampOffset, block.payload,
                                          arrivalUs, jitter::PacketOrigin::Redundant));
    }
    return m_buffer.insert(extendedSequence, timestamp, unpacked.primary, arrivalUs);
}

void PlayoutStream::pull(std::span<float> out, int frames)
{
    static_cast<void>(m_buffer.pull(out, frames));
    if (frames <= 0)
        return;
    const std::span<const float> played = out.first(static_cast<std::size_t>(frames) * channels());
    dsp::VoiceActivity activity = dsp::VoiceActivity::Silent;
    if (m_voiceDetection) {
        detectVoice(played);
        activity = m_speech ? dsp::VoiceActivity::Speech : dsp::VoiceActivity::Silent;
    }
    m_level.process(played, channels(), activity);
    if (!m_playedAudio.load(std::memory_order_relaxed) && m_buffer.statistics().decodedPackets > 0)
        m_playedAudio.store(true, std::memory_order_release);
}

void PlayoutStream::detectVoice(std::span<const float> played)
{
    // The detector works on whole 10 ms blocks; pulls of another size (a device period of
    // 5 ms, tests) are gathered into them, and the last decision holds in between.
    while (!played.empty()) {
        const std::size_t take = std::min(played.size(), m_vadBlock.size() - m_vadFill);
        std::copy_n(played.begin(), take, m_vadBlock.begin() + static_cast<std::ptrdiff_t>(m_vadFill));
        m_vadFill += take;
        played = played.subspan(take);
        if (m_vadFill == m_vadBlock.size()) {
            m_vadFill = 0;
            m_speech = m_detector.process(m_vadBlock).speech;
        }
    }
}

jitter::JitterError PlayoutStream::setBufferIntervalRange(int minMs, int maxMs)
{
    return m_buffer.setBufferIntervalRange(minMs, maxMs);
}

} // namespace earshot::media
