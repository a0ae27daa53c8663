#include "api/EnginePrivate.h"

#include "apm/AudioProcessor.h"
#include "audio/NullAudioDevice.h"
#include "audio/PortAudioDevice.h"
#include "audio/PortAudioSystem.h"
#include "audio/VirtualAudioDevice.h"
#include "record/RecordingFormat.h"

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/Identifiers.h>

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

Q_LOGGING_CATEGORY(lcEngine, "earshot.engine")

namespace earshot {

using protocol::ErrorCode;
using protocol::toInt;

namespace {

Engine* g_defaultEngine = nullptr;

constexpr int kMaxExtraInfoBytes = 1024;

bool isHex(const QString& text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return std::isxdigit(c.unicode() < 128 ? c.toLatin1() : 'x'); });
}

int validateProfile(const EngineProfile& profile)
{
    if (profile.appID == 0)
        return toInt(ErrorCode::AppIdZero);
    if (!profile.appSign.isEmpty() && profile.appSign.size() != 64)
        return toInt(ErrorCode::AppSignLength);
    if (!profile.appSign.isEmpty() && !isHex(profile.appSign))
        return toInt(ErrorCode::AppSignNotHex);
    const QString scheme = profile.server.scheme();
    if (!profile.server.isValid() || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")))
        return toInt(ErrorCode::IllegalParameter);
    return 0;
}

int validated(ErrorCode code)
{
    return toInt(code);
}

std::string utf8(const QString& text)
{
    return text.toStdString();
}

bool volumeInRange(int volume)
{
    return volume >= 0 && volume <= 200;
}

media::AudioPipelineConfig pipelineConfig(const EngineOptions& options, const AudioConfig& audioConfig)
{
    media::AudioPipelineConfig config;
    config.devicePeriodFrames = std::max(48, static_cast<int>(std::lround(options.devicePeriodMs * 48.0)));
    config.playbackQueueMs = options.playbackQueueMs;
    config.capture.encoder.bitrateBps = audioConfig.bitrateKbps * 1000;
    config.capture.encoder.frameDuration = static_cast<codec::FrameDuration>(options.frameDurationMs);
    if (options.lowDelayCodec)
        config.capture.encoder.application = codec::OpusApplication::LowDelay;
    // Opus's DTX takes a steady tone for background noise after about a second and stops
    // sending it; a test tone is meant to arrive whole.
    if (options.inputToneHz > 0.0)
        config.capture.encoder.dtx = codec::Dtx::Off;
    return config;
}

} // namespace

AudioConfig AudioConfig::fromPreset(AudioConfigPreset preset)
{
    switch (preset) {
    case AudioConfigPreset::BasicQuality:
        return {16, 1};
    case AudioConfigPreset::StandardQuality:
        return {48, 1};
    case AudioConfigPreset::StandardQualityStereo:
        return {56, 2};
    case AudioConfigPreset::HighQuality:
        return {128, 1};
    case AudioConfigPreset::HighQualityStereo:
        return {192, 2};
    }
    return {};
}

int Engine::Private::wrongThread(bool negative) const
{
    qCWarning(lcEngine) << "an Engine call came from another thread than the one that owns the engine; refused";
    const int code = toInt(ErrorCode::IllegalParameter);
    return negative ? -code : code;
}

// ---- Lifecycle ------------------------------------------------------------------------------

std::unique_ptr<Engine> Engine::create(const EngineProfile& profile, int* errorCode, const EngineOptions& options)
{
    const auto fail = [errorCode](int code) {
        if (errorCode != nullptr)
            *errorCode = code;
        return nullptr;
    };
    if (const int code = validateProfile(profile); code != 0)
        return fail(code);
    if (options.frameDurationMs != 10 && options.frameDurationMs != 20 && options.frameDurationMs != 40
        && options.frameDurationMs != 60)
        return fail(toInt(ErrorCode::IllegalParameter));
    // Written so that NaN fails too.
    if (!(options.devicePeriodMs >= 1.0 && options.devicePeriodMs <= 100.0))
        return fail(toInt(ErrorCode::IllegalParameter));
    if (options.playbackQueueMs < 0 || options.playbackQueueMs > 100)
        return fail(toInt(ErrorCode::IllegalParameter));

    auto d = std::make_unique<Private>();
    d->profile = profile;
    d->options = options;
    d->owningThread = QThread::currentThreadId();

    mediasession::MediaSessionConfig mediaConfig;
    mediaConfig.pipeline = pipelineConfig(options, d->audioConfig);
    mediaConfig.device.engineFormat.framesPerPeriod = mediaConfig.pipeline.devicePeriodFrames;
    mediaConfig.servicePeriodMs = std::clamp(static_cast<int>(options.devicePeriodMs / 3.0), 1, 5);
    if (options.nullDevices) {
        mediaConfig.makeDevice = [] { return std::make_unique<audio::NullAudioDevice>(); };
    } else if (!options.inputWavPath.isEmpty() || !options.outputWavPath.isEmpty() || options.inputToneHz > 0.0) {
        audio::VirtualDeviceConfig virtualConfig;
        virtualConfig.inputWavPath = utf8(options.inputWavPath);
        virtualConfig.inputEnd = options.inputLoop ? audio::InputEnd::Loop : audio::InputEnd::Silence;
        if (options.inputToneHz > 0.0) {
            virtualConfig.generator.kind = audio::SignalKind::Tone;
            virtualConfig.generator.frequencyHz = options.inputToneHz;
            virtualConfig.generator.amplitude = 0.3f;
        }
        virtualConfig.outputWavPath = utf8(options.outputWavPath);
        mediaConfig.makeDevice = [virtualConfig] { return std::make_unique<audio::VirtualAudioDevice>(virtualConfig); };
        // Reopening would start the output WAV (and the input WAV) again.
        mediaConfig.deviceLifetime = mediasession::DeviceLifetime::UntilShutdown;
    } else {
        d->portAudio = std::make_shared<audio::PortAudioSystem>();
        mediaConfig.makeDevice = [system = d->portAudio] { return std::make_unique<audio::PortAudioDevice>(*system); };
        mediaConfig.devices = d->portAudio; // hot-plug
    }
    codec::CodecError codecError = codec::CodecError::None;
    d->media = mediasession::MediaSession::create(std::move(mediaConfig), &codecError);
    if (!d->media)
        return fail(toInt(ErrorCode::IllegalParameter));
    d->client = new session::SignallingClient();

    std::unique_ptr<Engine> engine(new Engine(std::move(d)));
    if (errorCode != nullptr)
        *errorCode = 0;
    return engine;
}

Engine::Engine(std::unique_ptr<Private> dd)
    : d(std::move(dd))
{
    d->q = this;
    d->sessionThread.setObjectName(QStringLiteral("earshot-session"));
    d->mediaThread.setObjectName(QStringLiteral("earshot-media"));
    d->client->moveToThread(&d->sessionThread);
    d->media->moveToThread(&d->mediaThread);
    d->connectSession();
    d->connectMedia();
    d->sessionThread.start();
    d->mediaThread.start(QThread::TimeCriticalPriority);
    if (d->portAudio)
        d->onMedia([](mediasession::MediaSession& media) { media.watchDevices(); });
    d->qualityTimer.setInterval(std::max(100, d->options.qualityIntervalMs));
    connect(&d->qualityTimer, &QTimer::timeout, this, [this] { d->reportQuality(); });
    connect(&d->levelTimer, &QTimer::timeout, this, [this] { d->reportLevels(); });
}

Engine::~Engine()
{
    d->qualityTimer.stop();
    d->levelTimer.stop();
    const QThread* owner = thread();
    // Each object is shut down on its own thread, then handed back here to be destroyed.
    QMetaObject::invokeMethod(
        d->client,
        [client = d->client, owner] {
            client->logout();
            client->moveToThread(const_cast<QThread*>(owner));
        },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        d->media.get(),
        [media = d->media.get(), owner] {
            media->shutdown();
            media->moveToThread(const_cast<QThread*>(owner));
        },
        Qt::BlockingQueuedConnection);
    d->sessionThread.quit();
    d->mediaThread.quit();
    d->sessionThread.wait();
    d->mediaThread.wait();
    delete d->client;
    d->media.reset();
    if (g_defaultEngine == this)
        g_defaultEngine = nullptr;
}

Engine* Engine::createEngine(const EngineProfile& profile, int* errorCode, const EngineOptions& options)
{
    if (g_defaultEngine != nullptr) {
        if (errorCode != nullptr)
            *errorCode = 0;
        return g_defaultEngine;
    }
    g_defaultEngine = create(profile, errorCode, options).release();
    return g_defaultEngine;
}

Engine* Engine::getEngine()
{
    return g_defaultEngine;
}

void Engine::destroyEngine(const std::function<void()>& done)
{
    Engine* engine = std::exchange(g_defaultEngine, nullptr);
    if (engine == nullptr) {
        if (done)
            done();
        return;
    }
    // The application already let go of it: nothing more is reported.
    engine->blockSignals(true);
    engine->d->qualityTimer.stop();
    engine->d->levelTimer.stop();
    // Logging out and closing the devices run on the session and media threads side by side;
    // the second to finish deletes the engine from this thread's event loop. The destructor
    // repeats both steps, which are then no-ops, and only joins idle threads.
    auto pending = std::make_shared<int>(2);
    const auto oneDone = [engine, done, pending] {
        QMetaObject::invokeMethod(
            engine,
            [engine, done, pending] {
                if (--*pending > 0)
                    return;
                delete engine;
                if (done)
                    done();
            },
            Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(
        engine->d->client,
        [client = engine->d->client, oneDone] {
            client->logout();
            oneDone();
        },
        Qt::QueuedConnection);
    QMetaObject::invokeMethod(
        engine->d->media.get(),
        [media = engine->d->media.get(), oneDone] {
            media->shutdown();
            oneDone();
        },
        Qt::QueuedConnection);
}

int Engine::enableCamera(bool enable)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    return enable ? validated(ErrorCode::IllegalParameter) : 0;
}

const EngineProfile& Engine::profile() const
{
    return d->profile;
}

// ---- Room -----------------------------------------------------------------------------------

int Engine::loginRoom(const QString& roomID, const User& user, const RoomConfig& config)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (d->roomState != RoomState::Disconnected || !d->roomId.isEmpty())
        return validated(ErrorCode::AlreadyLoggedIn);
    if (const ErrorCode code = protocol::validateUserId(utf8(user.userID)); code != ErrorCode::Success)
        return toInt(code);
    if (const ErrorCode code = protocol::validateUserName(utf8(user.userName)); code != ErrorCode::Success)
        return toInt(code);
    if (const ErrorCode code = protocol::validateRoomId(utf8(roomID)); code != ErrorCode::Success)
        return toInt(code);
    if (d->profile.appSign.isEmpty() && config.token.isEmpty())
        return validated(ErrorCode::NoAuthentication);

    d->roomId = roomID;
    d->user = user;
    d->roomConfig = config;
    session::LoginParams params;
    params.serverUrl = d->profile.server;
    params.appId = d->profile.appID;
    params.appSignHex = d->profile.appSign.toLatin1();
    params.token = config.token;
    params.roomId = roomID;
    params.userId = user.userID;
    params.userName = user.userName;
    params.isUserStatusNotify = config.isUserStatusNotify;
    params.maxMemberCount = config.maxMemberCount;
    params.loginTimeoutMs = d->options.loginTimeoutMs;
    params.reconnectGiveUpMs = d->options.reconnectGiveUpMs;
    d->setRoomState(RoomStateChangedReason::Logining, 0);
    d->onSession([params](session::SignallingClient& client) { client.login(params); });
    return 0;
}

int Engine::logoutRoom(const QString& roomID)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (d->roomId.isEmpty() || (!roomID.isEmpty() && roomID != d->roomId))
        return validated(ErrorCode::RoomNotLoggedIn);
    d->onSession([](session::SignallingClient& client) { client.logout(); });
    d->onSessionEnded(RoomStateChangedReason::Logout, 0);
    return 0;
}

int Engine::renewToken(const QString& roomID, const QString& token)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (d->roomId.isEmpty() || roomID != d->roomId)
        return validated(ErrorCode::RoomNotLoggedIn);
    if (token.isEmpty())
        return validated(ErrorCode::IllegalParameter);
    d->roomConfig.token = token;
    const quint64 tag = static_cast<quint64>(d->nextSequence++);
    d->onSession([tag, token](session::SignallingClient& client) { client.renewToken(tag, token); });
    return 0;
}

int Engine::setRoomExtraInfo(const QString& roomID, const QString& key, const QString& value)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!d->loggedIn() || roomID != d->roomId)
        return validated(ErrorCode::RoomNotLoggedIn);
    if (key.isEmpty())
        return validated(ErrorCode::IllegalParameter);
    if (value.toUtf8().size() > kMaxExtraInfoBytes)
        return validated(ErrorCode::MessageTooLong);
    const quint64 tag = static_cast<quint64>(d->nextSequence++);
    d->onSession([tag, key, value](session::SignallingClient& client) { client.setRoomExtraInfo(tag, key, value); });
    return 0;
}

QString Engine::currentRoomID() const
{
    return d->roomId;
}

RoomState Engine::roomState() const
{
    return d->roomState;
}

// ---- Publishing -----------------------------------------------------------------------------

int Engine::startPublishingStream(const QString& streamID)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!d->loggedIn())
        return validated(ErrorCode::NotLoggedIn);
    if (const ErrorCode code = protocol::validateStreamId(utf8(streamID)); code != ErrorCode::Success)
        return toInt(code);
    if (d->publisherState != PublisherState::NoPublish) {
        if (streamID == d->publishStreamId)
            return 0;
        return validated(ErrorCode::AlreadyPublishing);
    }
    d->publishStreamId = streamID;
    d->setPublisherState(PublisherState::PublishRequesting, 0);
    if (d->roomState == RoomState::Connected)
        d->requestPublish();
    return 0;
}

int Engine::stopPublishingStream()
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (d->publisherState == PublisherState::NoPublish)
        return 0;
    const QString streamId = d->publishStreamId;
    d->onMedia([](mediasession::MediaSession& media) { media.stopPublishing(); });
    if (d->roomState == RoomState::Connected)
        d->onSession([streamId](session::SignallingClient& client) { client.unpublish(streamId); });
    d->publishSsrc = 0;
    d->setPublisherState(PublisherState::NoPublish, 0);
    d->publishStreamId.clear();
    return 0;
}

int Engine::setStreamExtraInfo(const QString& extraInfo)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!d->loggedIn())
        return validated(ErrorCode::NotLoggedIn);
    if (extraInfo.toUtf8().size() > kMaxExtraInfoBytes)
        return validated(ErrorCode::MessageTooLong);
    if (d->publisherState == PublisherState::NoPublish)
        return validated(ErrorCode::IllegalParameter);
    d->publishExtraInfo = extraInfo;
    const quint64 tag = static_cast<quint64>(d->nextSequence++);
    const QString streamId = d->publishStreamId;
    d->onSession([tag, streamId, extraInfo](session::SignallingClient& client) {
        client.setStreamExtraInfo(tag, streamId, extraInfo);
    });
    return 0;
}

int Engine::muteMicrophone(bool mute)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    d->microphoneMuted = mute;
    d->media->pipeline().capture().gate().setMicrophoneMute(mute || d->publishAudioMuted ? vad::MicrophoneMute::On
                                                                                          : vad::MicrophoneMute::Off);
    return 0;
}

bool Engine::isMicrophoneMuted() const
{
    return d->microphoneMuted;
}

int Engine::mutePublishStreamAudio(bool mute)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    d->publishAudioMuted = mute;
    return muteMicrophone(d->microphoneMuted);
}

int Engine::setCaptureVolume(int volume)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!volumeInRange(volume))
        return validated(ErrorCode::IllegalParameter);
    d->media->pipeline().capture().captureVolume().setVolume(volume);
    return 0;
}

int Engine::setAudioConfig(const AudioConfig& config)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (config.bitrateKbps < 6 || config.bitrateKbps > 510 || config.channels < 1 || config.channels > 2)
        return validated(ErrorCode::IllegalParameter);
    d->audioConfig = config;
    const int bitrate = config.bitrateKbps * 1000;
    d->onMedia([bitrate](mediasession::MediaSession& media) {
        static_cast<void>(media.pipeline().capture().setBitrateBps(bitrate));
    });
    return 0;
}

AudioConfig Engine::audioConfig() const
{
    return d->audioConfig;
}

int Engine::setTransmissionMode(TransmissionMode mode)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    const auto gateMode = mode == TransmissionMode::VoiceActivation ? vad::TransmissionMode::VoiceActivation
                          : mode == TransmissionMode::PushToTalk    ? vad::TransmissionMode::PushToTalk
                                                                    : vad::TransmissionMode::Continuous;
    d->media->pipeline().capture().gate().setMode(gateMode);
    return 0;
}

int Engine::setVoiceActivationThreshold(int level)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (level < 0 || level > 100)
        return validated(ErrorCode::IllegalParameter);
    vad::TransmissionGate& gate = d->media->pipeline().capture().gate();
    if (level == 0)
        gate.clearVoiceThreshold();
    else
        gate.setVoiceThreshold(static_cast<float>(level));
    return 0;
}

void Engine::setPushToTalk(bool pressed)
{
    d->media->pipeline().capture().gate().setPushToTalk(pressed ? vad::PushToTalkKey::Pressed
                                                                : vad::PushToTalkKey::Released);
}

// ---- Playing --------------------------------------------------------------------------------

int Engine::startPlayingStream(const QString& streamID)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!d->loggedIn())
        return validated(ErrorCode::NotLoggedIn);
    if (const ErrorCode code = protocol::validateStreamId(utf8(streamID)); code != ErrorCode::Success)
        return toInt(code);
    if (d->plays.contains(streamID))
        return 0;
    if (d->plays.size() >= dsp::PlaybackMixer::kMaxStreams)
        return validated(ErrorCode::TooManyPlays);
    PlayEntry& entry = d->plays[streamID];
    d->setPlayerState(streamID, entry, PlayerState::PlayRequesting, 0);
    if (d->roomState == RoomState::Connected)
        d->requestPlay(streamID);
    return 0;
}

int Engine::stopPlayingStream(const QString& streamID)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    const auto it = d->plays.find(streamID);
    if (it == d->plays.end())
        return validated(ErrorCode::IllegalParameter);
    const std::uint32_t ssrc = it->ssrc;
    if (ssrc != 0)
        d->onMedia([ssrc](mediasession::MediaSession& media) { media.stopPlaying(ssrc); });
    if (d->roomState == RoomState::Connected)
        d->onSession([streamID](session::SignallingClient& client) { client.stopPlay(streamID); });
    PlayEntry entry = *it;
    d->plays.erase(it);
    d->setPlayerState(streamID, entry, PlayerState::NoPlay, 0);
    return 0;
}

int Engine::mutePlayStreamAudio(const QString& streamID, bool mute)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    const auto it = d->plays.find(streamID);
    if (it == d->plays.end())
        return validated(ErrorCode::IllegalParameter);
    it->muted = mute;
    d->applyPlayVolume(streamID);
    // The server stops forwarding a muted stream: it saves the bandwidth.
    if (d->roomState == RoomState::Connected)
        d->onSession([streamID, mute](session::SignallingClient& client) { client.mutePlay(streamID, mute); });
    return 0;
}

int Engine::muteAllPlayStreamAudio(bool mute)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    d->allPlayMuted = mute;
    d->media->pipeline().mixer().setMasterMuted(mute);
    for (auto it = d->plays.cbegin(); it != d->plays.cend(); ++it) {
        const QString streamId = it.key();
        const bool muted = mute || it->muted;
        if (d->roomState == RoomState::Connected)
            d->onSession([streamId, muted](session::SignallingClient& client) { client.mutePlay(streamId, muted); });
    }
    return 0;
}

int Engine::setPlayVolume(const QString& streamID, int volume)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!volumeInRange(volume))
        return validated(ErrorCode::IllegalParameter);
    const auto it = d->plays.find(streamID);
    if (it == d->plays.end())
        return validated(ErrorCode::IllegalParameter);
    it->volume = volume;
    d->applyPlayVolume(streamID);
    return 0;
}

int Engine::setAllPlayStreamVolume(int volume)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!volumeInRange(volume))
        return validated(ErrorCode::IllegalParameter);
    d->allPlayVolume = volume;
    d->media->pipeline().mixer().setMasterVolume(volume);
    return 0;
}

int Engine::setPlayStreamBufferIntervalRange(const QString& streamID, int minMs, int maxMs)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (minMs < 0 || maxMs < minMs || maxMs > jitter::kMaxBufferIntervalMs)
        return validated(ErrorCode::IllegalParameter);
    const auto it = d->plays.find(streamID);
    if (it == d->plays.end())
        return validated(ErrorCode::IllegalParameter);
    const std::uint32_t ssrc = it->ssrc;
    d->onMedia([ssrc, minMs, maxMs](mediasession::MediaSession& media) {
        static_cast<void>(media.setBufferIntervalRange(ssrc, minMs, maxMs));
    });
    return 0;
}

// ---- Devices, 3A, levels, recording -----------------------------------------------------------

QList<DeviceInfo> Engine::getAudioDeviceList(AudioDeviceType type) const
{
    QList<DeviceInfo> list;
    if (!d->portAudio)
        return list;
    audio::DeviceSnapshot snapshot;
    QMetaObject::invokeMethod(
        d->media.get(), [&snapshot, system = d->portAudio] { snapshot = system->enumerate(); },
        Qt::BlockingQueuedConnection);
    for (const audio::AudioDeviceInfo& info : snapshot.devices) {
        const bool usable = type == AudioDeviceType::Input ? info.maxInputChannels > 0 : info.maxOutputChannels > 0;
        if (!usable)
            continue;
        const bool isDefault = type == AudioDeviceType::Input ? info.isDefaultInput : info.isDefaultOutput;
        list.append({QString::fromStdString(info.id), QString::fromStdString(info.name), isDefault});
    }
    return list;
}

QString Engine::getDefaultAudioDeviceID(AudioDeviceType type) const
{
    for (const DeviceInfo& device : getAudioDeviceList(type)) {
        if (device.isDefault)
            return device.deviceID;
    }
    return {};
}

int Engine::useAudioDevice(AudioDeviceType type, const QString& deviceID)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!deviceID.isEmpty()) {
        const QList<DeviceInfo> devices = getAudioDeviceList(type);
        const bool known = std::any_of(devices.begin(), devices.end(),
                                       [&](const DeviceInfo& device) { return device.deviceID == deviceID; });
        if (!known)
            return toInt(ErrorCode::DeviceInvalidId);
    }
    const std::string id = utf8(deviceID);
    d->onMedia([type, id](mediasession::MediaSession& media) {
        media.useDevice(type == AudioDeviceType::Input, id);
    });
    return 0;
}

int Engine::enableAEC(bool enable)
{
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setEchoCancellationEnabled(enable); });
}

int Engine::setAECMode(AECMode mode)
{
    const auto apmMode = mode == AECMode::Aggressive ? apm::EchoCancellationMode::Aggressive
                         : mode == AECMode::Soft     ? apm::EchoCancellationMode::Soft
                                                     : apm::EchoCancellationMode::Medium;
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setEchoCancellationMode(apmMode); });
}

int Engine::enableAGC(bool enable)
{
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setGainControlEnabled(enable); });
}

int Engine::enableANS(bool enable)
{
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setNoiseSuppressionEnabled(enable); });
}

int Engine::setANSMode(ANSMode mode)
{
    const auto apmMode = mode == ANSMode::Aggressive ? apm::NoiseSuppressionMode::Aggressive
                         : mode == ANSMode::Soft     ? apm::NoiseSuppressionMode::Soft
                                                     : apm::NoiseSuppressionMode::Medium;
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setNoiseSuppressionMode(apmMode); });
}

int Engine::enableTransientANS(bool enable)
{
    return d->withProcessor([&](apm::AudioProcessor& processor) { processor.setTransientSuppressionEnabled(enable); });
}

int Engine::startSoundLevelMonitor(int intervalMs)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (intervalMs < 100 || intervalMs > 3000)
        return validated(ErrorCode::IllegalParameter);
    d->media->pipeline().setVoiceDetection(true);
    d->levelTimer.start(intervalMs);
    return 0;
}

int Engine::stopSoundLevelMonitor()
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    d->levelTimer.stop();
    d->media->pipeline().setVoiceDetection(false);
    return 0;
}

int Engine::startRecordingCapturedData(const QString& path)
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    if (!record::recordingFormatForPath(utf8(path)))
        return validated(ErrorCode::IllegalParameter);
    if (d->media->pipeline().recorder().start(utf8(path)) != record::RecordingError::None)
        return validated(ErrorCode::IllegalParameter);
    return 0;
}

int Engine::stopRecordingCapturedData()
{
    if (!d->isOwningThread())
        return d->wrongThread(false);
    d->media->pipeline().recorder().stop();
    return 0;
}

// ---- Room messages ----------------------------------------------------------------------------

int Engine::sendBroadcastMessage(const QString& roomID, const QString& message)
{
    if (!d->isOwningThread())
        return d->wrongThread(true);
    if (const int error = d->checkMessage(roomID, message); error != 0)
        return -error;
    const int sequence = d->nextSequence++;
    d->onSession([sequence, message](session::SignallingClient& client) {
        client.sendBroadcastMessage(static_cast<quint64>(sequence), message);
    });
    return sequence;
}

int Engine::sendCustomCommand(const QString& roomID, const QString& command, const QStringList& toUserIDs)
{
    if (!d->isOwningThread())
        return d->wrongThread(true);
    if (const int error = d->checkMessage(roomID, command); error != 0)
        return -error;
    const int sequence = d->nextSequence++;
    d->onSession([sequence, command, toUserIDs](session::SignallingClient& client) {
        client.sendCustomCommand(static_cast<quint64>(sequence), command, toUserIDs);
    });
    return sequence;
}

int Engine::Private::checkMessage(const QString& room, const QString& text) const
{
    if (!loggedIn())
        return toInt(ErrorCode::NotLoggedIn);
    if (room != roomId)
        return toInt(ErrorCode::MessageWrongRoom);
    if (text.isEmpty())
        return toInt(ErrorCode::MessageEmpty);
    if (text.toUtf8().size() > static_cast<qsizetype>(protocol::kMaxMessageBytes))
        return toInt(ErrorCode::MessageTooLong);
    return 0;
}

} // namespace earshot
