#include "UdpAddress.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <functional>
#include <string_view>

namespace earshot::server {

bool UdpAddress::operator==(const UdpAddress& other) const
{
    if (storage.ss_family != other.storage.ss_family)
        return false;
    if (storage.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(storage);
        const auto& b = reinterpret_cast<const sockaddr_in&>(other.storage);
        return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
    }
    if (storage.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(storage);
        const auto& b = reinterpret_cast<const sockaddr_in6&>(other.storage);
        return a.sin6_port == b.sin6_port && std::memcmp(&a.sin6_addr, &b.sin6_addr, sizeof a.sin6_addr) == 0;
    }
    return length == other.length && std::memcmp(&storage, &other.storage, length) == 0;
}

std::string UdpAddress::toString() const
{
    char host[INET6_ADDRSTRLEN] = {};
    if (storage.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(storage);
        inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
        return std::string(host) + ':' + std::to_string(ntohs(v4.sin_port));
    }
    if (storage.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(storage);
        inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
        return '[' + std::string(host) + "]:" + std::to_string(ntohs(v6.sin6_port));
    }
    return "?";
}

std::size_t UdpAddressHash::operator()(const UdpAddress& address) const noexcept
{
    const auto& storage = address.storage;
    if (storage.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(storage);
        return std::hash<std::uint64_t>{}((std::uint64_t(v4.sin_addr.s_addr) << 16) | v4.sin_port);
    }
    if (storage.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(storage);
        const std::string_view bytes(reinterpret_cast<const char*>(&v6.sin6_addr), sizeof v6.sin6_addr);
        return std::hash<std::string_view>{}(bytes) ^ v6.sin6_port;
    }
    return 0;
}

} // namespace earshot::server
