#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace earshot::protocol {

// The dynamic payload type Earshot's Opus streams carry (the value WebRTC uses, so captures
// decode in Wireshark without a hint).
inline constexpr std::uint8_t kOpusPayloadType = 111;
// RFC 6464 audio level, sent in the RFC 8285 one-byte extension form under this local ID.
inline constexpr std::uint8_t kAudioLevelExtensionId = 1;
// RFC 6464: levels are 0..127 in -dBov; 127 means silence (a muted or digitally silent source).
inline constexpr std::uint8_t kMaxAudioLevel = 127;

inline constexpr std::size_t kRtpFixedHeaderBytes = 12;
// What write() produces with the audio level: fixed header, 0xBEDE + length word, one word of
// elements (ID/length byte, level byte, two padding bytes).
inline constexpr std::size_t kRtpHeaderWithAudioLevelBytes = kRtpFixedHeaderBytes + 8;

enum class RtpParseError : std::uint8_t {
    None,
    TooShort,                    // shorter than the fixed header, or the extension runs past the end
    BadVersion,                  // version field is not 2
    PaddingUnsupported,          // P bit set (the AEAD payload has no use for RTP padding)
    CsrcUnsupported,             // CC > 0 (Earshot's server forwards, it never mixes)
    ExtensionProfileUnsupported, // an extension other than the RFC 8285 one-byte form (0xBEDE)
    MalformedExtension,          // element overruns its block, ID 15, or a malformed audio level
};

// Stable English name of an error, for logs and counters. Thread-safe; never returns null.
[[nodiscard]] const char* errorName(RtpParseError error) noexcept;

struct RtpParseResult;

// An RTP header (RFC 3550) as Earshot sends it: version 2, no padding, no CSRCs, and optionally
// the RFC 6464 client-to-mixer audio level in an RFC 8285 one-byte header extension, so the
// server can rank active speakers without opening the payload. A plain value type: no
// allocation, no exceptions, thread-safe as any value is.
//
// The parser accepts exactly what a correct Earshot peer may send and nothing looser: the P
// bit and CSRCs are rejected rather than skipped (nobody on the path produces them, and every
// accepted variant is more surface for hostile input), as are extension profiles other than
// 0xBEDE and element ID 15 (reserved by RFC 8285). Unknown one-byte elements and padding bytes
// inside the extension are skipped, so later versions can add elements.
struct RtpHeader {
    std::uint8_t payloadType = kOpusPayloadType; // 0..127
    bool marker = false;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0; // 48 kHz units for Opus
    std::uint32_t ssrc = 0;      // assigned by the server per published stream
    std::optional<std::uint8_t> audioLevel; // 0..127 -dBov; absent: no extension is written
    bool voiceActivity = false;             // RFC 6464 V flag; only sent with audioLevel

    bool operator==(const RtpHeader&) const = default;

    // Bytes write() needs: 12, or 20 with the audio level.
    [[nodiscard]] std::size_t size() const noexcept;

    // Serialises into the start of `out`. Returns the bytes written, or 0 when `out` is smaller
    // than size() or a field is out of range (payloadType > 127, audioLevel > 127).
    // Thread-safe; never allocates or throws.
    [[nodiscard]] std::size_t write(std::span<std::uint8_t> out) const noexcept;

    // Parses the header at the start of `packet` (hostile input). On success the result's
    // spans point into `packet`: headerBytes (fixed header + extension, the AEAD's additional
    // data) and payload (everything after it, possibly empty). On failure `error` says why
    // and the other fields are unspecified. Thread-safe; never allocates, throws or reads
    // outside `packet`.
    [[nodiscard]] static RtpParseResult parse(std::span<const std::uint8_t> packet) noexcept;
};

struct RtpParseResult {
    RtpParseError error = RtpParseError::TooShort;
    RtpHeader header;
    std::span<const std::uint8_t> headerBytes;
    std::span<const std::uint8_t> payload;

    [[nodiscard]] bool ok() const noexcept { return error == RtpParseError::None; }
    [[nodiscard]] std::size_t headerSize() const noexcept { return headerBytes.size(); }
};

} // namespace earshot::protocol
