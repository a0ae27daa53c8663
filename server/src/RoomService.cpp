#include "RoomService.h"

#include "ClientConnection.h"
#include "LogCategories.h"
#include "media/MediaWorker.h"

#include <earshot/protocol/Identifiers.h>

#include <sodium.h>

#include <QDateTime>

namespace earshot::server {
namespace {

using protocol::ErrorCode;
using protocol::StreamDeleteReason;
using protocol::toInt;

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string_view view(const QByteArray& utf8)
{
    return {utf8.constData(), std::size_t(utf8.size())};
}

ErrorCode validateLoginIds(const protocol::LoginRequest& request)
{
    if (ErrorCode code = protocol::validateRoomId(view(request.roomId.toUtf8())); code != ErrorCode::Success)
        return code;
    if (ErrorCode code = protocol::validateUserId(view(request.user.userId.toUtf8())); code != ErrorCode::Success)
        return code;
    return protocol::validateUserName(view(request.user.userName.toUtf8()));
}

// The answer to a request whose outcome is only a code, with the code's English name.
void sendGenericReply(ClientConnection& connection, std::int64_t id, ErrorCode code)
{
    connection.send(id, protocol::GenericReply{toInt(code), QString::fromLatin1(protocol::errorName(code))});
}

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

std::span<const std::uint8_t> bytes(const QByteArray& data)
{
    return {reinterpret_cast<const std::uint8_t*>(data.constData()), std::size_t(data.size())};
}

} // namespace

RoomService::RoomService(const ServerConfig& config, const AppRegistry& apps, ServerCounters& counters,
                         MediaWorker& media)
    : m_config(config)
    , m_apps(apps)
    , m_counters(counters)
    , m_media(media)
{
    m_onlineCountTimer.setInterval(std::chrono::milliseconds(m_config.onlineCountIntervalMs));
    connect(&m_onlineCountTimer, &QTimer::timeout, this, &RoomService::broadcastOnlineCounts);
    m_onlineCountTimer.start();
}

RoomService::~RoomService() = default;

void RoomService::handleMessage(ClientConnection* connection, const protocol::SignalMessage& message)
{
    const std::int64_t id = message.id;
    Session* session = connection->session();
    const auto requireSession = [&](auto&& handler) {
        if (session == nullptr) {
            connection->send(id, protocol::GenericReply{toInt(ErrorCode::NotLoggedIn),
                                                        QString::fromLatin1(protocol::errorName(ErrorCode::NotLoggedIn))});
            return;
        }
        handler(*session);
    };
    std::visit(
        Overloaded{
            [&](const protocol::LoginRequest& request) { onLogin(connection, id, request); },
            [&](const protocol::ResumeRequest& request) { onResume(connection, id, request); },
            [&](const protocol::HeartbeatRequest&) {
                connection->send(id, protocol::HeartbeatReply{0, nowMs()});
            },
            [&](const protocol::LogoutRequest& request) {
                requireSession([&](Session& s) { onLogout(s, id, request); });
            },
            [&](const protocol::RenewTokenRequest& request) {
                requireSession([&](Session& s) { onRenewToken(s, id, request); });
            },
            [&](const protocol::PublishRequest& request) {
                requireSession([&](Session& s) { onPublish(s, id, request); });
            },
            [&](const protocol::UnpublishRequest& request) {
                requireSession([&](Session& s) { onUnpublish(s, id, request); });
            },
            [&](const protocol::PlayRequest& request) {
                requireSession([&](Session& s) { onPlay(s, id, request); });
            },
            [&](const protocol::StopPlayRequest& request) {
                requireSession([&](Session& s) { onStopPlay(s, id, request); });
            },
            [&](const protocol::BroadcastMessageRequest& request) {
                requireSession([&](Session& s) { onBroadcast(s, id, request); });
            },
            [&](const protocol::CustomCommandRequest& request) {
                requireSession([&](Session& s) { onCustomCommand(s, id, request); });
            },
            [&](const protocol::SetRoomExtraInfoRequest& request) {
                requireSession([&](Session& s) { onSetRoomExtraInfo(s, id, request); });
            },
            [&](const protocol::SetStreamExtraInfoRequest& request) {
                requireSession([&](Session& s) { onSetStreamExtraInfo(s, id, request); });
            },
            [&](const protocol::MutePlayRequest& request) {
                requireSession([&](Session& s) { onMutePlay(s, id, request); });
            },
            [&](const protocol::MediaReportEvent& event) {
                // An event: no reply, not even for an anonymous sender.
                if (session != nullptr)
                    onMediaReport(*session, event);
            },
            [&](const auto&) {
                // A server-to-client type sent by a client: well-formed but meaningless here.
                ServerCounters::increment(m_counters.signalFramesMalformed);
                connection->send(id, protocol::GenericReply{toInt(ErrorCode::IllegalParameter),
                                                            QStringLiteral("not a request")});
            },
        },
        message.body);
}

void RoomService::handleConnectionClosed(ClientConnection* connection)
{
    Session* session = connection->session();
    connection->setSession(nullptr);
    if (session != nullptr && session->connection() == connection) {
        qCInfo(lcRooms) << "session" << session->sessionId() << "lost its connection; grace"
                        << m_config.graceMs << "ms";
        session->detach(m_config.graceMs);
    }
}

ErrorCode RoomService::authenticate(const ClientConnection& connection,
                                    const protocol::LoginRequest& request,
                                    std::optional<protocol::TokenClaims>& claims) const
{
    const AppCredentials* app = m_apps.find(request.appId);
    if (request.authMode == protocol::AuthMode::Token) {
        if (request.token.isEmpty())
            return ErrorCode::NoAuthentication;
        protocol::TokenCheck check = protocol::Token::verify(request.token, request.appId, request.user.userId,
                                                             app->serverSecret, QDateTime::currentSecsSinceEpoch());
        if (check.code != ErrorCode::Success)
            return check.code;
        const protocol::TokenPayload& payload = check.claims.payload;
        if (!payload.canLogin || (!payload.roomId.isEmpty() && payload.roomId != request.roomId))
            return ErrorCode::LoginAuthFailed;
        claims = std::move(check.claims);
        return ErrorCode::Success;
    }
    if (request.appSignMac.isEmpty())
        return ErrorCode::NoAuthentication;
    const QByteArray roomId = request.roomId.toUtf8();
    const QByteArray userId = request.user.userId.toUtf8();
    const protocol::AppSignAuth::Transcript transcript{connection.challenge(), request.appId, view(roomId),
                                                        view(userId), bytes(request.clientPublicKey)};
    return protocol::AppSignAuth::verifyMac(app->appSign, transcript, bytes(request.appSignMac))
        ? ErrorCode::Success
        : ErrorCode::AppSignWrong;
}

void RoomService::onLogin(ClientConnection* connection, std::int64_t id, const protocol::LoginRequest& request)
{
    const auto fail = [&](ErrorCode code) {
        ServerCounters::increment(m_counters.loginsFailed);
        protocol::LoginReply reply;
        reply.code = toInt(code);
        reply.message = QString::fromLatin1(protocol::errorName(code));
        connection->send(id, std::move(reply));
    };
    if (connection->session() != nullptr)
        return fail(ErrorCode::AlreadyLoggedIn);
    if (m_apps.find(request.appId) == nullptr)
        return fail(request.appId == 0 ? ErrorCode::AppIdZero : ErrorCode::AppIdUnknown);
    if (ErrorCode code = validateLoginIds(request); code != ErrorCode::Success)
        return fail(code);
    std::optional<protocol::TokenClaims> claims;
    if (ErrorCode code = authenticate(*connection, request, claims); code != ErrorCode::Success)
        return fail(code);
    if (request.clientPublicKey.size() != qsizetype(protocol::KeyExchange::kPublicKeySize))
        return fail(ErrorCode::IllegalParameter);
    protocol::KeyExchange::PublicKey clientKey{};
    std::copy_n(request.clientPublicKey.constData(), clientKey.size(), reinterpret_cast<char*>(clientKey.data()));
    std::optional<protocol::MediaKeys> mediaKeys = connection->keyExchange().serverKeys(clientKey);
    if (!mediaKeys)
        return fail(ErrorCode::LoginAuthFailed);

    const UserKey userKey{request.appId, request.user.userId};
    const RoomKey roomKey{request.appId, request.roomId};
    auto existing = m_sessions.find(userKey);
    const bool replacesMember = existing != m_sessions.end() && existing->second->roomId() == request.roomId;
    if (auto room = m_rooms.find(roomKey); room != m_rooms.end() && room->second->isFull() && !replacesMember)
        return fail(ErrorCode::RoomMemberLimit);
    if (existing != m_sessions.end()) {
        qCInfo(lcRooms) << "user" << request.user.userId << "logged in again; kicking the earlier session";
        kick(existing->second.get(), ErrorCode::KickedDuplicateLogin, StreamDeleteReason::RepeatedLogin);
    }

    auto& roomSlot = m_rooms[roomKey];
    if (!roomSlot) {
        roomSlot = std::make_unique<Room>(request.appId, request.roomId, request.maxMemberCount);
        qCInfo(lcRooms) << "room created:" << request.appId << request.roomId;
    }
    Room& room = *roomSlot;

    QByteArray sessionIdBytes(16, Qt::Uninitialized);
    randombytes_buf(sessionIdBytes.data(), std::size_t(sessionIdBytes.size()));
    auto session = std::make_unique<Session>(QString::fromLatin1(sessionIdBytes.toHex()), request.appId,
                                             request.roomId, request.user, m_config.messageBurst,
                                             m_config.messagesPerSecond);
    Session* raw = session.get();
    raw->setWantsUserUpdates(request.isUserStatusNotify);
    raw->setMediaSessionId(newSsrc(raw));
    m_media.addSession(raw->mediaSessionId(),
                       std::make_shared<const protocol::MediaKeys>(std::move(*mediaKeys)));
    connect(raw, &Session::graceExpired, this, [this](Session* s) {
        qCInfo(lcRooms) << "session" << s->sessionId() << "did not come back within the grace period";
        removeSession(s, StreamDeleteReason::HeartbeatTimeout);
    });
    connect(raw, &Session::tokenWillExpire, this, [](Session* s, qint64 remainSeconds) {
        if (ClientConnection* c = s->connection())
            c->sendEvent(protocol::TokenWillExpireEvent{s->roomId(), remainSeconds});
    });
    connect(raw, &Session::tokenExpired, this, [this](Session* s) {
        qCInfo(lcRooms) << "token of" << s->user().userId << "expired";
        kick(s, ErrorCode::KickedTokenExpired, StreamDeleteReason::Kicked);
    });
    if (claims)
        raw->setToken(*claims, m_config.tokenWarningSeconds, QDateTime::currentSecsSinceEpoch());
    raw->attach(connection);
    connection->setSession(raw);
    m_sessionsById.insert(raw->sessionId(), raw);
    m_sessions[userKey] = std::move(session);
    room.addMember(raw);
    ServerCounters::increment(m_counters.loginsSucceeded);

    connection->send(id, makeLoginReply(*raw, room));
    sendToRoom(room, raw, protocol::UserUpdateEvent{room.roomId(), protocol::UpdateType::Add, {raw->user()}},
               true);
}

protocol::LoginReply RoomService::makeLoginReply(const Session& session, const Room& room) const
{
    protocol::LoginReply reply;
    reply.roomSessionId = room.roomSessionId();
    reply.sessionId = session.sessionId();
    reply.resumeSecret = session.resumeSecret();
    if (session.wantsUserUpdates())
        reply.users = room.usersExcept(&session);
    // Every live stream; the session's own appears only on a resume, telling the client its
    // publish survived the drop.
    reply.streams = room.streams();
    reply.roomExtraInfo = room.extraInfo();
    reply.tokenExpireSeconds = session.tokenExpireSeconds();
    reply.mediaSessionId = session.mediaSessionId();
    return reply;
}

void RoomService::onResume(ClientConnection* connection, std::int64_t id, const protocol::ResumeRequest& request)
{
    const auto fail = [&](ErrorCode code) {
        protocol::LoginReply reply;
        reply.code = toInt(code);
        reply.message = QString::fromLatin1(protocol::errorName(code));
        connection->send(id, std::move(reply));
    };
    if (connection->session() != nullptr)
        return fail(ErrorCode::AlreadyLoggedIn);
    Session* session = m_sessionsById.value(request.sessionId);
    if (session == nullptr)
        return fail(ErrorCode::Disconnected);
    const auto& challenge = connection->challenge();
    if (request.mac.size() != crypto_auth_hmacsha256_BYTES
        || crypto_auth_hmacsha256_verify(reinterpret_cast<const unsigned char*>(request.mac.constData()),
                                         challenge.data(), challenge.size(),
                                         reinterpret_cast<const unsigned char*>(session->resumeSecret().constData()))
            != 0)
        return fail(ErrorCode::LoginAuthFailed);
    if (ClientConnection* previous = session->connection()) {
        // The old connection is half-open from the client's side; it goes quietly.
        previous->setSession(nullptr);
        previous->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("resumed elsewhere"));
    }
    session->attach(connection);
    connection->setSession(session);
    qCInfo(lcRooms) << "session" << session->sessionId() << "resumed";
    connection->send(id, makeLoginReply(*session, *findRoom(*session)));
}

void RoomService::onLogout(Session& session, std::int64_t id, const protocol::LogoutRequest& request)
{
    ClientConnection* connection = session.connection();
    if (request.roomId != session.roomId()) {
        connection->send(id, protocol::GenericReply{toInt(ErrorCode::RoomNotLoggedIn), {}});
        return;
    }
    connection->send(id, protocol::GenericReply{0, {}});
    connection->setSession(nullptr);
    removeSession(&session, StreamDeleteReason::Stopped);
}

void RoomService::onRenewToken(Session& session, std::int64_t id, const protocol::RenewTokenRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto reply = [&](ErrorCode code) { sendGenericReply(*connection, id, code); };
    if (request.roomId != session.roomId())
        return reply(ErrorCode::RoomNotLoggedIn);
    const AppCredentials* app = m_apps.find(session.appId());
    const std::int64_t now = QDateTime::currentSecsSinceEpoch();
    protocol::TokenCheck check = protocol::Token::verify(request.token, session.appId(), session.user().userId,
                                                         app->serverSecret, now);
    if (check.code != ErrorCode::Success)
        return reply(check.code);
    const protocol::TokenPayload& payload = check.claims.payload;
    if (!payload.canLogin || (!payload.roomId.isEmpty() && payload.roomId != session.roomId()))
        return reply(ErrorCode::LoginAuthFailed);
    const QString& streamId = session.publishedStreamId();
    if (!streamId.isEmpty()
        && (!payload.canPublish || (!payload.streamIdList.isEmpty() && !payload.streamIdList.contains(streamId))))
        return reply(ErrorCode::TokenLacksPublishPrivilege);
    session.setToken(check.claims, m_config.tokenWarningSeconds, now);
    reply(ErrorCode::Success);
}

void RoomService::onPublish(Session& session, std::int64_t id, const protocol::PublishRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto fail = [&](ErrorCode code) {
        connection->send(id, protocol::PublishReply{toInt(code), QString::fromLatin1(protocol::errorName(code)), 0});
    };
    if (ErrorCode code = protocol::validateStreamId(view(request.streamId.toUtf8())); code != ErrorCode::Success)
        return fail(code);
    if (request.extraInfo.toUtf8().size() > qsizetype(protocol::kMaxMessageBytes))
        return fail(ErrorCode::IllegalParameter);
    if (session.publishedStreamId() == request.streamId) {
        connection->send(id, protocol::PublishReply{0, {}, session.ssrc()});
        return;
    }
    if (!session.publishedStreamId().isEmpty())
        return fail(ErrorCode::AlreadyPublishing);
    if (!session.mayPublish(request.streamId))
        return fail(ErrorCode::PublishNotAuthorized);
    const StreamKey streamKey{session.appId(), request.streamId};
    if (m_streams.count(streamKey) != 0)
        return fail(ErrorCode::DuplicateStreamId);

    const std::uint32_t ssrc = newSsrc(&session);
    session.setPublished(request.streamId, request.extraInfo, ssrc);
    m_streams[streamKey] = &session;
    m_media.addStream(ssrc, session.mediaSessionId(), session.streamProgress());
    subscribePlayers(session);
    connection->send(id, protocol::PublishReply{0, {}, ssrc});
    const Room& room = *findRoom(session);
    sendToRoom(room, &session,
               protocol::StreamUpdateEvent{room.roomId(), protocol::UpdateType::Add, StreamDeleteReason::None,
                                           {{request.streamId, session.user(), request.extraInfo, ssrc}}});
}

void RoomService::onUnpublish(Session& session, std::int64_t id, const protocol::UnpublishRequest& request)
{
    if (session.publishedStreamId().isEmpty() || session.publishedStreamId() != request.streamId) {
        session.connection()->send(id, protocol::GenericReply{toInt(ErrorCode::StreamNotFound), {}});
        return;
    }
    stopPublishing(session, StreamDeleteReason::Stopped);
    session.connection()->send(id, protocol::GenericReply{0, {}});
}

void RoomService::onPlay(Session& session, std::int64_t id, const protocol::PlayRequest& request)
{
    static constexpr qsizetype kMaxPlays = 12;
    ClientConnection* connection = session.connection();
    const auto reply = [&](ErrorCode code, bool pending, std::uint32_t ssrc = 0) {
        connection->send(id, protocol::PlayReply{toInt(code), QString::fromLatin1(protocol::errorName(code)),
                                                 pending, ssrc});
    };
    if (ErrorCode code = protocol::validateStreamId(view(request.streamId.toUtf8())); code != ErrorCode::Success)
        return reply(code, false);
    const auto stream = m_streams.find({session.appId(), request.streamId});
    const bool exists = stream != m_streams.end();
    if (exists && stream->second->roomId() != session.roomId())
        return reply(ErrorCode::PlayNotAuthorized, false);
    if (!session.playing().contains(request.streamId) && session.playing().size() >= kMaxPlays)
        return reply(ErrorCode::TooManyPlays, false);
    const bool muted = session.playing().value(request.streamId, false);
    session.playing().insert(request.streamId, muted);
    if (!exists)
        return reply(ErrorCode::Success, true);
    const Session& publisher = *stream->second;
    m_media.subscribe(publisher.ssrc(), session.mediaSessionId());
    m_media.setMuted(publisher.ssrc(), session.mediaSessionId(), muted);
    connection->send(id, protocol::PlayReply{0, {}, false, publisher.ssrc(),
                                             publisher.streamProgress()->load(std::memory_order_relaxed)});
}

void RoomService::onStopPlay(Session& session, std::int64_t id, const protocol::StopPlayRequest& request)
{
    session.playing().remove(request.streamId);
    if (const auto stream = m_streams.find({session.appId(), request.streamId}); stream != m_streams.end())
        m_media.unsubscribe(stream->second->ssrc(), session.mediaSessionId());
    session.connection()->send(id, protocol::GenericReply{0, {}});
}

void RoomService::onMutePlay(Session& session, std::int64_t id, const protocol::MutePlayRequest& request)
{
    if (!session.playing().contains(request.streamId)) {
        session.connection()->send(id, protocol::GenericReply{toInt(ErrorCode::StreamNotFound), {}});
        return;
    }
    session.playing().insert(request.streamId, request.mute);
    if (const auto stream = m_streams.find({session.appId(), request.streamId}); stream != m_streams.end())
        m_media.setMuted(stream->second->ssrc(), session.mediaSessionId(), request.mute);
    session.connection()->send(id, protocol::GenericReply{0, {}});
}

void RoomService::onMediaReport(Session& session, const protocol::MediaReportEvent& event)
{
    for (const protocol::ReceiverReport& report : event.reports) {
        // Only about a stream this session plays in its own room; the rest is ignored.
        const auto stream = m_streams.find({session.appId(), report.streamId});
        if (stream == m_streams.end() || !session.playing().contains(report.streamId)
            || stream->second->roomId() != session.roomId())
            continue;
        if (ClientConnection* publisher = stream->second->connection())
            publisher->sendEvent(protocol::ReceiverReportEvent{session.roomId(), session.user(), report});
    }
}

void RoomService::subscribePlayers(const Session& publisher)
{
    const Room* room = findRoom(publisher);
    if (room == nullptr)
        return;
    for (const Session* member : room->members()) {
        const auto playing = member->playing().constFind(publisher.publishedStreamId());
        if (member == &publisher || playing == member->playing().constEnd())
            continue;
        m_media.subscribe(publisher.ssrc(), member->mediaSessionId());
        m_media.setMuted(publisher.ssrc(), member->mediaSessionId(), playing.value());
    }
}

void RoomService::handleMediaFrame(ClientConnection* connection, const QByteArray& frame)
{
    const Session* session = connection->session();
    if (session == nullptr || session->connection() != connection) {
        ServerCounters::increment(m_counters.signalBinaryFramesDropped);
        return;
    }
    m_media.ingestWebSocketPacket(session->mediaSessionId(), frame);
}

void RoomService::sendMediaFrame(std::uint32_t mediaSessionId, const QByteArray& frame)
{
    Session* session = m_ssrcs.value(mediaSessionId);
    if (session != nullptr && session->mediaSessionId() == mediaSessionId && session->connection() != nullptr)
        session->connection()->sendBinary(frame);
}

void RoomService::onBroadcast(Session& session, std::int64_t id, const protocol::BroadcastMessageRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto fail = [&](ErrorCode code) {
        connection->send(id, protocol::BroadcastMessageReply{toInt(code), QString::fromLatin1(protocol::errorName(code)),
                                                            0, 0});
    };
    if (request.roomId != session.roomId())
        return fail(ErrorCode::MessageWrongRoom);
    if (request.message.isEmpty())
        return fail(ErrorCode::MessageEmpty);
    if (request.message.toUtf8().size() > qsizetype(protocol::kMaxMessageBytes))
        return fail(ErrorCode::MessageTooLong);
    if (!session.messageLimiter().tryAcquire(QDateTime::currentMSecsSinceEpoch()))
        return fail(ErrorCode::MessageTooFast);
    Room& room = *findRoom(session);
    const protocol::BroadcastMessageInfo info{request.message, room.nextMessageId(), nowMs(), session.user()};
    connection->send(id, protocol::BroadcastMessageReply{0, {}, info.messageId, info.sendTimeMs});
    sendToRoom(room, &session, protocol::BroadcastMessageEvent{room.roomId(), {info}});
}

void RoomService::onCustomCommand(Session& session, std::int64_t id, const protocol::CustomCommandRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto reply = [&](ErrorCode code) { sendGenericReply(*connection, id, code); };
    if (request.roomId != session.roomId())
        return reply(ErrorCode::MessageWrongRoom);
    if (request.command.isEmpty())
        return reply(ErrorCode::MessageEmpty);
    if (request.command.toUtf8().size() > qsizetype(protocol::kMaxMessageBytes))
        return reply(ErrorCode::MessageTooLong);
    if (!session.messageLimiter().tryAcquire(QDateTime::currentMSecsSinceEpoch()))
        return reply(ErrorCode::MessageTooFast);
    const QByteArray text = protocol::serializeSignalMessage(
        0, protocol::CustomCommandEvent{session.roomId(), session.user(), request.command});
    for (Session* member : findRoom(session)->members()) {
        if (member == &session || member->connection() == nullptr)
            continue;
        if (request.toUserIds.isEmpty() || request.toUserIds.contains(member->user().userId))
            member->connection()->sendSerialized(text);
    }
    reply(ErrorCode::Success);
}

void RoomService::onSetRoomExtraInfo(Session& session, std::int64_t id,
                                     const protocol::SetRoomExtraInfoRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto reply = [&](ErrorCode code) { sendGenericReply(*connection, id, code); };
    if (request.roomId != session.roomId())
        return reply(ErrorCode::RoomNotLoggedIn);
    const qsizetype keyBytes = request.key.toUtf8().size();
    if (keyBytes == 0 || keyBytes > Room::kMaxExtraInfoKeyBytes
        || request.value.toUtf8().size() > qsizetype(protocol::kMaxMessageBytes))
        return reply(ErrorCode::IllegalParameter);
    Room& room = *findRoom(session);
    const protocol::RoomExtraInfoItem item{request.key, request.value, session.user(), nowMs()};
    if (!room.setExtraInfo(item))
        return reply(ErrorCode::IllegalParameter);
    reply(ErrorCode::Success);
    sendToRoom(room, &session, protocol::RoomExtraInfoUpdateEvent{room.roomId(), {item}});
}

void RoomService::onSetStreamExtraInfo(Session& session, std::int64_t id,
                                       const protocol::SetStreamExtraInfoRequest& request)
{
    ClientConnection* connection = session.connection();
    const auto reply = [&](ErrorCode code) { sendGenericReply(*connection, id, code); };
    if (session.publishedStreamId().isEmpty() || session.publishedStreamId() != request.streamId)
        return reply(ErrorCode::StreamNotFound);
    if (request.extraInfo.toUtf8().size() > qsizetype(protocol::kMaxMessageBytes))
        return reply(ErrorCode::IllegalParameter);
    session.setPublishedExtraInfo(request.extraInfo);
    reply(ErrorCode::Success);
    const Room& room = *findRoom(session);
    sendToRoom(room, &session,
               protocol::StreamExtraInfoUpdateEvent{room.roomId(),
                                                    {{request.streamId, session.user(), request.extraInfo}}});
}

void RoomService::stopPublishing(Session& session, StreamDeleteReason reason)
{
    if (session.publishedStreamId().isEmpty())
        return;
    const protocol::StreamInfo info{session.publishedStreamId(), session.user(), session.publishedExtraInfo(),
                                    session.ssrc()};
    m_streams.erase({session.appId(), info.streamId});
    m_ssrcs.remove(session.ssrc());
    m_media.removeStream(session.ssrc());
    session.clearPublished();
    if (const Room* room = findRoom(session))
        sendToRoom(*room, &session, protocol::StreamUpdateEvent{room->roomId(), protocol::UpdateType::Delete, reason, {info}});
}

void RoomService::kick(Session* session, ErrorCode code, StreamDeleteReason reason)
{
    if (ClientConnection* connection = session->connection()) {
        connection->sendEvent(protocol::KickoutEvent{session->roomId(), toInt(code),
                                                     QString::fromLatin1(protocol::errorName(code))});
        connection->setSession(nullptr);
        connection->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("kicked out"));
    }
    removeSession(session, reason);
}

void RoomService::removeSession(Session* session, StreamDeleteReason reason)
{
    stopPublishing(*session, reason);
    const RoomKey roomKey{session->appId(), session->roomId()};
    if (auto room = m_rooms.find(roomKey); room != m_rooms.end()) {
        room->second->removeMember(session);
        sendToRoom(*room->second, session,
                   protocol::UserUpdateEvent{session->roomId(), protocol::UpdateType::Delete, {session->user()}}, true);
        if (room->second->isEmpty()) {
            qCInfo(lcRooms) << "room closed:" << session->appId() << session->roomId();
            m_rooms.erase(room);
        }
    }
    if (ClientConnection* connection = session->connection())
        connection->setSession(nullptr);
    m_sessionsById.remove(session->sessionId());
    m_ssrcs.remove(session->mediaSessionId());
    m_media.removeSession(session->mediaSessionId());
    auto owner = m_sessions.find({session->appId(), session->user().userId});
    if (owner != m_sessions.end() && owner->second.get() == session) {
        // Deferred: this may run inside one of the session's own signals.
        session->disconnect(this);
        owner->second.release()->deleteLater();
        m_sessions.erase(owner);
    }
}

Room* RoomService::findRoom(const Session& session) const
{
    const auto room = m_rooms.find({session.appId(), session.roomId()});
    return room == m_rooms.end() ? nullptr : room->second.get();
}

void RoomService::sendToRoom(const Room& room, const Session* except, const protocol::SignalBody& body,
                             bool onlyUserUpdateListeners)
{
    const QByteArray text = protocol::serializeSignalMessage(protocol::SignalMessage{0, body});
    for (Session* member : room.members()) {
        if (member == except || member->connection() == nullptr)
            continue;
        if (onlyUserUpdateListeners && !member->wantsUserUpdates())
            continue;
        member->connection()->sendSerialized(text);
    }
}

void RoomService::broadcastOnlineCounts()
{
    for (const auto& [key, room] : m_rooms)
        sendToRoom(*room, nullptr, protocol::OnlineCountEvent{room->roomId(), room->members().size()});
}

std::uint32_t RoomService::newSsrc(Session* owner)
{
    for (;;) {
        const std::uint32_t ssrc = randombytes_random();
        // Never handed out twice in the server's life: a subscriber's key must never seal the same
        // (SSRC, sequence) pair for two different streams.
        if (ssrc != 0 && !m_usedSsrcs.contains(ssrc)) {
            m_usedSsrcs.insert(ssrc);
            m_ssrcs.insert(ssrc, owner);
            return ssrc;
        }
    }
}

} // namespace earshot::server
