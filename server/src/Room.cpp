#include "Room.h"

#include "Session.h"

#include <sodium.h>

namespace earshot::server {

Room::Room(std::uint32_t appId, QString roomId, std::uint32_t maxMemberCount)
    : m_appId(appId)
    , m_roomId(std::move(roomId))
    , m_maxMemberCount(maxMemberCount)
{
    // A room session ID tells one life of a room from the next one with the same room ID.
    m_roomSessionId = QString::number(randombytes_uniform(0x7fffffff) + 1ULL);
}

bool Room::isFull() const
{
    return m_maxMemberCount != 0 && std::uint32_t(m_members.size()) >= m_maxMemberCount;
}

void Room::addMember(Session* session)
{
    m_members.append(session);
}

void Room::removeMember(Session* session)
{
    m_members.removeOne(session);
}

QList<protocol::StreamInfo> Room::streams() const
{
    QList<protocol::StreamInfo> result;
    for (const Session* member : m_members) {
        if (!member->publishedStreamId().isEmpty())
            result.append({member->publishedStreamId(), member->user(), member->publishedExtraInfo(),
                           member->ssrc()});
    }
    return result;
}

QList<protocol::UserInfo> Room::usersExcept(const Session* session) const
{
    QList<protocol::UserInfo> result;
    for (const Session* member : m_members) {
        if (member != session)
            result.append(member->user());
    }
    return result;
}

bool Room::setExtraInfo(const protocol::RoomExtraInfoItem& item)
{
    if (m_extraInfo.count(item.key) == 0 && int(m_extraInfo.size()) >= kMaxExtraInfoKeys)
        return false;
    m_extraInfo[item.key] = item;
    return true;
}

QList<protocol::RoomExtraInfoItem> Room::extraInfo() const
{
    QList<protocol::RoomExtraInfoItem> result;
    for (const auto& [key, item] : m_extraInfo)
        result.append(item);
    return result;
}

} // namespace earshot::server
