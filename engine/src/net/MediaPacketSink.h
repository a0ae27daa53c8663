#pragma once

#include <earshot/protocol/RtpHeader.h>

#include <cstdint>
#include <span>

namespace earshot::net {

// Receives every incoming media packet that authenticated, passed the replay check and belongs
// to a registered stream, whichever path (UDP or WebSocket) it came by.
class MediaPacketSink {
public:
    virtual ~MediaPacketSink() = default;

    // `header`: the packet's RTP header as sent. `extendedSequence`: its 48-bit place in the
    // stream (SequenceUnwrapper.h). `payload`: the decrypted Opus bytes, valid only during the
    // call (they live in the transport's receive buffer), possibly empty.
    // Thread: called on the MediaTransport's thread, from inside its event handling. It must
    // return quickly (hand the packet to a queue) and must not destroy the transport; it may
    // call addIncomingStream/removeIncomingStream. No errors.
    virtual void onMediaPacket(const protocol::RtpHeader& header, std::uint64_t extendedSequence,
                               std::span<const std::uint8_t> payload) = 0;
};

} // namespace earshot::net
