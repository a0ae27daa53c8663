#include "audio/DeviceChanges.h"
#include "audio/DeviceSelector.h"
#include "audio/PortAudioDevice.h"
#include "audio/PortAudioSystem.h"

#include "PrivateSoundServer.h"
#include "SignalAnalysis.h"
#include "ToneRecorder.h"

#include <QTest>

#include <chrono>
#include <memory>

using namespace earshot::audio;
using earshot::audio::test::kToneHz;
using earshot::audio::test::PrivateSoundServer;
using earshot::audio::test::ToneRecorder;
namespace analysis = earshot::audio::test;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

// The sound server dies under open streams (what an unplugged device looks like to PortAudio)
// and comes back: the device must notice, fail with a device error, close without hanging, the
// enumeration must report the devices gone and back, and DeviceSelector's reopen must carry the
// tone again. Runs its own PulseAudio daemon, so it needs no wrapper; SKIPs without pulseaudio.
class PortAudioVanishTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void serverVanishesUnderAStreamAndReturns();

private:
    PrivateSoundServer m_server;
    std::unique_ptr<PortAudioSystem> m_system;
};

void PortAudioVanishTest::initTestCase()
{
    EARSHOT_USE_PRIVATE_SOUND_SERVER(m_server);
    m_system = std::make_unique<PortAudioSystem>();
    QCOMPARE(m_system->initError(), AudioError::None);
}

void PortAudioVanishTest::cleanupTestCase()
{
    m_system.reset();
}

void PortAudioVanishTest::serverVanishesUnderAStreamAndReturns()
{
    const DeviceSnapshot before = m_system->enumerate();
    DeviceSelector selector(DeviceDirection::Output);
    const std::optional<DeviceSelection> initial = selector.update(before);
    QVERIFY(initial && !initial->deviceId.empty());

    AudioStreamConfig config;
    config.outputDeviceId = initial->deviceId;
    ToneRecorder recorder(config.engineFormat, 2.5);
    PortAudioDevice device(*m_system); // after the recorder: destroyed (stopped) first
    QCOMPARE(device.open(config, recorder), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.m_calls.load() > 50, 10000);
    QCOMPARE(device.checkHealth(), AudioError::None);

    // The server crashes.
    m_server.kill();
    const auto killed = std::chrono::steady_clock::now();
    AudioError health = AudioError::None;
    QTRY_VERIFY_WITH_TIMEOUT((health = device.checkHealth()) != AudioError::None, 10000);
    const double detectSeconds = secondsSince(killed);
    QCOMPARE(device.state(), AudioDeviceState::Failed);
    QVERIFY2(health == AudioError::Unplugged || health == AudioError::ZeroCapture, audioErrorText(health));
    QCOMPARE(device.lastError(), health);
    QCOMPARE(device.start(), AudioError::Generic); // a failed stream is closed and reopened, not restarted
    const auto closing = std::chrono::steady_clock::now();
    device.close();
    const double closeSeconds = secondsSince(closing);
    QVERIFY2(closeSeconds < 2.0, qPrintable(QStringLiteral("close() took %1 s").arg(closeSeconds)));

    // With no stream open, the next enumeration is fresh: the server's devices are gone…
    const DeviceSnapshot gone = m_system->enumerate();
    const DeviceChanges removal = DeviceChanges::between(before, gone);
    QCOMPARE(removal.removed.size(), before.devices.size());
    QCOMPARE(selector.reportFailure(gone).reason, SelectionReason::NoDevice);
    QCOMPARE(device.open(config, recorder), AudioError::InvalidDeviceId); // nothing to open

    // …and back once it returns.
    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    const DeviceSnapshot back = m_system->enumerate();
    QCOMPARE(DeviceChanges::between(gone, back).added.size(), before.devices.size());
    const std::optional<DeviceSelection> reopen = selector.update(back);
    QVERIFY(reopen.has_value());
    QCOMPARE(reopen->deviceId, initial->deviceId);

    config.outputDeviceId = reopen->deviceId;
    recorder.restartRecording();
    QCOMPARE(device.open(config, recorder), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.recording().size() >= recorder.m_recording.size(), 10000);
    QCOMPARE(device.checkHealth(), AudioError::None);
    device.close();
    const auto settled = recorder.recording().subspan(48000);
    const double frequencyHz = analysis::zeroCrossingFrequencyHz(settled, 48000);
    const double level = analysis::rms(settled);
    qInfo("server killed: %s detected after %.2f s, close() took %.3f s; after the restart: %.3f Hz, RMS %.4f",
          audioErrorText(health), detectSeconds, closeSeconds, frequencyHz, level);
    QVERIFY2(std::abs(frequencyHz - kToneHz) < 1.0, qPrintable(QStringLiteral("captured %1 Hz").arg(frequencyHz)));
    QVERIFY(level > 0.15);
}

QTEST_GUILESS_MAIN(PortAudioVanishTest)
#include "PortAudioVanishTest.moc"
