#include "RoomController.h"

#include <QRegularExpression>

#include <algorithm>

namespace earshot::ui {

namespace {

constexpr int kLevelIntervalMs = 100;
// How long the "others hear you" indicator stays on after the level falls under the voice
// activation threshold: the engine's gate keeps transmitting for its 300 ms hangover, and the
// level the indicator follows is only sampled every kLevelIntervalMs.
constexpr int kVoiceHangoverMs = 400;
constexpr int kMaxStreamIdLength = 256;

// The local stream is named after the user; stream IDs allow fewer characters than user IDs.
QString streamIdFor(const QString& userId)
{
    static const QRegularExpression kNotAllowed(QStringLiteral("[^A-Za-z0-9_-]"));
    QString id = QStringLiteral("u-") + QString(userId).replace(kNotAllowed, QStringLiteral("_"));
    return id.left(kMaxStreamIdLength);
}

} // namespace

RoomController::RoomController(EngineOptions engineOptions, QObject* parent)
    : QObject(parent)
    , m_engineOptions(std::move(engineOptions))
{
    m_voiceHangover.setSingleShot(true);
    m_voiceHangover.setInterval(kVoiceHangoverMs);
    connect(&m_voiceHangover, &QTimer::timeout, this, [this] {
        m_voiceGateOpen = false;
        updateTransmitting();
    });
    m_recordTimer.setSingleShot(true);
    connect(&m_recordTimer, &QTimer::timeout, this, [this] {
        if (m_engine)
            static_cast<void>(m_engine->stopRecordingCapturedData());
        emit microphoneRecorded(m_recordPath);
    });
}

RoomController::~RoomController() = default;

bool RoomController::isInRoom() const
{
    return m_engine && !m_engine->currentRoomID().isEmpty();
}

QStringList RoomController::streamsOf(const QString& userId) const
{
    QStringList ids;
    for (const Stream& stream : m_streams) {
        if (stream.user.userID == userId)
            ids.append(stream.streamID);
    }
    return ids;
}

int RoomController::join(const LoginRequest& request)
{
    if (isInRoom())
        return 1002001; // already logged in to a room
    EngineProfile profile;
    profile.appID = request.appId;
    profile.appSign = request.authMethod == AuthMethod::AppSign ? request.secret : QString();
    profile.scenario = Scenario::StandardChatroom;
    profile.server = request.server;
    int code = 0;
    // A new engine per login: the profile (server, AppID, AppSign) is fixed at creation.
    m_engine.reset();
    m_deviceProbe.reset();
    m_engine = Engine::create(profile, &code, m_engineOptions);
    if (!m_engine)
        return code;
    connectEngine();
    applyAudioSettings();

    RoomConfig config;
    config.isUserStatusNotify = true;
    if (request.authMethod == AuthMethod::Token)
        config.token = request.secret;
    const QString userName = request.userName.isEmpty() ? request.userId : request.userName;
    code = m_engine->loginRoom(request.roomId, { request.userId, userName }, config);
    if (code != 0) {
        m_engine.reset();
        return code;
    }
    m_request = request;
    m_request.userName = userName;
    m_localStreamId = streamIdFor(request.userId);
    setState(ConnectionState::Connecting, 0);
    return 0;
}

void RoomController::leave()
{
    if (!isInRoom())
        return;
    if (m_recordTimer.isActive()) {
        m_recordTimer.stop();
        static_cast<void>(m_engine->stopRecordingCapturedData());
    }
    static_cast<void>(m_engine->logoutRoom());
    forgetRoom();
    setState(ConnectionState::Disconnected, 0);
}

void RoomController::forgetRoom()
{
    const QList<Stream> streams = m_streams.values();
    m_streams.clear();
    for (const Stream& stream : streams)
        emit streamRemoved(stream.streamID);
    const QList<User> users = m_users.values();
    m_users.clear();
    for (const User& user : users)
        emit userLeft(user);
    m_streamVolumes.clear();
    m_mutedStreams.clear();
    if (m_transmitting) {
        m_transmitting = false;
        emit transmittingChanged(false);
    }
}

void RoomController::setState(ConnectionState state, int errorCode)
{
    if (state == m_state && errorCode == 0)
        return;
    m_state = state;
    emit connectionStateChanged(state, errorCode);
}

void RoomController::connectEngine()
{
    const Engine* engine = m_engine.get();
    connect(engine, &Engine::roomStateChanged, this,
        [this](const QString&, RoomStateChangedReason reason, int errorCode, const QString&) {
            later([this, reason, errorCode] { onRoomStateChanged(reason, errorCode); });
        });
    connect(engine, &Engine::roomUserUpdate, this,
        [this](const QString&, UpdateType type, const QList<User>& users) { onUsers(type, users); });
    connect(engine, &Engine::roomStreamUpdate, this,
        [this](const QString&, UpdateType type, const QList<Stream>& streams, const QString&) {
            later([this, type, streams] { onStreams(type, streams); });
        });
    connect(engine, &Engine::playerStateUpdate, this,
        [this](const QString& streamId, PlayerState state, int errorCode, const QString&) {
            if (m_streams.contains(streamId))
                emit streamStateChanged(streamId, state, errorCode);
        });
    connect(engine, &Engine::publisherStateUpdate, this,
        [this](const QString&, PublisherState state, int errorCode, const QString&) {
            emit publishStateChanged(state, errorCode);
            updateTransmitting();
        });
    connect(engine, &Engine::playerQualityUpdate, this, &RoomController::streamQualityChanged);
    connect(engine, &Engine::remoteMicStateUpdate, this, &RoomController::remoteMicrophoneChanged);
    connect(engine, &Engine::capturedSoundLevelUpdate, this, &RoomController::onCapturedLevel);
    connect(engine, &Engine::remoteSoundLevelUpdate, this, [this](const QHash<QString, SoundLevelInfo>& levels) {
        for (auto it = levels.cbegin(); it != levels.cend(); ++it)
            emit streamLevelChanged(it.key(), it->soundLevel, it->vad);
    });
    connect(engine, &Engine::IMRecvBroadcastMessage, this,
        [this](const QString&, const QList<BroadcastMessageInfo>& messages) {
            for (const BroadcastMessageInfo& message : messages)
                emit messageReceived(message);
        });
    connect(engine, &Engine::broadcastMessageSent, this, [this](int, int errorCode, quint64) {
        if (errorCode != 0)
            emit messageRefused(errorCode);
    });
    connect(engine, &Engine::audioDeviceStateChanged, this, &RoomController::devicesChanged);
    connect(engine, &Engine::audioDeviceError, this, &RoomController::deviceFailed);
}

void RoomController::onRoomStateChanged(RoomStateChangedReason reason, int errorCode)
{
    // Queued: the user may have left since; a late "connected" must not bring the room back.
    if (!isInRoom() && roomStateOf(reason) != RoomState::Disconnected)
        return;
    switch (reason) {
    case RoomStateChangedReason::Logining:
        setState(ConnectionState::Connecting, 0);
        return;
    case RoomStateChangedReason::Logined:
        setState(ConnectionState::Connected, 0);
        onLoggedIn();
        return;
    case RoomStateChangedReason::Reconnecting:
        setState(ConnectionState::Reconnecting, errorCode);
        return;
    case RoomStateChangedReason::Reconnected:
        setState(ConnectionState::Connected, 0);
        return;
    case RoomStateChangedReason::LoginFailed:
    case RoomStateChangedReason::ReconnectFailed:
        forgetRoom();
        setState(ConnectionState::Failed, errorCode);
        return;
    case RoomStateChangedReason::KickOut:
        forgetRoom();
        setState(ConnectionState::KickedOut, errorCode);
        return;
    case RoomStateChangedReason::Logout:
    case RoomStateChangedReason::LogoutFailed:
        forgetRoom();
        setState(ConnectionState::Disconnected, 0);
        return;
    }
}

void RoomController::onLoggedIn()
{
    if (!isInRoom())
        return;
    static_cast<void>(m_engine->startSoundLevelMonitor(kLevelIntervalMs));
    applyTransmission();
    static_cast<void>(m_engine->muteMicrophone(m_microphoneMuted));
    static_cast<void>(m_engine->mutePublishStreamAudio(m_microphoneMuted));
    static_cast<void>(m_engine->muteAllPlayStreamAudio(m_speakerMuted));
    if (const int code = m_engine->startPublishingStream(m_localStreamId); code != 0)
        emit publishStateChanged(PublisherState::NoPublish, code);
}

void RoomController::onUsers(UpdateType type, const QList<User>& users)
{
    for (const User& user : users) {
        if (user.userID == m_request.userId)
            continue;
        if (type == UpdateType::Add) {
            const bool known = m_users.contains(user.userID);
            m_users.insert(user.userID, user);
            if (!known)
                emit userJoined(user);
        } else if (const auto it = m_users.constFind(user.userID); it != m_users.cend()) {
            const User left = *it; // the name as it was known, for "… left."
            m_users.erase(it);
            emit userLeft(left);
        }
    }
}

void RoomController::onStreams(UpdateType type, const QList<Stream>& streams)
{
    if (!isInRoom())
        return;
    for (const Stream& stream : streams) {
        if (stream.streamID == m_localStreamId)
            continue;
        if (type == UpdateType::Delete) {
            if (m_streams.remove(stream.streamID) == 0)
                continue;
            // Stop explicitly: the engine would otherwise wait for the stream to come back and
            // the waiting plays would use up the 12 it allows.
            static_cast<void>(m_engine->stopPlayingStream(stream.streamID));
            m_streamVolumes.remove(stream.streamID);
            m_mutedStreams.remove(stream.streamID);
            emit streamRemoved(stream.streamID);
            continue;
        }
        if (m_streams.contains(stream.streamID))
            continue;
        // A publisher is in the room even when the user list has not told us yet.
        onUsers(UpdateType::Add, { stream.user });
        m_streams.insert(stream.streamID, stream);
        emit streamAdded(stream);
        if (const int code = m_engine->startPlayingStream(stream.streamID); code != 0) {
            emit streamStateChanged(stream.streamID, PlayerState::NoPlay, code);
            continue;
        }
        applyStreamSettings(stream.streamID);
    }
}

void RoomController::applyStreamSettings(const QString& streamId)
{
    const QString userId = m_streams.value(streamId).user.userID;
    const int volume = m_streamVolumes.value(streamId, m_userVolumes.value(userId, 100));
    const bool muted = m_mutedStreams.contains(streamId) || m_userMuted.contains(userId);
    static_cast<void>(m_engine->setPlayVolume(streamId, volume));
    static_cast<void>(m_engine->mutePlayStreamAudio(streamId, muted));
    static_cast<void>(m_engine->setPlayStreamBufferIntervalRange(streamId, m_audio.jitterMinMs, m_audio.jitterMaxMs));
    emit streamVolumeChanged(streamId, volume);
    emit streamMutedChanged(streamId, muted);
}

void RoomController::setAudioSettings(const AudioSettings& settings)
{
    const bool presetChanged = settings.qualityPreset != m_audio.qualityPreset;
    m_audio = settings;
    applyAudioSettings();
    if (isInRoom() && presetChanged && m_state == ConnectionState::Connected) {
        // The engine takes a new audio config at the next publish: republish, a moment's gap
        // rather than a setting that seems to do nothing.
        static_cast<void>(m_engine->stopPublishingStream());
        if (const int code = m_engine->startPublishingStream(m_localStreamId); code != 0)
            emit publishStateChanged(PublisherState::NoPublish, code);
    }
    if (isInRoom()) {
        for (const QString& streamId : m_streams.keys())
            static_cast<void>(
                m_engine->setPlayStreamBufferIntervalRange(streamId, m_audio.jitterMinMs, m_audio.jitterMaxMs));
    }
}

void RoomController::applyAudioSettings()
{
    if (!m_engine)
        return;
    // Unknown device IDs (unplugged since they were chosen) fall back to the system default.
    if (!m_audio.inputDeviceId.isEmpty())
        static_cast<void>(m_engine->useAudioDevice(AudioDeviceType::Input, m_audio.inputDeviceId));
    if (!m_audio.outputDeviceId.isEmpty())
        static_cast<void>(m_engine->useAudioDevice(AudioDeviceType::Output, m_audio.outputDeviceId));
    static_cast<void>(m_engine->enableAEC(m_audio.echoCancellation));
    static_cast<void>(m_engine->enableANS(m_audio.noiseSuppression));
    static_cast<void>(m_engine->enableAGC(m_audio.automaticGain));
    static_cast<void>(m_engine->setCaptureVolume(m_audio.captureVolume));
    // Takes effect at the next publish (the engine's rule).
    static_cast<void>(m_engine->setAudioConfig(AudioConfig::fromPreset(m_audio.qualityPreset)));
}

void RoomController::setTransmission(const TransmissionSettings& settings)
{
    m_transmission = settings;
    m_voiceGateOpen = false;
    m_voiceHangover.stop();
    applyTransmission();
}

void RoomController::setPushToTalkPressed(bool pressed)
{
    m_pushToTalkHeld = pressed;
    applyTransmission();
}

// The engine's gate does the transmitting: voice activation opens on the captured level against
// the user's threshold (every 10 ms, with a pre-roll so a word's onset goes out whole),
// push-to-talk on the key. The app only mirrors voice activation from the 100 ms level reports
// for its "others hear you" indicator.
void RoomController::applyTransmission()
{
    if (m_engine) {
        static_cast<void>(m_engine->setTransmissionMode(m_transmission.mode));
        static_cast<void>(m_engine->setVoiceActivationThreshold(
            m_transmission.mode == TransmissionMode::VoiceActivation ? std::clamp(m_transmission.voiceThreshold, 1, 100)
                                                                      : 0));
        if (m_transmission.mode == TransmissionMode::PushToTalk)
            m_engine->setPushToTalk(m_pushToTalkHeld);
    }
    updateTransmitting();
}

void RoomController::onCapturedLevel(const SoundLevelInfo& level)
{
    emit localLevelChanged(level.soundLevel, level.vad);
    if (m_transmission.mode != TransmissionMode::VoiceActivation)
        return;
    if (level.soundLevel >= float(m_transmission.voiceThreshold)) {
        m_voiceHangover.start();
        if (!m_voiceGateOpen) {
            m_voiceGateOpen = true;
            updateTransmitting();
        }
    }
}

void RoomController::updateTransmitting()
{
    bool open = isInRoom() && !m_microphoneMuted && m_state == ConnectionState::Connected;
    if (m_transmission.mode == TransmissionMode::PushToTalk)
        open = open && m_pushToTalkHeld;
    else if (m_transmission.mode == TransmissionMode::VoiceActivation)
        open = open && m_voiceGateOpen;
    if (open == m_transmitting)
        return;
    m_transmitting = open;
    emit transmittingChanged(open);
}

void RoomController::setMicrophoneMuted(bool muted)
{
    if (muted == m_microphoneMuted)
        return;
    m_microphoneMuted = muted;
    if (isInRoom()) {
        static_cast<void>(m_engine->muteMicrophone(muted));
        // Tells the others, so their user list shows the microphone as off.
        static_cast<void>(m_engine->mutePublishStreamAudio(muted));
    }
    emit microphoneMutedChanged(muted);
    updateTransmitting();
}

void RoomController::setSpeakerMuted(bool muted)
{
    if (muted == m_speakerMuted)
        return;
    m_speakerMuted = muted;
    if (isInRoom())
        static_cast<void>(m_engine->muteAllPlayStreamAudio(muted));
    emit speakerMutedChanged(muted);
}

void RoomController::setStreamVolume(const QString& streamId, int volume)
{
    volume = std::clamp(volume, 0, 200);
    m_streamVolumes.insert(streamId, volume);
    if (isInRoom() && m_streams.contains(streamId))
        static_cast<void>(m_engine->setPlayVolume(streamId, volume));
    emit streamVolumeChanged(streamId, volume);
}

int RoomController::streamVolume(const QString& streamId) const
{
    return m_streamVolumes.value(streamId, m_userVolumes.value(m_streams.value(streamId).user.userID, 100));
}

void RoomController::setStreamMuted(const QString& streamId, bool muted)
{
    if (muted)
        m_mutedStreams.insert(streamId);
    else
        m_mutedStreams.remove(streamId);
    if (isInRoom() && m_streams.contains(streamId))
        static_cast<void>(m_engine->mutePlayStreamAudio(streamId, muted));
    emit streamMutedChanged(streamId, muted);
}

bool RoomController::isStreamMuted(const QString& streamId) const
{
    return m_mutedStreams.contains(streamId) || m_userMuted.contains(m_streams.value(streamId).user.userID);
}

void RoomController::setUserVolume(const QString& userId, int volume)
{
    m_userVolumes.insert(userId, std::clamp(volume, 0, 200));
    for (const QString& streamId : streamsOf(userId))
        setStreamVolume(streamId, volume);
}

void RoomController::setUserMuted(const QString& userId, bool muted)
{
    if (muted)
        m_userMuted.insert(userId);
    else
        m_userMuted.remove(userId);
    for (const QString& streamId : streamsOf(userId))
        setStreamMuted(streamId, muted);
}

int RoomController::sendMessage(const QString& text)
{
    if (!isInRoom())
        return 1000002; // not logged in
    const int sequence = m_engine->sendBroadcastMessage(m_engine->currentRoomID(), text);
    return sequence < 0 ? -sequence : 0;
}

int RoomController::recordMicrophone(const QString& wavPath, int durationMs)
{
    if (!isInRoom())
        return 1000002;
    if (const int code = m_engine->startRecordingCapturedData(wavPath); code != 0)
        return code;
    m_recordPath = wavPath;
    m_recordTimer.start(durationMs);
    return 0;
}

QList<DeviceInfo> RoomController::devices(AudioDeviceType type)
{
    if (m_engine)
        return m_engine->getAudioDeviceList(type);
    // Devices are listed by an engine; before the first join an engine with a placeholder
    // profile does it (it opens no device and connects nowhere until asked to).
    if (!m_deviceProbe) {
        EngineProfile probe;
        probe.appID = 1;
        probe.server = QUrl(QStringLiteral("ws://127.0.0.1/"));
        m_deviceProbe = Engine::create(probe, nullptr, m_engineOptions);
        if (!m_deviceProbe)
            return {};
        connect(m_deviceProbe.get(), &Engine::audioDeviceStateChanged, this, &RoomController::devicesChanged);
    }
    return m_deviceProbe->getAudioDeviceList(type);
}

} // namespace earshot::ui
