#include "UdpSocket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace earshot::server {

UdpSocket::UdpSocket()
    : m_receiveMemory(kBatchSize * kMaxDatagramBytes)
    , m_received(kBatchSize)
    , m_sendMemory(kBatchSize * kMaxDatagramBytes)
    , m_sendAddresses(kBatchSize)
    , m_sendLengths(kBatchSize)
{
}

UdpSocket::~UdpSocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::string UdpSocket::bind(const std::string& host, std::uint16_t port)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
    auto& v4 = reinterpret_cast<sockaddr_in&>(storage);
    auto& v6 = reinterpret_cast<sockaddr_in6&>(storage);
    if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port);
        length = sizeof v4;
    } else if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
        family = AF_INET6;
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        length = sizeof v6;
    } else {
        return "not a numeric address: " + host;
    }
    m_fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return std::string("socket: ") + std::strerror(errno);
    // Bursts from many publishers arrive between two wake-ups; a larger buffer rides them out.
    // The plain request is capped by net.core.rmem_max (about 208 KiB on a stock kernel); the
    // FORCE variant, allowed to a privileged server, is not.
    const int bufferBytes = kSocketBufferBytes;
#if defined(SO_RCVBUFFORCE)
    for (const auto& [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF}, std::pair{SO_SNDBUFFORCE, SO_SNDBUF}}) {
        if (::setsockopt(m_fd, SOL_SOCKET, force, &bufferBytes, sizeof bufferBytes) != 0)
            ::setsockopt(m_fd, SOL_SOCKET, plain, &bufferBytes, sizeof bufferBytes);
    }
#else
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof bufferBytes);
#endif
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
        const std::string error = std::strerror(errno);
        ::close(m_fd);
        m_fd = -1;
        return "bind: " + error;
    }
    return {};
}

std::uint16_t UdpSocket::localPort() const
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (m_fd < 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        return 0;
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6&>(storage).sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in&>(storage).sin_port);
}

int UdpSocket::receiveBufferBytes() const
{
    int bytes = 0;
    socklen_t length = sizeof bytes;
    if (m_fd < 0 || ::getsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bytes, &length) != 0)
        return 0;
    return bytes;
}

#if defined(__linux__)

std::span<const UdpSocket::Datagram> UdpSocket::receiveBatch()
{
    mmsghdr headers[kBatchSize];
    iovec vectors[kBatchSize];
    for (std::size_t i = 0; i < kBatchSize; ++i) {
        vectors[i] = {m_receiveMemory.data() + i * kMaxDatagramBytes, kMaxDatagramBytes};
        headers[i] = {};
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &m_received[i].address.storage;
        headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
    const int count = ::recvmmsg(m_fd, headers, kBatchSize, MSG_DONTWAIT, nullptr);
    if (count <= 0)
        return {};
    std::size_t kept = 0;
    for (int i = 0; i < count; ++i) {
        // A datagram larger than the buffer arrives cut short: never a valid packet.
        if ((headers[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
            ++m_oversized;
            continue;
        }
        // Close the gap a skipped datagram left, so the kept ones are contiguous.
        Datagram& slot = m_received[kept];
        if (std::size_t(i) != kept) {
            std::memmove(m_receiveMemory.data() + kept * kMaxDatagramBytes,
                         m_receiveMemory.data() + std::size_t(i) * kMaxDatagramBytes, headers[i].msg_len);
            slot.address = m_received[std::size_t(i)].address;
        }
        slot.address.length = headers[i].msg_hdr.msg_namelen;
        slot.bytes = {m_receiveMemory.data() + kept * kMaxDatagramBytes, headers[i].msg_len};
        ++kept;
    }
    return {m_received.data(), kept};
}

std::size_t UdpSocket::flush()
{
    if (m_queued == 0)
        return std::exchange(m_failedSinceFlush, 0);
    mmsghdr headers[kBatchSize];
    iovec vectors[kBatchSize];
    for (std::size_t i = 0; i < m_queued; ++i) {
        vectors[i] = {m_sendMemory.data() + i * kMaxDatagramBytes, m_sendLengths[i]};
        headers[i] = {};
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &m_sendAddresses[i].storage;
        headers[i].msg_hdr.msg_namelen = m_sendAddresses[i].length;
    }
    std::size_t sent = 0;
    while (sent < m_queued) {
        const int count = ::sendmmsg(m_fd, headers + sent, unsigned(m_queued - sent), MSG_DONTWAIT);
        if (count <= 0) {
            // The datagram at `sent` cannot go (EAGAIN, unreachable): skip it, keep the rest.
            ++m_failedSinceFlush;
            ++sent;
            continue;
        }
        sent += std::size_t(count);
    }
    m_queued = 0;
    return std::exchange(m_failedSinceFlush, 0);
}

#else

std::span<const UdpSocket::Datagram> UdpSocket::receiveBatch()
{
    std::size_t kept = 0;
    while (kept < kBatchSize) {
        Datagram& slot = m_received[kept];
        slot.address.length = sizeof(sockaddr_storage);
        std::uint8_t* buffer = m_receiveMemory.data() + kept * kMaxDatagramBytes;
        const ssize_t got = ::recvfrom(m_fd, buffer, kMaxDatagramBytes, 0,
                                       reinterpret_cast<sockaddr*>(&slot.address.storage), &slot.address.length);
        if (got < 0)
            break;
        if (std::size_t(got) >= kMaxDatagramBytes) {
            ++m_oversized; // possibly truncated
            continue;
        }
        slot.bytes = {buffer, std::size_t(got)};
        ++kept;
    }
    return {m_received.data(), kept};
}

std::size_t UdpSocket::flush()
{
    for (std::size_t i = 0; i < m_queued; ++i) {
        if (::sendto(m_fd, m_sendMemory.data() + i * kMaxDatagramBytes, m_sendLengths[i], 0,
                     reinterpret_cast<const sockaddr*>(&m_sendAddresses[i].storage), m_sendAddresses[i].length)
            < 0)
            ++m_failedSinceFlush;
    }
    m_queued = 0;
    return std::exchange(m_failedSinceFlush, 0);
}

#endif

void UdpSocket::queue(const UdpAddress& address, std::span<const std::uint8_t> bytes)
{
    if (bytes.size() > kMaxDatagramBytes || !address.isValid()) {
        ++m_failedSinceFlush;
        return;
    }
    if (m_queued == kBatchSize)
        m_failedSinceFlush += flush();
    std::memcpy(m_sendMemory.data() + m_queued * kMaxDatagramBytes, bytes.data(), bytes.size());
    m_sendAddresses[m_queued] = address;
    m_sendLengths[m_queued] = bytes.size();
    ++m_queued;
}

} // namespace earshot::server
