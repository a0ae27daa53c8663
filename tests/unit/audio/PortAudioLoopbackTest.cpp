#include "audio/PortAudioDevice.h"
#include "audio/PortAudioSystem.h"

#include "SignalAnalysis.h"
#include "ToneRecorder.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

using namespace earshot::audio;
using earshot::audio::test::kToneAmplitude;
using earshot::audio::test::kToneHz;
using earshot::audio::test::ToneRecorder;
namespace analysis = earshot::audio::test;
using namespace std::chrono_literals;

namespace {

constexpr double kRecordSeconds = 2.5;
constexpr double kSettleSeconds = 1.0; // the first second or so arrives late (ENVIRONMENT.md)

bool runPactl(const QStringList& arguments, QString* output = nullptr, QString* error = nullptr)
{
    QProcess pactl;
    // Probing must not start a daemon: pactl (as a non-root user) would autospawn one.
    static const QTemporaryDir configDirectory;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!environment.contains(QStringLiteral("PULSE_CLIENTCONFIG")) && configDirectory.isValid()) {
        QFile config(configDirectory.filePath(QStringLiteral("client.conf")));
        if (config.exists() || (config.open(QIODevice::WriteOnly) && config.write("autospawn = no\n") > 0))
            environment.insert(QStringLiteral("PULSE_CLIENTCONFIG"), config.fileName());
    }
    pactl.setProcessEnvironment(environment);
    pactl.start(QStringLiteral("pactl"), arguments);
    if (!pactl.waitForFinished(5000)) {
        if (error != nullptr)
            *error = pactl.errorString();
        pactl.kill();
        pactl.waitForFinished();
        return false;
    }
    if (output != nullptr)
        *output = QString::fromLocal8Bit(pactl.readAllStandardOutput());
    if (error != nullptr)
        *error = QString::fromLocal8Bit(pactl.readAllStandardError()).trimmed();
    return pactl.exitStatus() == QProcess::NormalExit && pactl.exitCode() == 0;
}

} // namespace

class PortAudioLoopbackTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void enumeratesWithStableIds();
    void rejectsUnknownDevices();
    void loopback_data();
    void loopback();

private:
    void record(PortAudioDevice& device, ToneRecorder& recorder, double& frequencyHz, double& level);

    std::unique_ptr<PortAudioSystem> m_system;
};

void PortAudioLoopbackTest::initTestCase()
{
    QString error;
    if (!runPactl({QStringLiteral("info")}, nullptr, &error)) {
        const QString reason = QStringLiteral("no PulseAudio server reachable (pactl info: %1); run the test under "
                                              "scripts/with-virtual-sound")
                                   .arg(error.isEmpty() ? QStringLiteral("failed") : error);
        if (qEnvironmentVariableIsSet("EARSHOT_REQUIRE_SOUND"))
            QFAIL(qPrintable(reason));
        QSKIP(qPrintable(reason));
    }
    m_system = std::make_unique<PortAudioSystem>();
    QCOMPARE(m_system->initError(), AudioError::None);
}

void PortAudioLoopbackTest::cleanupTestCase()
{
    m_system.reset();
}

void PortAudioLoopbackTest::enumeratesWithStableIds()
{
    const DeviceSnapshot first = m_system->enumerate();
    QVERIFY2(!first.devices.empty(), "PortAudio lists no device although a sound server is up");
    QVERIFY(!first.defaultInputId.empty());
    QVERIFY(!first.defaultOutputId.empty());
    for (const AudioDeviceInfo& device : first.devices) {
        qInfo("device %s: in %d, out %d, %.0f Hz%s%s", device.id.c_str(), device.maxInputChannels,
              device.maxOutputChannels, device.defaultSampleRateHz, device.isDefaultInput ? ", default input" : "",
              device.isDefaultOutput ? ", default output" : "");
        QVERIFY(device.id.find(':') != std::string::npos); // "host API:name"
    }
    QVERIFY(first.find(first.defaultInputId, DeviceDirection::Input) != nullptr);
    QVERIFY(first.find(first.defaultOutputId, DeviceDirection::Output) != nullptr);
    // A forced re-initialisation of PortAudio yields the same IDs.
    m_system->invalidate();
    const DeviceSnapshot second = m_system->enumerate();
    QCOMPARE(second, first);
}

void PortAudioLoopbackTest::rejectsUnknownDevices()
{
    ToneRecorder recorder(AudioFormat{}, 0.1);
    PortAudioDevice device(*m_system);
    AudioStreamConfig config;
    config.outputDeviceId = "ALSA:no such device";
    QCOMPARE(device.open(config, recorder), AudioError::InvalidDeviceId);
    QCOMPARE(device.state(), AudioDeviceState::Closed);
    config = {};
    config.engineFormat.framesPerPeriod = 0;
    QCOMPARE(device.open(config, recorder), AudioError::InvalidDeviceId);
}

void PortAudioLoopbackTest::loopback_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("deviceRateHz");
    QTest::newRow("mono, device at the engine's 48 kHz") << 1 << 0;
    QTest::newRow("mono, device at 44.1 kHz (resampled both ways)") << 1 << 44100;
    QTest::newRow("stereo, device at 32 kHz") << 2 << 32000;
}

// Plays the tone to the default output and captures it back from the default input (on the
// virtual sound server: the null sink's monitor), then checks what came back after the
// streams settled.
void PortAudioLoopbackTest::loopback()
{
    QFETCH(int, channels);
    QFETCH(int, deviceRateHz);
    AudioStreamConfig config;
    config.engineFormat.channels = channels;
    config.deviceSampleRateHz = deviceRateHz;
    ToneRecorder recorder(config.engineFormat, kRecordSeconds);
    PortAudioDevice device(*m_system); // after the recorder: destroyed (stopped) first
    QCOMPARE(device.open(config, recorder), AudioError::None);
    if (deviceRateHz != 0) {
        QCOMPARE(device.inputDeviceRateHz(), deviceRateHz);
        QCOMPARE(device.outputDeviceRateHz(), deviceRateHz);
    }
    double frequencyHz = 0.0;
    double level = 0.0;
    record(device, recorder, frequencyHz, level);
    device.close();
    QCOMPARE(device.state(), AudioDeviceState::Closed);

    QVERIFY2(std::abs(frequencyHz - kToneHz) < 1.0, qPrintable(QStringLiteral("captured %1 Hz").arg(frequencyHz)));
    const double expectedLevel = kToneAmplitude / std::sqrt(2.0);
    QVERIFY2(std::abs(level - expectedLevel) < 0.1 * expectedLevel,
             qPrintable(QStringLiteral("captured RMS %1, expected %2").arg(level).arg(expectedLevel)));
}

void PortAudioLoopbackTest::record(PortAudioDevice& device, ToneRecorder& recorder, double& frequencyHz, double& level)
{
    const AudioFormat format = device.format();
    QCOMPARE(device.start(), AudioError::None);
    QCOMPARE(device.state(), AudioDeviceState::Running);
    const auto started = std::chrono::steady_clock::now();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.recording().size() >= recorder.m_recording.size(), 10000);
    QCOMPARE(device.checkHealth(), AudioError::None);
    device.stop();
    const double elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    QCOMPARE(device.state(), AudioDeviceState::Open);
    QVERIFY(!recorder.m_wrongFrames.load());

    const std::span<const float> recording = recorder.recording();
    const auto settled = recording.subspan(static_cast<std::size_t>(kSettleSeconds * format.sampleRateHz));
    frequencyHz = analysis::zeroCrossingFrequencyHz(settled, format.sampleRateHz);
    level = analysis::rms(settled);
    qInfo("engine %d ch, device in %d Hz/%d ch, out %d Hz/%d ch: captured %.3f Hz, RMS %.4f (played %.4f); "
          "%d periods in %.2f s, device xruns %llu, capture underruns %llu, capture frames dropped %llu",
          format.channels, device.inputDeviceRateHz(), device.inputDeviceChannels(), device.outputDeviceRateHz(),
          device.outputDeviceChannels(), frequencyHz, level, kToneAmplitude / std::sqrt(2.0), recorder.m_calls.load(),
          elapsedSeconds, static_cast<unsigned long long>(device.deviceXruns()),
          static_cast<unsigned long long>(device.captureUnderruns()),
          static_cast<unsigned long long>(device.droppedCaptureFrames()));
}

QTEST_GUILESS_MAIN(PortAudioLoopbackTest)
#include "PortAudioLoopbackTest.moc"
