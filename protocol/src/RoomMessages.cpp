#include <earshot/protocol/RoomMessages.h>

#include <earshot/protocol/JsonReader.h>

namespace earshot::protocol {

QJsonObject UserUpdateEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("update_type"), static_cast<int>(updateType)},
                       {QStringLiteral("users"), toJsonArray(users)}};
}

UserUpdateEvent UserUpdateEvent::fromJson(JsonReader& reader)
{
    UserUpdateEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.updateType = static_cast<UpdateType>(reader.integer(
        "update_type", static_cast<int>(UpdateType::Add), static_cast<int>(UpdateType::Delete)));
    event.users = reader.decodeList<UserInfo>("users", kDecodeMaxListItems);
    return event;
}

QJsonObject OnlineCountEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("count"), qint64{count}}};
}

OnlineCountEvent OnlineCountEvent::fromJson(JsonReader& reader)
{
    OnlineCountEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.count = reader.integer("count", 0, kMaxJsonInteger);
    return event;
}

QJsonObject BroadcastMessageRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("message"), message}};
}

BroadcastMessageRequest BroadcastMessageRequest::fromJson(JsonReader& reader)
{
    BroadcastMessageRequest request;
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    request.message = reader.string("message", kDecodeMaxMessageBytes);
    return request;
}

QJsonObject BroadcastMessageReply::toJson() const
{
    QJsonObject json{{QStringLiteral("code"), code},
                     {QStringLiteral("message_id"), static_cast<qint64>(messageId)},
                     {QStringLiteral("send_time_ms"), qint64{sendTimeMs}}};
    if (!message.isEmpty())
        json.insert(QStringLiteral("message"), message);
    return json;
}

BroadcastMessageReply BroadcastMessageReply::fromJson(JsonReader& reader)
{
    BroadcastMessageReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    reply.messageId = static_cast<std::uint64_t>(reader.integer("message_id", 0, kMaxJsonInteger));
    reply.sendTimeMs = reader.integer("send_time_ms", 0, kMaxJsonInteger);
    return reply;
}

QJsonObject BroadcastMessageEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("messages"), toJsonArray(messages)}};
}

BroadcastMessageEvent BroadcastMessageEvent::fromJson(JsonReader& reader)
{
    BroadcastMessageEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.messages = reader.decodeList<BroadcastMessageInfo>("messages", kDecodeMaxListItems);
    return event;
}

QJsonObject CustomCommandRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("command"), command},
                       {QStringLiteral("to_user_ids"), QJsonArray::fromStringList(toUserIds)}};
}

CustomCommandRequest CustomCommandRequest::fromJson(JsonReader& reader)
{
    CustomCommandRequest request;
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    request.command = reader.string("command", kDecodeMaxMessageBytes);
    request.toUserIds = reader.stringList("to_user_ids", kDecodeMaxRecipients, kDecodeMaxUserIdBytes);
    return request;
}

QJsonObject CustomCommandEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("from_user"), fromUser.toJson()},
                       {QStringLiteral("command"), command}};
}

CustomCommandEvent CustomCommandEvent::fromJson(JsonReader& reader)
{
    CustomCommandEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.fromUser = reader.decode<UserInfo>("from_user");
    event.command = reader.string("command", kDecodeMaxMessageBytes);
    return event;
}

QJsonObject SetRoomExtraInfoRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("key"), key},
                       {QStringLiteral("value"), value}};
}

SetRoomExtraInfoRequest SetRoomExtraInfoRequest::fromJson(JsonReader& reader)
{
    SetRoomExtraInfoRequest request;
    request.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    request.key = reader.string("key", kDecodeMaxIdentifierBytes);
    request.value = reader.string("value", kDecodeMaxMessageBytes);
    return request;
}

QJsonObject RoomExtraInfoUpdateEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("items"), toJsonArray(items)}};
}

RoomExtraInfoUpdateEvent RoomExtraInfoUpdateEvent::fromJson(JsonReader& reader)
{
    RoomExtraInfoUpdateEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.items = reader.decodeList<RoomExtraInfoItem>("items", kDecodeMaxListItems);
    return event;
}

} // namespace earshot::protocol
