#include <earshot/protocol/SignalTypes.h>

#include <earshot/protocol/JsonReader.h>

#include <limits>

namespace earshot::protocol {

namespace {

constexpr std::int64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kMaxUint8 = std::numeric_limits<std::uint8_t>::max();

} // namespace

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
    if (ssrc != 0)
        json.insert(QStringLiteral("ssrc"), qint64{ssrc});
    return json;
}

StreamInfo StreamInfo::fromJson(JsonReader& reader)
{
    StreamInfo info;
    info.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    info.user = reader.decode<UserInfo>("user");
    info.extraInfo = reader.optionalString("extra_info", kDecodeMaxMessageBytes);
    info.ssrc = static_cast<std::uint32_t>(reader.optionalInteger("ssrc", 0, 0, kMaxUint32));
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

QJsonObject ReceiverReport::toJson() const
{
    return QJsonObject{{QStringLiteral("stream_id"), streamId},
                       {QStringLiteral("ssrc"), qint64{ssrc}},
                       {QStringLiteral("fraction_lost"), int{fractionLost}},
                       {QStringLiteral("cumulative_lost"), qint64{cumulativeLost}},
                       {QStringLiteral("highest_sequence"), static_cast<qint64>(highestSequence)},
                       {QStringLiteral("jitter_samples"), qint64{jitterSamples}},
                       {QStringLiteral("packets_received"), qint64{packetsReceived}},
                       {QStringLiteral("rtt_ms"), int{rttMs}}};
}

ReceiverReport ReceiverReport::fromJson(JsonReader& reader)
{
    ReceiverReport report;
    report.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    report.ssrc = static_cast<std::uint32_t>(reader.integer("ssrc", 0, kMaxUint32));
    report.fractionLost = static_cast<std::uint8_t>(reader.integer("fraction_lost", 0, kMaxUint8));
    report.cumulativeLost = reader.integer("cumulative_lost", -kMaxCumulativeLost, kMaxCumulativeLost);
    report.highestSequence =
        static_cast<std::uint64_t>(reader.integer("highest_sequence", 0, kMaxExtendedSequence));
    report.jitterSamples = static_cast<std::uint32_t>(reader.integer("jitter_samples", 0, kMaxUint32));
    report.packetsReceived = reader.integer("packets_received", 0, kMaxJsonInteger);
    report.rttMs = static_cast<std::int32_t>(reader.integer("rtt_ms", kUnknownRttMs, kMaxReportedRttMs));
    return report;
}

} // namespace earshot::protocol
