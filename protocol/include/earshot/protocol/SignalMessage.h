#pragma once

#include <earshot/protocol/RoomMessages.h>
#include <earshot/protocol/SessionMessages.h>
#include <earshot/protocol/StreamMessages.h>

#include <QByteArray>
#include <QByteArrayView>

#include <variant>

namespace earshot::protocol {

inline constexpr int kSignalVersion = 1;
// Larger text frames are refused before parsing (a login reply of a full room fits easily).
inline constexpr qsizetype kMaxSignalMessageBytes = 256 * 1024;

using SignalBody = std::variant<
    HelloEvent, LoginRequest, LoginReply, ResumeRequest, LogoutRequest, HeartbeatRequest,
    HeartbeatReply, RenewTokenRequest, GenericReply, TokenWillExpireEvent, KickoutEvent,
    ServerClosingEvent, ErrorEvent, PublishRequest, PublishReply, UnpublishRequest, PlayRequest,
    PlayReply, StopPlayRequest, StreamUpdateEvent, SetStreamExtraInfoRequest,
    StreamExtraInfoUpdateEvent, UserUpdateEvent, OnlineCountEvent, BroadcastMessageRequest,
    BroadcastMessageReply, BroadcastMessageEvent, CustomCommandRequest, CustomCommandEvent,
    SetRoomExtraInfoRequest, RoomExtraInfoUpdateEvent, MutePlayRequest, MediaReportEvent,
    ReceiverReportEvent>;

// One signalling message: the envelope {"v":1,"type":...,"id":...} and its typed body.
// id is 0 for events; requests carry a positive id that their reply echoes.
struct SignalMessage {
    std::int64_t id = 0;
    SignalBody body;
    bool operator==(const SignalMessage&) const = default;
};

struct SignalParseResult {
    bool ok = false;
    SignalMessage message;
    std::int64_t id = 0;   // the envelope id when it could be read, even if the body failed
    QString error;         // why parsing failed; for logs and ErrorEvent, never echoes input
};

// Parses one text frame. Never throws; any malformed, oversized, unknown-type, wrong-version
// input gives ok == false with an error. Thread-safe (pure).
SignalParseResult parseSignalMessage(QByteArrayView text);

// Serialises a message to compact JSON text.
QByteArray serializeSignalMessage(const SignalMessage& message);

template <typename Body>
QByteArray serializeSignalMessage(std::int64_t id, Body body)
{
    return serializeSignalMessage(SignalMessage{id, SignalBody{std::move(body)}});
}

// The "type" string of a body, for logs.
const char* signalTypeName(const SignalBody& body) noexcept;

} // namespace earshot::protocol
