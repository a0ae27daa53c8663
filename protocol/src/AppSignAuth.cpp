#include <earshot/protocol/AppSignAuth.h>

#include "SodiumInit.h"

#include <sodium.h>

#include <cassert>
#include <cstdlib>
#include <limits>
#include <string_view>

static_assert(crypto_auth_hmacsha256_BYTES == earshot::protocol::AppSignAuth::kMacSize);
static_assert(crypto_auth_hmacsha256_KEYBYTES == earshot::protocol::SecureKey::kSize);

namespace earshot::protocol {

namespace {

// Versions the transcript, so a MAC made for any other purpose with the same key never verifies.
constexpr std::string_view kLabel = "earshot-appsign-v1";

std::array<std::uint8_t, 4> bigEndian32(std::uint32_t value)
{
    return { static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
        static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value) };
}

// Each field is length-prefixed so that moving bytes between adjacent fields (room "ab" + user
// "c" versus room "a" + user "bc") changes the transcript.
void addField(crypto_auth_hmacsha256_state& state, const std::uint8_t* data, std::size_t size)
{
    assert(size <= std::numeric_limits<std::uint32_t>::max());
    const auto length = bigEndian32(static_cast<std::uint32_t>(size));
    crypto_auth_hmacsha256_update(&state, length.data(), length.size());
    crypto_auth_hmacsha256_update(&state, data, size);
}

void addField(crypto_auth_hmacsha256_state& state, std::string_view text)
{
    addField(state, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

} // namespace

AppSignAuth::Challenge AppSignAuth::makeChallenge()
{
    detail::ensureSodiumInitialised();
    Challenge challenge {};
    randombytes_buf(challenge.data(), challenge.size());
    return challenge;
}

AppSignAuth::Mac AppSignAuth::computeMac(const SecureKey& appSign, const Transcript& transcript)
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, appSign.bytes().data(), appSign.bytes().size());
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const std::uint8_t*>(kLabel.data()), kLabel.size());
    addField(state, transcript.challenge.data(), transcript.challenge.size());
    const auto appId = bigEndian32(transcript.appId);
    addField(state, appId.data(), appId.size());
    addField(state, transcript.roomId);
    addField(state, transcript.userId);
    addField(state, transcript.clientPublicKey.data(), transcript.clientPublicKey.size());

    Mac mac {};
    crypto_auth_hmacsha256_final(&state, mac.data());
    // The state holds the key-derived pads.
    sodium_memzero(&state, sizeof state);
    return mac;
}

bool AppSignAuth::verifyMac(
    const SecureKey& appSign, const Transcript& transcript, std::span<const std::uint8_t> mac)
{
    if (mac.size() != kMacSize)
        return false;
    const Mac expected = computeMac(appSign, transcript);
    return sodium_memcmp(expected.data(), mac.data(), kMacSize) == 0;
}

} // namespace earshot::protocol
