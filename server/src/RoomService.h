#pragma once

#include "AppRegistry.h"
#include "Room.h"
#include "ServerConfig.h"
#include "ServerCounters.h"
#include "Session.h"

#include <earshot/protocol/SignalMessage.h>

#include <QHash>
#include <QSet>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <utility>

namespace earshot::server {

class ClientConnection;
class MediaWorker;

// The room logic of API.md §2-§5: logins and resumes, rooms, users, streams, messages, extra
// info, tokens and grace periods. It receives typed messages from ClientConnections and answers
// through them; it never sees raw frames. Owns every Session and Room. Signalling thread only.
class RoomService : public QObject {
    Q_OBJECT

public:
    RoomService(const ServerConfig& config, const AppRegistry& apps, ServerCounters& counters,
                MediaWorker& media);
    ~RoomService() override;

    void handleMessage(ClientConnection* connection, const protocol::SignalMessage& message);
    void handleConnectionClosed(ClientConnection* connection);
    // A binary frame (a media packet on the WebSocket fallback) from a connection.
    void handleMediaFrame(ClientConnection* connection, const QByteArray& frame);
    // Sends a media packet down the WebSocket of the session with this media session ID.
    void sendMediaFrame(std::uint32_t mediaSessionId, const QByteArray& frame);

    std::size_t roomCount() const { return m_rooms.size(); }
    std::size_t sessionCount() const { return m_sessions.size(); }

private:
    using RoomKey = std::pair<std::uint32_t, QString>;   // (appId, roomId)
    using UserKey = std::pair<std::uint32_t, QString>;   // (appId, userId)
    using StreamKey = std::pair<std::uint32_t, QString>; // (appId, streamId)

    void onLogin(ClientConnection* connection, std::int64_t id, const protocol::LoginRequest& request);
    void onResume(ClientConnection* connection, std::int64_t id, const protocol::ResumeRequest& request);
    void onLogout(Session& session, std::int64_t id, const protocol::LogoutRequest& request);
    void onRenewToken(Session& session, std::int64_t id, const protocol::RenewTokenRequest& request);
    void onPublish(Session& session, std::int64_t id, const protocol::PublishRequest& request);
    void onUnpublish(Session& session, std::int64_t id, const protocol::UnpublishRequest& request);
    void onPlay(Session& session, std::int64_t id, const protocol::PlayRequest& request);
    void onStopPlay(Session& session, std::int64_t id, const protocol::StopPlayRequest& request);
    void onBroadcast(Session& session, std::int64_t id, const protocol::BroadcastMessageRequest& request);
    void onCustomCommand(Session& session, std::int64_t id, const protocol::CustomCommandRequest& request);
    void onSetRoomExtraInfo(Session& session, std::int64_t id,
                            const protocol::SetRoomExtraInfoRequest& request);
    void onSetStreamExtraInfo(Session& session, std::int64_t id,
                              const protocol::SetStreamExtraInfoRequest& request);
    void onMutePlay(Session& session, std::int64_t id, const protocol::MutePlayRequest& request);
    void onMediaReport(Session& session, const protocol::MediaReportEvent& event);
    // Subscribes every member of the session's room that plays its stream.
    void subscribePlayers(const Session& publisher);

    // Checks the credentials of a login; returns the error code, and the token's claims in
    // token mode.
    protocol::ErrorCode authenticate(const ClientConnection& connection,
                                     const protocol::LoginRequest& request,
                                     std::optional<protocol::TokenClaims>& claims) const;
    protocol::LoginReply makeLoginReply(const Session& session, const Room& room) const;

    // Ends a session: its stream goes with `reason`, others see the user leave, the room goes
    // when empty. The connection, if any, is left to the caller.
    void removeSession(Session* session, protocol::StreamDeleteReason reason);
    void kick(Session* session, protocol::ErrorCode code, protocol::StreamDeleteReason reason);
    void stopPublishing(Session& session, protocol::StreamDeleteReason reason);

    Room* findRoom(const Session& session) const;
    void sendToRoom(const Room& room, const Session* except, const protocol::SignalBody& body,
                    bool onlyUserUpdateListeners = false);
    void broadcastOnlineCounts();
    // A fresh SSRC for a stream or a media session ID: one pool, so no two ever collide.
    std::uint32_t newSsrc(Session* owner);

    const ServerConfig& m_config;
    const AppRegistry& m_apps;
    ServerCounters& m_counters;
    MediaWorker& m_media;

    std::map<UserKey, std::unique_ptr<Session>> m_sessions;
    QHash<QString, Session*> m_sessionsById;
    std::map<RoomKey, std::unique_ptr<Room>> m_rooms;
    std::map<StreamKey, Session*> m_streams;
    QHash<std::uint32_t, Session*> m_ssrcs; // live stream SSRCs and media session IDs
    QSet<std::uint32_t> m_usedSsrcs;
    QTimer m_onlineCountTimer;
};

} // namespace earshot::server
