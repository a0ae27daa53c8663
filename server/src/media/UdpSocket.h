#pragma once

#include "UdpAddress.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace earshot::server {

// A non-blocking UDP socket that moves datagrams in batches: recvmmsg/sendmmsg on Linux (one
// system call per batch instead of one per packet), recvfrom/sendto elsewhere. All buffers are
// allocated once at construction, so the steady state allocates nothing. Owned and used by
// one media thread.
class UdpSocket {
public:
    static constexpr std::size_t kMaxDatagramBytes = 2048;
    static constexpr std::size_t kBatchSize = 64;
    static constexpr int kSocketBufferBytes = 4 << 20;

    struct Datagram {
        UdpAddress address;
        std::span<std::uint8_t> bytes; // into the socket's own buffers
    };

    UdpSocket();
    ~UdpSocket();
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    // Binds host:port (numeric address; port 0 ephemeral). Empty string on success, else why not.
    std::string bind(const std::string& host, std::uint16_t port);
    int fd() const { return m_fd; }
    std::uint16_t localPort() const;
    // The receive buffer the kernel granted (it reports twice what it keeps for data).
    int receiveBufferBytes() const;

    // Reads up to kBatchSize waiting datagrams into the receive buffers; the spans stay valid
    // until the next call. Returns an empty span when nothing is waiting.
    std::span<const Datagram> receiveBatch();

    // Queues one datagram for the next flush(); copies `bytes` (≤ kMaxDatagramBytes, longer are
    // dropped and counted as failed). Flushes by itself when the batch is full.
    void queue(const UdpAddress& address, std::span<const std::uint8_t> bytes);
    // Sends every queued datagram. Returns how many the kernel refused (full buffer, no route).
    std::size_t flush();

    std::size_t queuedCount() const { return m_queued; }
    // Datagrams larger than kMaxDatagramBytes dropped by receiveBatch() since the last call.
    std::size_t takeOversizedCount() { return std::exchange(m_oversized, 0); }

private:
    int m_fd = -1;
    std::vector<std::uint8_t> m_receiveMemory;
    std::vector<Datagram> m_received;
    std::vector<std::uint8_t> m_sendMemory;
    std::vector<UdpAddress> m_sendAddresses;
    std::vector<std::size_t> m_sendLengths;
    std::size_t m_queued = 0;
    std::size_t m_failedSinceFlush = 0;
    std::size_t m_oversized = 0;
};

} // namespace earshot::server
