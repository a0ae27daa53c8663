#include "Session.h"

#include "ClientConnection.h"

#include <sodium.h>

#include <QDateTime>

#include <algorithm>
#include <chrono>

namespace earshot::server {

Session::Session(QString sessionId, std::uint32_t appId, QString roomId, protocol::UserInfo user,
                 int messageBurst, int messagesPerSecond)
    : m_sessionId(std::move(sessionId))
    , m_appId(appId)
    , m_roomId(std::move(roomId))
    , m_user(std::move(user))
    , m_resumeSecret(32, Qt::Uninitialized)
    , m_messageLimiter(messageBurst, messagesPerSecond)
{
    randombytes_buf(m_resumeSecret.data(), std::size_t(m_resumeSecret.size()));
    for (QTimer* timer : {&m_graceTimer, &m_tokenWarningTimer, &m_tokenExpiryTimer}) {
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
    }
    connect(&m_graceTimer, &QTimer::timeout, this, [this] { emit graceExpired(this); });
    connect(&m_tokenWarningTimer, &QTimer::timeout, this, [this] {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        emit tokenWillExpire(this, std::max<qint64>(0, m_tokenClaims.expireSeconds - now));
    });
    connect(&m_tokenExpiryTimer, &QTimer::timeout, this, [this] { emit tokenExpired(this); });
}

ClientConnection* Session::connection() const
{
    return m_connection.data();
}

void Session::attach(ClientConnection* connection)
{
    m_graceTimer.stop();
    m_connection = connection;
}

void Session::detach(int graceMs)
{
    m_connection = nullptr;
    m_graceTimer.start(std::chrono::milliseconds(graceMs));
}

void Session::setToken(const protocol::TokenClaims& claims, int warningSeconds, std::int64_t nowSeconds)
{
    m_usesToken = true;
    m_tokenClaims = claims;
    const std::int64_t remainMs = std::max<std::int64_t>(0, (claims.expireSeconds - nowSeconds) * 1000);
    const std::int64_t warnInMs = std::max<std::int64_t>(0, remainMs - std::int64_t(warningSeconds) * 1000);
    m_tokenWarningTimer.start(std::chrono::milliseconds(warnInMs));
    m_tokenExpiryTimer.start(std::chrono::milliseconds(remainMs));
}

bool Session::mayPublish(const QString& streamId) const
{
    if (!m_usesToken)
        return true;
    const protocol::TokenPayload& payload = m_tokenClaims.payload;
    return payload.canPublish
        && (payload.streamIdList.isEmpty() || payload.streamIdList.contains(streamId));
}

void Session::setPublished(const QString& streamId, const QString& extraInfo, std::uint32_t ssrc)
{
    m_publishedStreamId = streamId;
    m_publishedExtraInfo = extraInfo;
    m_ssrc = ssrc;
    m_streamProgress = std::make_shared<std::atomic<std::uint64_t>>(0);
}

void Session::clearPublished()
{
    m_publishedStreamId.clear();
    m_publishedExtraInfo.clear();
    m_ssrc = 0;
    m_streamProgress.reset();
}

} // namespace earshot::server
