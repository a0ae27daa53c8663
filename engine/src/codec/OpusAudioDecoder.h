#pragma once

#include "codec/AudioDecoder.h"
#include "codec/CodecTypes.h"

#include <cstdint>
#include <memory>
#include <span>

struct OpusDecoder; // libopus; kept out of this header so users need not see <opus.h>

namespace earshot::codec {

class OpusAudioDecoder;

struct DecoderCreateResult {
    CodecError error = CodecError::None;
    std::unique_ptr<OpusAudioDecoder> decoder; // null unless error == None
};

// RAII wrapper of a libopus decoder at 48 kHz, implementing the jitter buffer's AudioDecoder.
// Any Opus packet decodes whatever its own channel count: a stereo packet into a mono decoder
// is downmixed, a mono packet into a stereo decoder is duplicated.
//
// Thread ownership: one instance per played stream, used only by that stream's playout thread
// (the media thread). Construction allocates the libopus state; no call after that allocates,
// locks or throws. All counts are frames (samples per channel) at 48 kHz; `out` spans are
// interleaved float and must hold frames * channels() samples.
class OpusAudioDecoder final : public AudioDecoder {
public:
    // Errors: OutOfMemory, Internal. Thread: any; allocates.
    [[nodiscard]] static DecoderCreateResult create(ChannelLayout channels) noexcept;

    ~OpusAudioDecoder() override;
    OpusAudioDecoder(const OpusAudioDecoder&) = delete;
    OpusAudioDecoder& operator=(const OpusAudioDecoder&) = delete;

    int sampleRateHz() const override { return kCodecSampleRateHz; }
    int channels() const override { return channelCount(m_channels); }

    // Decodes one Opus packet (hostile input: already authenticated, but from another client).
    // Returns frames written (2.5..120 ms worth), or a negative value: the payload is empty or
    // corrupt, or `out` is smaller than the packet's duration (check framesInPacket() first).
    // A 1-2 byte DTX packet decodes to comfort noise / silence of its duration.
    int decode(std::span<const std::uint8_t> payload, std::span<float> out) override;

    // Recovers the frame lost just before `nextPayload` from the LBRR data Opus put in it:
    // writes exactly `frames` frames (a positive multiple of 2.5 ms, i.e. of 120); when `frames`
    // is longer than the packet's duration the head is concealed and the tail recovered, as
    // libopus does. Returns `frames`, or a negative value when the packet carries no FEC (CELT-only
    // mode, DTX, FEC off or no loss expected at the sender), is corrupt, or the arguments are
    // out of range; then nothing is decoded and the decoder state is unchanged, so the caller
    // can conceal instead. Call it before decode(nextPayload).
    int decodeFec(std::span<const std::uint8_t> nextPayload, int frames, std::span<float> out) override;

    // Opus packet loss concealment: continues the signal for `frames` frames, fading to silence
    // over repeated calls (or within one long call). `frames` must be a positive multiple of
    // 2.5 ms (120); returns `frames`, or a negative value for a bad count or a short `out`.
    int conceal(int frames, std::span<float> out) override;

    // The duration of a packet from its TOC byte(s), without decoding; negative when malformed.
    // Thread-safe (touches no decoder state).
    int framesInPacket(std::span<const std::uint8_t> payload) const override;

    // Whether `payload` carries in-band FEC for the packet before it (the LBRR flag of its first
    // SILK frame, as libopus 1.5's opus_packet_has_lbrr reads it; libopus 1.3 lacks that call).
    // Thread-safe; never reads outside `payload`.
    [[nodiscard]] static bool hasFec(std::span<const std::uint8_t> payload) noexcept;

    // Forgets the signal history (a new stream or SSRC) without reallocating. Thread: playout.
    void reset() noexcept;

private:
    struct Deleter {
        void operator()(OpusDecoder* decoder) const noexcept;
    };

    OpusAudioDecoder(std::unique_ptr<OpusDecoder, Deleter> decoder, ChannelLayout channels) noexcept;
    // Frames `out` can hold.
    [[nodiscard]] int capacityFrames(std::span<float> out) const noexcept;
    // A PLC/FEC length libopus accepts and `out` can hold.
    [[nodiscard]] bool isValidLength(int frames, std::span<float> out) const noexcept;

    std::unique_ptr<OpusDecoder, Deleter> m_decoder;
    ChannelLayout m_channels;
};

} // namespace earshot::codec
