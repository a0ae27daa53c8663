#pragma once

namespace earshot::net {

// Which way media currently travels between this client and the server (DESIGN.md §2).
//   Connecting  started, no BindAck yet over UDP and the fallback not yet chosen; nothing is sent
//   Udp         sealed packets as UDP datagrams to the server's media port
//   WebSocket   the same packets as binary frames on the signalling WebSocket (UDP blocked or lost)
//   Closed      not started, or stopped
enum class MediaPath { Connecting, Udp, WebSocket, Closed };

} // namespace earshot::net
