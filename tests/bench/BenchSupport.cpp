#include "BenchSupport.h"

#include "TestApp.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace earshot::bench {

namespace {

QByteArray readProcFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

CpuSample sampleCpu(qint64 pid)
{
    CpuSample sample;
    const QByteArray stat = readProcFile(QStringLiteral("/proc/%1/stat").arg(pid));
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() > 12) {
        const double tick = double(sysconf(_SC_CLK_TCK));
        sample.statSeconds = double(fields[11].toLongLong() + fields[12].toLongLong()) / tick;
        sample.statSystemSeconds = double(fields[12].toLongLong()) / tick;
    }
    const QString taskDir = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString& tid : QDir(taskDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QByteArray schedstat = readProcFile(taskDir + '/' + tid + QStringLiteral("/schedstat"));
        const QByteArray name = readProcFile(taskDir + '/' + tid + QStringLiteral("/comm")).trimmed();
        sample.threads[tid.toInt()] = {name, double(schedstat.split(' ').value(0).toLongLong()) / 1e9};
    }
    return sample;
}

CpuUse cpuBetween(const CpuSample& before, const CpuSample& after)
{
    CpuUse use;
    use.statSeconds = after.statSeconds - before.statSeconds;
    use.statSystemSeconds = after.statSystemSeconds - before.statSystemSeconds;
    for (const auto& [tid, thread] : after.threads) {
        const auto earlier = before.threads.find(tid);
        const double seconds = thread.second - (earlier == before.threads.end() ? 0.0 : earlier->second.second);
        use.seconds += seconds;
        if (seconds > 0.0005)
            use.threads.emplace_back(thread.first, seconds);
    }
    std::sort(use.threads.begin(), use.threads.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    return use;
}

std::map<quint16, std::uint64_t> udpDropsByPort()
{
    std::map<quint16, std::uint64_t> drops;
    const QList<QByteArray> lines = readProcFile(QStringLiteral("/proc/net/udp")).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the column header
        const QList<QByteArray> fields = lines[i].simplified().split(' ');
        if (fields.size() < 13)
            continue;
        // local_address is "0100007F:1F90": address and port in hex.
        const quint16 port = quint16(fields[1].mid(fields[1].indexOf(':') + 1).toUInt(nullptr, 16));
        drops[port] += fields.last().toULongLong();
    }
    return drops;
}

QByteArray cpuModel()
{
    for (const QByteArray& line : readProcFile(QStringLiteral("/proc/cpuinfo")).split('\n'))
        if (line.startsWith("model name"))
            return line.mid(line.indexOf(':') + 1).trimmed();
    return "unknown";
}

void runEventLoopFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

bool BenchServer::start(const QString& program)
{
    m_logPath = QDir::temp().filePath(
        QStringLiteral("earshot-bench-server-%1.log").arg(QCoreApplication::applicationPid()));
    m_process.setStandardErrorFile(m_logPath);
    m_process.start(program, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                              QStringLiteral("--media-port"), QStringLiteral("0"), QStringLiteral("--app"),
                              integration::kAppA.commandLineValue()});
    static const QRegularExpression kReady(QStringLiteral(
        R"(^earshot-server ready signalling=(ws://\S+) media=udp://[^:]+:(\d+) http=(http://\S+)$)"));
    QByteArray output;
    while (m_process.waitForReadyRead(10000)) {
        output += m_process.readAllStandardOutput();
        for (const QByteArray& line : output.split('\n')) {
            const QRegularExpressionMatch match = kReady.match(QString::fromUtf8(line.trimmed()));
            if (!match.hasMatch())
                continue;
            m_signallingUrl = QUrl(match.captured(1));
            if (m_signallingUrl.path().isEmpty())
                m_signallingUrl.setPath(QStringLiteral("/")); // the WebSocket is served on "/"
            m_mediaPort = quint16(match.captured(2).toUInt());
            m_httpUrl = QUrl(match.captured(3));
            // After the ready line stdout is only logging: keep the pipe empty.
            QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                             [this] { m_process.readAllStandardOutput(); });
            return true;
        }
    }
    std::fprintf(stderr, "earshot-server (%s) did not print its ready line (%s); its log: %s\n",
                 qPrintable(program), qPrintable(m_process.errorString()), qPrintable(m_logPath));
    return false;
}

void BenchServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

void BenchServer::discardLog()
{
    if (!m_logPath.isEmpty())
        QFile::remove(m_logPath);
}

QNetworkReply* BenchServer::requestMetrics()
{
    m_network.setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    QUrl url = m_httpUrl;
    url.setPath(QStringLiteral("/metrics"));
    return m_network.get(QNetworkRequest(url));
}

std::map<QByteArray, double> BenchServer::metricsOf(QNetworkReply* reply)
{
    std::map<QByteArray, double> metrics;
    if (reply == nullptr)
        return metrics;
    for (int waited = 0; !reply->isFinished() && waited < 5000; waited += 10)
        runEventLoopFor(10);
    for (const QByteArray& line : reply->readAll().split('\n')) {
        const qsizetype space = line.lastIndexOf(' ');
        if (!line.startsWith('#') && space > 0)
            metrics[line.left(space)] = line.mid(space + 1).toDouble();
    }
    reply->deleteLater();
    return metrics;
}

} // namespace earshot::bench
