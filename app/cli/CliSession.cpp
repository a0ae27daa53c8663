#include "CliSession.h"

#include <cmath>

namespace earshot::cli {

namespace {

QString describe(int errorCode)
{
    return QStringLiteral("%1 (code %2)").arg(errorText(errorCode, Language::English)).arg(errorCode);
}

} // namespace

CliSession::CliSession(CliOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_printer(m_options.events ? EventFormat::JsonLines : EventFormat::Text)
{
    m_durationTimer.setSingleShot(true);
    m_durationTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_durationTimer, &QTimer::timeout, this, [this] { finish(ExitCode::Success); });
}

CliSession::~CliSession() = default;

EngineOptions CliSession::engineOptions() const
{
    EngineOptions engine;
    engine.inputWavPath = m_options.inputWavPath;
    engine.inputToneHz = m_options.toneHz;
    engine.outputWavPath = m_options.outputWavPath;
    engine.devicePeriodMs = m_options.devicePeriodMs;
    engine.frameDurationMs = m_options.frameDurationMs;
    engine.playbackQueueMs = m_options.playbackQueueMs;
    engine.lowDelayCodec = m_options.lowDelayCodec;
    return engine;
}

ExitCode CliSession::start()
{
    EngineProfile profile;
    profile.appID = m_options.appId;
    profile.appSign = m_options.appSign;
    profile.server = m_options.server;
    int code = 0;
    m_engine = Engine::create(profile, &code, engineOptions());
    if (!m_engine) {
        m_printer.error(QStringLiteral("cannot create the engine: %1").arg(describe(code)));
        return ExitCode::Usage; // every create() error is a bad profile or option value
    }
    m_printer.attach(*m_engine);
    connectEngine();
    if (!m_options.inputWavPath.isEmpty() || m_options.toneHz > 0.0) {
        // A prepared signal is sent as it is: noise suppression would learn a steady tone as
        // noise and remove it, gain control would reshape a file's levels, and there is no echo.
        static_cast<void>(m_engine->enableAEC(false));
        static_cast<void>(m_engine->enableANS(false));
        static_cast<void>(m_engine->enableTransientANS(false));
        static_cast<void>(m_engine->enableAGC(false));
    }
    if (selectDevices() != 0)
        return ExitCode::Usage;

    RoomConfig config;
    config.isUserStatusNotify = m_options.notifyUsers;
    config.token = m_options.token;
    m_printer.note(QStringLiteral("logging in to room %1 as %2 at %3")
                       .arg(m_options.roomId, m_options.userId, m_options.server.toString()));
    code = m_engine->loginRoom(m_options.roomId, { m_options.userId, m_options.userName }, config);
    if (code != 0) {
        m_printer.error(QStringLiteral("cannot log in: %1").arg(describe(code)));
        return ExitCode::Usage;
    }
    return ExitCode::Success;
}

int CliSession::selectDevices()
{
    const struct {
        AudioDeviceType type;
        const QString& id;
        const char* option;
    } choices[] = { { AudioDeviceType::Input, m_options.inputDeviceId, "--input-device" },
        { AudioDeviceType::Output, m_options.outputDeviceId, "--output-device" } };
    for (const auto& choice : choices) {
        if (choice.id.isEmpty())
            continue;
        if (const int code = m_engine->useAudioDevice(choice.type, choice.id); code != 0) {
            m_printer.error(
                QStringLiteral("%1 %2: %3").arg(QLatin1String(choice.option), choice.id, describe(code)));
            return code;
        }
    }
    return 0;
}

void CliSession::stop()
{
    if (!m_engine || m_finishing)
        return;
    m_printer.note(QStringLiteral("stopping"));
    finish(ExitCode::Success);
}

void CliSession::connectEngine()
{
    const Engine* engine = m_engine.get();
    connect(engine, &Engine::roomStateChanged, this,
        [this](const QString&, RoomStateChangedReason reason, int errorCode, const QString&) {
            later([this, reason, errorCode] { onRoomStateChanged(reason, errorCode); });
        });
    connect(engine, &Engine::roomStreamUpdate, this,
        [this](const QString&, UpdateType updateType, const QList<Stream>& streams, const QString&) {
            if (m_options.playAll)
                later([this, updateType, streams] { onRoomStreamUpdate(updateType, streams); });
        });
    connect(engine, &Engine::publisherStateUpdate, this,
        [this](const QString& streamId, PublisherState state, int errorCode, const QString&) {
            if (state == PublisherState::NoPublish && errorCode != 0)
                later([this, streamId, errorCode] {
                    onStreamFailed(QStringLiteral("publish"), streamId, errorCode);
                });
        });
    connect(engine, &Engine::playerStateUpdate, this,
        [this](const QString& streamId, PlayerState state, int errorCode, const QString&) {
            if (state == PlayerState::NoPlay && errorCode != 0) {
                m_playAllStreams.remove(streamId);
                later([this, streamId, errorCode] {
                    onStreamFailed(QStringLiteral("play"), streamId, errorCode);
                });
            }
        });
    connect(engine, &Engine::audioDeviceError, this, [this](int errorCode) {
        later([this, errorCode] {
            finish(ExitCode::Failure, QStringLiteral("the audio device failed: %1").arg(describe(errorCode)));
        });
    });
    connect(engine, &Engine::broadcastMessageSent, this, [this](int sequence, int errorCode, quint64) {
        if (errorCode == 0)
            return;
        m_messageRefused = true;
        m_printer.error(QStringLiteral("message %1 not sent: %2").arg(sequence).arg(describe(errorCode)));
    });
}

void CliSession::onRoomStateChanged(RoomStateChangedReason reason, int errorCode)
{
    switch (reason) {
    case RoomStateChangedReason::Logined:
        if (!m_loggedIn) {
            m_loggedIn = true;
            onLoggedIn();
        }
        return;
    case RoomStateChangedReason::LoginFailed:
        finish(ExitCode::LoginFailed, QStringLiteral("login failed: %1").arg(describe(errorCode)));
        return;
    case RoomStateChangedReason::KickOut:
        finish(ExitCode::Failure, QStringLiteral("kicked out: %1").arg(describe(errorCode)));
        return;
    case RoomStateChangedReason::ReconnectFailed:
        finish(ExitCode::Failure, QStringLiteral("reconnecting gave up: %1").arg(describe(errorCode)));
        return;
    case RoomStateChangedReason::LogoutFailed:
    case RoomStateChangedReason::Logout:
        // Only finish() logs out; anything else ending the room is a failure.
        finish(ExitCode::Failure, QStringLiteral("logged out: %1").arg(describe(errorCode)));
        return;
    case RoomStateChangedReason::Logining:
    case RoomStateChangedReason::Reconnecting:
    case RoomStateChangedReason::Reconnected:
        return; // the engine retries by itself; the printer reports it
    }
}

void CliSession::onLoggedIn()
{
    if (m_finishing)
        return;
    if (m_options.durationSeconds > 0.0)
        m_durationTimer.start(static_cast<int>(std::llround(m_options.durationSeconds * 1000.0)));
    if (!m_options.publishStreamId.isEmpty()) {
        if (const int code = m_engine->startPublishingStream(m_options.publishStreamId); code != 0) {
            finish(ExitCode::Usage,
                QStringLiteral("--publish %1: %2").arg(m_options.publishStreamId, describe(code)));
            return;
        }
    }
    for (const QString& streamId : m_options.playStreamIds) {
        if (const int code = m_engine->startPlayingStream(streamId); code != 0) {
            finish(ExitCode::Usage, QStringLiteral("--play %1: %2").arg(streamId, describe(code)));
            return;
        }
    }
    const QString roomId = m_engine->currentRoomID();
    for (const QString& message : m_options.messages) {
        if (const int sequence = m_engine->sendBroadcastMessage(roomId, message); sequence < 0) {
            finish(ExitCode::Failure, QStringLiteral("--message: %1").arg(describe(-sequence)));
            return;
        }
    }
}

void CliSession::onRoomStreamUpdate(UpdateType updateType, const QList<Stream>& streams)
{
    if (m_finishing)
        return;
    for (const Stream& stream : streams) {
        const QString& streamId = stream.streamID;
        if (m_options.playStreamIds.contains(streamId))
            continue; // named with --play: the engine keeps waiting for it
        if (updateType == UpdateType::Delete) {
            if (m_playAllStreams.remove(streamId))
                static_cast<void>(m_engine->stopPlayingStream(streamId));
            continue;
        }
        if (m_playAllStreams.contains(streamId))
            continue;
        if (const int code = m_engine->startPlayingStream(streamId); code != 0) {
            // More than 12 streams: the rest of the room is not heard, the session goes on.
            m_printer.error(QStringLiteral("--play-all: cannot play %1: %2").arg(streamId, describe(code)));
            continue;
        }
        m_playAllStreams.insert(streamId);
    }
}

void CliSession::onStreamFailed(const QString& what, const QString& streamId, int errorCode)
{
    // When the room itself ended (kicked out, reconnecting gave up), its reason decides.
    if (m_finishing || m_engine->roomState() == RoomState::Disconnected)
        return;
    finish(
        ExitCode::StreamFailed, QStringLiteral("%1 %2 failed: %3").arg(what, streamId, describe(errorCode)));
}

void CliSession::finish(ExitCode code, const QString& reason)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_durationTimer.stop();
    QString why = reason;
    if (code == ExitCode::Success && m_messageRefused) {
        code = ExitCode::Failure;
        why = QStringLiteral("the server refused a broadcast message");
    }
    if (!why.isEmpty())
        m_printer.error(why);
    const bool inRoom = m_engine && !m_engine->currentRoomID().isEmpty();
    if (inRoom) {
        m_printer.note(QStringLiteral("logging out"));
        static_cast<void>(m_engine->logoutRoom());
    }
    QTimer::singleShot(inRoom ? kLogoutLingerMs : 0, this, [this, code] {
        m_engine.reset();
        emit finished(toInt(code));
    });
}

} // namespace earshot::cli
