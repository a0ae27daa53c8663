#include "OpusAudioDecoder.h"

#include <opus.h>

#include <algorithm>
#include <array>
#include <limits>
#include <new>

namespace earshot::codec {

namespace {

// Opus frames are multiples of 2.5 ms; libopus rejects other PLC and FEC lengths.
constexpr int kFrameQuantum = kCodecSampleRateHz / 400;
// A SILK frame is 20 ms; an Opus frame of 40 or 60 ms holds two or three of them.
constexpr int kSilkFrameFrames = kCodecSampleRateHz / 50;
// opus_packet_parse reports at most 48 frames (120 ms of 2.5 ms frames).
constexpr int kMaxOpusFramesPerPacket = 48;

// A payload length libopus can take (its lengths are opus_int32); longer is corrupt anyway.
bool fitsOpusLength(std::span<const std::uint8_t> payload) noexcept
{
    return !payload.empty() && payload.size() <= static_cast<std::size_t>(kMaxPacketBytes) * 2;
}

} // namespace

void OpusAudioDecoder::Deleter::operator()(OpusDecoder* decoder) const noexcept
{
    opus_decoder_destroy(decoder);
}

DecoderCreateResult OpusAudioDecoder::create(ChannelLayout channels) noexcept
{
    if (channels != ChannelLayout::Mono && channels != ChannelLayout::Stereo)
        return {CodecError::InvalidArgument, nullptr};
    int status = OPUS_OK;
    std::unique_ptr<OpusDecoder, Deleter> handle(
        opus_decoder_create(kCodecSampleRateHz, channelCount(channels), &status));
    if (status == OPUS_ALLOC_FAIL || (status == OPUS_OK && !handle))
        return {CodecError::OutOfMemory, nullptr};
    if (status != OPUS_OK)
        return {CodecError::Internal, nullptr};
    std::unique_ptr<OpusAudioDecoder> decoder(new (std::nothrow) OpusAudioDecoder(std::move(handle), channels));
    if (!decoder)
        return {CodecError::OutOfMemory, nullptr};
    return {CodecError::None, std::move(decoder)};
}

OpusAudioDecoder::OpusAudioDecoder(std::unique_ptr<OpusDecoder, Deleter> decoder, ChannelLayout channels) noexcept
    : m_decoder(std::move(decoder))
    , m_channels(channels)
{
}

OpusAudioDecoder::~OpusAudioDecoder() = default;

int OpusAudioDecoder::capacityFrames(std::span<float> out) const noexcept
{
    const std::size_t frames = out.size() / static_cast<std::size_t>(channels());
    return static_cast<int>(std::min<std::size_t>(frames, static_cast<std::size_t>(std::numeric_limits<int>::max())));
}

bool OpusAudioDecoder::isValidLength(int frames, std::span<float> out) const noexcept
{
    return frames > 0 && frames % kFrameQuantum == 0 && frames <= capacityFrames(out);
}

int OpusAudioDecoder::decode(std::span<const std::uint8_t> payload, std::span<float> out)
{
    // An empty payload must not reach libopus: a null/zero-length packet means "conceal" there,
    // and the caller asked to decode, so it is reported as corrupt instead.
    if (!fitsOpusLength(payload))
        return OPUS_INVALID_PACKET;
    // Capped at the longest packet: libopus only needs to know the room is sufficient.
    return opus_decode_float(m_decoder.get(), payload.data(), static_cast<opus_int32>(payload.size()), out.data(),
                             std::min(capacityFrames(out), kMaxFramesPerPacket), 0);
}

int OpusAudioDecoder::decodeFec(std::span<const std::uint8_t> nextPayload, int frames, std::span<float> out)
{
    if (!isValidLength(frames, out))
        return OPUS_BAD_ARG;
    // libopus silently falls back to PLC when the packet has no LBRR; the interface wants the
    // caller told, so it can count a concealment rather than a recovery. (It also conceals when
    // the decoder's last packet was CELT-only; that mode switch at a loss is rare and the output
    // is still a valid concealment.)
    if (!hasFec(nextPayload))
        return OPUS_INVALID_PACKET;
    return opus_decode_float(m_decoder.get(), nextPayload.data(), static_cast<opus_int32>(nextPayload.size()),
                             out.data(), frames, 1);
}

int OpusAudioDecoder::conceal(int frames, std::span<float> out)
{
    if (!isValidLength(frames, out))
        return OPUS_BAD_ARG;
    // libopus conceals any such length, in steps of at most one of its frames.
    return opus_decode_float(m_decoder.get(), nullptr, 0, out.data(), frames, 0);
}

int OpusAudioDecoder::framesInPacket(std::span<const std::uint8_t> payload) const
{
    if (!fitsOpusLength(payload))
        return OPUS_INVALID_PACKET;
    return opus_packet_get_nb_samples(payload.data(), static_cast<opus_int32>(payload.size()), kCodecSampleRateHz);
}

bool OpusAudioDecoder::hasFec(std::span<const std::uint8_t> payload) noexcept
{
    if (!fitsOpusLength(payload))
        return false;
    const std::uint8_t toc = payload[0];
    // TOC configurations 16..31 are CELT-only, which has no LBRR (RFC 6716 §3.1).
    if ((toc & 0x80) != 0)
        return false;

    std::array<const unsigned char*, kMaxOpusFramesPerPacket> frames {};
    std::array<opus_int16, kMaxOpusFramesPerPacket> sizes {};
    const int count = opus_packet_parse(payload.data(), static_cast<opus_int32>(payload.size()), nullptr,
                                        frames.data(), sizes.data(), nullptr);
    if (count <= 0 || sizes[0] <= 0)
        return false; // malformed, or a DTX frame without SILK data

    // The SILK range-coded header starts with one VAD flag per 20 ms SILK frame and then the
    // LBRR flag, all coded with probability 1/2, so they are plain leading bits of the first
    // byte (RFC 6716 §4.2.3); a stereo stream repeats them for the side channel.
    const int samplesPerFrame = opus_packet_get_samples_per_frame(payload.data(), kCodecSampleRateHz);
    const int silkFrames = std::max(1, samplesPerFrame / kSilkFrameFrames);
    const std::uint8_t first = frames[0][0];
    bool lbrr = ((first >> (7 - silkFrames)) & 1) != 0;
    if (opus_packet_get_nb_channels(payload.data()) == 2)
        lbrr = lbrr || ((first >> (6 - 2 * silkFrames)) & 1) != 0;
    return lbrr;
}

void OpusAudioDecoder::reset() noexcept
{
    opus_decoder_ctl(m_decoder.get(), OPUS_RESET_STATE);
}

} // namespace earshot::codec
