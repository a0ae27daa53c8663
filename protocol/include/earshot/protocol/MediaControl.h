#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace earshot::protocol {

// Media control packets: how a client binds its media path to its session and keeps it alive.
//
// They are ordinary sealed media packets (MediaPacketCrypto.h) with payload type
// kMediaControlPayloadType and, as SSRC, the session's media session ID from the login reply,
// so they are authenticated, replay-protected and nonce-safe exactly like voice. The client
// counts their sequence from 0 under its transmit key; the server counts its answers from 0
// under its own transmit key; stream SSRCs and media session IDs come from one pool, so no
// (SSRC, sequence) pair is ever sealed twice under a key.
//
//   Bind     client → server, every keepalive interval, by UDP or on the WebSocket. The server
//            learns (or re-learns, after a NAT rebinding) the client's address from it and
//            routes the session's media down the path it arrived on.
//   BindAck  server → client, on the path the Bind came from; echoes the client's clock so
//            the client measures the round-trip time.
//
// Plaintext payload: type (1 byte) | echoed client time, microseconds (8 bytes, big-endian).
inline constexpr std::uint8_t kMediaControlPayloadType = 127;
inline constexpr std::size_t kMediaControlPayloadBytes = 9;

enum class MediaControlType : std::uint8_t { Bind = 1, BindAck = 2 };

struct MediaControlMessage {
    MediaControlType type = MediaControlType::Bind;
    std::uint64_t clientTimeUs = 0;

    // Writes kMediaControlPayloadBytes; returns 0 when `out` is smaller.
    [[nodiscard]] std::size_t write(std::span<std::uint8_t> out) const noexcept
    {
        if (out.size() < kMediaControlPayloadBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(type);
        for (std::size_t i = 0; i < 8; ++i)
            out[1 + i] = static_cast<std::uint8_t>(clientTimeUs >> (56 - 8 * i));
        return kMediaControlPayloadBytes;
    }

    // Reads an authenticated control payload; nullopt for any other size or an unknown type.
    [[nodiscard]] static std::optional<MediaControlMessage> parse(std::span<const std::uint8_t> payload) noexcept
    {
        if (payload.size() != kMediaControlPayloadBytes)
            return std::nullopt;
        if (payload[0] != static_cast<std::uint8_t>(MediaControlType::Bind)
            && payload[0] != static_cast<std::uint8_t>(MediaControlType::BindAck))
            return std::nullopt;
        MediaControlMessage message;
        message.type = static_cast<MediaControlType>(payload[0]);
        for (std::size_t i = 0; i < 8; ++i)
            message.clientTimeUs = (message.clientTimeUs << 8) | payload[1 + i];
        return message;
    }
};

} // namespace earshot::protocol
