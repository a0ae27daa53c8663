#pragma once

#include <earshot/Engine.h>

#include "apm/AudioProcessor.h"
#include "mediasession/MediaSession.h"
#include "session/LoginResult.h"
#include "session/SignallingClient.h"

#include <earshot/protocol/SignalTypes.h>

#include <QHash>
#include <QThread>
#include <QTimer>

#include <cstdint>
#include <memory>

namespace earshot::audio {
class PortAudioSystem;
}

namespace earshot {

// One played stream as the owning thread sees it.
struct PlayEntry {
    PlayerState state = PlayerState::NoPlay;
    std::uint32_t ssrc = 0; // 0 while the stream is not in the room (waiting for it)
    int volume = 100;
    bool muted = false;
    std::int64_t lastConcealedMs = 0; // for the per-interval concealment of the quality report
    std::int64_t lastBytes = 0;
};

// The engine's state and machinery, all owned by (and touched only on) the owning thread,
// except `media` and `client`, which live on their own threads and are only reached through
// queued invocations (onMedia / onSession).
struct Engine::Private {
    Engine* q = nullptr;
    EngineProfile profile;
    EngineOptions options;
    Qt::HANDLE owningThread = nullptr;

    QThread sessionThread;
    QThread mediaThread;
    session::SignallingClient* client = nullptr;           // lives on sessionThread
    std::unique_ptr<mediasession::MediaSession> media;    // lives on mediaThread
    std::shared_ptr<audio::PortAudioSystem> portAudio;    // used on mediaThread only

    // Room.
    QString roomId;
    User user;
    RoomConfig roomConfig;
    RoomState roomState = RoomState::Disconnected;
    session::LoginResult login;                     // the current session (valid while logged in)
    QHash<QString, protocol::StreamInfo> roomStreams; // live streams in the room, by stream ID

    // Publishing.
    QString publishStreamId;
    PublisherState publisherState = PublisherState::NoPublish;
    std::uint32_t publishSsrc = 0;
    QString publishExtraInfo;
    bool microphoneMuted = false;
    bool publishAudioMuted = false;
    AudioConfig audioConfig;
    QHash<QString, double> subscriberLoss; // latest fraction lost per reporting user ID
    std::int64_t lastPublishBytes = 0;

    // Playing.
    QHash<QString, PlayEntry> plays;
    int allPlayVolume = 100;
    bool allPlayMuted = false;

    // Timers on the owning thread.
    QTimer qualityTimer;
    QTimer levelTimer;
    int nextSequence = 1;

    // Runs `work` on the media thread with the media session.
    template <typename Work>
    void onMedia(Work work)
    {
        QMetaObject::invokeMethod(media.get(), [session = media.get(), work = std::move(work)]() mutable { work(*session); },
                                  Qt::QueuedConnection);
    }
    // Runs `work` on the session thread with the signalling client.
    template <typename Work>
    void onSession(Work work)
    {
        QMetaObject::invokeMethod(client, [c = client, work = std::move(work)]() mutable { work(*c); },
                                  Qt::QueuedConnection);
    }

    bool isOwningThread() const { return QThread::currentThreadId() == owningThread; }
    // A call from another thread than the owning one: refused, with a warning (Engine.h).
    int wrongThread(bool negative) const;
    // The checks every room message goes through: 0, or the API.md code (positive).
    int checkMessage(const QString& room, const QString& text) const;
    // A 3A switch: applied from the owning thread (the processor's settings are atomics); a
    // build without webrtc-audio-processing accepts and ignores it.
    template <typename Apply>
    int withProcessor(Apply apply)
    {
        if (!isOwningThread())
            return wrongThread(false);
        if (apm::AudioProcessor* processor = media->pipeline().processor())
            apply(*processor);
        return 0;
    }
    bool loggedIn() const { return roomState != RoomState::Disconnected && !roomId.isEmpty(); }

    // Wiring (EngineWiring.cpp).
    void connectSession();
    void connectMedia();

    // Room state machine (EngineRoom.cpp).
    void setRoomState(RoomStateChangedReason reason, int errorCode, const QString& extendedData = {});
    void onLoginSucceeded(const session::LoginResult& result);
    void onLoginFailed(int errorCode);
    void onConnectionLost(int errorCode);
    void onReconnected(session::ReconnectKind kind, const session::LoginResult& result);
    void onSessionEnded(RoomStateChangedReason reason, int errorCode);
    void startMediaTransport(const session::LoginResult& result);
    void applyRoomStreams(const QList<protocol::StreamInfo>& streams);
    void onStreamUpdate(protocol::UpdateType type, protocol::StreamDeleteReason reason,
                        const QList<protocol::StreamInfo>& streams);
    void resetStreams(int errorCode);

    // Publish / play state machines (EnginePublishPlay.cpp).
    void setPublisherState(PublisherState state, int errorCode);
    void setPlayerState(const QString& streamId, PlayEntry& entry, PlayerState state, int errorCode);
    void requestPublish();
    void onPublishReplied(const QString& streamId, int errorCode, std::uint32_t ssrc);
    void requestPlay(const QString& streamId);
    void onPlayReplied(const QString& streamId, int errorCode, std::uint32_t ssrc, std::uint64_t highestSequence,
                       bool pending);
    void startMediaPlay(const QString& streamId, PlayEntry& entry, std::uint32_t ssrc, std::uint64_t highestSequence);
    void applyPlayVolume(const QString& streamId);
    void reportQuality();
    void reportLevels();

    // Conversions.
    static User userOf(const protocol::UserInfo& info) { return {info.userId, info.userName}; }
    static Stream streamOf(const protocol::StreamInfo& info) { return {userOf(info.user), info.streamId, info.extraInfo}; }
};

} // namespace earshot
