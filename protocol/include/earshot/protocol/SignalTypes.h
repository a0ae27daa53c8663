#pragma once

#include <earshot/protocol/Identifiers.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace earshot::protocol {

class JsonReader;

// Hard caps of the decoders, in UTF-8 bytes or items. They only bound what a hostile peer can
// make us hold: they are generous multiples of the API limits (Identifiers.h), because the
// server applies the exact rules itself to answer with the exact error codes.
inline constexpr qsizetype kDecodeSlack = 4;
inline constexpr qsizetype kDecodeMaxRoomIdBytes = kDecodeSlack * qsizetype{kMaxRoomIdBytes};
inline constexpr qsizetype kDecodeMaxUserIdBytes = kDecodeSlack * qsizetype{kMaxUserIdBytes};
inline constexpr qsizetype kDecodeMaxUserNameBytes = kDecodeSlack * qsizetype{kMaxUserNameBytes};
inline constexpr qsizetype kDecodeMaxStreamIdBytes = kDecodeSlack * qsizetype{kMaxStreamIdBytes};
inline constexpr qsizetype kDecodeMaxMessageBytes = kDecodeSlack * qsizetype{kMaxMessageBytes};
inline constexpr qsizetype kDecodeMaxTokenBytes = 4096;
inline constexpr qsizetype kDecodeMaxIdentifierBytes = 512; // session ids, versions, keys
inline constexpr qsizetype kDecodeMaxListItems = 10000;     // users, streams, messages, items
inline constexpr qsizetype kDecodeMaxRecipients = 1000;     // custom command to_user_ids
inline constexpr qsizetype kDecodeMaxMediaReports = 64;     // receiver reports per media_report

// Bounds of the receiver report fields (media transport).
inline constexpr std::int64_t kMaxCumulativeLost = std::int64_t{1} << 31;      // ±2^31
inline constexpr std::int64_t kMaxExtendedSequence = (std::int64_t{1} << 48) - 1;
inline constexpr std::int32_t kMaxReportedRttMs = 60000;
inline constexpr std::int32_t kUnknownRttMs = -1;

template <typename T>
QJsonArray toJsonArray(const QList<T>& items)
{
    QJsonArray array;
    for (const T& item : items)
        array.append(item.toJson());
    return array;
}

// Value types that appear inside several signalling messages. Each has toJson() and a
// fromJson() that reads through a JsonReader, which records the first error it meets.

struct UserInfo {
    QString userId;
    QString userName;
    QJsonObject toJson() const;
    static UserInfo fromJson(JsonReader& reader);
    bool operator==(const UserInfo&) const = default;
};

struct StreamInfo {
    QString streamId;
    UserInfo user;
    QString extraInfo;
    std::uint32_t ssrc = 0; // RTP SSRC the server assigned to the stream; 0: none (yet)
    QJsonObject toJson() const;
    static StreamInfo fromJson(JsonReader& reader);
    bool operator==(const StreamInfo&) const = default;
};

struct RoomExtraInfoItem {
    QString key;
    QString value;
    UserInfo updateUser;
    std::int64_t updateTimeMs = 0;
    QJsonObject toJson() const;
    static RoomExtraInfoItem fromJson(JsonReader& reader);
    bool operator==(const RoomExtraInfoItem&) const = default;
};

struct BroadcastMessageInfo {
    QString message;
    std::uint64_t messageId = 0;
    std::int64_t sendTimeMs = 0;
    UserInfo fromUser;
    QJsonObject toJson() const;
    static BroadcastMessageInfo fromJson(JsonReader& reader);
    bool operator==(const BroadcastMessageInfo&) const = default;
};

// What a subscriber measured of one stream since its previous report (RFC 3550 §6.4.1). The
// server forwards it to the stream's publisher.
struct ReceiverReport {
    QString streamId;
    std::uint32_t ssrc = 0;
    std::uint8_t fractionLost = 0;     // 8-bit fixed point: lost/expected since the last report
    std::int64_t cumulativeLost = 0;   // negative with duplicates; within ±kMaxCumulativeLost
    std::uint64_t highestSequence = 0; // extended highest sequence number, ≤ kMaxExtendedSequence
    std::uint32_t jitterSamples = 0;   // interarrival jitter in 48 kHz timestamp units
    std::int64_t packetsReceived = 0;  // 0 .. kMaxJsonInteger
    std::int32_t rttMs = kUnknownRttMs; // kUnknownRttMs, else 0 .. kMaxReportedRttMs
    QJsonObject toJson() const;
    static ReceiverReport fromJson(JsonReader& reader);
    bool operator==(const ReceiverReport&) const = default;
};

enum class UpdateType : int { Add = 0, Delete = 1 };

// Reasons carried by a stream DELETE (API.md §2).
enum class StreamDeleteReason : int {
    None = 0,
    Stopped = 1,
    HeartbeatTimeout = 2,
    RepeatedLogin = 3,
    Kicked = 4,
    Disconnected = 5,
    RemovedByServer = 6,
};

} // namespace earshot::protocol
