#pragma once

#include <earshot/protocol/SignalTypes.h>

#include <QList>
#include <QString>

#include <cstdint>
#include <map>

namespace earshot::server {

class Session;

// One room of one app: its members in joining order, its extra info and message numbering.
// Created by the first login, destroyed by RoomService when the last member leaves. Holds
// non-owning pointers to sessions owned by RoomService. Signalling thread only.
class Room {
public:
    static constexpr int kMaxExtraInfoKeys = 20;
    static constexpr int kMaxExtraInfoKeyBytes = 128;

    Room(std::uint32_t appId, QString roomId, std::uint32_t maxMemberCount);

    std::uint32_t appId() const { return m_appId; }
    const QString& roomId() const { return m_roomId; }
    const QString& roomSessionId() const { return m_roomSessionId; }
    std::uint32_t maxMemberCount() const { return m_maxMemberCount; }

    const QList<Session*>& members() const { return m_members; }
    bool isFull() const;
    void addMember(Session* session);
    void removeMember(Session* session);
    bool isEmpty() const { return m_members.isEmpty(); }

    QList<protocol::StreamInfo> streams() const;
    QList<protocol::UserInfo> usersExcept(const Session* session) const;

    // false when the room already holds kMaxExtraInfoKeys other keys.
    bool setExtraInfo(const protocol::RoomExtraInfoItem& item);
    QList<protocol::RoomExtraInfoItem> extraInfo() const;

    std::uint64_t nextMessageId() { return ++m_lastMessageId; }

private:
    std::uint32_t m_appId;
    QString m_roomId;
    QString m_roomSessionId;
    std::uint32_t m_maxMemberCount;
    QList<Session*> m_members;
    std::map<QString, protocol::RoomExtraInfoItem> m_extraInfo;
    std::uint64_t m_lastMessageId = 0;
};

} // namespace earshot::server
