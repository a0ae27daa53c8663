#include <earshot/protocol/Token.h>

#include "SodiumInit.h"

#include <sodium.h>

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>

namespace earshot::protocol {

namespace {

constexpr char kVersion[] = "E1";
constexpr std::size_t kVersionSize = sizeof kVersion - 1;
constexpr std::size_t kExpireSize = 8;
constexpr std::size_t kSealNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kHeaderSize = kExpireSize + kSealNonceSize;
constexpr std::size_t kAdditionalDataSize = kVersionSize + kExpireSize;
// Other JSON readers (JavaScript back ends) hold numbers as doubles, exact only up to 2^53.
constexpr std::int64_t kMaxJsonNonce = (std::int64_t { 1 } << 53) - 1;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SecureKey::kSize);

using ExpireBytes = std::array<std::uint8_t, kExpireSize>;

ExpireBytes encodeExpire(std::int64_t expireSeconds)
{
    const auto value = static_cast<std::uint64_t>(expireSeconds);
    ExpireBytes bytes {};
    for (std::size_t i = 0; i < kExpireSize; ++i)
        bytes[i] = static_cast<std::uint8_t>(value >> (8 * (kExpireSize - 1 - i)));
    return bytes;
}

std::int64_t decodeExpire(const std::uint8_t* bytes)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < kExpireSize; ++i)
        value = (value << 8) | bytes[i];
    return static_cast<std::int64_t>(value);
}

// The version and the clear-text expiry are authenticated too, so neither can be swapped.
std::array<std::uint8_t, kAdditionalDataSize> additionalData(const std::uint8_t* expireBytes)
{
    std::array<std::uint8_t, kAdditionalDataSize> data {};
    std::copy(kVersion, kVersion + kVersionSize, data.begin());
    std::copy(expireBytes, expireBytes + kExpireSize, data.begin() + kVersionSize);
    return data;
}

std::int64_t randomJsonNonce()
{
    std::uint64_t value = 0;
    do {
        randombytes_buf(&value, sizeof value);
        value &= static_cast<std::uint64_t>(kMaxJsonNonce);
    } while (value == 0);
    return static_cast<std::int64_t>(value);
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b)
{
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    if (b > 0 && a > kMax - b)
        return kMax;
    if (b < 0 && a < kMin - b)
        return kMin;
    return a + b;
}

// An integral JSON number (Qt keeps integers exact; integral doubles are accepted too), or
// nullopt for anything else. toInteger() falls back to its argument for non-integers, so two
// different fallbacks agreeing proves the value really was an integer.
std::optional<std::int64_t> integerOf(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    const qint64 first = value.toInteger(0);
    if (first != value.toInteger(1))
        return std::nullopt;
    return first;
}

QString payloadToText(const TokenPayload& payload)
{
    const TokenPayload defaults;
    if (payload == defaults)
        return {};
    QJsonObject json;
    if (!payload.roomId.isEmpty())
        json.insert(QStringLiteral("room_id"), payload.roomId);
    if (payload.canLogin != defaults.canLogin || payload.canPublish != defaults.canPublish) {
        // Both privileges are written once either differs, as the reference's token04 does.
        json.insert(QStringLiteral("privilege"),
            QJsonObject { { QStringLiteral("1"), payload.canLogin ? 1 : 0 },
                { QStringLiteral("2"), payload.canPublish ? 1 : 0 } });
    }
    if (!payload.streamIdList.isEmpty())
        json.insert(QStringLiteral("stream_id_list"), QJsonArray::fromStringList(payload.streamIdList));
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

// A privilege present must be 0 or 1; absent grants.
bool readPrivilege(const QJsonObject& privileges, const QString& key, bool& granted)
{
    if (!privileges.contains(key))
        return true;
    const auto value = integerOf(privileges.value(key));
    if (!value || (*value != 0 && *value != 1))
        return false;
    granted = *value == 1;
    return true;
}

std::optional<TokenPayload> payloadFromText(const QString& text)
{
    TokenPayload payload;
    if (text.isEmpty())
        return payload;
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject json = document.object();

    if (json.contains(QLatin1String("room_id"))) {
        const QJsonValue roomId = json.value(QLatin1String("room_id"));
        if (!roomId.isString())
            return std::nullopt;
        payload.roomId = roomId.toString();
    }
    if (json.contains(QLatin1String("privilege"))) {
        const QJsonValue privilege = json.value(QLatin1String("privilege"));
        if (!privilege.isObject())
            return std::nullopt;
        const QJsonObject privileges = privilege.toObject();
        if (!readPrivilege(privileges, QStringLiteral("1"), payload.canLogin)
            || !readPrivilege(privileges, QStringLiteral("2"), payload.canPublish)) {
            return std::nullopt;
        }
    }
    if (json.contains(QLatin1String("stream_id_list"))) {
        const QJsonValue list = json.value(QLatin1String("stream_id_list"));
        if (!list.isArray())
            return std::nullopt;
        for (const QJsonValue& streamId : list.toArray()) {
            if (!streamId.isString())
                return std::nullopt;
            payload.streamIdList.append(streamId.toString());
        }
    }
    return payload;
}

TokenCheck failure(ErrorCode code)
{
    TokenCheck check;
    check.code = code;
    return check;
}

// The sealed JSON, checked in the documented order; `outerExpire` is the authenticated
// clear-text copy.
TokenCheck checkClaims(const QByteArray& plaintext, std::int64_t outerExpire, std::uint32_t expectedAppId,
    const QString& expectedUserId, std::int64_t nowSeconds)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(plaintext, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return failure(ErrorCode::TokenPayloadNotJson);
    const QJsonObject json = document.object();

    const auto appId = integerOf(json.value(QLatin1String("app_id")));
    const QJsonValue userId = json.value(QLatin1String("user_id"));
    const auto ctime = integerOf(json.value(QLatin1String("ctime")));
    const auto expire = integerOf(json.value(QLatin1String("expire")));
    if (!appId || *appId < 0 || *appId > std::numeric_limits<std::uint32_t>::max() || !userId.isString()
        || !ctime || !expire) {
        return failure(ErrorCode::TokenPayloadNotJson);
    }
    std::optional<TokenPayload> payload = TokenPayload {};
    if (json.contains(QLatin1String("payload"))) {
        const QJsonValue payloadText = json.value(QLatin1String("payload"));
        payload = payloadText.isString() ? payloadFromText(payloadText.toString()) : std::nullopt;
        if (!payload)
            return failure(ErrorCode::TokenPayloadNotJson);
    }
    const auto nonce = integerOf(json.value(QLatin1String("nonce")));
    if (!nonce || *nonce == 0)
        return failure(ErrorCode::TokenBadNonce);
    if (*expire != outerExpire)
        return failure(ErrorCode::LoginAuthFailed);

    TokenCheck check;
    check.claims.appId = static_cast<std::uint32_t>(*appId);
    check.claims.userId = userId.toString();
    check.claims.nonce = *nonce;
    check.claims.ctimeSeconds = *ctime;
    check.claims.expireSeconds = *expire;
    check.claims.payload = std::move(*payload);
    if (check.claims.appId != expectedAppId)
        return failure(ErrorCode::TokenAppIdMismatch);
    if (check.claims.userId != expectedUserId)
        return failure(ErrorCode::TokenUserIdMismatch);
    if (check.claims.expireSeconds <= nowSeconds)
        return failure(ErrorCode::TokenExpired);
    check.code = ErrorCode::Success;
    return check;
}

} // namespace

QString Token::generate(const TokenClaims& claims, const SecureKey& serverSecret)
{
    detail::ensureSodiumInitialised();
    const QJsonObject json {
        { QStringLiteral("app_id"), static_cast<qint64>(claims.appId) },
        { QStringLiteral("user_id"), claims.userId },
        { QStringLiteral("nonce"), static_cast<qint64>(claims.nonce) },
        { QStringLiteral("ctime"), static_cast<qint64>(claims.ctimeSeconds) },
        { QStringLiteral("expire"), static_cast<qint64>(claims.expireSeconds) },
        { QStringLiteral("payload"), payloadToText(claims.payload) },
    };
    const QByteArray plaintext = QJsonDocument(json).toJson(QJsonDocument::Compact);

    const auto plaintextSize = static_cast<std::size_t>(plaintext.size());
    QByteArray sealed(static_cast<qsizetype>(kHeaderSize + plaintextSize + kTagSize), Qt::Uninitialized);
    auto* out = reinterpret_cast<std::uint8_t*>(sealed.data());
    const ExpireBytes expire = encodeExpire(claims.expireSeconds);
    std::copy(expire.begin(), expire.end(), out);
    randombytes_buf(out + kExpireSize, kSealNonceSize);
    const auto ad = additionalData(out);
    unsigned long long sealedSize = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + kHeaderSize, &sealedSize,
        reinterpret_cast<const std::uint8_t*>(plaintext.constData()), plaintextSize, ad.data(), ad.size(),
        nullptr, out + kExpireSize, serverSecret.bytes().data());
    return QLatin1String(kVersion) + QString::fromLatin1(sealed.toBase64());
}

QString Token::generate(std::uint32_t appId, const QString& userId, std::int64_t ttlSeconds,
    const TokenPayload& payload, const SecureKey& serverSecret)
{
    detail::ensureSodiumInitialised();
    TokenClaims claims;
    claims.appId = appId;
    claims.userId = userId;
    claims.nonce = randomJsonNonce();
    claims.ctimeSeconds = QDateTime::currentSecsSinceEpoch();
    claims.expireSeconds = saturatingAdd(claims.ctimeSeconds, ttlSeconds);
    claims.payload = payload;
    return generate(claims, serverSecret);
}

TokenCheck Token::verify(const QString& token, std::uint32_t expectedAppId, const QString& expectedUserId,
    const SecureKey& serverSecret, std::int64_t nowSeconds)
{
    // Checked before any decoding, so hostile input costs at most one bounded pass.
    if (static_cast<std::size_t>(token.size()) > kMaxTokenChars)
        return failure(ErrorCode::LoginAuthFailed);
    if (!token.startsWith(QLatin1String(kVersion)))
        return failure(ErrorCode::TokenBadVersion);

    // Characters outside Latin-1 become '?', which the strict decoder rejects.
    const auto decoded = QByteArray::fromBase64Encoding(token.sliced(kVersionSize).toLatin1(),
        QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return failure(ErrorCode::LoginAuthFailed);
    const auto decodedSize = static_cast<std::size_t>(decoded.decoded.size());
    if (decodedSize < kHeaderSize + kTagSize)
        return failure(ErrorCode::LoginAuthFailed);

    const auto* in = reinterpret_cast<const std::uint8_t*>(decoded.decoded.constData());
    const auto ad = additionalData(in);
    QByteArray plaintext(static_cast<qsizetype>(decodedSize - kHeaderSize - kTagSize), Qt::Uninitialized);
    unsigned long long plaintextSize = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<std::uint8_t*>(plaintext.data()),
            &plaintextSize, nullptr, in + kHeaderSize, decodedSize - kHeaderSize, ad.data(), ad.size(),
            in + kExpireSize, serverSecret.bytes().data())
        != 0) {
        return failure(ErrorCode::LoginAuthFailed);
    }
    return checkClaims(plaintext, decodeExpire(in), expectedAppId, expectedUserId, nowSeconds);
}

} // namespace earshot::protocol
