// The room state machine (API.md §2): LOGINING → LOGINED | LOGIN_FAILED; RECONNECTING →
// RECONNECTED | RECONNECT_FAILED; KICKOUT; LOGOUT. What the room holds (streams) is mirrored
// here, so plays of streams that appear later start by themselves.
#include "api/EnginePrivate.h"

#include <earshot/protocol/ErrorCode.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace earshot {

using protocol::ErrorCode;
using protocol::toInt;

void Engine::Private::setRoomState(RoomStateChangedReason reason, int errorCode, const QString& extendedData)
{
    const RoomState state = roomStateOf(reason);
    const QString room = roomId;
    roomState = state;
    emit q->roomStateChanged(room, reason, errorCode, extendedData);
    emit q->roomStateUpdate(room, state, errorCode, extendedData);
}

void Engine::Private::startMediaTransport(const session::LoginResult& result)
{
    net::MediaTransportConfig config;
    config.serverHost = result.mediaHost;
    config.mediaPort = options.mediaPortOverride != 0 ? options.mediaPortOverride : result.mediaPort;
    config.mediaSessionId = result.mediaSessionId;
    if (result.mediaPort == 0)
        config.policy = net::UdpPolicy::WebSocketOnly;
    const std::shared_ptr<const protocol::MediaKeys> keys = result.mediaKeys;
    onMedia([config, keys](mediasession::MediaSession& session) {
        if (!keys)
            return;
        session.connectTransport(config, protocol::MediaKeys {keys->receive.clone(), keys->transmit.clone()});
    });
}

void Engine::Private::onLoginSucceeded(const session::LoginResult& result)
{
    if (roomId.isEmpty())
        return; // logged out meanwhile
    login = result;
    startMediaTransport(result);
    // What was asked for while logging in waits for the login; what the app asks for from its
    // Logined handler below is sent by the call itself.
    const bool publishWaiting = publisherState == PublisherState::PublishRequesting;
    QStringList playsWaiting;
    for (auto it = plays.cbegin(); it != plays.cend(); ++it) {
        if (it->state == PlayerState::PlayRequesting)
            playsWaiting.append(it.key());
    }
    const QString extended = QString::fromUtf8(
        QJsonDocument(QJsonObject {{QStringLiteral("room_session_id"), result.roomSessionId}}).toJson(QJsonDocument::Compact));
    setRoomState(RoomStateChangedReason::Logined, 0, extended);
    qualityTimer.start();
    if (roomConfig.isUserStatusNotify && !result.users.isEmpty()) {
        QList<User> users;
        for (const protocol::UserInfo& info : result.users) {
            if (info.userId != user.userID)
                users.append(userOf(info));
        }
        if (!users.isEmpty())
            emit q->roomUserUpdate(roomId, UpdateType::Add, users);
    }
    applyRoomStreams(result.streams);
    if (publishWaiting && publisherState == PublisherState::PublishRequesting)
        requestPublish();
    for (const QString& streamId : std::as_const(playsWaiting)) {
        const auto it = plays.constFind(streamId);
        if (it != plays.cend() && it->state != PlayerState::NoPlay)
            requestPlay(streamId);
    }
}

void Engine::Private::onLoginFailed(int errorCode)
{
    if (roomId.isEmpty())
        return;
    resetStreams(errorCode);
    setRoomState(RoomStateChangedReason::LoginFailed, errorCode);
    roomId.clear();
}

void Engine::Private::onConnectionLost(int errorCode)
{
    if (roomId.isEmpty())
        return;
    setRoomState(RoomStateChangedReason::Reconnecting, errorCode);
    // Publishing and playing are retried after the reconnect; say so (API.md §3).
    if (publisherState == PublisherState::Publishing)
        setPublisherState(PublisherState::PublishRequesting, errorCode);
    for (auto it = plays.begin(); it != plays.end(); ++it) {
        if (it->state == PlayerState::Playing)
            setPlayerState(it.key(), *it, PlayerState::PlayRequesting, errorCode);
    }
}

void Engine::Private::onReconnected(session::ReconnectKind kind, const session::LoginResult& result)
{
    if (roomId.isEmpty())
        return;
    login = result;
    if (kind == session::ReconnectKind::LoggedInAgain) {
        // A new session: new keys and media ID, and every SSRC is to be asked for again.
        startMediaTransport(result);
        if (publishSsrc != 0) {
            onMedia([](mediasession::MediaSession& session) { session.stopPublishing(); });
            publishSsrc = 0;
        }
        for (auto it = plays.begin(); it != plays.end(); ++it) {
            if (it->ssrc != 0) {
                const std::uint32_t ssrc = it->ssrc;
                onMedia([ssrc](mediasession::MediaSession& session) { session.stopPlaying(ssrc); });
                it->ssrc = 0;
            }
        }
    }
    setRoomState(RoomStateChangedReason::Reconnected, 0);
    applyRoomStreams(result.streams);
    if (publisherState != PublisherState::NoPublish) {
        if (kind == session::ReconnectKind::LoggedInAgain || publishSsrc == 0)
            requestPublish();
        else
            setPublisherState(PublisherState::Publishing, 0);
    }
    for (auto it = plays.begin(); it != plays.end(); ++it) {
        if (kind == session::ReconnectKind::LoggedInAgain || it->ssrc == 0)
            requestPlay(it.key());
        else if (it->state != PlayerState::Playing)
            setPlayerState(it.key(), *it, PlayerState::Playing, 0);
    }
}

void Engine::Private::onSessionEnded(RoomStateChangedReason reason, int errorCode)
{
    if (roomId.isEmpty())
        return;
    qualityTimer.stop();
    resetStreams(reason == RoomStateChangedReason::Logout ? 0 : errorCode);
    onMedia([](mediasession::MediaSession& session) { session.disconnectTransport(); });
    setRoomState(reason, errorCode);
    roomId.clear();
    roomStreams.clear();
    subscriberLoss.clear();
    login = {};
}

// Publishing and playing end with the room: the streams go back to NoPlay / NoPublish.
void Engine::Private::resetStreams(int errorCode)
{
    if (publisherState != PublisherState::NoPublish) {
        publishSsrc = 0;
        setPublisherState(PublisherState::NoPublish, errorCode);
        publishStreamId.clear();
    }
    const QList<QString> streamIds = plays.keys();
    for (const QString& streamId : streamIds) {
        PlayEntry entry = plays.take(streamId);
        setPlayerState(streamId, entry, PlayerState::NoPlay, errorCode);
    }
}

// The room's streams as the login or reconnect reply has them: ADD what is new, DELETE what
// went away while we were not listening.
void Engine::Private::applyRoomStreams(const QList<protocol::StreamInfo>& streams)
{
    QList<protocol::StreamInfo> added;
    QHash<QString, protocol::StreamInfo> now;
    for (const protocol::StreamInfo& info : streams) {
        if (info.user.userId == user.userID)
            continue; // our own stream is not news to us
        now.insert(info.streamId, info);
        if (!roomStreams.contains(info.streamId))
            added.append(info);
    }
    QList<protocol::StreamInfo> removed;
    for (auto it = roomStreams.cbegin(); it != roomStreams.cend(); ++it) {
        if (!now.contains(it.key()))
            removed.append(*it);
    }
    if (!removed.isEmpty())
        onStreamUpdate(protocol::UpdateType::Delete, protocol::StreamDeleteReason::Disconnected, removed);
    if (!added.isEmpty())
        onStreamUpdate(protocol::UpdateType::Add, protocol::StreamDeleteReason::None, added);
}

void Engine::Private::onStreamUpdate(protocol::UpdateType type, protocol::StreamDeleteReason reason,
                                     const QList<protocol::StreamInfo>& streams)
{
    // The room's news first, then what it means for the players (the reference's order).
    QList<Stream> list;
    for (const protocol::StreamInfo& info : streams) {
        list.append(streamOf(info));
        if (type == protocol::UpdateType::Add)
            roomStreams.insert(info.streamId, info);
        else
            roomStreams.remove(info.streamId);
    }
    QString extended;
    if (type == protocol::UpdateType::Delete)
        extended = QString::fromUtf8(QJsonDocument(QJsonObject {{QStringLiteral("reason"), static_cast<int>(reason)}})
                                         .toJson(QJsonDocument::Compact));
    emit q->roomStreamUpdate(roomId, static_cast<UpdateType>(type), list, extended);

    for (const protocol::StreamInfo& info : streams) {
        const auto play = plays.find(info.streamId);
        if (play == plays.end())
            continue;
        if (type == protocol::UpdateType::Add) {
            if (play->ssrc == 0 && info.ssrc != 0 && roomState == RoomState::Connected)
                startMediaPlay(info.streamId, *play, info.ssrc, 0);
        } else if (play->ssrc != 0) {
            // The player waits for the stream to come back (API.md: PLAY_REQUESTING).
            const std::uint32_t ssrc = play->ssrc;
            onMedia([ssrc](mediasession::MediaSession& session) { session.stopPlaying(ssrc); });
            play->ssrc = 0;
            setPlayerState(info.streamId, *play, PlayerState::PlayRequesting, 0);
        }
    }
}

} // namespace earshot
