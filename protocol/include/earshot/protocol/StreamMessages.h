#pragma once

#include <earshot/protocol/SignalTypes.h>

namespace earshot::protocol {

struct PublishRequest {
    static constexpr const char* kType = "publish";
    QString streamId;
    QString extraInfo;
    QJsonObject toJson() const;
    static PublishRequest fromJson(JsonReader& reader);
    bool operator==(const PublishRequest&) const = default;
};

struct PublishReply {
    static constexpr const char* kType = "publish_reply";
    std::int32_t code = 0;
    QString message;
    std::uint32_t ssrc = 0; // assigned per publish (media transport)
    QJsonObject toJson() const;
    static PublishReply fromJson(JsonReader& reader);
    bool operator==(const PublishReply&) const = default;
};

struct UnpublishRequest {
    static constexpr const char* kType = "unpublish";
    QString streamId;
    QJsonObject toJson() const;
    static UnpublishRequest fromJson(JsonReader& reader);
    bool operator==(const UnpublishRequest&) const = default;
};

// Subscribes to a stream of the caller's room. A stream that does not exist yet is waited for:
// the reply says pending, and media flows once it is published.
struct PlayRequest {
    static constexpr const char* kType = "play";
    QString streamId;
    QJsonObject toJson() const;
    static PlayRequest fromJson(JsonReader& reader);
    bool operator==(const PlayRequest&) const = default;
};

struct PlayReply {
    static constexpr const char* kType = "play_reply";
    std::int32_t code = 0;
    QString message;
    bool pending = false;
    QJsonObject toJson() const;
    static PlayReply fromJson(JsonReader& reader);
    bool operator==(const PlayReply&) const = default;
};

struct StopPlayRequest {
    static constexpr const char* kType = "stop_play";
    QString streamId;
    QJsonObject toJson() const;
    static StopPlayRequest fromJson(JsonReader& reader);
    bool operator==(const StopPlayRequest&) const = default;
};

struct StreamUpdateEvent {
    static constexpr const char* kType = "stream_update";
    QString roomId;
    UpdateType updateType = UpdateType::Add;
    StreamDeleteReason reason = StreamDeleteReason::None;
    QList<StreamInfo> streams;
    QJsonObject toJson() const;
    static StreamUpdateEvent fromJson(JsonReader& reader);
    bool operator==(const StreamUpdateEvent&) const = default;
};

struct SetStreamExtraInfoRequest {
    static constexpr const char* kType = "set_stream_extra_info";
    QString streamId;
    QString extraInfo;
    QJsonObject toJson() const;
    static SetStreamExtraInfoRequest fromJson(JsonReader& reader);
    bool operator==(const SetStreamExtraInfoRequest&) const = default;
};

struct StreamExtraInfoUpdateEvent {
    static constexpr const char* kType = "stream_extra_info_update";
    QString roomId;
    QList<StreamInfo> streams;
    QJsonObject toJson() const;
    static StreamExtraInfoUpdateEvent fromJson(JsonReader& reader);
    bool operator==(const StreamExtraInfoUpdateEvent&) const = default;
};

} // namespace earshot::protocol
