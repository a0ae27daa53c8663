#include "EnumNames.h"

namespace earshot::cli {

namespace {

template<typename Enum> QString unknown(Enum value)
{
    return QString::number(static_cast<int>(value));
}

} // namespace

QString nameOf(RoomState state)
{
    switch (state) {
    case RoomState::Disconnected:
        return QStringLiteral("Disconnected");
    case RoomState::Connecting:
        return QStringLiteral("Connecting");
    case RoomState::Connected:
        return QStringLiteral("Connected");
    }
    return unknown(state);
}

QString nameOf(RoomStateChangedReason reason)
{
    switch (reason) {
    case RoomStateChangedReason::Logining:
        return QStringLiteral("Logining");
    case RoomStateChangedReason::Logined:
        return QStringLiteral("Logined");
    case RoomStateChangedReason::LoginFailed:
        return QStringLiteral("LoginFailed");
    case RoomStateChangedReason::Reconnecting:
        return QStringLiteral("Reconnecting");
    case RoomStateChangedReason::Reconnected:
        return QStringLiteral("Reconnected");
    case RoomStateChangedReason::ReconnectFailed:
        return QStringLiteral("ReconnectFailed");
    case RoomStateChangedReason::KickOut:
        return QStringLiteral("KickOut");
    case RoomStateChangedReason::Logout:
        return QStringLiteral("Logout");
    case RoomStateChangedReason::LogoutFailed:
        return QStringLiteral("LogoutFailed");
    }
    return unknown(reason);
}

QString nameOf(UpdateType type)
{
    switch (type) {
    case UpdateType::Add:
        return QStringLiteral("Add");
    case UpdateType::Delete:
        return QStringLiteral("Delete");
    }
    return unknown(type);
}

QString nameOf(PublisherState state)
{
    switch (state) {
    case PublisherState::NoPublish:
        return QStringLiteral("NoPublish");
    case PublisherState::PublishRequesting:
        return QStringLiteral("PublishRequesting");
    case PublisherState::Publishing:
        return QStringLiteral("Publishing");
    }
    return unknown(state);
}

QString nameOf(PlayerState state)
{
    switch (state) {
    case PlayerState::NoPlay:
        return QStringLiteral("NoPlay");
    case PlayerState::PlayRequesting:
        return QStringLiteral("PlayRequesting");
    case PlayerState::Playing:
        return QStringLiteral("Playing");
    }
    return unknown(state);
}

QString nameOf(StreamQualityLevel level)
{
    switch (level) {
    case StreamQualityLevel::Excellent:
        return QStringLiteral("Excellent");
    case StreamQualityLevel::Good:
        return QStringLiteral("Good");
    case StreamQualityLevel::Medium:
        return QStringLiteral("Medium");
    case StreamQualityLevel::Bad:
        return QStringLiteral("Bad");
    case StreamQualityLevel::Die:
        return QStringLiteral("Die");
    case StreamQualityLevel::Unknown:
        return QStringLiteral("Unknown");
    }
    return unknown(level);
}

QString nameOf(AudioDeviceType type)
{
    switch (type) {
    case AudioDeviceType::Input:
        return QStringLiteral("Input");
    case AudioDeviceType::Output:
        return QStringLiteral("Output");
    }
    return unknown(type);
}

QString nameOf(AudioDeviceState state)
{
    switch (state) {
    case AudioDeviceState::Added:
        return QStringLiteral("Added");
    case AudioDeviceState::Deleted:
        return QStringLiteral("Deleted");
    }
    return unknown(state);
}

} // namespace earshot::cli
