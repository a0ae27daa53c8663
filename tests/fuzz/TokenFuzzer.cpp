// libFuzzer target for Token::verify, the first thing the server runs on a login's token:
// hostile input must be rejected with a code, never crash, hang or read out of bounds.
#include <earshot/protocol/Token.h>

#include <sodium.h>

#include <QByteArray>
#include <QString>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

using earshot::protocol::SecureKey;
using earshot::protocol::Token;

namespace {

// The seed corpus's valid tokens are sealed with this key for app 1, user "user", expiring
// after kNow, so mutations of them start past the seal and reach the JSON checks.
constexpr std::uint32_t kAppId = 1;
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kExpire = kNow + 3600;

const SecureKey& fixedKey()
{
    static const SecureKey key = [] {
        std::array<std::uint8_t, SecureKey::kSize> bytes {};
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<std::uint8_t>(i + 1); // 0x01..0x20
        return SecureKey(bytes);
    }();
    return key;
}

void verify(const std::uint8_t* data, std::size_t size, const SecureKey& key)
{
    const QString token
        = QString::fromLatin1(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto check = Token::verify(token, kAppId, QStringLiteral("user"), key, kNow);
    // A success must carry exactly the claims that were asked for.
    if (check.code == earshot::protocol::ErrorCode::Success
        && (check.claims.appId != kAppId || check.claims.userId != QLatin1String("user")
            || check.claims.expireSeconds <= kNow || check.claims.nonce == 0)) {
        __builtin_trap();
    }
}

// Random bytes never open a seal (that is the point of it), so the checks behind it would see
// only the seeds' plaintexts. This seals the input itself as the claims JSON, laid out as
// Token.h documents, so the JSON and payload checks are fuzzed directly.
void verifySealed(const std::uint8_t* data, std::size_t size)
{
    constexpr std::size_t kHeaderSize = 8 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (size > Token::kMaxTokenChars)
        return; // could never fit in a token
    QByteArray body(static_cast<qsizetype>(kHeaderSize + size + crypto_aead_xchacha20poly1305_ietf_ABYTES),
        '\0'); // a zero seal nonce: the key only ever protects fuzz input
    auto* out = reinterpret_cast<std::uint8_t*>(body.data());
    std::array<std::uint8_t, 10> ad { 'E', '1' };
    for (std::size_t i = 0; i < 8; ++i) {
        out[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(kExpire) >> (56 - 8 * i));
        ad[2 + i] = out[i];
    }
    unsigned long long sealedSize = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + kHeaderSize, &sealedSize, data, size, ad.data(),
        ad.size(), nullptr, out + 8, fixedKey().bytes().data());
    const QByteArray token = "E1" + body.toBase64();
    verify(reinterpret_cast<const std::uint8_t*>(token.constData()), static_cast<std::size_t>(token.size()),
        fixedKey());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    verify(data, size, fixedKey());
    // The first 32 bytes as the key: verify() must hold up under any key (all zero, weak), and
    // seeds can carry a token sealed with their own key.
    if (size >= SecureKey::kSize) {
        const SecureKey key(std::span<const std::uint8_t, SecureKey::kSize>(data, SecureKey::kSize));
        verify(data + SecureKey::kSize, size - SecureKey::kSize, key);
    }
    verifySealed(data, size);
    return 0;
}
