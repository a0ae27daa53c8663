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
