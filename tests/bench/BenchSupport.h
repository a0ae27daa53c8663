#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QUrl>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

class QNetworkReply;

// What the end-to-end benchmarks need around the code they measure: CPU time and socket drops
// read from /proc (Linux only, like the benchmarks), and an earshot-server child process.
// Everything here is used on the benchmark's main thread.
namespace earshot::bench {

// A process's CPU time at one instant: utime+stime from /proc/PID/stat (clock ticks, usually
// 10 ms) and, per thread, the scheduler's run time from /proc/PID/task/TID/schedstat
// (nanoseconds). Ticks are too coarse for a light load over a few seconds, so the per-thread
// sum is the figure to use; the tick total is kept as a cross-check.
struct CpuSample {
    double statSeconds = 0;       // utime + stime
    double statSystemSeconds = 0; // stime alone: the kernel's share (system calls, softirq)
    std::map<int, std::pair<QByteArray, double>> threads; // tid → (name, seconds)
};

// CPU used between two samples of one process.
struct CpuUse {
    double seconds = 0;     // sum over threads (schedstat)
    double statSeconds = 0; // utime+stime ticks
    double statSystemSeconds = 0;
    std::vector<std::pair<QByteArray, double>> threads; // busiest first; idle threads left out
};

CpuSample sampleCpu(qint64 pid);
CpuUse cpuBetween(const CpuSample& before, const CpuSample& after);

// Datagrams the kernel dropped because a socket's receive buffer was full, by local UDP port
// (/proc/net/udp, last column; IPv4 sockets of every process).
std::map<quint16, std::uint64_t> udpDropsByPort();

// "model name" of the first CPU in /proc/cpuinfo.
QByteArray cpuModel();

// Runs the event loop for `ms`. Not QTest::qWait: that sleeps in 10 ms steps between event
// batches, which would bunch a benchmark's timed sends.
void runEventLoopFor(int ms);

// earshot-server on loopback with ephemeral ports, knowing the test app kAppA (TestApp.h). Not
// the integration tests' ServerProcess: that one always runs the binary it was compiled
// against, and a benchmark must be able to run another build. stderr goes to a file, so a busy
// server never blocks on a full pipe.
class BenchServer {
public:
    ~BenchServer() { stop(); }

    // Starts `program` and waits up to 10 s for its ready line. False (after printing why and
    // where the log is) when it does not come.
    bool start(const QString& program);
    void stop(); // SIGTERM, then SIGKILL after 10 s
    // Deletes the stderr log (after a run that went well; a failed one leaves it to read).
    void discardLog();

    qint64 pid() const { return m_process.processId(); }
    const QString& logPath() const { return m_logPath; }
    const QUrl& signallingUrl() const { return m_signallingUrl; }
    quint16 mediaPort() const { return m_mediaPort; }

    // Starts a GET of /metrics and returns at once, so a measured run goes on meanwhile; read
    // the reply with metricsOf().
    QNetworkReply* requestMetrics();
    // Waits (running the event loop, at most 5 s) for the reply and parses the Prometheus text:
    // "name{labels}" → value. Deletes the reply.
    static std::map<QByteArray, double> metricsOf(QNetworkReply* reply);

private:
    QProcess m_process;
    QNetworkAccessManager m_network;
    QString m_logPath;
    QUrl m_signallingUrl;
    QUrl m_httpUrl;
    quint16 m_mediaPort = 0;
};

} // namespace earshot::bench
