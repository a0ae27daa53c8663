#include <earshot/protocol/StreamMessages.h>

#include <earshot/protocol/JsonReader.h>

#include <limits>

namespace earshot::protocol {

namespace {

constexpr std::int64_t kMaxSsrc = std::numeric_limits<std::uint32_t>::max();
constexpr auto kLastDeleteReason = static_cast<std::int64_t>(StreamDeleteReason::RemovedByServer);

} // namespace

QJsonObject PublishRequest::toJson() const
{
    QJsonObject json{{QStringLiteral("stream_id"), streamId}};
    if (!extraInfo.isEmpty())
        json.insert(QStringLiteral("extra_info"), extraInfo);
    return json;
}

PublishRequest PublishRequest::fromJson(JsonReader& reader)
{
    PublishRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    request.extraInfo = reader.optionalString("extra_info", kDecodeMaxMessageBytes);
    return request;
}

QJsonObject PublishReply::toJson() const
{
    QJsonObject json{{QStringLiteral("code"), code}, {QStringLiteral("ssrc"), qint64{ssrc}}};
    if (!message.isEmpty())
        json.insert(QStringLiteral("message"), message);
    return json;
}

PublishReply PublishReply::fromJson(JsonReader& reader)
{
    PublishReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    reply.ssrc = static_cast<std::uint32_t>(reader.integer("ssrc", 0, kMaxSsrc));
    return reply;
}

QJsonObject UnpublishRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("stream_id"), streamId}};
}

UnpublishRequest UnpublishRequest::fromJson(JsonReader& reader)
{
    UnpublishRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    return request;
}

QJsonObject PlayRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("stream_id"), streamId}};
}

PlayRequest PlayRequest::fromJson(JsonReader& reader)
{
    PlayRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    return request;
}

QJsonObject PlayReply::toJson() const
{
    QJsonObject json{{QStringLiteral("code"), code}, {QStringLiteral("pending"), pending}};
    if (!message.isEmpty())
        json.insert(QStringLiteral("message"), message);
    if (ssrc != 0)
        json.insert(QStringLiteral("ssrc"), qint64{ssrc});
    if (highestSequence != 0)
        json.insert(QStringLiteral("highest_sequence"), qint64(highestSequence));
    return json;
}

PlayReply PlayReply::fromJson(JsonReader& reader)
{
    PlayReply reply;
    reply.code = static_cast<std::int32_t>(reader.integer("code"));
    reply.message = reader.optionalString("message", kDecodeMaxMessageBytes);
    reply.pending = reader.boolean("pending");
    reply.ssrc = static_cast<std::uint32_t>(reader.optionalInteger("ssrc", 0, 0, kMaxSsrc));
    reply.highestSequence =
        static_cast<std::uint64_t>(reader.optionalInteger("highest_sequence", 0, 0, kMaxExtendedSequence));
    return reply;
}

QJsonObject StopPlayRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("stream_id"), streamId}};
}

StopPlayRequest StopPlayRequest::fromJson(JsonReader& reader)
{
    StopPlayRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    return request;
}

QJsonObject StreamUpdateEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("update_type"), static_cast<int>(updateType)},
                       {QStringLiteral("reason"), static_cast<int>(reason)},
                       {QStringLiteral("streams"), toJsonArray(streams)}};
}

StreamUpdateEvent StreamUpdateEvent::fromJson(JsonReader& reader)
{
    StreamUpdateEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.updateType = static_cast<UpdateType>(reader.integer(
        "update_type", static_cast<int>(UpdateType::Add), static_cast<int>(UpdateType::Delete)));
    event.reason = static_cast<StreamDeleteReason>(reader.integer("reason", 0, kLastDeleteReason));
    event.streams = reader.decodeList<StreamInfo>("streams", kDecodeMaxListItems);
    return event;
}

QJsonObject SetStreamExtraInfoRequest::toJson() const
{
    // Always written: an empty extra info clears the stream's.
    return QJsonObject{{QStringLiteral("stream_id"), streamId},
                       {QStringLiteral("extra_info"), extraInfo}};
}

SetStreamExtraInfoRequest SetStreamExtraInfoRequest::fromJson(JsonReader& reader)
{
    SetStreamExtraInfoRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    request.extraInfo = reader.optionalString("extra_info", kDecodeMaxMessageBytes);
    return request;
}

QJsonObject StreamExtraInfoUpdateEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("streams"), toJsonArray(streams)}};
}

StreamExtraInfoUpdateEvent StreamExtraInfoUpdateEvent::fromJson(JsonReader& reader)
{
    StreamExtraInfoUpdateEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.streams = reader.decodeList<StreamInfo>("streams", kDecodeMaxListItems);
    return event;
}

QJsonObject MutePlayRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("stream_id"), streamId}, {QStringLiteral("mute"), mute}};
}

MutePlayRequest MutePlayRequest::fromJson(JsonReader& reader)
{
    MutePlayRequest request;
    request.streamId = reader.string("stream_id", kDecodeMaxStreamIdBytes);
    request.mute = reader.boolean("mute");
    return request;
}

QJsonObject MediaReportEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("reports"), toJsonArray(reports)}};
}

MediaReportEvent MediaReportEvent::fromJson(JsonReader& reader)
{
    MediaReportEvent event;
    event.reports = reader.decodeList<ReceiverReport>("reports", kDecodeMaxMediaReports);
    return event;
}

QJsonObject ReceiverReportEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("room_id"), roomId},
                       {QStringLiteral("from_user"), fromUser.toJson()},
                       {QStringLiteral("report"), report.toJson()}};
}

ReceiverReportEvent ReceiverReportEvent::fromJson(JsonReader& reader)
{
    ReceiverReportEvent event;
    event.roomId = reader.string("room_id", kDecodeMaxRoomIdBytes);
    event.fromUser = reader.decode<UserInfo>("from_user");
    event.report = reader.decode<ReceiverReport>("report");
    return event;
}

} // namespace earshot::protocol
