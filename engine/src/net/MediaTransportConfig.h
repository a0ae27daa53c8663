#pragma once

#include <QString>

#include <cstdint>

namespace earshot::net {

// Whether the transport may use UDP at all.
//   Auto           UDP first; the WebSocket fallback while UDP does not get through; back to UDP
//                  as soon as a probe is answered over it
//   WebSocketOnly  never open a UDP socket (networks that forbid UDP, or a user's choice)
enum class UdpPolicy { Auto, WebSocketOnly };

// Where the server's media port is and how the transport paces its control packets. All
// intervals are milliseconds and must be positive (the defaults suit real networks; tests use
// much smaller ones).
struct MediaTransportConfig {
    QString serverHost;               // IP literal or host name of the server
    quint16 mediaPort = 0;            // the server's UDP media port (login reply)
    std::uint32_t mediaSessionId = 0; // the session's media ID (login reply): SSRC of our Binds
    UdpPolicy policy = UdpPolicy::Auto;
    int bindRetryMs = 200;            // Bind retransmission while Connecting
    int udpGiveUpMs = 3000;           // no BindAck over UDP for this long: use the WebSocket
    int keepaliveIntervalMs = 1000;   // Binds on the current path (keeps NAT mappings open)
    int probeIntervalMs = 2000;       // UDP probes while on the WebSocket
    int statsReportIntervalMs = 3000; // reportsReady() period
};

} // namespace earshot::net
