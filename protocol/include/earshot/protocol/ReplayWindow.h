#pragma once

#include <cstddef>
#include <cstdint>

namespace earshot::protocol {

// Anti-replay for one stream at one receiver (RFC 4303 §3.4.3 style) over 48-bit extended
// sequence numbers: remembers the highest number accepted and which of the 63 before it were
// accepted. A number is fresh if it is above the highest, or within the window and not yet
// seen; anything 64 or more behind the highest is refused, since it can no longer be told
// apart from a replay (and is too late for the jitter buffer anyway).
//
// check() and accept() are separate so a packet is recorded only after it authenticated: a
// forged packet must neither slide the window forward nor use up a slot. Not thread-safe: one
// instance per (receiver, SSRC), owned by the media thread. Never allocates or throws.
class ReplayWindow {
public:
    // The highest number and the 63 before it.
    static constexpr std::size_t kWindowPackets = 64;

    // True when `extendedSequence` has not been accepted and is not too old.
    [[nodiscard]] bool check(std::uint64_t extendedSequence) const noexcept;

    // Records `extendedSequence` as received, sliding the window when it is the new highest.
    // Call only after check() returned true and the packet authenticated; accepting a number
    // that is already recorded or too old changes nothing.
    void accept(std::uint64_t extendedSequence) noexcept;

private:
    std::uint64_t m_highest = 0;
    std::uint64_t m_seen = 0; // bit i: m_highest - i was accepted
    bool m_started = false;
};

} // namespace earshot::protocol
