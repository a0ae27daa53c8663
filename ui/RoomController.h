#pragma once

#include "AudioSettings.h"
#include "ConnectionState.h"
#include "LoginRequest.h"

#include <earshot/Engine.h>

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace earshot::ui {

// The one place that talks to the engine: logs in and out, publishes the local microphone as
// one stream, plays every stream of the room, and turns the engine's signals into the plain
// facts the panels show (who is here, who publishes, levels, quality, messages). Panels never
// see the engine, so they stay dumb and testable, and the UI never handles protocol details.
//
// Reactions that call back into the engine are queued rather than made inside its signals, so
// the engine has finished its own state change first (the same rule as earshot-cli).
//
// Thread: the GUI thread, which owns the engine.
class RoomController : public QObject {
    Q_OBJECT

public:
    // `engineOptions` chooses the devices: the system's by default, virtual ones in tests.
    explicit RoomController(EngineOptions engineOptions = {}, QObject* parent = nullptr);
    ~RoomController() override;

    // Creates an engine for the request's server and app and starts logging in. Returns 0, or
    // the API.md §6 code of a request the engine refuses at once (the outcome of an accepted one
    // arrives as connectionStateChanged).
    [[nodiscard]] int join(const LoginRequest& request);
    // Leaves the room (publishing and playing stop); connectionStateChanged(Disconnected).
    void leave();

    [[nodiscard]] ConnectionState connectionState() const { return m_state; }
    [[nodiscard]] bool isInRoom() const;
    [[nodiscard]] QString roomId() const { return m_request.roomId; }
    [[nodiscard]] User localUser() const { return { m_request.userId, m_request.userName }; }
    [[nodiscard]] QString localStreamId() const { return m_localStreamId; }
    // The users present (the local one excluded), by user ID.
    [[nodiscard]] QList<User> users() const { return m_users.values(); }
    // The stream IDs a user publishes.
    [[nodiscard]] QStringList streamsOf(const QString& userId) const;

    // Audio settings apply at once when in a room and again at every join.
    void setAudioSettings(const AudioSettings& settings);
    [[nodiscard]] AudioSettings audioSettings() const { return m_audio; }
    void setTransmission(const TransmissionSettings& settings);
    // While push-to-talk is the mode: the key is down / up.
    void setPushToTalkPressed(bool pressed);
    void setMicrophoneMuted(bool muted);
    [[nodiscard]] bool isMicrophoneMuted() const { return m_microphoneMuted; }
    // Silences everything heard (the "deafen" of other voice apps).
    void setSpeakerMuted(bool muted);
    [[nodiscard]] bool isSpeakerMuted() const { return m_speakerMuted; }

    // Per-stream playback; kept per user too, so it survives the stream being republished.
    void setStreamVolume(const QString& streamId, int volume);
    [[nodiscard]] int streamVolume(const QString& streamId) const;
    void setStreamMuted(const QString& streamId, bool muted);
    [[nodiscard]] bool isStreamMuted(const QString& streamId) const;
    void setUserVolume(const QString& userId, int volume);
    [[nodiscard]] int userVolume(const QString& userId) const { return m_userVolumes.value(userId, 100); }
    void setUserMuted(const QString& userId, bool muted);
    [[nodiscard]] bool isUserMuted(const QString& userId) const { return m_userMuted.contains(userId); }

    // Broadcasts to the room. 0, or the API.md §6 code of a message refused at once (the server's
    // verdict comes as messageRefused).
    [[nodiscard]] int sendMessage(const QString& text);

    // Records the microphone for `durationMs` into `wavPath` (microphone test); finished() comes
    // with the path. Needs the microphone open, i.e. a room. 0 or an API.md §6 code.
    [[nodiscard]] int recordMicrophone(const QString& wavPath, int durationMs);

    [[nodiscard]] QList<DeviceInfo> devices(AudioDeviceType type);

signals:
    // errorCode explains Failed, KickedOut and Reconnecting (0 otherwise).
    void connectionStateChanged(earshot::ui::ConnectionState state, int errorCode);
    void userJoined(const earshot::User& user);
    void userLeft(const earshot::User& user);
    void streamAdded(const earshot::Stream& stream);
    void streamRemoved(const QString& streamId);
    void streamStateChanged(const QString& streamId, earshot::PlayerState state, int errorCode);
    void streamLevelChanged(const QString& streamId, float level, bool speaking);
    void streamQualityChanged(const QString& streamId, const earshot::PlayStreamQuality& quality);
    void remoteMicrophoneChanged(const QString& streamId, bool muted);
    void streamVolumeChanged(const QString& streamId, int volume);
    void streamMutedChanged(const QString& streamId, bool muted);
    void publishStateChanged(earshot::PublisherState state, int errorCode);
    void localLevelChanged(float level, bool speaking);
    // Whether the microphone's audio is going out now (mode, mute and gate considered).
    void transmittingChanged(bool transmitting);
    void microphoneMutedChanged(bool muted);
    void speakerMutedChanged(bool muted);
    void messageReceived(const earshot::BroadcastMessageInfo& message);
    void messageRefused(int errorCode);
    void devicesChanged();
    void deviceFailed(int errorCode);
    void microphoneRecorded(const QString& wavPath);

private:
    void connectEngine();
    void setState(ConnectionState state, int errorCode);
    void onRoomStateChanged(RoomStateChangedReason reason, int errorCode);
    void onLoggedIn();
    void onStreams(UpdateType type, const QList<Stream>& streams);
    void onUsers(UpdateType type, const QList<User>& users);
    void onCapturedLevel(const SoundLevelInfo& level);
    void applyAudioSettings();
    void applyTransmission();
    void applyStreamSettings(const QString& streamId);
    void updateTransmitting();
    void forgetRoom();
    template<typename Reaction> void later(Reaction reaction)
    {
        QMetaObject::invokeMethod(this, std::move(reaction), Qt::QueuedConnection);
    }

    const EngineOptions m_engineOptions;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Engine> m_deviceProbe; // lists devices before the first join
    LoginRequest m_request;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_localStreamId;
    AudioSettings m_audio;
    TransmissionSettings m_transmission;
    bool m_microphoneMuted = false;
    bool m_speakerMuted = false;
    bool m_pushToTalkHeld = false;
    bool m_voiceGateOpen = false; // the indicator's mirror of the engine's voice-activation gate
    bool m_transmitting = false;
    QTimer m_voiceHangover; // keeps the indicator on for the gate's hangover after the level drops
    QTimer m_recordTimer;
    QString m_recordPath;
    QHash<QString, User> m_users;             // by user ID, the local user excluded
    QHash<QString, Stream> m_streams;         // by stream ID, the local stream excluded
    QHash<QString, int> m_streamVolumes;      // set explicitly, by stream ID
    QSet<QString> m_mutedStreams;
    QHash<QString, int> m_userVolumes;        // by user ID
    QSet<QString> m_userMuted;
};

} // namespace earshot::ui
