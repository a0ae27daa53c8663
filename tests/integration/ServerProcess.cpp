#include "ServerProcess.h"

#include "TestApp.h"

#include <QDebug>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTest>

#include <memory>

namespace earshot::integration {

namespace {

const QString kServerBinary = QStringLiteral(EARSHOT_SERVER_BINARY);

bool forwardServerLog()
{
    return qEnvironmentVariableIntValue("EARSHOT_TEST_SERVER_LOG") != 0;
}

} // namespace

ServerProcess::ServerProcess()
{
    m_process.setProgram(kServerBinary);
    m_process.setProcessChannelMode(forwardServerLog() ? QProcess::ForwardedErrorChannel
                                                       : QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { collectStderr(); });
    // After the ready line stdout is only logging: keep it with stderr so the pipe never fills.
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
        if (m_ready)
            m_log += m_process.readAllStandardOutput();
    });
}

ServerProcess::~ServerProcess()
{
    if (isRunning())
        stop();
}

bool ServerProcess::start(const QStringList& extraArgs)
{
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--media-port"), QStringLiteral("0"),
                     QStringLiteral("--app"), kAppA.commandLineValue(),
                     QStringLiteral("--app"), kAppB.commandLineValue()};
    args += extraArgs;
    m_process.setArguments(args);
    m_stdout.clear();
    m_log.clear();
    m_ready = false;
    m_process.start();
    if (!m_process.waitForStarted(kStartTimeoutMs)) {
        qWarning().noquote() << "cannot start" << kServerBinary << ":" << m_process.errorString();
        return false;
    }

    // The ready line is printed once the ports are bound; it carries the ephemeral ports.
    bool ready = false;
    const bool finished = QTest::qWaitFor(
        [&] {
            m_stdout += m_process.readAllStandardOutput();
            qsizetype newline = -1;
            while (!ready && (newline = m_stdout.indexOf('\n')) >= 0) {
                const QByteArray line = m_stdout.left(newline).trimmed();
                m_stdout.remove(0, newline + 1);
                ready = parseReadyLine(line);
            }
            return ready || !isRunning();
        },
        kStartTimeoutMs);
    m_ready = ready;
    if (!ready) {
        if (!finished)
            qWarning() << "no ready line within" << kStartTimeoutMs << "ms";
        collectStderr();
        qWarning().noquote() << "earshot-server did not print its ready line; args:"
                             << args.join(QLatin1Char(' ')) << "\nstdout:" << m_stdout
                             << "\nstderr:\n" << QString::fromUtf8(m_log);
        stop();
        return false;
    }
    return true;
}

bool ServerProcess::parseReadyLine(const QByteArray& line)
{
    static const QRegularExpression kReady(QStringLiteral(
        R"(^earshot-server ready signalling=(wss?://\S+) media=(udp://\S+) http=(https?://\S+)$)"));
    const QRegularExpressionMatch match = kReady.match(QString::fromUtf8(line));
    if (!match.hasMatch())
        return false;
    m_signallingUrl = QUrl(match.captured(1));
    m_mediaUrl = QUrl(match.captured(2));
    m_httpUrl = QUrl(match.captured(3));
    if (m_signallingUrl.path().isEmpty())
        m_signallingUrl.setPath(QStringLiteral("/")); // the WebSocket is served on "/"
    const bool portsKnown = m_signallingUrl.port() > 0 && m_mediaUrl.port() > 0
        && m_httpUrl.port() > 0;
    if (!portsKnown)
        qWarning().noquote() << "ready line without real ports:" << line;
    return portsKnown;
}

bool ServerProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return true;
    m_process.terminate();
    const bool exited = QTest::qWaitFor([this] { return !isRunning(); }, timeoutMs);
    collectStderr();
    if (!exited) {
        qWarning() << "earshot-server ignored SIGTERM for" << timeoutMs << "ms; killing it";
        m_process.kill();
        m_process.waitForFinished(kStopTimeoutMs);
    }
    return exited;
}

int ServerProcess::httpGet(const QString& path, QByteArray* body, int timeoutMs) const
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    QUrl url = m_httpUrl;
    url.setPath(path);
    std::unique_ptr<QNetworkReply> reply(manager.get(QNetworkRequest(url)));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, timeoutMs)) {
        qWarning().noquote() << "GET" << url.toString() << "timed out";
        return 0;
    }
    if (body)
        *body = reply->readAll();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QByteArray ServerProcess::log()
{
    collectStderr();
    return m_log;
}

void ServerProcess::printLogIfFailed()
{
    if (QTest::currentTestFailed()) {
        const QByteArray text = log();
        qWarning().noquote() << "---- earshot-server stderr (pid" << processId() << ") ----\n"
                             << QString::fromUtf8(text) << "\n---- end of server stderr ----";
    }
    clearLog();
}

void ServerProcess::collectStderr()
{
    if (m_process.processChannelMode() != QProcess::SeparateChannels)
        return;
    m_log += m_process.readAllStandardError();
    if (m_log.size() > kMaxLogBytes)
        m_log.remove(0, m_log.size() - kMaxLogBytes);
}

QByteArray ServerProcess::runCommand(const QStringList& args, int* exitCode, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(kServerBinary, args);
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished();
        *exitCode = -1;
        return {};
    }
    *exitCode = process.exitCode();
    return process.readAllStandardOutput();
}

} // namespace earshot::integration
