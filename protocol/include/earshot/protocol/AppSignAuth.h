#pragma once

#include <earshot/protocol/SecureKey.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace earshot::protocol {

// AppSign challenge/response (DESIGN.md §4). The server sends a random challenge in its hello
// event; the client answers with HMAC-SHA-256 keyed by the 32 AppSign bytes over a transcript
// that binds the challenge, the identity and the client's key-exchange public key, so a
// recorded answer is useless on another connection and a man in the middle cannot swap keys.
// The AppSign itself never crosses the wire. All functions are pure and thread-safe.
class AppSignAuth {
public:
    static constexpr std::size_t kChallengeSize = 32;
    static constexpr std::size_t kMacSize = 32;
    using Challenge = std::array<std::uint8_t, kChallengeSize>;
    using Mac = std::array<std::uint8_t, kMacSize>;

    struct Transcript {
        std::span<const std::uint8_t> challenge;
        std::uint32_t appId = 0;
        std::string_view roomId;
        std::string_view userId;
        std::span<const std::uint8_t> clientPublicKey;
    };

    [[nodiscard]] static Challenge makeChallenge();
    [[nodiscard]] static Mac computeMac(const SecureKey& appSign, const Transcript& transcript);
    // Constant-time check of `mac` (any length; a wrong length is simply false).
    [[nodiscard]] static bool verifyMac(const SecureKey& appSign, const Transcript& transcript,
                                        std::span<const std::uint8_t> mac);
};

} // namespace earshot::protocol
