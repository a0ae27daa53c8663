#pragma once

#include <earshot/protocol/SignalTypes.h>

#include <QStringList>

namespace earshot::protocol {

struct UserUpdateEvent {
    static constexpr const char* kType = "user_update";
    QString roomId;
    UpdateType updateType = UpdateType::Add;
    QList<UserInfo> users;
    QJsonObject toJson() const;
    static UserUpdateEvent fromJson(JsonReader& reader);
    bool operator==(const UserUpdateEvent&) const = default;
};

struct OnlineCountEvent {
    static constexpr const char* kType = "online_count";
    QString roomId;
    std::int64_t count = 0;
    QJsonObject toJson() const;
    static OnlineCountEvent fromJson(JsonReader& reader);
    bool operator==(const OnlineCountEvent&) const = default;
};

struct BroadcastMessageRequest {
    static constexpr const char* kType = "broadcast_message";
    QString roomId;
    QString message;
    QJsonObject toJson() const;
    static BroadcastMessageRequest fromJson(JsonReader& reader);
    bool operator==(const BroadcastMessageRequest&) const = default;
};

struct BroadcastMessageReply {
    static constexpr const char* kType = "broadcast_message_reply";
    std::int32_t code = 0;
    QString message;
    std::uint64_t messageId = 0;
    std::int64_t sendTimeMs = 0;
    QJsonObject toJson() const;
    static BroadcastMessageReply fromJson(JsonReader& reader);
    bool operator==(const BroadcastMessageReply&) const = default;
};

struct BroadcastMessageEvent {
    static constexpr const char* kType = "broadcast_message_event";
    QString roomId;
    QList<BroadcastMessageInfo> messages;
    QJsonObject toJson() const;
    static BroadcastMessageEvent fromJson(JsonReader& reader);
    bool operator==(const BroadcastMessageEvent&) const = default;
};

// toUserIds empty: everyone in the room but the sender.
struct CustomCommandRequest {
    static constexpr const char* kType = "custom_command";
    QString roomId;
    QString command;
    QStringList toUserIds;
    QJsonObject toJson() const;
    static CustomCommandRequest fromJson(JsonReader& reader);
    bool operator==(const CustomCommandRequest&) const = default;
};

struct CustomCommandEvent {
    static constexpr const char* kType = "custom_command_event";
    QString roomId;
    UserInfo fromUser;
    QString command;
    QJsonObject toJson() const;
    static CustomCommandEvent fromJson(JsonReader& reader);
    bool operator==(const CustomCommandEvent&) const = default;
};

struct SetRoomExtraInfoRequest {
    static constexpr const char* kType = "set_room_extra_info";
    QString roomId;
    QString key;    // ≤ 128 bytes
    QString value;  // ≤ 1024 bytes
    QJsonObject toJson() const;
    static SetRoomExtraInfoRequest fromJson(JsonReader& reader);
    bool operator==(const SetRoomExtraInfoRequest&) const = default;
};

struct RoomExtraInfoUpdateEvent {
    static constexpr const char* kType = "room_extra_info_update";
    QString roomId;
    QList<RoomExtraInfoItem> items;
    QJsonObject toJson() const;
    static RoomExtraInfoUpdateEvent fromJson(JsonReader& reader);
    bool operator==(const RoomExtraInfoUpdateEvent&) const = default;
};

} // namespace earshot::protocol
