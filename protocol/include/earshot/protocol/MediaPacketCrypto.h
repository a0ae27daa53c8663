#pragma once

#include <earshot/protocol/RtpHeader.h>
#include <earshot/protocol/SecureKey.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace earshot::protocol {

// Earshot media packet (DESIGN.md §4), one per UDP datagram or binary WebSocket frame:
//
//     RTP header (RtpHeader.h, 12 or 20 bytes) | ChaCha20-Poly1305-IETF(Opus payload) | 16-byte tag
//
// - Key: the media key of one direction from the login's crypto_kx (KeyExchange.h).
// - Additional data: the RTP header bytes exactly as sent, extension included, so every
//   header field (and the audio level the server reads in the clear) is authenticated.
// - Nonce (12 bytes, never sent): SSRC big-endian (4) | 0x0000 (2) | extended sequence
//   big-endian (6, SequenceUnwrapper.h). It is unique under a key as long as no (SSRC,
//   extended sequence) pair is sealed twice under that key, which holds because each
//   direction has its own key, the server never assigns an SSRC twice within a key's life,
//   and each sender counts its extended sequence up from 0 per SSRC without ever repeating.
inline constexpr std::size_t kAeadTagBytes = 16;
inline constexpr std::size_t kMediaNonceBytes = 12;
// Upper bound on a whole packet (receive buffers are sized by it). Encoders should stay well
// below it: a datagram above the path MTU (~1200 bytes to be safe) gets fragmented or lost.
inline constexpr std::size_t kMaxMediaPacketBytes = 1500;

enum class MediaOpenError : std::uint8_t {
    None,
    NoKey,               // the opener was given an all-zero (unset or moved-from) key
    MalformedHeader,     // the RTP header did not parse; MediaOpenResult::parseError says why
    MissingTag,          // payload shorter than the AEAD tag (truncated)
    TooLarge,            // above kMaxMediaPacketBytes
    SequenceMismatch,    // the extended sequence's low 16 bits are not the header's sequence
    SequenceOutOfRange,  // cannot be placed in the stream (before its start or beyond 2^48)
    WrongSsrc,           // routed to the receiver state of another stream
    Replayed,            // already received, or 64 or more packets behind the newest
    BufferTooSmall,      // the plaintext output span cannot hold the payload
    AuthenticationFailed // forged, corrupted, wrong key, or wrong rollover counter
};

// Stable English name of an error, for logs and counters. Thread-safe; never returns null.
[[nodiscard]] const char* errorName(MediaOpenError error) noexcept;

struct MediaOpenResult {
    MediaOpenError error = MediaOpenError::MalformedHeader;
    RtpParseError parseError = RtpParseError::None;
    std::size_t plaintextSize = 0;     // bytes written to the plaintext output on success
    std::uint64_t extendedSequence = 0; // on success: where the packet sits in its stream

    [[nodiscard]] bool ok() const noexcept { return error == MediaOpenError::None; }
};

// Seals outgoing media packets under one direction's key. Holds its own copy of the key in
// guarded memory. seal() is const and touches no shared state, so one sealer may be used from
// several threads at once; in practice it belongs to the media thread that sends.
class MediaPacketSealer {
public:
    // Copies the key (the only allocation; throws std::bad_alloc like SecureKey when guarded
    // memory is exhausted). An all-zero key makes every seal() fail.
    explicit MediaPacketSealer(const SecureKey& key);

    // Bytes seal() writes for this header and payload size.
    [[nodiscard]] static std::size_t sealedSize(const RtpHeader& header, std::size_t payloadBytes) noexcept
    {
        return header.size() + payloadBytes + kAeadTagBytes;
    }

    // Writes header | ciphertext | tag to the start of `out` and returns its size, or 0 when:
    // the key is all zero; `extendedSequence` exceeds 48 bits or its low 16 bits differ from
    // header.sequence; the header is invalid (see RtpHeader::write); the packet would exceed
    // kMaxMediaPacketBytes; or `out` is smaller than sealedSize(). `payload` must not overlap
    // `out`. The caller guarantees (header.ssrc, extendedSequence) is never sealed twice with
    // this key. Any thread; never allocates or throws.
    [[nodiscard]] std::size_t seal(const RtpHeader& header, std::uint64_t extendedSequence,
                                   std::span<const std::uint8_t> payload,
                                   std::span<std::uint8_t> out) const noexcept;

private:
    SecureKey m_key;
    bool m_usable = false;
};

// Opens incoming media packets under one direction's key. Stateless apart from the key (the
// per-stream state lives in MediaReceiverState), so open() may be called from several threads
// at once.
class MediaPacketOpener {
public:
    // Copies the key; see MediaPacketSealer. An all-zero key makes every open() fail (NoKey).
    explicit MediaPacketOpener(const SecureKey& key);

    // Authenticates and decrypts a packet already parsed by RtpHeader::parse, placed at
    // `extendedSequence` in its stream. On success writes parsed.payload.size() - kAeadTagBytes
    // bytes to `plaintextOut` (which must not overlap the packet); on failure returns the error
    // and leaves `plaintextOut` unspecified (never the unauthenticated plaintext as "ok").
    // Any thread; never allocates or throws.
    [[nodiscard]] MediaOpenResult open(const RtpParseResult& parsed, std::uint64_t extendedSequence,
                                       std::span<std::uint8_t> plaintextOut) const noexcept;

    // Convenience: parses `packet` first (hostile input welcome).
    [[nodiscard]] MediaOpenResult open(std::span<const std::uint8_t> packet, std::uint64_t extendedSequence,
                                       std::span<std::uint8_t> plaintextOut) const noexcept;

private:
    SecureKey m_key;
    bool m_usable = false;
};

} // namespace earshot::protocol

// The receive-side state that drives MediaPacketOpener lives in its own header; included here
// so that one include gives the whole packet crypto.
#include <earshot/protocol/MediaReceiverState.h>
