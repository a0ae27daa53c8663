#include "audio/VirtualAudioDevice.h"
#include "audio/WavReader.h"
#include "audio/WavWriter.h"

#include "SignalAnalysis.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <numbers>
#include <vector>

using namespace earshot::audio;
namespace analysis = earshot::audio::test;

namespace {

// Plays the captured input straight back (a loopback cable), and checks the contract's shape.
class LoopbackCallback final : public AudioCallback {
public:
    explicit LoopbackCallback(AudioFormat format)
        : m_format(format)
    {
    }

    void process(const float* input, float* output, int frames) override
    {
        if (frames != m_format.framesPerPeriod)
            m_wrongFrames.store(true, std::memory_order_relaxed);
        for (int i = 0; i < frames * m_format.channels; ++i)
            output[i] = input[i];
        m_calls.fetch_add(1, std::memory_order_relaxed);
    }

    AudioFormat m_format;
    std::atomic<int> m_calls{0};
    std::atomic<bool> m_wrongFrames{false};
};

std::vector<float> readWav(const std::string& path, WavInfo& info)
{
    WavReader reader;
    std::vector<float> samples;
    if (reader.open(path) != WavError::None || reader.readAll(samples) != WavError::None)
        return {};
    info = reader.info();
    return samples;
}

} // namespace

class VirtualAudioDeviceTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void wavInputIsConvertedAndPlayedToTheOutputWav();
    void generatorToneInRealTime();
    void inputLoops();
    void asFastAsPossibleLosesNothing();
    void customPeriod();
    void badInputFiles_data();
    void badInputFiles();
    void unwritableOutputIsAnError();

private:
    std::string path(const char* name) const { return m_directory->filePath(QString::fromLatin1(name)).toStdString(); }
    void writeTone(const std::string& file, int rateHz, int channels, double seconds, double frequencyHz);

    std::unique_ptr<QTemporaryDir> m_directory;
};

void VirtualAudioDeviceTest::init()
{
    m_directory = std::make_unique<QTemporaryDir>();
    QVERIFY(m_directory->isValid());
}

void VirtualAudioDeviceTest::writeTone(const std::string& file, int rateHz, int channels, double seconds,
                                       double frequencyHz)
{
    const auto frames = static_cast<std::size_t>(seconds * rateHz);
    std::vector<float> samples(frames * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < frames; ++i)
        for (int channel = 0; channel < channels; ++channel)
            samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(channel)] =
                static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * frequencyHz * static_cast<double>(i) / rateHz));
    WavWriter writer;
    QCOMPARE(writer.open(file, rateHz, channels), WavError::None);
    QCOMPARE(writer.write(samples), WavError::None);
    QCOMPARE(writer.close(), WavError::None);
}

// A 44.1 kHz stereo 16-bit file becomes 48 kHz mono for the engine, and what the engine plays
// lands in the output WAV unchanged.
void VirtualAudioDeviceTest::wavInputIsConvertedAndPlayedToTheOutputWav()
{
    writeTone(path("in.wav"), 44100, 2, 1.0, 1000.0);
    VirtualDeviceConfig deviceConfig;
    deviceConfig.inputWavPath = path("in.wav");
    deviceConfig.outputWavPath = path("out.wav");
    deviceConfig.outputSampleFormat = WavSampleFormat::Float32;
    deviceConfig.pacing = Pacing::AsFastAsPossible;
    VirtualAudioDevice device(deviceConfig);

    AudioStreamConfig config;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(device.inputFinished(), 10000);
    device.stop();
    QVERIFY(!callback.m_wrongFrames.load());
    const auto periods = device.periods();
    device.close();
    QCOMPARE(device.wavError(), WavError::None);

    WavInfo info;
    const std::vector<float> out = readWav(path("out.wav"), info);
    QCOMPARE(info.sampleRateHz, 48000);
    QCOMPARE(info.channels, 1);
    QCOMPARE(static_cast<std::uint64_t>(info.frames), periods * 480);
    QVERIFY(info.frames >= 48000);
    const auto body = std::span<const float>(out).subspan(2400, 48000 - 4800);
    const double frequency = analysis::zeroCrossingFrequencyHz(body, 48000);
    const double level = analysis::rms(body);
    QVERIFY2(std::abs(frequency - 1000.0) < 0.5, qPrintable(QString::number(frequency)));
    QVERIFY2(std::abs(level - 0.5 / std::sqrt(2.0)) < 0.01, qPrintable(QString::number(level)));
    // After the file: silence (InputEnd::Silence).
    QVERIFY(analysis::rms(std::span<const float>(out).subspan(48100)) < 1e-4);
}

void VirtualAudioDeviceTest::generatorToneInRealTime()
{
    VirtualDeviceConfig deviceConfig;
    deviceConfig.generator.kind = SignalKind::Tone;
    deviceConfig.generator.frequencyHz = 440.0;
    deviceConfig.generator.amplitude = 0.3f;
    deviceConfig.outputWavPath = path("tone.wav");
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    config.engineFormat.channels = 2;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::None);
    const auto started = std::chrono::steady_clock::now();
    QCOMPARE(device.start(), AudioError::None);
    QTest::qWait(600);
    device.stop();
    const double elapsedMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    const auto periods = static_cast<double>(device.periods());
    QVERIFY2(periods >= elapsedMs / 10.0 * 0.8 && periods <= elapsedMs / 10.0 + 3,
             qPrintable(QStringLiteral("%1 periods in %2 ms").arg(periods).arg(elapsedMs)));
    QCOMPARE(device.droppedOutputFrames(), std::uint64_t{0});
    QVERIFY(!device.inputFinished()); // a generator never finishes
    device.close();

    WavInfo info;
    const std::vector<float> out = readWav(path("tone.wav"), info);
    QCOMPARE(info.channels, 2);
    const std::vector<float> left = analysis::channelOf(out, 2, 0);
    QVERIFY(std::abs(analysis::zeroCrossingFrequencyHz(left, 48000) - 440.0) < 0.5);
    QVERIFY(std::abs(analysis::rms(left) - 0.3 / std::sqrt(2.0)) < 0.01);
}

void VirtualAudioDeviceTest::inputLoops()
{
    writeTone(path("short.wav"), 48000, 1, 0.1, 500.0);
    VirtualDeviceConfig deviceConfig;
    deviceConfig.inputWavPath = path("short.wav");
    deviceConfig.inputEnd = InputEnd::Loop;
    deviceConfig.outputWavPath = path("looped.wav");
    deviceConfig.pacing = Pacing::AsFastAsPossible;
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(device.periods() >= 50, 10000); // 0.5 s: five passes
    device.close();
    QVERIFY(device.inputFinished());

    WavInfo info;
    const std::vector<float> out = readWav(path("looped.wav"), info);
    QVERIFY(out.size() >= 24000);
    // Every 10 ms block of the 0.5 s carries the tone: no silent gap at the seams.
    for (std::size_t block = 0; block < 50; ++block)
        QVERIFY2(analysis::rms(std::span<const float>(out).subspan(block * 480, 480)) > 0.3,
                 qPrintable(QStringLiteral("block %1 is quiet").arg(block)));
}

void VirtualAudioDeviceTest::asFastAsPossibleLosesNothing()
{
    VirtualDeviceConfig deviceConfig;
    deviceConfig.generator.kind = SignalKind::ClickTrain;
    deviceConfig.generator.clickPeriodMs = 10;
    deviceConfig.outputWavPath = path("fast.wav");
    deviceConfig.pacing = Pacing::AsFastAsPossible;
    deviceConfig.outputBufferMs = 100; // a small ring: the clock must wait for the writer
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(device.periods() >= 2000, 20000); // 20 s of audio
    device.stop();
    const std::uint64_t periods = device.periods();
    device.close();
    QCOMPARE(device.droppedOutputFrames(), std::uint64_t{0});

    WavInfo info;
    const std::vector<float> out = readWav(path("fast.wav"), info);
    QCOMPARE(static_cast<std::uint64_t>(info.frames), periods * 480);
    // One click at the start of every period, nothing else: order and content survived.
    for (std::size_t i = 0; i < out.size(); ++i) {
        if ((i % 480 == 0) != (out[i] != 0.0f))
            QFAIL(qPrintable(QStringLiteral("sample %1 is %2").arg(i).arg(out[i])));
    }
}

void VirtualAudioDeviceTest::customPeriod()
{
    VirtualDeviceConfig deviceConfig;
    deviceConfig.pacing = Pacing::AsFastAsPossible;
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    config.engineFormat.framesPerPeriod = 96; // 2 ms
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    QTRY_VERIFY_WITH_TIMEOUT(callback.m_calls.load() >= 100, 5000);
    device.close();
    QVERIFY(!callback.m_wrongFrames.load());
}

void VirtualAudioDeviceTest::badInputFiles_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<bool>("exists");
    QTest::addColumn<int>("wavError");
    QTest::newRow("missing") << QByteArray() << false << static_cast<int>(WavError::CannotOpen);
    QTest::newRow("garbage") << QByteArray("definitely not audio") << true << static_cast<int>(WavError::NotWav);
    QTest::newRow("truncated header") << QByteArray("RIFF\x10\0\0\0WAVEfmt ", 16) << true
                                      << static_cast<int>(WavError::Truncated);
}

void VirtualAudioDeviceTest::badInputFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(bool, exists);
    QFETCH(int, wavError);
    const std::string file = path("bad.wav");
    if (exists) {
        QFile out(QString::fromStdString(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(contents);
    }
    VirtualDeviceConfig deviceConfig;
    deviceConfig.inputWavPath = file;
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::InvalidDeviceId);
    QCOMPARE(device.state(), AudioDeviceState::Closed);
    QCOMPARE(static_cast<int>(device.wavError()), wavError);
    QCOMPARE(device.start(), AudioError::Generic);
}

void VirtualAudioDeviceTest::unwritableOutputIsAnError()
{
    VirtualDeviceConfig deviceConfig;
    deviceConfig.outputWavPath = path("no/such/directory/out.wav");
    VirtualAudioDevice device(deviceConfig);
    AudioStreamConfig config;
    LoopbackCallback callback(config.engineFormat);
    QCOMPARE(device.open(config, callback), AudioError::Generic);
    QCOMPARE(device.wavError(), WavError::CannotOpen);
    QCOMPARE(device.state(), AudioDeviceState::Closed);
}

QTEST_GUILESS_MAIN(VirtualAudioDeviceTest)
#include "VirtualAudioDeviceTest.moc"
