#pragma once

#include <cstdint>
#include <span>

namespace earshot::media {

// One packet of the published stream, ready for the transport: the payload is the
// RedundancyPacker's format (the Opus packet plus any repeated earlier ones), so the transport
// only adds the RTP header (its sequence number, SSRC) and seals it.
struct EncodedPacket {
    std::uint32_t timestamp = 0;           // RTP timestamp of the primary frame, 48 kHz units
    bool marker = false;                   // first packet of a talk spurt (after skipped DTX frames)
    int frames = 0;                        // 48 kHz frames the primary frame covers
    int redundantFrames = 0;               // earlier frames repeated inside
    std::span<const std::uint8_t> payload; // valid only during the call
};

// Where CaptureChain hands its packets. Every packet it is given must be sent with the next
// RTP sequence number of the stream, in order, because the repeats inside refer to the
// packets before it by sequence (RedundancyPacker.h).
//
// Thread: called on the media thread, from inside CaptureChain::process(); it must not block
// (the transport queues or sends without waiting) and must not destroy the chain.
class EncodedPacketSink {
public:
    virtual ~EncodedPacketSink() = default;
    virtual void onEncodedPacket(const EncodedPacket& packet) = 0;
};

} // namespace earshot::media
