#include <earshot/protocol/SessionMessages.h>

#include <earshot/protocol/AppSignAuth.h>
#include <earshot/protocol/JsonReader.h>
#include <earshot/protocol/KeyExchange.h>

#include <limits>

namespace earshot::protocol {

namespace {

constexpr qsizetype kChallengeBytes = AppSignAuth::kChallengeSize;
constexpr qsizetype kMacBytes = AppSignAuth::kMacSize;
constexpr qsizetype kPublicKeyBytes = KeyExchange::kPublicKeySize;
constexpr qsizetype kResumeSecretBytes = 32;
constexpr std::int64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kMaxUint16 = std::numeric_limits<std::uint16_t>::max();

QString toBase64(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

// Replies carry a code and, mostly on failure, a human-readable message.
void writeOutcome(QJsonObject& json, std::int32_t code, const QString& message)
{
    json.insert(QStringLiteral("code"), code);
    if (!message.isEmpty())
        json.insert(QStringLiteral("message"), message);
}

} // namespace

QJsonObject HelloEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("server_version"), serverVersion},
                       {QStringLiteral("challenge"), toBase64(challenge)},
                       {QStringLiteral("server_public_key"), toBase64(serverPublicKey)},
                       {QStringLiteral("heartbeat_interval_ms"), qint64{heartbeatIntervalMs}},
                       {QStringLiteral("media_port"), int{mediaPort}}};
}

HelloEvent HelloEvent::fromJson(JsonReader& reader)
{
    HelloEvent event;
    event.serverVersion = reader.string("server_version", kDecodeMaxIdentifierBytes);
    event.challenge = reader.base64("challenge", kChallengeBytes);
    event.serverPublicKey = reader.base64("server_public_key", kPublicKeyBytes);
    event.heartbeatIntervalMs = reader.integer("heartbeat_interval_ms", 0, kMaxJsonInteger);
    event.mediaPort = static_cast<std::uint16_t>(reader.integer("media_port", 0, kMaxUint16));
    return event;
}

QJsonObject LoginRequest::toJson() const
{
    QJsonObject json{{QStringLiteral("app_id"), qint64{appId}},
                     {QStringLiteral("room_id"), roomId},
                     {QStringLiteral("user"), user.toJson()},
                     {QStringLiteral("is_user_status_notify"), isUserStatusNotify},
                     {QStringLiteral("max_member_count"), qint64{maxMemberCount}},
                     {QStringLiteral("auth_mode"), static_cast<int>(authMode)},
                     {QStringLiteral("client_public_key"), toBase64(clientPublicKey)}};
    // Only the credential of the chosen mode travels.
    if (authMode == AuthMode::AppSign)
        json.insert(QStringLiteral("app_sign_mac"), toBase64(appSignMac));
    else
        json.insert(QStringLiteral("token"), token);
    return json;
}

LoginRequest LoginRequest::fromJson(JsonReader& reader)
{
    LoginRequest request;
    request.appId = static_cast<std::uint32_t>(reader.integer("app_id", 0, kMaxUint32));
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    request.user = reader.decode<UserInfo>("user");
    request.isUserStatusNotify = reader.boolean("is_user_status_notify");
    request.maxMemberCount =
        static_cast<std::uint32_t>(reader.integer("max_member_count", 0, kMaxUint32));
    request.authMode = static_cast<AuthMode>(reader.integer(
        "auth_mode", static_cast<int>(AuthMode::AppSign), static_cast<int>(AuthMode::Token)));
    if (request.authMode == AuthMode::AppSign)
        request.appSignMac = reader.base64("app_sign_mac", kMacBytes);
    else
        request.token = reader.string("token", kDecodeMaxTokenBytes);
    request.clientPublicKey = reader.base64("client_public_key", kPublicKeyBytes);
    return request;
}

QJsonObject LoginReply::toJson() const
{
    QJsonObject json{{QStringLiteral("room_session_id"), roomSessionId},
                     {QStringLiteral("session_id"), sessionId},
                     {QStringLiteral("users"), toJsonArray(users)},
                     {QStringLiteral("streams"), toJsonArray(streams)},
                     {QStringLiteral("room_extra_info"), toJsonArray(roomExtraInfo)},
                     {QStringLiteral("token_expire_seconds"), qint64{tokenExpireSeconds}}};
    writeOutcome(json, code, message);
    // A failed login has no session to resume and no media session.
    if (code == 0) {
        json.insert(QStringLiteral("resume_secret"), toBase64(resumeSecret));
        json.insert(QStringLiteral("media_session_id"), qint64{mediaSessionId});
    }
    return json;
}

LoginReply LoginReply::fromJson(JsonReader& reader)
{
    LoginReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    reply.roomSessionId = reader.string("room_session_id", kDecodeMaxIdentifierBytes);
    reply.sessionId = reader.string("session_id", kDecodeMaxIdentifierBytes);
    if (reply.code == 0) {
        reply.resumeSecret = reader.base64("resume_secret", 0, kResumeSecretBytes);
        if (!reply.resumeSecret.isEmpty() && reply.resumeSecret.size() != kResumeSecretBytes)
            reader.fail(QStringLiteral("resume_secret: wrong size"));
        // Optional: a server without media transport sends none. Ignored on failed replies,
        // which never write it, so that every decoded reply re-encodes to the same message.
        reply.mediaSessionId =
            static_cast<std::uint32_t>(reader.optionalInteger("media_session_id", 0, 0, kMaxUint32));
    }
    reply.users = reader.decodeList<UserInfo>("users", kDecodeMaxListItems);
    reply.streams = reader.decodeList<StreamInfo>("streams", kDecodeMaxListItems);
    reply.roomExtraInfo = reader.decodeList<RoomExtraInfoItem>("room_extra_info", kDecodeMaxListItems);
    reply.tokenExpireSeconds = reader.integer("token_expire_seconds", 0, kMaxJsonInteger);
    return reply;
}

QJsonObject ResumeRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("session_id"), sessionId}, {QStringLiteral("mac"), toBase64(mac)}};
}

ResumeRequest ResumeRequest::fromJson(JsonReader& reader)
{
    ResumeRequest request;
    request.sessionId = reader.string("session_id", kDecodeMaxIdentifierBytes);
    request.mac = reader.base64("mac", kMacBytes);
    return request;
}

QJsonObject LogoutRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId}};
}

LogoutRequest LogoutRequest::fromJson(JsonReader& reader)
{
    LogoutRequest request;
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    return request;
}

QJsonObject HeartbeatRequest::toJson() const
{
    return {};
}

HeartbeatRequest HeartbeatRequest::fromJson(JsonReader& /*reader*/)
{
    return {};
}

QJsonObject HeartbeatReply::toJson() const
{
    QJsonObject json{{QStringLiteral("server_time_ms"), qint64{serverTimeMs}}};
    writeOutcome(json, code, {});
    return json;
}

HeartbeatReply HeartbeatReply::fromJson(JsonReader& reader)
{
    HeartbeatReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.serverTimeMs = reader.integer("server_time_ms", 0, kMaxJsonInteger);
    return reply;
}

QJsonObject RenewTokenRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("token"), token}};
}

RenewTokenRequest RenewTokenRequest::fromJson(JsonReader& reader)
{
    RenewTokenRequest request;
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    request.token = reader.string("token", kDecodeMaxTokenBytes);
    return request;
}

QJsonObject GenericReply::toJson() const
{
    QJsonObject json;
    writeOutcome(json, code, message);
    return json;
}

GenericReply GenericReply::fromJson(JsonReader& reader)
{
    GenericReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    return reply;
}

QJsonObject TokenWillExpireEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("remain_seconds"), qint64{remainSeconds}}};
}

TokenWillExpireEvent TokenWillExpireEvent::fromJson(JsonReader& reader)
{
    TokenWillExpireEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.remainSeconds = reader.integer("remain_seconds", 0, kMaxJsonInteger);
    return event;
}

QJsonObject KickoutEvent::toJson() const
{
    QJsonObject json{{QStringLiteral("room_id"), roomId}};
    writeOutcome(json, code, message);
    return json;
}

KickoutEvent KickoutEvent::fromJson(JsonReader& reader)
{
    KickoutEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.code = static_cast<std::int32_t>(reader.integer("code"));
    event.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    return event;
}

QJsonObject ServerClosingEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("retry_after_ms"), qint64{retryAfterMs}}};
}

ServerClosingEvent ServerClosingEvent::fromJson(JsonReader& reader)
{
    ServerClosingEvent event;
    event.retryAfterMs = reader.integer("retry_after_ms", 0, kMaxJsonInteger);
    return event;
}

QJsonObject ErrorEvent::toJson() const
{
    QJsonObject json;
    writeOutcome(json, code, message);
    return json;
}

ErrorEvent ErrorEvent::fromJson(JsonReader& reader)
{
    ErrorEvent event;
    event.code = static_cast<std::int32_t>(reader.integer("code"));
    event.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    return event;
}

} // namespace earshot::protocol
