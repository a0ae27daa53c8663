#pragma once

#include <earshot/protocol/MediaPacketCrypto.h>
#include <earshot/protocol/ReplayWindow.h>
#include <earshot/protocol/SequenceUnwrapper.h>

#include <cstdint>
#include <optional>
#include <span>

namespace earshot::protocol {

// Receive-side state of one stream (one SSRC) at one receiver: the sequence unwrapper and the
// replay window. The order on receipt is fixed, and openAndCommit() does all of it:
//
//     parse -> extendedSequenceFor(seq) (unwrap + replay check) -> open (authenticate)
//           -> commit(ext)
//
// Nothing is recorded before the packet authenticated, so a forged or corrupted packet never
// advances the unwrapper's reference point or the window. Not thread-safe: owned by the media
// thread that receives the stream. Never allocates or throws.
class MediaReceiverState {
public:
    // `initialRolloverCounter`: 0 when receiving from the stream's first packet; see
    // SequenceUnwrapper for receivers joining a running stream.
    explicit MediaReceiverState(std::uint32_t ssrc, std::uint32_t initialRolloverCounter = 0) noexcept
        : m_unwrapper(initialRolloverCounter)
        , m_ssrc(ssrc)
    {
    }

    // For a receiver joining a running stream: see SequenceUnwrapper::startingNear.
    [[nodiscard]] static MediaReceiverState joiningNear(std::uint32_t ssrc,
                                                        std::uint64_t referenceExtendedSequence) noexcept
    {
        MediaReceiverState state(ssrc);
        state.m_unwrapper = SequenceUnwrapper::startingNear(referenceExtendedSequence);
        return state;
    }

    [[nodiscard]] std::uint32_t ssrc() const noexcept { return m_ssrc; }

    // The extended sequence to open a packet carrying `sequence` with, or nullopt when the
    // packet is to be dropped unopened (replayed, too old, or out of range). Changes nothing.
    [[nodiscard]] std::optional<std::uint64_t> extendedSequenceFor(std::uint16_t sequence) const noexcept;

    // Records a packet that authenticated at `extendedSequence`. Call only after a successful
    // open with the value extendedSequenceFor() returned.
    void commit(std::uint64_t extendedSequence) noexcept;

    // The whole receive sequence for one parsed packet; errors as MediaPacketOpener::open plus
    // WrongSsrc, SequenceOutOfRange and Replayed. On success the packet is committed.
    [[nodiscard]] MediaOpenResult openAndCommit(const MediaPacketOpener& opener, const RtpParseResult& parsed,
                                                std::span<std::uint8_t> plaintextOut) noexcept;

private:
    SequenceUnwrapper m_unwrapper;
    ReplayWindow m_window;
    std::uint32_t m_ssrc = 0;
};

} // namespace earshot::protocol
