#include "OpusAudioEncoder.h"

#include <opus.h>

#include <algorithm>
#include <limits>
#include <new>

namespace earshot::codec {

namespace {

constexpr int kMinBitrateBps = 6'000;   // below this Opus is barely intelligible
constexpr int kMaxBitrateBps = 510'000; // libopus's own ceiling
constexpr int kMaxComplexity = 10;
constexpr int kMaxLossPercent = 100;

bool isValidDuration(FrameDuration duration) noexcept
{
    switch (duration) {
    case FrameDuration::Ms10:
    case FrameDuration::Ms20:
    case FrameDuration::Ms40:
    case FrameDuration::Ms60:
        return true;
    }
    return false;
}

bool isValidConfig(const EncoderConfig& config) noexcept
{
    const bool channelsOk = config.channels == ChannelLayout::Mono || config.channels == ChannelLayout::Stereo;
    return channelsOk && isValidDuration(config.frameDuration) && config.bitrateBps >= kMinBitrateBps
        && config.bitrateBps <= kMaxBitrateBps && config.complexity >= 0 && config.complexity <= kMaxComplexity
        && config.expectedLossPercent >= 0 && config.expectedLossPercent <= kMaxLossPercent
        && (config.inbandFec == InbandFec::Off || config.inbandFec == InbandFec::On)
        && (config.dtx == Dtx::Off || config.dtx == Dtx::On)
        && (config.signal == SignalHint::Auto || config.signal == SignalHint::Voice
            || config.signal == SignalHint::Music)
        && (config.application == OpusApplication::Voip || config.application == OpusApplication::LowDelay);
}

int opusSignal(SignalHint signal) noexcept
{
    switch (signal) {
    case SignalHint::Voice:
        return OPUS_SIGNAL_VOICE;
    case SignalHint::Music:
        return OPUS_SIGNAL_MUSIC;
    case SignalHint::Auto:
        break;
    }
    return OPUS_AUTO;
}

// Every ctl below takes a value already validated, so a failure means libopus disagrees with
// us about its own API: reported as Internal rather than asserted, since it is recoverable.
CodecError fromCtl(int status) noexcept
{
    return status == OPUS_OK ? CodecError::None : CodecError::Internal;
}

} // namespace

void OpusAudioEncoder::Deleter::operator()(OpusEncoder* encoder) const noexcept
{
    opus_encoder_destroy(encoder);
}

EncoderCreateResult OpusAudioEncoder::create(const EncoderConfig& config) noexcept
{
    if (!isValidConfig(config))
        return {CodecError::InvalidArgument, nullptr};

    int status = OPUS_OK;
    std::unique_ptr<OpusEncoder, Deleter> handle(
        opus_encoder_create(kCodecSampleRateHz, channelCount(config.channels),
                            config.application == OpusApplication::LowDelay ? OPUS_APPLICATION_RESTRICTED_LOWDELAY
                                                                            : OPUS_APPLICATION_VOIP,
                            &status));
    if (status == OPUS_ALLOC_FAIL || (status == OPUS_OK && !handle))
        return {CodecError::OutOfMemory, nullptr};
    if (status != OPUS_OK)
        return {CodecError::Internal, nullptr};

    // The wrapper itself is tiny; nothrow new keeps create() noexcept on exhaustion.
    std::unique_ptr<OpusAudioEncoder> encoder(new (std::nothrow) OpusAudioEncoder(std::move(handle), config));
    if (!encoder)
        return {CodecError::OutOfMemory, nullptr};
    if (const CodecError error = encoder->applyAll(); error != CodecError::None)
        return {error, nullptr};
    return {CodecError::None, std::move(encoder)};
}

OpusAudioEncoder::OpusAudioEncoder(std::unique_ptr<OpusEncoder, Deleter> encoder, const EncoderConfig& config) noexcept
    : m_encoder(std::move(encoder))
    , m_config(config)
{
}

OpusAudioEncoder::~OpusAudioEncoder() = default;

CodecError OpusAudioEncoder::applyAll() noexcept
{
    OpusEncoder* const encoder = m_encoder.get();
    // VBR (the libopus default) spends bits where speech needs them. Its packet sizes can hint
    // at what is said to an eavesdropper despite the AEAD (RFC 6562); constrained VBR is the
    // remedy should that threat ever matter more than quality per bit.
    const int results[] = {
        opus_encoder_ctl(encoder, OPUS_SET_BITRATE(m_config.bitrateBps)),
        opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(m_config.complexity)),
        opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(m_config.inbandFec == InbandFec::On ? 1 : 0)),
        opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(m_config.expectedLossPercent)),
        opus_encoder_ctl(encoder, OPUS_SET_DTX(m_config.dtx == Dtx::On ? 1 : 0)),
        opus_encoder_ctl(encoder, OPUS_SET_SIGNAL(opusSignal(m_config.signal))),
    };
    for (const int status : results) {
        if (status != OPUS_OK)
            return CodecError::Internal;
    }
    return CodecError::None;
}

EncodeResult OpusAudioEncoder::encode(std::span<const float> pcm, std::span<std::uint8_t> out) noexcept
{
    if (pcm.size() != static_cast<std::size_t>(samplesPerPacket()))
        return {CodecError::InvalidArgument, 0};
    // Opus needs room for at least a TOC byte plus a little; 3 bytes is the smallest buffer
    // that can always hold a DTX or PLC-only packet.
    if (out.size() < 3)
        return {CodecError::BufferTooSmall, 0};

    const auto capacity = static_cast<opus_int32>(
        std::min<std::size_t>(out.size(), static_cast<std::size_t>(std::numeric_limits<opus_int32>::max())));
    const opus_int32 bytes = opus_encode_float(m_encoder.get(), pcm.data(), framesPerPacket(), out.data(), capacity);
    if (bytes == OPUS_BUFFER_TOO_SMALL)
        return {CodecError::BufferTooSmall, 0};
    if (bytes <= 0)
        return {CodecError::Internal, 0};
    return {CodecError::None, static_cast<int>(bytes)};
}

CodecError OpusAudioEncoder::setBitrateBps(int bitrateBps) noexcept
{
    if (bitrateBps < kMinBitrateBps || bitrateBps > kMaxBitrateBps)
        return CodecError::InvalidArgument;
    const CodecError error = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_BITRATE(bitrateBps)));
    if (error == CodecError::None)
        m_config.bitrateBps = bitrateBps;
    return error;
}

CodecError OpusAudioEncoder::setExpectedLossPercent(int percent) noexcept
{
    if (percent < 0 || percent > kMaxLossPercent)
        return CodecError::InvalidArgument;
    const CodecError error = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_PACKET_LOSS_PERC(percent)));
    if (error == CodecError::None)
        m_config.expectedLossPercent = percent;
    return error;
}

CodecError OpusAudioEncoder::setComplexity(int complexity) noexcept
{
    if (complexity < 0 || complexity > kMaxComplexity)
        return CodecError::InvalidArgument;
    const CodecError error = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_COMPLEXITY(complexity)));
    if (error == CodecError::None)
        m_config.complexity = complexity;
    return error;
}

CodecError OpusAudioEncoder::setDtx(Dtx dtx) noexcept
{
    if (dtx != Dtx::Off && dtx != Dtx::On)
        return CodecError::InvalidArgument;
    const CodecError error = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_DTX(dtx == Dtx::On ? 1 : 0)));
    if (error == CodecError::None)
        m_config.dtx = dtx;
    return error;
}

CodecError OpusAudioEncoder::setInbandFec(InbandFec fec) noexcept
{
    if (fec != InbandFec::Off && fec != InbandFec::On)
        return CodecError::InvalidArgument;
    const CodecError error
        = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_INBAND_FEC(fec == InbandFec::On ? 1 : 0)));
    if (error == CodecError::None)
        m_config.inbandFec = fec;
    return error;
}

CodecError OpusAudioEncoder::setSignalHint(SignalHint signal) noexcept
{
    if (signal != SignalHint::Auto && signal != SignalHint::Voice && signal != SignalHint::Music)
        return CodecError::InvalidArgument;
    const CodecError error = fromCtl(opus_encoder_ctl(m_encoder.get(), OPUS_SET_SIGNAL(opusSignal(signal))));
    if (error == CodecError::None)
        m_config.signal = signal;
    return error;
}

void OpusAudioEncoder::reset() noexcept
{
    // OPUS_RESET_STATE keeps every ctl setting; it only clears the signal history.
    opus_encoder_ctl(m_encoder.get(), OPUS_RESET_STATE);
}

int OpusAudioEncoder::lookaheadFrames() const noexcept
{
    opus_int32 lookahead = 0;
    if (opus_encoder_ctl(m_encoder.get(), OPUS_GET_LOOKAHEAD(&lookahead)) != OPUS_OK)
        return 0;
    return static_cast<int>(lookahead);
}

} // namespace earshot::codec
