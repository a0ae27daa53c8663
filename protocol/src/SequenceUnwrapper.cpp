#include <earshot/protocol/SequenceUnwrapper.h>

namespace earshot::protocol {

std::optional<std::uint64_t> SequenceUnwrapper::unwrap(std::uint16_t sequence) const noexcept
{
    if (!m_started)
        return (std::uint64_t { m_initialRolloverCounter } << 16) | sequence;
    // The signed 16-bit distance from the highest sequence seen, in [-32768, 32767]: the
    // candidate with the previous, same or next ROC closest to the reference point.
    const auto forward = static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(m_highest));
    if (forward < 0x8000) {
        const std::uint64_t extended = m_highest + forward;
        if (extended > kMaxExtendedSequence)
            return std::nullopt;
        return extended;
    }
    const std::uint64_t backward = 0x10000u - forward;
    if (backward > m_highest)
        return std::nullopt; // would be before the stream's first packet
    return m_highest - backward;
}

void SequenceUnwrapper::update(std::uint64_t extendedSequence) noexcept
{
    if (extendedSequence > kMaxExtendedSequence)
        return;
    if (!m_started || extendedSequence > m_highest) {
        m_highest = extendedSequence;
        m_started = true;
    }
}

std::optional<std::uint64_t> SequenceUnwrapper::highest() const noexcept
{
    if (!m_started)
        return std::nullopt;
    return m_highest;
}

} // namespace earshot::protocol
