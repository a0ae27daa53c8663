#include <earshot/protocol/SignalTypes.h>

#include <earshot/protocol/JsonReader.h>

namespace earshot::protocol {

QJsonObject UserInfo::toJson() const
{
    return QJsonObject{{QStringLiteral("user_id"), userId}, {QStringLiteral("user_name"), userName}};
}

UserInfo UserInfo::fromJson(JsonReader& reader)
{
    UserInfo info;
    info.userId = reader.string("user_id", kDecodeMaxUserIdBytes);
    info.userName = reader.string("user_name", kDecodeMaxUserNameBytes);
    return info;
}

QJsonObject StreamInfo::toJson() const
{
    QJsonObject json{{QStringLiteral("stream_id"), streamId}, {QStringLiteral("user"), user.toJson()}};
    if (!extraInfo.isEmpty())
        json.insert(QStringLiteral("extra_info"), extraInfo);
    return json;
}

StreamInfo StreamInfo::fromJson(JsonReader& reader)
{
    StreamInfo info;
    info.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    info.user = reader.decode<UserInfo>("user");
    info.extraInfo = reader.optionalString("extra_info", kDecodeMaxMessageBytes);
    return info;
}

QJsonObject RoomExtraInfoItem::toJson() const
{
    return QJsonObject{{QStringLiteral("key"), key},
                       {QStringLiteral("value"), value},
                       {QStringLiteral("update_user"), updateUser.toJson()},
                       {QStringLiteral("update_time_ms"), qint64{updateTimeMs}}};
}

RoomExtraInfoItem RoomExtraInfoItem::fromJson(JsonReader& reader)
{
    RoomExtraInfoItem item;
    item.key = reader.string("key", kDecodeMaxIdentifierBytes);
    item.value = reader.string("value", kDecodeMaxMessageBytes);
    item.updateUser = reader.decode<UserInfo>("update_user");
    item.updateTimeMs = reader.integer("update_time_ms", 0, kMaxJsonInteger);
    return item;
}

QJsonObject BroadcastMessageInfo::toJson() const
{
    return QJsonObject{{QStringLiteral("message"), message},
                       {QStringLiteral("message_id"), static_cast<qint64>(messageId)},
                       {QStringLiteral("send_time_ms"), qint64{sendTimeMs}},
                       {QStringLiteral("from_user"), fromUser.toJson()}};
}

BroadcastMessageInfo BroadcastMessageInfo::fromJson(JsonReader& reader)
{
    BroadcastMessageInfo info;
    info.message = reader.string("message", kDecodeMaxMessageBytes);
    info.messageId = static_cast<std::uint64_t>(reader.integer("message_id", 0, kMaxJsonInteger));
    info.sendTimeMs = reader.integer("send_time_ms", 0, kMaxJsonInteger);
    info.fromUser = reader.decode<UserInfo>("from_user");
    return info;
}

} // namespace earshot::protocol
