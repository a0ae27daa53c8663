#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace earshot::integration {

// One earshot-server child process listening on loopback with ephemeral ports, registered with
// both test apps (TestApp.h). Its stderr is collected so that a failing test can print what the
// server said (call printLogIfFailed() from the test class's cleanup()); setting the environment
// variable EARSHOT_TEST_SERVER_LOG=1 forwards it live instead. Used on the test thread only.
class ServerProcess {
public:
    static constexpr int kStartTimeoutMs = 10000;
    static constexpr int kStopTimeoutMs = 10000;

    ServerProcess();
    ~ServerProcess(); // stops a running server (SIGTERM, then SIGKILL if it hangs)
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts `earshot-server --listen 127.0.0.1:0 --media-port 0 --app A --app B extraArgs...`
    // and waits for its ready line. False, with a warning that includes stderr, when the line
    // does not come within kStartTimeoutMs or cannot be parsed.
    [[nodiscard]] bool start(const QStringList& extraArgs = {});

    // Sends SIGTERM and waits (running the event loop, so clients can read the server's last
    // messages) until the process exits. False if it did not exit in time (it is then killed).
    bool stop(int timeoutMs = kStopTimeoutMs);

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    qint64 processId() const { return m_process.processId(); }

    // From the ready line: ws://127.0.0.1:PORT, udp://127.0.0.1:PORT, http://127.0.0.1:PORT.
    QUrl signallingUrl() const { return m_signallingUrl; }
    QUrl mediaUrl() const { return m_mediaUrl; }
    QUrl httpUrl() const { return m_httpUrl; }

    // HTTP GET of `path` on the server's HTTP port. Returns the status code (0 on a transport
    // error or timeout) and fills *body.
    int httpGet(const QString& path, QByteArray* body = nullptr, int timeoutMs = 5000) const;

    // The server's stderr since the last clearLog() (the newest kMaxLogBytes).
    QByteArray log();
    void clearLog() { m_log.clear(); }
    // Prints the log with qWarning when the current test function failed, then clears it.
    void printLogIfFailed();

    // Runs `earshot-server ARGS...` to completion (e.g. the `token` subcommand) and returns its
    // stdout; *exitCode is -1 when it could not run or timed out.
    static QByteArray runCommand(const QStringList& args, int* exitCode, int timeoutMs = 10000);

private:
    static constexpr qsizetype kMaxLogBytes = 256 * 1024;

    void collectStderr();
    bool parseReadyLine(const QByteArray& line);

    QProcess m_process;
    bool m_ready = false;
    QByteArray m_stdout;
    QByteArray m_log;
    QUrl m_signallingUrl;
    QUrl m_mediaUrl;
    QUrl m_httpUrl;
};

} // namespace earshot::integration
