#pragma once

#include <cstdint>
#include <span>

namespace earshot::codec {

// What a jitter buffer needs from a decoder: decode a packet, recover a lost frame from the
// forward error correction carried in the next packet, or conceal a lost frame. Output is
// interleaved float at the decoder's rate and channel count. Implementations are used by one
// thread (the stream's playout) and allocate nothing per call.
class AudioDecoder {
public:
    virtual ~AudioDecoder() = default;

    virtual int sampleRateHz() const = 0;
    virtual int channels() const = 0;

    // Decodes one packet's payload into `out`. Returns the frames written (per channel), or a
    // negative value when the payload is corrupt (the caller conceals instead).
    virtual int decode(std::span<const std::uint8_t> payload, std::span<float> out) = 0;

    // Reconstructs the frame *before* `nextPayload` from its in-band FEC, writing exactly
    // `frames` frames. Returns frames written, or a negative value when it carries no FEC (the
    // caller conceals instead).
    virtual int decodeFec(std::span<const std::uint8_t> nextPayload, int frames, std::span<float> out) = 0;

    // Packet loss concealment: synthesises `frames` frames continuing the signal. Returns frames
    // written.
    virtual int conceal(int frames, std::span<float> out) = 0;

    // Frames (per channel) in a packet's payload without decoding it; negative when unknown.
    virtual int framesInPacket(std::span<const std::uint8_t> payload) const = 0;
};

} // namespace earshot::codec
