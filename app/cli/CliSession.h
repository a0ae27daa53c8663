#pragma once

#include "CliOptions.h"
#include "EventPrinter.h"
#include "ExitCode.h"

#include <earshot/Engine.h>

#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace earshot::cli {

// Drives one earshot::Engine as the command line asks: logs in; once logged in publishes,
// plays, broadcasts the --message texts in order and starts the --duration clock; follows the
// room's streams for --play-all; at the end (the duration, stop(), or a failure) logs out,
// lets the logout leave, destroys the engine (which finishes the output WAV) and reports the
// exit code through finished().
//
// --play-all starts a play for every stream that appears (roomStreamUpdate ADD) and stops it
// when the stream goes away (DELETE). The engine alone would put such a play back to waiting
// (PlayRequesting) for a stream that may never come back, and the waiting plays would use up
// the 12 that the engine allows; a stream also named by --play is left to the engine, which
// waits for it to come back.
//
// Exit codes (ExitCode): LoginFailed for roomStateChanged(LoginFailed); StreamFailed for
// publisherStateUpdate(NoPublish) or playerStateUpdate(NoPlay) with a non-zero code while the
// room is up (when the room ends, its reason decides); Failure when the room ends by KickOut
// or ReconnectFailed, when the audio device fails (audioDeviceError), or when the server
// refused a --message (the session still runs its course); Usage when the engine rejects a
// value from the command line (identifiers, device IDs).
//
// Calls into the engine are never made from inside the engine's signals: the reactions are
// queued, so the engine has finished its own state change first.
//
// Thread: the engine's owning thread (the main thread), with a running event loop.
class CliSession : public QObject {
    Q_OBJECT

public:
    // How long the client waits after logoutRoom() before destroying the engine, so the
    // logout reaches the server (others then see reason 1, "stopped", not a dropped connection).
    static constexpr int kLogoutLingerMs = 300;

    explicit CliSession(CliOptions options, QObject* parent = nullptr);
    ~CliSession() override;

    // Creates the engine, selects the devices and starts logging in. Success, or the exit code
    // when it cannot begin (Usage: a value the engine rejects; Failure: no engine), with the
    // reason printed; finished() is then not emitted.
    [[nodiscard]] ExitCode start();

    // Ends the session with Success (SIGINT / SIGTERM): logs out and finishes. Idempotent.
    void stop();

signals:
    // The session is over and the engine destroyed; the process should exit with `exitCode`.
    void finished(int exitCode);

private:
    [[nodiscard]] EngineOptions engineOptions() const;
    [[nodiscard]] int selectDevices();
    void connectEngine();
    void onRoomStateChanged(RoomStateChangedReason reason, int errorCode);
    void onLoggedIn();
    void onRoomStreamUpdate(UpdateType updateType, const QList<Stream>& streams);
    void onStreamFailed(const QString& what, const QString& streamId, int errorCode);
    // Ends the session (once): the reason goes to stderr; logs out; emits finished() after the
    // linger. Called from queued reactions only.
    void finish(ExitCode code, const QString& reason = {});
    // Runs `reaction` from the event loop, after the engine's current signal.
    template<typename Reaction> void later(Reaction reaction)
    {
        QMetaObject::invokeMethod(this, std::move(reaction), Qt::QueuedConnection);
    }

    const CliOptions m_options;
    EventPrinter m_printer;
    std::unique_ptr<Engine> m_engine;
    QTimer m_durationTimer;
    QSet<QString> m_playAllStreams; // plays that --play-all started (and stops)
    bool m_loggedIn = false; // logged in at least once
    bool m_finishing = false;
    bool m_messageRefused = false;
};

} // namespace earshot::cli
