#include "audio/PortAudioDevice.h"
#include "audio/PortAudioSystem.h"
#include "mediasession/MediaSession.h"

#include "PrivateSoundServer.h"

#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <memory>

using namespace earshot;
using earshot::audio::test::PrivateSoundServer;

// The engine's hot-plug path on the PortAudio backend: a MediaSession plays (so its device
// opens) against a private PulseAudio daemon; the daemon is killed (the device in use vanishes)
// and restarted. The session must report the device error and the devices gone without
// hanging, then report them back and reopen its device by itself. SKIPs without pulseaudio.
class MediaSessionHotPlugTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deviceVanishesAndReturns();

private:
    PrivateSoundServer m_server;
    std::shared_ptr<audio::PortAudioSystem> m_system;
};

void MediaSessionHotPlugTest::initTestCase()
{
    if (!PrivateSoundServer::isAvailable()) {
        if (qEnvironmentVariableIsSet("EARSHOT_REQUIRE_SOUND"))
            QFAIL("pulseaudio or pactl not installed");
        QSKIP("pulseaudio or pactl not installed (apt-get install pulseaudio)");
    }
    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    m_server.usePrivately();
    m_system = std::make_shared<audio::PortAudioSystem>();
    QCOMPARE(m_system->initError(), audio::AudioError::None);
}

void MediaSessionHotPlugTest::cleanupTestCase()
{
    m_system.reset();
}

void MediaSessionHotPlugTest::deviceVanishesAndReturns()
{
    mediasession::MediaSessionConfig config;
    config.pipeline.devicePeriodFrames = 480;
    config.pipeline.processing = false;
    config.device.engineFormat.framesPerPeriod = 480;
    config.makeDevice = [system = m_system] { return std::make_unique<audio::PortAudioDevice>(*system); };
    config.devices = m_system;
    config.deviceWatchIntervalMs = 300;
    config.deviceHealthPeriodMs = 100;
    std::unique_ptr<mediasession::MediaSession> session = mediasession::MediaSession::create(std::move(config));
    QVERIFY(session);

    QSignalSpy started(session.get(), &mediasession::MediaSession::deviceStarted);
    QSignalSpy errors(session.get(), &mediasession::MediaSession::deviceError);
    QSignalSpy added(session.get(), &mediasession::MediaSession::deviceAdded);
    QSignalSpy removed(session.get(), &mediasession::MediaSession::deviceRemoved);

    // Playing opens the device (the default ones, no preference).
    QVERIFY(session->startPlaying(1234, QStringLiteral("s1"), 0));
    QVERIFY(session->isDeviceOpen());
    QCOMPARE(started.count(), 1);
    QCOMPARE(errors.count(), 0);
    QTest::qWait(500);
    QCOMPARE(errors.count(), 0);

    // The server crashes: the failure is reported, the device closed, the devices gone.
    m_server.kill();
    const auto killed = std::chrono::steady_clock::now();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, 15000);
    const double detectSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
    const int code = errors.first().first().toInt();
    QVERIFY2(code == static_cast<int>(audio::AudioError::Unplugged)
                 || code == static_cast<int>(audio::AudioError::ZeroCapture),
             qPrintable(QString::number(code)));
    QTRY_VERIFY_WITH_TIMEOUT(removed.count() >= 1, 10000);
    QVERIFY(!session->isDeviceOpen());
    // Nothing to open while the server is down: no reopening, no error storm, no hang.
    QTest::qWait(1000);
    QVERIFY(!session->isDeviceOpen());
    QCOMPARE(started.count(), 1);
    QVERIFY2(errors.count() <= 2, qPrintable(QString::number(errors.count())));

    // The server returns: the devices are reported back and the device reopens by itself.
    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(added.count() >= 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(session->isDeviceOpen(), 10000);
    QCOMPARE(started.count(), 2);
    const int errorsAfterReturn = errors.count();
    QTest::qWait(1000); // and it keeps running
    QVERIFY(session->isDeviceOpen());
    QCOMPARE(errors.count(), errorsAfterReturn);
    qInfo("failure detected after %.2f s; %lld removed, %lld added, %lld errors", detectSeconds,
          static_cast<long long>(removed.count()), static_cast<long long>(added.count()),
          static_cast<long long>(errors.count()));

    session->shutdown();
    QVERIFY(!session->isDeviceOpen());
}

QTEST_GUILESS_MAIN(MediaSessionHotPlugTest)
#include "MediaSessionHotPlugTest.moc"
