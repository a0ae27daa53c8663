#include "media/CaptureChain.h"

#include "apm/AudioProcessor.h"
#include "audio/AudioFormat.h"
#include "media/EncodedPacketSink.h"
#include "media/ProcessedCaptureSink.h"

#include <algorithm>
#include <cassert>

namespace earshot::media {

namespace {

// A sealed packet stays under a 1200-byte datagram, which crosses any path without
// fragmentation: 1200 − 20 (RTP header with the level extension) − 16 (AEAD tag).
constexpr std::size_t kMaxPayloadBytes = 1164;

vad::TransmissionGateConfig gateConfig(const CaptureChainConfig& config)
{
    vad::TransmissionGateConfig gate = config.gate;
    gate.sampleRateHz = audio::kEngineSampleRateHz;
    gate.channels = config.channels;
    gate.blockFrames = kBlockFrames;
    return gate;
}

} // namespace

std::unique_ptr<CaptureChain> CaptureChain::create(const CaptureChainConfig& config, apm::AudioProcessor* processor,
                                                   EncodedPacketSink& sink, codec::CodecError* error)
{
    const auto fail = [error](codec::CodecError code) {
        if (error != nullptr)
            *error = code;
        return nullptr;
    };
    if (config.channels != 1 && config.channels != 2)
        return fail(codec::CodecError::InvalidArgument);
    codec::EncoderConfig encoderConfig = config.encoder;
    encoderConfig.channels = config.channels == 2 ? codec::ChannelLayout::Stereo : codec::ChannelLayout::Mono;
    codec::EncoderCreateResult created = codec::OpusAudioEncoder::create(encoderConfig);
    if (!created.encoder)
        return fail(created.error);
    if (error != nullptr)
        *error = codec::CodecError::None;
    return std::unique_ptr<CaptureChain>(new CaptureChain(config, std::move(created.encoder), processor, sink));
}

CaptureChain::CaptureChain(const CaptureChainConfig& config, std::unique_ptr<codec::OpusAudioEncoder> encoder,
                           apm::AudioProcessor* processor, EncodedPacketSink& sink)
    : m_channels(config.channels)
    , m_encoder(std::move(encoder))
    , m_processor(processor)
    , m_sink(sink)
    , m_volume(config.channels, audio::kEngineSampleRateHz)
    , m_gate(gateConfig(config), config.mode)
    , m_level(audio::kEngineSampleRateHz)
    , m_policy(config.redundancy)
    , m_frame(static_cast<std::size_t>(m_encoder->samplesPerPacket()))
    , m_opusPacket(kMaxPayloadBytes - codec::kRedundancyHeaderBytes)
    , m_payload(kMaxPayloadBytes)
    , m_timestamp(config.initialTimestamp)
{
    assert(processor == nullptr
           || (processor->config().sampleRateHz == audio::kEngineSampleRateHz
               && processor->config().captureChannels == config.channels));
}

CaptureChain::~CaptureChain() = default;

void CaptureChain::process(std::span<float> block)
{
    assert(block.size() == static_cast<std::size_t>(kBlockFrames * m_channels));
    ++m_statistics.blocks;
    if (m_processor != nullptr && m_processor->processCapture(block) != apm::ProcessingError::None)
        ++m_statistics.processingErrors;
    m_volume.process(block, kBlockFrames);
    const vad::GateResult gate = m_gate.process(block, block);
    m_level.process(block, m_channels,
                    gate.activity.speech ? dsp::VoiceActivity::Speech : dsp::VoiceActivity::Silent);
    if (gate.transmitting && !m_capturedAudio.load(std::memory_order_relaxed))
        m_capturedAudio.store(true, std::memory_order_release);
    if (m_processedSink != nullptr)
        m_processedSink->onProcessedCapture(block);
    if (!m_sending) {
        // RTP time keeps running while nothing is sent, so the far end sees a pause as a pause
        // and not as packets that suddenly arrive seconds late.
        m_timestamp += static_cast<std::uint32_t>(kBlockFrames);
        return;
    }

    std::size_t offset = 0;
    while (offset < block.size()) {
        const std::size_t count = std::min(block.size() - offset, m_frame.size() - m_frameFill);
        std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(offset), count,
                    m_frame.begin() + static_cast<std::ptrdiff_t>(m_frameFill));
        m_frameFill += count;
        offset += count;
        if (m_frameFill == m_frame.size())
            encodeFrame();
    }
}

void CaptureChain::encodeFrame()
{
    const int frames = m_encoder->framesPerPacket();
    const std::uint32_t timestamp = m_timestamp;
    m_timestamp += static_cast<std::uint32_t>(frames);
    m_frameFill = 0;
    ++m_statistics.framesEncoded;

    const codec::EncodeResult encoded = m_encoder->encode(m_frame, m_opusPacket);
    if (!encoded.ok()) {
        ++m_statistics.encodeErrors;
        m_skippedSinceLastSent = true;
        return;
    }
    // A DTX frame carries no audio (the gate is closed, or the input is digital silence): the
    // far end fills the timestamp gap with comfort noise. Opus still emits a real packet every
    // ~400 ms to refresh it, which goes out.
    if (encoded.isDtxFrame()) {
        ++m_statistics.dtxFramesSkipped;
        m_skippedSinceLastSent = true;
        return;
    }
    const codec::RedundancyPackResult packed = m_packer.pack(
        std::span<const std::uint8_t>(m_opusPacket.data(), static_cast<std::size_t>(encoded.bytes)), timestamp,
        m_payload);
    if (packed.error != codec::RedundancyError::None) {
        ++m_statistics.encodeErrors;
        m_skippedSinceLastSent = true;
        return;
    }
    EncodedPacket packet;
    packet.timestamp = timestamp;
    packet.marker = m_skippedSinceLastSent;
    packet.frames = frames;
    packet.redundantFrames = packed.redundantFrames;
    packet.payload = std::span<const std::uint8_t>(m_payload.data(), packed.bytes);
    m_skippedSinceLastSent = false;
    ++m_statistics.packetsSent;
    m_statistics.payloadBytesSent += static_cast<std::int64_t>(packed.bytes);
    m_sink.onEncodedPacket(packet);
}

void CaptureChain::setSending(bool sending)
{
    if (sending == m_sending)
        return;
    m_sending = sending;
    if (sending) {
        // A new talk spurt: nothing of the previous one may be repeated or predicted from.
        m_encoder->reset();
        m_packer.clearHistory();
        m_skippedSinceLastSent = true;
    } else {
        // The frame being filled is dropped; its time still passed.
        m_timestamp += static_cast<std::uint32_t>(m_frameFill / static_cast<std::size_t>(m_channels));
        m_frameFill = 0;
    }
}

void CaptureChain::onLossReport(double lossFraction, std::int64_t nowMs)
{
    const codec::RedundancyDecision decision = m_policy.onLossReport(lossFraction, nowMs);
    m_packer.setRedundantFrames(decision.redundantFrames);
    if (m_encoder->setExpectedLossPercent(decision.expectedLossPercent) != codec::CodecError::None)
        ++m_statistics.encodeErrors;
}

codec::CodecError CaptureChain::setBitrateBps(int bitrateBps)
{
    return m_encoder->setBitrateBps(bitrateBps);
}

int CaptureChain::algorithmicDelayFrames() const
{
    return m_gate.latencyFrames() + m_encoder->framesPerPacket() + m_encoder->lookaheadFrames();
}

} // namespace earshot::media
