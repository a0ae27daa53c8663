#pragma once

#include "RateLimiter.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SessionMessages.h>
#include <earshot/protocol/Token.h>

#include <QObject>
#include <QPointer>
#include <QHash>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace earshot::server {

class ClientConnection;

// One logged-in user: identity, privileges, what it publishes and plays, and the timers of its
// lifetime (grace after a dropped connection, token warning and expiry). Owned by RoomService;
// lives on the signalling thread. The connection may be absent while the session waits out its
// grace period for a resume.
class Session : public QObject {
    Q_OBJECT

public:
    Session(QString sessionId, std::uint32_t appId, QString roomId, protocol::UserInfo user,
            int messageBurst, int messagesPerSecond);

    const QString& sessionId() const { return m_sessionId; }
    std::uint32_t appId() const { return m_appId; }
    const QString& roomId() const { return m_roomId; }
    const protocol::UserInfo& user() const { return m_user; }

    bool wantsUserUpdates() const { return m_wantsUserUpdates; }
    void setWantsUserUpdates(bool value) { m_wantsUserUpdates = value; }

    const QByteArray& resumeSecret() const { return m_resumeSecret; }

    ClientConnection* connection() const;
    void attach(ClientConnection* connection);
    // Leaves the session without a connection and starts the grace timer.
    void detach(int graceMs);

    // Token mode: privileges and expiry; in AppSign mode everything is allowed and nothing expires.
    void setToken(const protocol::TokenClaims& claims, int warningSeconds, std::int64_t nowSeconds);
    bool usesToken() const { return m_usesToken; }
    std::int64_t tokenExpireSeconds() const { return m_usesToken ? m_tokenClaims.expireSeconds : 0; }
    bool mayPublish(const QString& streamId) const;

    const QString& publishedStreamId() const { return m_publishedStreamId; }
    const QString& publishedExtraInfo() const { return m_publishedExtraInfo; }
    std::uint32_t ssrc() const { return m_ssrc; }
    void setPublished(const QString& streamId, const QString& extraInfo, std::uint32_t ssrc);
    // Shared with the media worker, which writes the newest forwarded extended sequence.
    const std::shared_ptr<std::atomic<std::uint64_t>>& streamProgress() const { return m_streamProgress; }
    void setPublishedExtraInfo(const QString& extraInfo) { m_publishedExtraInfo = extraInfo; }
    void clearPublished();

    // Streams this session plays, by stream ID, with whether it muted them (mutePlayStreamAudio).
    QHash<QString, bool>& playing() { return m_playing; }
    const QHash<QString, bool>& playing() const { return m_playing; }

    RateLimiter& messageLimiter() { return m_messageLimiter; }

    // The SSRC of this session's media control packets; 0 before the media path exists.
    std::uint32_t mediaSessionId() const { return m_mediaSessionId; }
    void setMediaSessionId(std::uint32_t id) { m_mediaSessionId = id; }

signals:
    void graceExpired(earshot::server::Session* session);
    void tokenWillExpire(earshot::server::Session* session, qint64 remainSeconds);
    void tokenExpired(earshot::server::Session* session);

private:
    QString m_sessionId;
    std::uint32_t m_appId;
    QString m_roomId;
    protocol::UserInfo m_user;
    bool m_wantsUserUpdates = false;
    QByteArray m_resumeSecret;
    QPointer<ClientConnection> m_connection;

    bool m_usesToken = false;
    protocol::TokenClaims m_tokenClaims;

    QString m_publishedStreamId;
    QString m_publishedExtraInfo;
    std::uint32_t m_ssrc = 0;
    std::shared_ptr<std::atomic<std::uint64_t>> m_streamProgress;
    QHash<QString, bool> m_playing;

    RateLimiter m_messageLimiter;
    std::uint32_t m_mediaSessionId = 0;

    QTimer m_graceTimer;
    QTimer m_tokenWarningTimer;
    QTimer m_tokenExpiryTimer;
};

} // namespace earshot::server
