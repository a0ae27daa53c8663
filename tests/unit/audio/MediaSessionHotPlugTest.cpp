#include "audio/PortAudioDevice.h"
#include "audio/PortAudioSystem.h"
#include "mediasession/MediaSession.h"

#include "PrivateSoundServer.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <memory>

using namespace earshot;
using earshot::audio::test::PrivateSoundServer;

// The engine's hot-plug path on the PortAudio backend, against a private PulseAudio daemon that
// is killed (its devices vanish, as when the sound server crashes) and restarted:
//  - devicesComeAndGoWhileIdle: a session that watches devices but has nothing open reports the
//    devices gone and back (found by SoundServerProbe: no ALSA card changes), then opens them;
//  - deviceVanishesUnderAPlayingSession: the device in use vanishes; the session reports the
//    error and the devices gone without hanging, then reports them back and reopens by itself.
// SKIPs without pulseaudio.
class MediaSessionHotPlugTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void devicesComeAndGoWhileIdle();
    void deviceVanishesUnderAPlayingSession();

private:
    std::unique_ptr<mediasession::MediaSession> makeSession();

    PrivateSoundServer m_server;
    std::shared_ptr<audio::PortAudioSystem> m_system;
};

void MediaSessionHotPlugTest::initTestCase()
{
    EARSHOT_USE_PRIVATE_SOUND_SERVER(m_server);
    m_system = std::make_shared<audio::PortAudioSystem>();
    QCOMPARE(m_system->initError(), audio::AudioError::None);
}

void MediaSessionHotPlugTest::cleanupTestCase()
{
    m_system.reset();
}

std::unique_ptr<mediasession::MediaSession> MediaSessionHotPlugTest::makeSession()
{
    mediasession::MediaSessionConfig config;
    config.pipeline.devicePeriodFrames = 480;
    config.pipeline.processing = false;
    config.device.engineFormat.framesPerPeriod = 480;
    config.makeDevice = [system = m_system] { return std::make_unique<audio::PortAudioDevice>(*system); };
    config.devices = m_system;
    config.deviceWatchIntervalMs = 300;
    config.deviceHealthPeriodMs = 100;
    return mediasession::MediaSession::create(std::move(config));
}

void MediaSessionHotPlugTest::devicesComeAndGoWhileIdle()
{
    std::unique_ptr<mediasession::MediaSession> session = makeSession();
    QVERIFY(session);
    QSignalSpy errors(session.get(), &mediasession::MediaSession::deviceError);
    QSignalSpy added(session.get(), &mediasession::MediaSession::deviceAdded);
    QSignalSpy removed(session.get(), &mediasession::MediaSession::deviceRemoved);
    session->watchDevices();
    QVERIFY(!session->isDeviceOpen());

    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(removed.count() >= 1, 10000);
    QCOMPARE(added.count(), 0);
    const audio::DeviceSnapshot down = m_system->enumerate();
    for (const QList<QVariant>& report : removed) {
        const auto device = report.first().value<audio::AudioDeviceInfo>();
        QVERIFY2(std::none_of(down.devices.begin(), down.devices.end(),
                              [&device](const audio::AudioDeviceInfo& listed) { return listed.id == device.id; }),
                 device.id.c_str());
    }

    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(added.count() >= 1, 10000);
    QCOMPARE(added.count(), removed.count()); // the same devices are back
    // …and they work: playing opens them.
    QVERIFY(session->startPlaying(1234, QStringLiteral("s1"), 0));
    QVERIFY(session->isDeviceOpen());
    QCOMPARE(errors.count(), 0);
    session->shutdown();
}

void MediaSessionHotPlugTest::deviceVanishesUnderAPlayingSession()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // PortAudio 19.6 (Debian 12): when the server dies in the middle of a poll, its ALSA capture
    // thread can take the error path of PaAlsaStream_WaitForFrames with a stale frame count and
    // loop for good (pa_linux_alsa.c:3958: PA_UNLESS jumps to the label it is under), printing
    // "self->capture.ready || self->playback.ready failed" and never reaching a cancellation
    // point; Pa_AbortStream then joins that thread forever. Under ASan and TSan it happens on
    // every run; in the optimised build the count is zero there and the thread ends (tested
    // here, also under load). Not a defect of Earshot's; the test runs in the ci preset.
    QSKIP("PortAudio 19.6's ALSA capture thread loops forever under sanitizers when the server dies (see source)");
#endif
    std::unique_ptr<mediasession::MediaSession> session = makeSession();
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
