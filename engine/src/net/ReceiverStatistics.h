#pragma once

#include <earshot/protocol/SignalTypes.h>

#include <QString>

#include <cstdint>

namespace earshot::net {

// Receiver statistics of one incoming stream (one SSRC), as RFC 3550 keeps them for its
// receiver reports: packets expected and lost from the extended sequence numbers (appendix A.3)
// and the interarrival jitter in RTP timestamp units (appendix A.8, 48 kHz for Opus).
//
// The sequence numbers are the 48-bit extended ones the transport already computed while
// opening the packet, so no wrap handling is needed here. Duplicates count as received, so the
// cumulative loss may go negative, as in RFC 3550 (the transport's replay window drops
// duplicates before they get here, so in practice it does not).
//
// Pure logic, not thread-safe: one instance per stream, owned by the thread that owns the
// MediaTransport. onPacket() never allocates or throws.
class ReceiverStatistics {
public:
    static constexpr std::int64_t kTimestampRateHz = 48000;

    explicit ReceiverStatistics(std::uint32_t ssrc = 0) noexcept
        : m_ssrc(ssrc)
    {
    }

    // Records one authenticated packet: its extended sequence number, its RTP timestamp and its
    // arrival time in microseconds on any monotonic clock (the same clock for every call).
    // Hostile values (a sender's wild timestamps) only make the jitter large; nothing overflows.
    void onPacket(std::uint64_t extendedSequence, std::uint32_t rtpTimestamp, std::int64_t arrivalUs) noexcept;

    // A report of this stream for the server and the sender (RFC 3550 §6.4.1): fraction lost
    // since the previous makeReport() call, cumulative loss, highest extended sequence, jitter,
    // packets received, and `rttMs` (negative: unknown). Starts a new interval for the fraction.
    // Fields are clamped to the ranges the protocol allows (SignalTypes.h). Allocates (QString).
    [[nodiscard]] protocol::ReceiverReport makeReport(const QString& streamId, std::int32_t rttMs);

    // Lost / expected since the first packet, 0..1 (0 before any packet or with duplicates).
    [[nodiscard]] double lossRate() const noexcept;
    // The interarrival jitter in milliseconds.
    [[nodiscard]] double jitterMs() const noexcept { return m_jitter * 1000.0 / double(kTimestampRateHz); }
    [[nodiscard]] std::int64_t packetsReceived() const noexcept { return m_received; }
    [[nodiscard]] std::uint32_t ssrc() const noexcept { return m_ssrc; }
    // Packets expected since the first one (highest − lowest extended sequence + 1; 0 before any).
    [[nodiscard]] std::int64_t expected() const noexcept;

private:

    std::uint32_t m_ssrc = 0;
    bool m_started = false;
    std::uint64_t m_baseSequence = 0;    // lowest extended sequence received
    std::uint64_t m_highestSequence = 0; // highest extended sequence received
    std::int64_t m_received = 0;
    std::int64_t m_expectedPrior = 0;    // at the previous report
    std::int64_t m_receivedPrior = 0;
    std::uint32_t m_lastTransit = 0;     // arrival - timestamp of the previous packet, modulo 2^32
    double m_jitter = 0.0;               // in timestamp units
};

} // namespace earshot::net
