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
    std::uint32_t ssrc = 0; // the stream's RTP SSRC; 0 while pending
    // The newest extended sequence number the server has forwarded of this stream (0 before the
    // first packet): a player joining a running stream seeds its sequence unwrapper with it, so
    // packets sent after the stream's 16-bit sequence wrapped still open.
    std::uint64_t highestSequence = 0;
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

// Stops (mute) or resumes forwarding of a played stream's media to the caller, without
// ending the subscription. Answered with GenericReply.
struct MutePlayRequest {
    static constexpr const char* kType = "mute_play";
    QString streamId;
    bool mute = false;
    QJsonObject toJson() const;
    static MutePlayRequest fromJson(JsonReader& reader);
    bool operator==(const MutePlayRequest&) const = default;
};

// Client → server, without an id: the subscriber's receiver reports of the streams it plays.
// The server forwards each report to the stream's publisher as a ReceiverReportEvent.
struct MediaReportEvent {
    static constexpr const char* kType = "media_report";
    QList<ReceiverReport> reports; // ≤ kDecodeMaxMediaReports
    QJsonObject toJson() const;
    static MediaReportEvent fromJson(JsonReader& reader);
    bool operator==(const MediaReportEvent&) const = default;
};

// Server → publisher: one subscriber's report about one of the publisher's streams.
struct ReceiverReportEvent {
    static constexpr const char* kType = "receiver_report";
    QString roomId;
    UserInfo fromUser;
    ReceiverReport report;
    QJsonObject toJson() const;
    static ReceiverReportEvent fromJson(JsonReader& reader);
    bool operator==(const ReceiverReportEvent&) const = default;
};

} // namespace earshot::protocol
