#pragma once

#include <cstdint>
#include <optional>

namespace earshot::protocol {

// RTP sequence numbers are 16 bits and wrap every 65536 packets (22 minutes of 20 ms Opus);
// the media nonce and the replay window need the full count. This extends them to 48 bits,
// rollover counter (ROC) above the 16 sent bits, as RFC 3711 §3.3.1 does for SRTP: a packet
// is placed at the extended number nearest the highest one seen so far, so a late packet from
// just before a wrap gets the previous ROC and an early one just after gets the next.
//
// Guessing and committing are separate on purpose: unwrap() is const, and the caller calls
// update() only after the packet authenticated, so a forged packet can never move the
// reference point (and with it every later guess).
//
// Before the first update() the guess uses the initial ROC given to the constructor: 0 for a
// stream received from its first packet (a new SSRC always starts at ROC 0); a receiver that
// joins a running stream must be told the current ROC, or packets sent after the sender's
// first wrap will not open. Not thread-safe: one instance per stream, owned by the media
// thread that receives it. Never allocates or throws.
class SequenceUnwrapper {
public:
    // The nonce holds 48 bits of extended sequence; nothing beyond that may be produced.
    static constexpr std::uint64_t kMaxExtendedSequence = (std::uint64_t { 1 } << 48) - 1;

    explicit SequenceUnwrapper(std::uint32_t initialRolloverCounter = 0) noexcept
        : m_initialRolloverCounter(initialRolloverCounter)
    {
    }

    // An unwrapper for a receiver that joins a running stream: it places packets nearest to
    // `referenceExtendedSequence` (the newest extended number the sender's side has seen, as
    // the server reports it when playing starts), so a join after one or more wraps still
    // finds the right rollover counter, and one that straddles a wrap too.
    [[nodiscard]] static SequenceUnwrapper startingNear(std::uint64_t referenceExtendedSequence) noexcept
    {
        SequenceUnwrapper unwrapper;
        unwrapper.update(referenceExtendedSequence);
        return unwrapper;
    }

    // The extended number `sequence` most plausibly stands for, without changing any state.
    // nullopt when that would lie before extended number 0 or beyond kMaxExtendedSequence (such
    // a packet cannot be genuine, so the caller drops it).
    [[nodiscard]] std::optional<std::uint64_t> unwrap(std::uint16_t sequence) const noexcept;

    // Records an authenticated packet's extended number: it becomes the reference point if it
    // is the highest so far. Values above kMaxExtendedSequence are ignored (unwrap() never
    // returns them).
    void update(std::uint64_t extendedSequence) noexcept;

    // The highest extended number recorded, nullopt before the first update().
    [[nodiscard]] std::optional<std::uint64_t> highest() const noexcept;

private:
    std::uint64_t m_highest = 0;
    std::uint32_t m_initialRolloverCounter = 0;
    bool m_started = false;
};

} // namespace earshot::protocol
