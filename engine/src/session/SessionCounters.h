#pragma once

#include <cstdint>

namespace earshot::session {

// What a SignallingClient dropped or retried, for diagnostics and tests. Session thread only.
struct SessionCounters {
    std::uint64_t malformedMessages = 0;   // text frames that do not parse, or a malformed hello
    std::uint64_t unexpectedMessages = 0;  // well-formed but out of place: a reply nobody waits
                                           // for, an event before login or for another room, a
                                           // client-to-server type, a second hello
    std::uint64_t binaryFramesDropped = 0; // binary frames while not logged in
    std::uint64_t mediaFramesNotSent = 0;  // sendMediaFrame() while not connected
    std::uint64_t requestsTimedOut = 0;    // requests (not heartbeats) that got no reply in time
    std::uint64_t reconnectAttempts = 0;   // connections opened to reconnect

    // Every message the server sent that the client ignored.
    [[nodiscard]] std::uint64_t droppedMessages() const noexcept
    {
        return malformedMessages + unexpectedMessages + binaryFramesDropped;
    }
};

} // namespace earshot::session
