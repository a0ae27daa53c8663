#pragma once

#include <earshot/protocol/SecureKey.h>

#include <array>
#include <cstdint>
#include <optional>

namespace earshot::protocol {

// The media keys one side holds after login: `receive` opens what the peer sealed with its
// `transmit`, and vice versa. One key per direction, so a nonce is never reused under a key
// even though both sides count sequence numbers independently.
struct MediaKeys {
    SecureKey receive;
    SecureKey transmit;
};

// X25519 key agreement (libsodium crypto_kx) run during login: the client sends its public key
// in the login request, the server its public key in the hello event. Thread-safe (no state
// besides the key pair it owns).
class KeyExchange {
public:
    static constexpr std::size_t kPublicKeySize = 32;
    using PublicKey = std::array<std::uint8_t, kPublicKeySize>;

    KeyExchange(); // generates a fresh key pair

    [[nodiscard]] const PublicKey& publicKey() const noexcept { return m_publicKey; }

    // Keys for the client (the side that sent its key in the login request). nullopt when the
    // peer's key is unacceptable (libsodium rejects small-order points).
    [[nodiscard]] std::optional<MediaKeys> clientKeys(const PublicKey& serverPublicKey) const;
    // Keys for the server. Its `receive` equals the client's `transmit` and vice versa.
    [[nodiscard]] std::optional<MediaKeys> serverKeys(const PublicKey& clientPublicKey) const;

private:
    PublicKey m_publicKey{};
    SecureKey m_secretKey;
};

} // namespace earshot::protocol
