#pragma once

#include "UdpAddress.h"

#include <cstdint>

namespace earshot::server {

// Where one session's media leaves the server: by UDP to the address its last authenticated
// packet came from, or as binary frames on its signalling WebSocket (the fallback path).
struct MediaRoute {
    enum class Kind : std::uint8_t { None, Udp, WebSocket };
    Kind kind = Kind::None;
    UdpAddress address; // Udp only
};

} // namespace earshot::server
