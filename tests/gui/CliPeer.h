#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace earshot::gui {

// One earshot-cli child process (EARSHOT_CLI_BINARY) as the other person in the room: its
// stdout (--events JSON lines) and stderr are collected so tests can wait for what it printed.
class CliPeer {
public:
    CliPeer();
    ~CliPeer(); // SIGTERM (a clean logout), then SIGKILL if it hangs
    CliPeer(const CliPeer&) = delete;
    CliPeer& operator=(const CliPeer&) = delete;

    [[nodiscard]] bool start(const QStringList& arguments);
    // Waits (running the event loop) until stdout contains `text`.
    [[nodiscard]] bool waitForOutput(const QByteArray& text, int timeoutMs);
    void stop();
    [[nodiscard]] QByteArray output() const { return m_stdout; }
    [[nodiscard]] QByteArray log() const { return m_stderr; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace earshot::gui
