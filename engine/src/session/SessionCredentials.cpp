#include "session/SessionCredentials.h"

#include <earshot/protocol/AppSignAuth.h>

#include <sodium.h>

#include <span>
#include <string_view>

namespace earshot::session {
namespace {

std::span<const std::uint8_t> bytesOf(const QByteArray& data)
{
    return {reinterpret_cast<const std::uint8_t*>(data.constData()), std::size_t(data.size())};
}

std::string_view viewOf(const QByteArray& data)
{
    return {data.constData(), std::size_t(data.size())};
}

bool isHex(const QByteArray& text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

} // namespace

protocol::ErrorCode SessionCredentials::set(const LoginParams& params)
{
    clear();
    if (params.token.isEmpty()) {
        if (params.appSignHex.isEmpty())
            return protocol::ErrorCode::NoAuthentication;
        if (params.appSignHex.size() != qsizetype(2 * protocol::SecureKey::kSize))
            return protocol::ErrorCode::AppSignLength;
        if (!isHex(params.appSignHex)
            || !m_appSign.setFromHex(params.appSignHex.constData(), std::size_t(params.appSignHex.size())))
            return protocol::ErrorCode::AppSignNotHex;
        m_authMode = protocol::AuthMode::AppSign;
    } else {
        m_authMode = protocol::AuthMode::Token;
        m_token = params.token;
    }
    m_appId = params.appId;
    m_roomId = params.roomId;
    m_user = protocol::UserInfo{params.userId, params.userName};
    m_isUserStatusNotify = params.isUserStatusNotify;
    m_maxMemberCount = params.maxMemberCount;
    return protocol::ErrorCode::Success;
}

void SessionCredentials::clear()
{
    m_appId = 0;
    m_roomId.clear();
    m_user = {};
    m_isUserStatusNotify = false;
    m_maxMemberCount = 0;
    m_authMode = protocol::AuthMode::AppSign;
    m_appSign = protocol::SecureKey();
    m_token.clear();
    m_sessionId.clear();
    m_resumeSecret = protocol::SecureKey();
    m_hasResumeSecret = false;
}

protocol::LoginRequest SessionCredentials::makeLoginRequest(const protocol::HelloEvent& hello,
                                                            const protocol::KeyExchange& keys) const
{
    protocol::LoginRequest request;
    request.appId = m_appId;
    request.roomId = m_roomId;
    request.user = m_user;
    request.isUserStatusNotify = m_isUserStatusNotify;
    request.maxMemberCount = m_maxMemberCount;
    request.authMode = m_authMode;
    const auto& publicKey = keys.publicKey();
    request.clientPublicKey =
        QByteArray(reinterpret_cast<const char*>(publicKey.data()), qsizetype(publicKey.size()));
    if (m_authMode == protocol::AuthMode::Token) {
        request.token = m_token;
        return request;
    }
    const QByteArray roomId = m_roomId.toUtf8();
    const QByteArray userId = m_user.userId.toUtf8();
    const protocol::AppSignAuth::Mac mac = protocol::AppSignAuth::computeMac(
        m_appSign, protocol::AppSignAuth::Transcript{bytesOf(hello.challenge), m_appId, viewOf(roomId),
                                                     viewOf(userId), bytesOf(request.clientPublicKey)});
    request.appSignMac = QByteArray(reinterpret_cast<const char*>(mac.data()), qsizetype(mac.size()));
    return request;
}

void SessionCredentials::rememberSession(const protocol::LoginReply& reply)
{
    m_sessionId = reply.sessionId;
    m_resumeSecret = protocol::SecureKey();
    m_hasResumeSecret = false;
    if (reply.resumeSecret.size() == qsizetype(protocol::SecureKey::kSize) && !m_sessionId.isEmpty()) {
        m_resumeSecret = protocol::SecureKey(std::span<const std::uint8_t, protocol::SecureKey::kSize>(
            reinterpret_cast<const std::uint8_t*>(reply.resumeSecret.constData()), protocol::SecureKey::kSize));
        m_hasResumeSecret = true;
    }
}

void SessionCredentials::rememberResumedSession(const protocol::LoginReply& reply)
{
    // A resume reply normally repeats the session; what it leaves out stays as it was.
    protocol::LoginReply completed;
    completed.sessionId = reply.sessionId.isEmpty() ? m_sessionId : reply.sessionId;
    if (reply.resumeSecret.size() == qsizetype(protocol::SecureKey::kSize)) {
        completed.resumeSecret = reply.resumeSecret;
    } else if (completed.sessionId == m_sessionId && m_hasResumeSecret) {
        return; // nothing new
    }
    rememberSession(completed);
}

protocol::ResumeRequest SessionCredentials::makeResumeRequest(const protocol::HelloEvent& hello) const
{
    static_assert(protocol::SecureKey::kSize == crypto_auth_hmacsha256_KEYBYTES);
    protocol::ResumeRequest request;
    request.sessionId = m_sessionId;
    request.mac.resize(crypto_auth_hmacsha256_BYTES);
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(request.mac.data()),
                           reinterpret_cast<const unsigned char*>(hello.challenge.constData()),
                           std::size_t(hello.challenge.size()), m_resumeSecret.bytes().data());
    return request;
}

} // namespace earshot::session
