#pragma once

#include <cstdint>

namespace earshot::net {

// What the MediaTransport did with every packet, for diagnostics and tests. Plain integers: the
// transport is single-threaded, and a copy is taken with MediaTransport::counters().
struct TransportCounters {
    // Accepted and handed on.
    std::uint64_t mediaPacketsReceived = 0;   // to the sink
    std::uint64_t controlPacketsReceived = 0; // BindAcks
    std::uint64_t mediaPacketsSent = 0;       // by UDP or on the fallback
    std::uint64_t controlPacketsSent = 0;     // Binds, by either path

    // Incoming, dropped (hostile or broken input).
    std::uint64_t droppedOversized = 0;      // above kMaxMediaPacketBytes
    std::uint64_t droppedMalformed = 0;      // RTP header did not parse, no tag, bad control payload
    std::uint64_t droppedUnknownSsrc = 0;    // no registered stream, or control not for our session
    std::uint64_t droppedAuthentication = 0; // AEAD open failed: forged, corrupted, wrong key
    std::uint64_t droppedReplayed = 0;       // already received, too old, or out of range
    std::uint64_t droppedWrongSource = 0;    // UDP datagram not from the server's address and port

    // Outgoing, not sent.
    std::uint64_t sendDroppedNoPath = 0;     // media while Connecting or Closed
    std::uint64_t sendRejected = 0;          // invalid header or payload (could not be sealed)
    std::uint64_t sendFailures = 0;          // the UDP socket refused the datagram
};

} // namespace earshot::net
