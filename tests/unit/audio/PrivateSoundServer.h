#pragma once

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#ifdef __linux__
#include <csignal>
#include <sys/prctl.h>
#endif

// A PulseAudio daemon owned by one test, like scripts/with-virtual-sound's but killable and
// restartable from inside the test: a null sink (the default sink, its monitor the default
// source) on a private socket. The test points its own process at it with usePrivately().
namespace earshot::audio::test {

class PrivateSoundServer {
public:
    PrivateSoundServer() = default;
    ~PrivateSoundServer() { kill(); }
    PrivateSoundServer(const PrivateSoundServer&) = delete;
    PrivateSoundServer& operator=(const PrivateSoundServer&) = delete;

    static bool isAvailable()
    {
        return !QStandardPaths::findExecutable(QStringLiteral("pulseaudio")).isEmpty()
            && !QStandardPaths::findExecutable(QStringLiteral("pactl")).isEmpty();
    }

    QString address() const { return QStringLiteral("unix:") + m_directory.filePath(QStringLiteral("native")); }

    // Starts the daemon (again, on the same socket, after kill()) and waits until it answers.
    bool start(QString& error)
    {
        if (!m_directory.isValid()) {
            error = QStringLiteral("no temporary directory");
            return false;
        }
        QProcessEnvironment environment = clientEnvironment();
        environment.insert(QStringLiteral("PULSE_RUNTIME_PATH"), m_directory.path());
        environment.insert(QStringLiteral("PULSE_STATE_PATH"), m_directory.path());
        m_daemon.setProcessEnvironment(environment);
        m_daemon.setProcessChannelMode(QProcess::ForwardedErrorChannel);
#ifdef __linux__
        // The daemon dies with the test, even when the test is killed (a CTest timeout).
        m_daemon.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
        m_daemon.start(QStringLiteral("pulseaudio"),
                       {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"),
                        QStringLiteral("--disallow-exit"), QStringLiteral("-n"), QStringLiteral("--use-pid-file=no"),
                        QStringLiteral("--log-target=stderr"), QStringLiteral("--log-level=error"),
                        QStringLiteral("--load=module-null-sink sink_name=vsink"),
                        QStringLiteral("--load=module-native-protocol-unix auth-anonymous=1 socket=")
                            + m_directory.filePath(QStringLiteral("native")),
                        QStringLiteral("--load=module-always-sink")});
        if (!m_daemon.waitForStarted(5000)) {
            error = m_daemon.errorString();
            return false;
        }
        for (int attempt = 0; attempt < 100; ++attempt) {
            if (answers())
                return true;
            if (m_daemon.state() != QProcess::Running) {
                error = QStringLiteral("pulseaudio exited with %1").arg(m_daemon.exitCode());
                return false;
            }
            QTest::qWait(100);
        }
        error = QStringLiteral("pulseaudio did not answer on %1").arg(address());
        return false;
    }

    // SIGKILL: the server vanishes without a goodbye, as when it crashes.
    void kill()
    {
        if (m_daemon.state() == QProcess::NotRunning)
            return;
        m_daemon.kill();
        m_daemon.waitForFinished(5000);
    }

    // Points this process's PulseAudio clients (ALSA's pulse plugin under PortAudio) at the
    // private server. Call before PortAudio opens anything.
    void usePrivately() const
    {
        const QProcessEnvironment environment = clientEnvironment();
        for (const QString& name : {QStringLiteral("PULSE_SERVER"), QStringLiteral("PULSE_CLIENTCONFIG")})
            qputenv(name.toLocal8Bit().constData(), environment.value(name).toLocal8Bit());
    }

    // The environment of a client process (pactl, parec…) that should use this server.
    QProcessEnvironment clientEnvironment() const
    {
        // No client may spawn a daemon of its own while ours is down.
        const QString clientConfig = m_directory.filePath(QStringLiteral("client.conf"));
        QFile file(clientConfig);
        if (!file.exists() && file.open(QIODevice::WriteOnly))
            file.write("autospawn = no\n");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PULSE_SERVER"), address());
        environment.insert(QStringLiteral("PULSE_CLIENTCONFIG"), clientConfig);
        return environment;
    }

private:
    bool answers() const
    {
        QProcess pactl;
        pactl.setProcessEnvironment(clientEnvironment());
        pactl.start(QStringLiteral("pactl"), {QStringLiteral("info")});
        return pactl.waitForFinished(5000) && pactl.exitStatus() == QProcess::NormalExit && pactl.exitCode() == 0;
    }

    QTemporaryDir m_directory;
    QProcess m_daemon;
};

} // namespace earshot::audio::test

// For initTestCase(): starts `server` and points this process's PulseAudio clients at it. SKIPs
// the test when pulseaudio is not installed, or fails when EARSHOT_REQUIRE_SOUND says it must
// run. A macro because QSKIP and QFAIL return from the test function.
#define EARSHOT_USE_PRIVATE_SOUND_SERVER(server)                                                  \
    do {                                                                                          \
        if (!earshot::audio::test::PrivateSoundServer::isAvailable()) {                           \
            if (qEnvironmentVariableIsSet("EARSHOT_REQUIRE_SOUND"))                               \
                QFAIL("pulseaudio or pactl not installed");                                       \
            QSKIP("pulseaudio or pactl not installed (apt-get install pulseaudio)");               \
        }                                                                                         \
        QString startError;                                                                       \
        QVERIFY2((server).start(startError), qPrintable(startError));                             \
        (server).usePrivately();                                                                  \
    } while (false)
