#pragma once

#include "session/LoginParams.h"

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SecureKey.h>
#include <earshot/protocol/SessionMessages.h>

#include <QString>

#include <cstdint>

namespace earshot::session {

// Who logs in and how they prove it, kept for the logins and resumes of later reconnects:
// the identity, the AppSign (in guarded memory; the hex form is not kept) or the token (replaced
// by a successful renewToken), and the session the server gave out (its ID and resume secret,
// also in guarded memory). Builds the login and resume requests. Nothing here is ever printed.
// Owned by SignallingClient; session thread only.
class SessionCredentials {
public:
    // Checks and keeps the credentials of `params`. Returns Success; NoAuthentication (1002067)
    // without AppSign or token; AppSignLength / AppSignNotHex (1001001 / 1001002) for an
    // AppSign (when no token is given) that is not 64 hex digits.
    [[nodiscard]] protocol::ErrorCode set(const LoginParams& params);
    // Forgets everything (logout, kickout, giving up).
    void clear();

    [[nodiscard]] const QString& roomId() const noexcept { return m_roomId; }
    [[nodiscard]] const protocol::UserInfo& user() const noexcept { return m_user; }

    // A login over the connection that sent `hello`, carrying `keys`' public half and the
    // AppSign MAC over hello's challenge, or the token.
    [[nodiscard]] protocol::LoginRequest makeLoginRequest(const protocol::HelloEvent& hello,
                                                          const protocol::KeyExchange& keys) const;

    // Keeps the session of a successful login reply. A reply whose resume secret is not 32 bytes
    // leaves no resumable session (the next reconnect logs in afresh).
    void rememberSession(const protocol::LoginReply& reply);
    // The same for a successful resume reply, which may leave out what did not change.
    void rememberResumedSession(const protocol::LoginReply& reply);
    [[nodiscard]] bool hasResumableSession() const noexcept { return m_hasResumeSecret; }
    [[nodiscard]] const QString& sessionId() const noexcept { return m_sessionId; }

    // resume {session_id, mac = HMAC-SHA-256(resume secret, hello's challenge)}.
    [[nodiscard]] protocol::ResumeRequest makeResumeRequest(const protocol::HelloEvent& hello) const;

    // A token the server accepted in renew_token: later logins use it.
    void replaceToken(const QString& token) { m_token = token; }

private:
    std::uint32_t m_appId = 0;
    QString m_roomId;
    protocol::UserInfo m_user;
    bool m_isUserStatusNotify = false;
    std::uint32_t m_maxMemberCount = 0;
    protocol::AuthMode m_authMode = protocol::AuthMode::AppSign;
    protocol::SecureKey m_appSign;
    QString m_token;
    QString m_sessionId;
    protocol::SecureKey m_resumeSecret;
    bool m_hasResumeSecret = false;
};

} // namespace earshot::session
