#include <earshot/protocol/KeyExchange.h>

#include <sodium.h>

static_assert(crypto_kx_PUBLICKEYBYTES == earshot::protocol::KeyExchange::kPublicKeySize);
static_assert(crypto_kx_SECRETKEYBYTES == earshot::protocol::SecureKey::kSize);
static_assert(crypto_kx_SESSIONKEYBYTES == earshot::protocol::SecureKey::kSize);

namespace earshot::protocol {

KeyExchange::KeyExchange()
{
    // m_secretKey's construction has already run sodium_init().
    crypto_kx_keypair(m_publicKey.data(), m_secretKey.mutableBytes().data());
}

std::optional<MediaKeys> KeyExchange::clientKeys(const PublicKey& serverPublicKey) const
{
    MediaKeys keys;
    if (crypto_kx_client_session_keys(keys.receive.mutableBytes().data(), keys.transmit.mutableBytes().data(),
            m_publicKey.data(), m_secretKey.bytes().data(), serverPublicKey.data())
        != 0) {
        return std::nullopt; // keys' destructors wipe whatever was written
    }
    return keys;
}

std::optional<MediaKeys> KeyExchange::serverKeys(const PublicKey& clientPublicKey) const
{
    MediaKeys keys;
    if (crypto_kx_server_session_keys(keys.receive.mutableBytes().data(), keys.transmit.mutableBytes().data(),
            m_publicKey.data(), m_secretKey.bytes().data(), clientPublicKey.data())
        != 0) {
        return std::nullopt;
    }
    return keys;
}

} // namespace earshot::protocol
