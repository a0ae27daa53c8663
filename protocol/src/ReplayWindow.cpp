#include <earshot/protocol/ReplayWindow.h>

namespace earshot::protocol {

bool ReplayWindow::check(std::uint64_t extendedSequence) const noexcept
{
    if (!m_started || extendedSequence > m_highest)
        return true;
    const std::uint64_t behind = m_highest - extendedSequence;
    if (behind >= kWindowPackets)
        return false;
    return (m_seen & (std::uint64_t { 1 } << behind)) == 0;
}

void ReplayWindow::accept(std::uint64_t extendedSequence) noexcept
{
    if (!m_started) {
        m_started = true;
        m_highest = extendedSequence;
        m_seen = 1;
        return;
    }
    if (extendedSequence > m_highest) {
        const std::uint64_t advance = extendedSequence - m_highest;
        // Shifting a 64-bit value by 64 or more is undefined, and would forget everything anyway.
        m_seen = advance >= kWindowPackets ? 0 : m_seen << advance;
        m_seen |= 1;
        m_highest = extendedSequence;
        return;
    }
    const std::uint64_t behind = m_highest - extendedSequence;
    if (behind < kWindowPackets)
        m_seen |= std::uint64_t { 1 } << behind;
}

} // namespace earshot::protocol
