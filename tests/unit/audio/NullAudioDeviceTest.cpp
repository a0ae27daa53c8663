#include "audio/NullAudioDevice.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace earshot::audio;

namespace {

// Records what the real-time thread saw, in atomics only.
class CountingCallback final : public AudioCallback {
public:
    void process(const float* input, float* output, int frames) override
    {
        bool silent = true;
        for (int i = 0; i < frames * m_channels; ++i) {
            silent = silent && input[i] == 0.0f;
            output[i] = 1.0f; // discarded by the device
        }
        if (!silent)
            m_nonSilentInput.store(true, std::memory_order_relaxed);
        m_lastFrames.store(frames, std::memory_order_relaxed);
        m_calls.fetch_add(1, std::memory_order_relaxed);
    }

    int m_channels = 1;
    std::atomic<int> m_calls{0};
    std::atomic<int> m_lastFrames{0};
    std::atomic<bool> m_nonSilentInput{false};
};

} // namespace

class NullAudioDeviceTest : public QObject {
    Q_OBJECT

private slots:
    void runsInRealTimeWithSilentInput();
    void lifecycle();
    void rejectsAnInvalidFormat();
};

void NullAudioDeviceTest::runsInRealTimeWithSilentInput()
{
    NullAudioDevice device;
    CountingCallback callback;
    callback.m_channels = 2;
    AudioStreamConfig config;
    config.engineFormat.channels = 2;
    config.engineFormat.framesPerPeriod = 240; // 5 ms
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.format(), config.engineFormat);
    QCOMPARE(device.start(), AudioError::None);
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    device.stop();
    const double elapsedMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    const int calls = callback.m_calls.load();
    // One call per 5 ms of real time (plus the immediate first one); generous bounds for a
    // loaded machine.
    const double expected = elapsedMs / 5.0;
    QVERIFY2(calls >= expected * 0.8 && calls <= expected + 3,
             qPrintable(QStringLiteral("%1 calls in %2 ms").arg(calls).arg(elapsedMs)));
    QCOMPARE(callback.m_lastFrames.load(), 240);
    QVERIFY(!callback.m_nonSilentInput.load());
    QCOMPARE(device.checkHealth(), AudioError::None);
    // No call after stop().
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    QCOMPARE(callback.m_calls.load(), calls);
}

void NullAudioDeviceTest::lifecycle()
{
    NullAudioDevice device;
    CountingCallback callback;
    AudioStreamConfig config;
    QCOMPARE(device.state(), AudioDeviceState::Closed);
    QCOMPARE(device.start(), AudioError::Generic); // not open
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.state(), AudioDeviceState::Open);
    QCOMPARE(device.open(config, callback), AudioError::Generic); // already open
    QCOMPARE(device.state(), AudioDeviceState::Open);
    QCOMPARE(device.start(), AudioError::None);
    QCOMPARE(device.state(), AudioDeviceState::Running);
    device.stop();
    QCOMPARE(device.state(), AudioDeviceState::Open);
    QCOMPARE(device.start(), AudioError::None); // restartable
    device.close();                             // stops too
    QCOMPARE(device.state(), AudioDeviceState::Closed);
    device.close(); // idempotent
    QCOMPARE(device.open(config, callback), AudioError::None);
    QCOMPARE(device.start(), AudioError::None);
    // The destructor stops a running device.
}

void NullAudioDeviceTest::rejectsAnInvalidFormat()
{
    NullAudioDevice device;
    CountingCallback callback;
    AudioStreamConfig config;
    config.engineFormat.framesPerPeriod = 0;
    QCOMPARE(device.open(config, callback), AudioError::InvalidDeviceId);
    QCOMPARE(device.lastError(), AudioError::InvalidDeviceId);
    QCOMPARE(device.state(), AudioDeviceState::Closed);
    config.engineFormat = AudioFormat{48000, 0, 480};
    QCOMPARE(device.open(config, callback), AudioError::InvalidDeviceId);
}

QTEST_APPLESS_MAIN(NullAudioDeviceTest)
#include "NullAudioDeviceTest.moc"
