#pragma once
// The value types and enums of the public engine API (API.md), with the reference product's
// numbers: a value written to a log or compared with ZEGO's documentation means the same.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <cstdint>

namespace earshot {

// API.md §1. Each picks the audio defaults (bitrate, frame size, 3A).
enum class Scenario {
    Default = 3,
    StandardChatroom = 6,
    HighQualityChatroom = 7,
    StandardVoiceCall = 10,
};

struct EngineProfile {
    std::uint32_t appID = 0; // 0 is an error (1001000)
    QString appSign;         // 64 hex characters; empty when logging in with a token
    Scenario scenario = Scenario::Default;
    QUrl server;             // ws://host:port/ or wss://host:port/
};

struct User {
    QString userID;
    QString userName;
    bool operator==(const User&) const = default;
};

struct RoomConfig {
    bool isUserStatusNotify = false; // receive roomUserUpdate
    std::uint32_t maxMemberCount = 0; // 0: no limit
    QString token;                    // instead of the profile's AppSign
};

struct Stream {
    User user;
    QString streamID;
    QString extraInfo;
    bool operator==(const Stream&) const = default;
};

enum class RoomState { Disconnected = 0, Connecting = 1, Connected = 2 };

enum class RoomStateChangedReason {
    Logining = 0,
    Logined = 1,
    LoginFailed = 2,
    Reconnecting = 3,
    Reconnected = 4,
    ReconnectFailed = 5,
    KickOut = 6,
    Logout = 7,
    LogoutFailed = 8,
};

// The RoomState a reason leaves the room in (API.md §2).
[[nodiscard]] constexpr RoomState roomStateOf(RoomStateChangedReason reason)
{
    switch (reason) {
    case RoomStateChangedReason::Logining:
    case RoomStateChangedReason::Reconnecting:
        return RoomState::Connecting;
    case RoomStateChangedReason::Logined:
    case RoomStateChangedReason::Reconnected:
        return RoomState::Connected;
    default:
        return RoomState::Disconnected;
    }
}

enum class UpdateType { Add = 0, Delete = 1 };

// Why a stream was deleted (roomStreamUpdate DELETE's extendedData "reason").
enum class StreamDeleteReason {
    Stopped = 1,
    HeartbeatTimeout = 2,
    RepeatedLogin = 3,
    Kicked = 4,
    Disconnected = 5,
    RemovedByServer = 6,
};

enum class PublisherState { NoPublish = 0, PublishRequesting = 1, Publishing = 2 };
enum class PlayerState { NoPlay = 0, PlayRequesting = 1, Playing = 2 };

enum class StreamQualityLevel { Excellent = 0, Good = 1, Medium = 2, Bad = 3, Die = 4, Unknown = 5 };

// publisherQualityUpdate, every 3 s while publishing.
struct PublishStreamQuality {
    double audioSendBytesPerSecondKbps = 0.0; // payload kbit/s actually sent
    int rttMs = -1;                           // to the server; -1 unknown
    double packetLossRate = 0.0;              // 0..1, the worst subscriber's report
    int redundantFrames = 0;                  // earlier frames repeated in each packet
    double mos = 0.0;                         // E-model estimate, 1..4.5 (0: unknown)
    StreamQualityLevel level = StreamQualityLevel::Unknown;
};

// playerQualityUpdate, every 3 s while playing.
struct PlayStreamQuality {
    double audioRecvKbps = 0.0;
    int rttMs = -1;
    double packetLossRate = 0.0;       // 0..1 before recovery (RFC 3550 fraction lost)
    double jitterMs = 0.0;             // the jitter buffer's estimate
    double jitterBufferDelayMs = 0.0;  // audio buffered now
    std::int64_t concealedMs = 0;      // PLC played since the last report
    double mos = 0.0;
    StreamQualityLevel level = StreamQualityLevel::Unknown;
};

enum class AudioDeviceType { Input = 0, Output = 1 };

struct DeviceInfo {
    QString deviceID;
    QString deviceName;
    bool isDefault = false;
};

enum class AudioDeviceState { Added = 0, Deleted = 1 };

// setAudioConfig presets (API.md §3).
enum class AudioConfigPreset {
    BasicQuality = 0,          // 16 kbps mono
    StandardQuality = 1,       // 48 kbps mono (default)
    StandardQualityStereo = 2, // 56 kbps stereo
    HighQuality = 3,           // 128 kbps mono
    HighQualityStereo = 4,     // 192 kbps stereo
};

struct AudioConfig {
    int bitrateKbps = 48;
    int channels = 1;
    static AudioConfig fromPreset(AudioConfigPreset preset);
};

enum class AECMode { Aggressive = 0, Medium = 1, Soft = 2 };
enum class ANSMode { Soft = 0, Medium = 1, Aggressive = 2 };

// How the microphone's audio is let through (Earshot's addition to the reference API).
enum class TransmissionMode { Continuous = 0, VoiceActivation = 1, PushToTalk = 2 };

struct SoundLevelInfo {
    float soundLevel = 0.0f; // 0..100
    bool vad = false;        // voice detected
};

struct BroadcastMessageInfo {
    QString message;
    std::uint64_t messageID = 0;
    std::uint64_t sendTime = 0; // ms since the Unix epoch, server time
    User fromUser;
};

} // namespace earshot

Q_DECLARE_METATYPE(earshot::User)
Q_DECLARE_METATYPE(earshot::Stream)
Q_DECLARE_METATYPE(earshot::PublishStreamQuality)
Q_DECLARE_METATYPE(earshot::PlayStreamQuality)
Q_DECLARE_METATYPE(earshot::BroadcastMessageInfo)
Q_DECLARE_METATYPE(earshot::SoundLevelInfo)
Q_DECLARE_METATYPE(earshot::DeviceInfo)
