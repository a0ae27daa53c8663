#pragma once

#include <QByteArray>

namespace earshot::net {

// The media fallback: whoever owns the signalling WebSocket implements this and sends each
// packet as one binary frame (same packet format as a UDP datagram). Binary frames that arrive
// on that WebSocket go back to the transport through MediaTransport::onFallbackFrame().
//
// Thread: called on the thread that owns the MediaTransport. If the WebSocket lives on another
// thread, the implementation hands the frame over there (a queued invocation); it must not
// block, and must not call back into the transport before returning (answers arrive later, as
// from a network). Errors: none reported; a frame that cannot be sent is lost, like a datagram.
class FallbackChannel {
public:
    virtual ~FallbackChannel() = default;
    virtual void sendMediaFrame(const QByteArray& packet) = 0;
};

} // namespace earshot::net
