#pragma once

#include <sys/socket.h>

#include <cstring>
#include <string>

namespace earshot::server {

// A UDP peer address as the kernel gives it (IPv4 or IPv6). A plain value, compared byte-wise
// over the part that identifies the peer. Qt-free: it lives on the media thread.
struct UdpAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;

    bool isValid() const { return length != 0; }
    bool operator==(const UdpAddress& other) const;
    // "HOST:PORT", for logs only.
    std::string toString() const;
};

struct UdpAddressHash {
    std::size_t operator()(const UdpAddress& address) const noexcept;
};

} // namespace earshot::server
