#pragma once

#include <earshot/protocol/SignalTypes.h>

#include <QByteArray>

namespace earshot::protocol {

// Session-level signalling (DESIGN.md §4). "Request" structs travel client → server with an
// envelope id; "Reply" structs echo that id with a code; "Event" structs carry no id.
// JSON field names are snake_case forms of the member names.

// Server → client, first message on every connection.
struct HelloEvent {
    static constexpr const char* kType = "hello";
    QString serverVersion;
    QByteArray challenge;        // AppSignAuth::kChallengeSize bytes, Base64 on the wire
    QByteArray serverPublicKey;  // KeyExchange::kPublicKeySize bytes
    std::int64_t heartbeatIntervalMs = 0;
    std::uint16_t mediaPort = 0; // the server's UDP media port; 0: media over UDP unavailable
    QJsonObject toJson() const;
    static HelloEvent fromJson(JsonReader& reader);
    bool operator==(const HelloEvent&) const = default;
};

enum class AuthMode : int { AppSign = 0, Token = 1 };

struct LoginRequest {
    static constexpr const char* kType = "login";
    std::uint32_t appId = 0;
    QString roomId;
    UserInfo user;
    bool isUserStatusNotify = false;
    std::uint32_t maxMemberCount = 0; // 0: unlimited; honoured from the user who creates the room
    AuthMode authMode = AuthMode::AppSign;
    QByteArray appSignMac;        // AppSign mode: AppSignAuth::kMacSize bytes
    QString token;                // token mode
    QByteArray clientPublicKey;   // KeyExchange::kPublicKeySize bytes
    QJsonObject toJson() const;
    static LoginRequest fromJson(JsonReader& reader);
    bool operator==(const LoginRequest&) const = default;
};

// Reply to login and to resume.
struct LoginReply {
    static constexpr const char* kType = "login_reply";
    std::int32_t code = 0;
    QString message;
    QString roomSessionId;        // the room's session ID (API.md extendedData)
    QString sessionId;            // this user's session, for resume
    QByteArray resumeSecret;      // 32 bytes; proves a later resume belongs to this client
    QList<UserInfo> users;        // other users, only when isUserStatusNotify
    QList<StreamInfo> streams;    // every live stream of the room
    QList<RoomExtraInfoItem> roomExtraInfo;
    std::int64_t tokenExpireSeconds = 0; // 0 in AppSign mode
    std::uint32_t mediaSessionId = 0;    // SSRC of the client's media binding/keepalive packets;
                                         // travels only with code 0
    QJsonObject toJson() const;
    static LoginReply fromJson(JsonReader& reader);
    bool operator==(const LoginReply&) const = default;
};

// A client whose connection dropped reclaims its session on a new connection within the grace
// period. mac = HMAC-SHA-256(resumeSecret, challenge of the new connection's hello).
struct ResumeRequest {
    static constexpr const char* kType = "resume";
    QString sessionId;
    QByteArray mac;
    QJsonObject toJson() const;
    static ResumeRequest fromJson(JsonReader& reader);
    bool operator==(const ResumeRequest&) const = default;
};

struct LogoutRequest {
    static constexpr const char* kType = "logout";
    QString roomId;
    QJsonObject toJson() const;
    static LogoutRequest fromJson(JsonReader& reader);
    bool operator==(const LogoutRequest&) const = default;
};

struct HeartbeatRequest {
    static constexpr const char* kType = "heartbeat";
    QJsonObject toJson() const;
    static HeartbeatRequest fromJson(JsonReader& reader);
    bool operator==(const HeartbeatRequest&) const = default;
};

struct HeartbeatReply {
    static constexpr const char* kType = "heartbeat_reply";
    std::int32_t code = 0;
    std::int64_t serverTimeMs = 0;
    QJsonObject toJson() const;
    static HeartbeatReply fromJson(JsonReader& reader);
    bool operator==(const HeartbeatReply&) const = default;
};

struct RenewTokenRequest {
    static constexpr const char* kType = "renew_token";
    QString roomId;
    QString token;
    QJsonObject toJson() const;
    static RenewTokenRequest fromJson(JsonReader& reader);
    bool operator==(const RenewTokenRequest&) const = default;
};

// The reply for requests whose answer is only a code: logout, renew_token, unpublish, play,
// stop_play, mute_play, custom_command, set_room_extra_info, set_stream_extra_info, and any
// request the server could not parse far enough to know its type.
struct GenericReply {
    static constexpr const char* kType = "reply";
    std::int32_t code = 0;
    QString message;
    QJsonObject toJson() const;
    static GenericReply fromJson(JsonReader& reader);
    bool operator==(const GenericReply&) const = default;
};

struct TokenWillExpireEvent {
    static constexpr const char* kType = "token_will_expire";
    QString roomId;
    std::int64_t remainSeconds = 0;
    QJsonObject toJson() const;
    static TokenWillExpireEvent fromJson(JsonReader& reader);
    bool operator==(const TokenWillExpireEvent&) const = default;
};

// The server ended this session: duplicate login (1002050), server API (1002055), token expiry
// (1002056). The connection closes after it.
struct KickoutEvent {
    static constexpr const char* kType = "kickout";
    QString roomId;
    std::int32_t code = 0;
    QString message;
    QJsonObject toJson() const;
    static KickoutEvent fromJson(JsonReader& reader);
    bool operator==(const KickoutEvent&) const = default;
};

// The server is shutting down; clients should reconnect after retryAfterMs.
struct ServerClosingEvent {
    static constexpr const char* kType = "server_closing";
    std::int64_t retryAfterMs = 0;
    QJsonObject toJson() const;
    static ServerClosingEvent fromJson(JsonReader& reader);
    bool operator==(const ServerClosingEvent&) const = default;
};

// A message that could not be parsed far enough to reply to (no id): the server says why.
struct ErrorEvent {
    static constexpr const char* kType = "error";
    std::int32_t code = 0;
    QString message;
    QJsonObject toJson() const;
    static ErrorEvent fromJson(JsonReader& reader);
    bool operator==(const ErrorEvent&) const = default;
};

} // namespace earshot::protocol
