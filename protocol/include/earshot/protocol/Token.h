#pragma once

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/SecureKey.h>

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace earshot::protocol {

// Privileges carried in a token's payload (API.md §7). Absent fields grant (the reference's
// default): a token without a payload allows login to any room and publishing any stream.
struct TokenPayload {
    QString roomId;              // empty: any room
    bool canLogin = true;        // privilege "1"
    bool canPublish = true;      // privilege "2"
    QStringList streamIdList;    // empty: any stream ID
    bool operator==(const TokenPayload&) const = default;
};

struct TokenClaims {
    std::uint32_t appId = 0;
    QString userId;
    std::int64_t nonce = 0;      // random, checked to be present and non-zero
    std::int64_t ctimeSeconds = 0;  // creation, Unix seconds
    std::int64_t expireSeconds = 0; // expiry, Unix seconds
    TokenPayload payload;
    bool operator==(const TokenClaims&) const = default;
};

struct TokenCheck {
    ErrorCode code = ErrorCode::LoginAuthFailed;
    TokenClaims claims; // meaningful only when code == Success
};

// Earshot tokens: "E1" + Base64( expire int64 big-endian | 24-byte nonce | XChaCha20-Poly1305
// sealed JSON {app_id, user_id, nonce, ctime, expire, payload} ), the version and the expiry as
// additional data. Sealed with the app's 32-byte ServerSecret, so a modified token fails to open
// instead of being misread. Pure functions; thread-safe.
class Token {
public:
    static constexpr std::size_t kMaxTokenChars = 4096;

    [[nodiscard]] static QString generate(const TokenClaims& claims, const SecureKey& serverSecret);

    // Convenience for back ends and `earshot-server token`: now = current time, random nonce.
    [[nodiscard]] static QString generate(std::uint32_t appId, const QString& userId,
                                          std::int64_t ttlSeconds, const TokenPayload& payload,
                                          const SecureKey& serverSecret);

    // Verifies for a login by (expectedAppId, expectedUserId) at nowSeconds. Codes: Success;
    // TokenBadVersion (prefix); LoginAuthFailed (not Base64, truncated, oversized, seal broken,
    // outer/inner expiry differ); TokenPayloadNotJson; TokenBadNonce; TokenAppIdMismatch;
    // TokenUserIdMismatch; TokenExpired.
    [[nodiscard]] static TokenCheck verify(const QString& token, std::uint32_t expectedAppId,
                                           const QString& expectedUserId,
                                           const SecureKey& serverSecret, std::int64_t nowSeconds);
};

} // namespace earshot::protocol
