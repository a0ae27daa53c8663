#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace earshot::codec {

// Earshot's redundancy payload: the current Opus packet plus up to two earlier ones, so a
// receiver that lost a packet can take its copy from the next one (RED in the spirit of
// RFC 2198, but inside the AEAD-sealed RTP payload, so the server forwards it untouched and
// nothing about it is visible on the wire). Every Opus payload Earshot sends is wrapped, even
// with no redundancy (one byte of overhead), so the receiver never has to guess.
//
//   byte 0          version (2 bits, = 1) | reserved (4 bits, = 0) | R (2 bits, 0..2)
//   R x 3 bytes     per redundant block, oldest first, big-endian 24 bits:
//                   timestamp offset (14 bits, 48 kHz units before the primary, 1..16383,
//                   strictly decreasing) | length (10 bits, 1..1023 bytes)
//   R blocks        the redundant Opus packets, in header order
//   the rest        the primary Opus packet (at least 1 byte)
//
// The 14/10-bit split is RFC 2198's: 341 ms of reach covers two 60 ms frames, and 1023 bytes
// covers a 20 ms frame at 192 kbps stereo; a larger earlier frame is simply not repeated.
inline constexpr int kRedundancyFormatVersion = 1;
inline constexpr int kMaxRedundantFrames = 2;
inline constexpr std::uint32_t kMaxRedundantTimestampOffset = (1u << 14) - 1;
inline constexpr std::size_t kMaxRedundantBlockBytes = (1u << 10) - 1;
inline constexpr std::size_t kRedundancyHeaderBytes = 1;
inline constexpr std::size_t kRedundantBlockHeaderBytes = 3;
// Nothing larger fits in a media packet (protocol::kMaxMediaPacketBytes); larger input is
// rejected before it is parsed.
inline constexpr std::size_t kMaxRedundancyPayloadBytes = 1500;

struct RedundantBlock {
    std::uint32_t timestampOffset = 0;     // 48 kHz units before the primary's RTP timestamp
    std::span<const std::uint8_t> payload; // one Opus packet
};

enum class RedundancyError : std::uint8_t {
    None,
    Empty,              // no bytes at all
    Oversized,          // above kMaxRedundancyPayloadBytes
    UnsupportedVersion, // version bits other than kRedundancyFormatVersion
    ReservedBitsSet,    // reserved header bits not zero
    TooManyBlocks,      // R = 3, or more blocks than kMaxRedundantFrames to pack
    Truncated,          // block headers or block data run past the end
    BadOffset,          // offset 0, above 16383, or not strictly decreasing
    BadBlockLength,     // an empty redundant block, or one above 1023 bytes to pack
    EmptyPrimary,       // no bytes left for the primary packet
    BufferTooSmall,     // packing: the output cannot hold even the primary
};

// Stable English name of an error, for logs and counters. Thread-safe; never returns null.
[[nodiscard]] const char* errorText(RedundancyError error) noexcept;

struct RedundancyPackResult {
    RedundancyError error = RedundancyError::None;
    std::size_t bytes = 0;        // payload length written
    int redundantFrames = 0;      // how many earlier frames it carries
};

struct RedundancyUnpackResult {
    RedundancyError error = RedundancyError::Empty;
    std::span<const std::uint8_t> primary; // points into the input
    std::array<RedundantBlock, kMaxRedundantFrames> redundant {};
    int redundantCount = 0;

    // The redundant blocks, oldest first (largest offset first).
    [[nodiscard]] std::span<const RedundantBlock> redundantBlocks() const noexcept
    {
        return {redundant.data(), static_cast<std::size_t>(redundantCount)};
    }
};

// Packs each outgoing Opus packet with up to N of its predecessors (N from RedundancyPolicy)
// and parses received payloads.
//
// Sender: call pack() exactly for the packets that are sent, in order, one RTP sequence number
// each (skipped DTX frames are not packed). The repeats are then always the packets sent just
// before, with nothing left out between: in a packet with sequence s carrying n blocks, block i
// (oldest first) is packet s - (n - i), and its RTP timestamp is the primary's minus its offset.
// A repeat is left out, and with it every older one, when it is over 1023 bytes or more than
// 341 ms back (a pause, a new stream), so the mapping holds across DTX gaps too.
// Receiver: unpack(), then hand the jitter buffer each redundant block as the packet with that
// sequence number and timestamp, oldest first, before the primary; one it already holds is a
// duplicate and dropped, one it lacks fills a loss with the exact bitstream, so the Opus decoder
// state stays as if nothing was lost.
//
// Thread ownership: an instance belongs to the sending stream's media thread; the history lives
// inside the object (no allocation at all). unpack() and serialize() are stateless and
// thread-safe. Nothing throws.
class RedundancyPacker {
public:
    // Earlier frames to repeat from the next pack() on, 0..kMaxRedundantFrames; values outside
    // are clamped. Thread: media thread.
    void setRedundantFrames(int frames) noexcept;
    [[nodiscard]] int redundantFrames() const noexcept { return m_redundantFrames; }

    // Writes the payload for `primary` (the Opus packet of the frame at RTP timestamp
    // `timestamp`) into `out`, carrying up to redundantFrames() remembered earlier frames, then
    // remembers `primary`. When `out` is too small for everything, the oldest redundancy goes
    // first. Errors: EmptyPrimary, Oversized (primary alone above the payload limit),
    // BufferTooSmall (out cannot hold header + primary); on error nothing is remembered.
    // Thread: media thread; no allocation.
    [[nodiscard]] RedundancyPackResult pack(std::span<const std::uint8_t> primary, std::uint32_t timestamp,
                                            std::span<std::uint8_t> out) noexcept;

    // Forgets the remembered frames (a new SSRC, or after encoder reset). Thread: media thread.
    void clearHistory() noexcept;

    // Parses a received payload (hostile input, after AEAD open). On success the spans point
    // into `payload`. Never reads outside `payload`, allocates or throws. Thread-safe.
    [[nodiscard]] static RedundancyUnpackResult unpack(std::span<const std::uint8_t> payload) noexcept;

    // Writes a payload from explicit blocks (oldest first) and primary: the format's one
    // writer, used by pack() and by tests. Errors: TooManyBlocks, BadOffset, BadBlockLength,
    // EmptyPrimary, Oversized, BufferTooSmall. Thread-safe; no allocation.
    [[nodiscard]] static RedundancyPackResult serialize(std::span<const RedundantBlock> redundant,
                                                        std::span<const std::uint8_t> primary,
                                                        std::span<std::uint8_t> out) noexcept;

private:
    struct RememberedFrame {
        std::array<std::uint8_t, kMaxRedundantBlockBytes> bytes {};
        std::size_t size = 0; // 0: empty slot (or a frame too large to repeat)
        std::uint32_t timestamp = 0;
    };

    void remember(std::span<const std::uint8_t> frame, std::uint32_t timestamp) noexcept;

    // m_history[0] is the most recent frame.
    std::array<RememberedFrame, kMaxRedundantFrames> m_history {};
    int m_redundantFrames = 0;
};

} // namespace earshot::codec
