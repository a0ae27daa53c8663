#include "ReceiverStatistics.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace earshot::net {

namespace {

// packetsReceived travels as a JSON number, exact only up to 2^53.
constexpr std::int64_t kMaxJsonInteger = std::int64_t{1} << 53;

} // namespace

void ReceiverStatistics::onPacket(std::uint64_t extendedSequence, std::uint32_t rtpTimestamp,
                                  std::int64_t arrivalUs) noexcept
{
    // Arrival in timestamp units, modulo 2^32 like the RTP timestamp itself, so the transit
    // difference below is right across either clock's wrap (RFC 3550 A.8 does the same).
    // 48 kHz / 1 MHz = 6 / 125, exact and without overflow for any plausible clock.
    static_assert(kTimestampRateHz == 48000);
    const auto arrival = static_cast<std::uint32_t>(static_cast<std::uint64_t>(arrivalUs) * 6 / 125);
    const std::uint32_t transit = arrival - rtpTimestamp;

    if (!m_started) {
        m_started = true;
        m_baseSequence = extendedSequence;
        m_highestSequence = extendedSequence;
    } else {
        // The difference between two transits, as a signed 32-bit value (C++20: modular), then
        // widened so that its absolute value cannot overflow.
        const std::int64_t d = static_cast<std::int32_t>(transit - m_lastTransit);
        m_jitter += (double(std::llabs(d)) - m_jitter) / 16.0;
        // A packet older than the first one received extends the range instead of counting as
        // a duplicate: reordering around the start is not loss.
        m_baseSequence = std::min(m_baseSequence, extendedSequence);
        m_highestSequence = std::max(m_highestSequence, extendedSequence);
    }
    m_lastTransit = transit;
    ++m_received;
}

std::int64_t ReceiverStatistics::expected() const noexcept
{
    // Both are 48-bit values, so the difference fits.
    return m_started ? static_cast<std::int64_t>(m_highestSequence - m_baseSequence) + 1 : 0;
}

double ReceiverStatistics::lossRate() const noexcept
{
    const std::int64_t expectedPackets = expected();
    const std::int64_t lost = expectedPackets - m_received;
    if (expectedPackets <= 0 || lost <= 0)
        return 0.0;
    return double(lost) / double(expectedPackets);
}

protocol::ReceiverReport ReceiverStatistics::makeReport(const QString& streamId, std::int32_t rttMs)
{
    const std::int64_t expectedPackets = expected();
    const std::int64_t expectedInterval = expectedPackets - m_expectedPrior;
    const std::int64_t receivedInterval = m_received - m_receivedPrior;
    const std::int64_t lostInterval = expectedInterval - receivedInterval;
    m_expectedPrior = expectedPackets;
    m_receivedPrior = m_received;

    protocol::ReceiverReport report;
    report.streamId = streamId;
    report.ssrc = m_ssrc;
    // RFC 3550 A.3: lost/expected in the interval as 8-bit fixed point; 0 with no packets
    // expected or more received than expected (duplicates). All lost would be 256: clamp.
    if (expectedInterval > 0 && lostInterval > 0)
        report.fractionLost = static_cast<std::uint8_t>(std::min<std::int64_t>((lostInterval << 8) / expectedInterval, 255));
    report.cumulativeLost = std::clamp(expectedPackets - m_received, -protocol::kMaxCumulativeLost,
                                       protocol::kMaxCumulativeLost);
    report.highestSequence = m_highestSequence;
    report.jitterSamples = static_cast<std::uint32_t>(
        std::min(m_jitter + 0.5, double(std::numeric_limits<std::uint32_t>::max())));
    report.packetsReceived = std::min(m_received, kMaxJsonInteger);
    report.rttMs = rttMs < 0 ? protocol::kUnknownRttMs : std::min(rttMs, protocol::kMaxReportedRttMs);
    return report;
}

} // namespace earshot::net
