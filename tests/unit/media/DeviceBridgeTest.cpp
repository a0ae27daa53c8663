// DeviceBridge: the device callback's end of the media thread. Captured samples reach the
// media thread in order and overflow is counted; queued playback reaches the device in order,
// the rest is silence and counted as underrun once playback started; a device thread and a media
// thread running at once lose, duplicate and reorder nothing (run under TSan too); and process()
// allocates nothing (tests/support/AllocationCounter.h; sanitizer builds skip that test).
#include "media/DeviceBridge.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

#include "AllocationCounter.h"

using earshot::media::DeviceBridge;
using earshot::test::AllocationCounter;

namespace {

// `count` samples counting up from `first`: every sample is recognisable (exact in float up to
// 2^24).
std::vector<float> counting(std::size_t count, float first)
{
    std::vector<float> samples(count);
    std::iota(samples.begin(), samples.end(), first);
    return samples;
}

} // namespace

class DeviceBridgeTest : public QObject {
    Q_OBJECT

private slots:
    void captureArrivesInOrder_data();
    void captureArrivesInOrder();
    void captureOverflowIsCounted();
    void playbackPlaysQueuedSamples_data();
    void playbackPlaysQueuedSamples();
    void playbackQueueIsBounded();
    void deviceAndMediaThreadsTogether();
    void processDoesNotAllocate();
};

void DeviceBridgeTest::captureArrivesInOrder_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("periodFrames");
    QTest::newRow("mono, 10 ms") << 1 << 480;
    QTest::newRow("stereo, 10 ms") << 2 << 480;
    QTest::newRow("mono, odd period") << 1 << 441;
}

void DeviceBridgeTest::captureArrivesInOrder()
{
    QFETCH(int, channels);
    QFETCH(int, periodFrames);
    DeviceBridge bridge(channels, 4 * periodFrames, 4 * periodFrames);
    QCOMPARE(bridge.channels(), channels);
    const auto periodSamples = static_cast<std::size_t>(periodFrames * channels);
    std::vector<float> output(periodSamples);
    QCOMPARE(bridge.captureAvailable(), std::size_t {0});

    const std::vector<float> captured = counting(3 * periodSamples, 1.0f);
    for (int period = 0; period < 3; ++period)
        bridge.process(captured.data() + static_cast<std::size_t>(period) * periodSamples, output.data(), periodFrames);
    QCOMPARE(bridge.callbacks(), std::int64_t {3});
    QCOMPARE(bridge.captureAvailable(), captured.size());

    // Read in pieces that do not match the periods.
    std::vector<float> read;
    std::vector<float> piece(periodSamples / 3 + 7);
    while (bridge.captureAvailable() > 0) {
        const std::size_t count = bridge.readCapture(piece);
        QVERIFY(count > 0);
        read.insert(read.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(count));
    }
    QVERIFY(read == captured);
    QCOMPARE(bridge.readCapture(piece), std::size_t {0});
    QCOMPARE(bridge.captureOverflowSamples(), std::int64_t {0});
}

void DeviceBridgeTest::captureOverflowIsCounted()
{
    // 64 frames of stereo: exactly 128 samples (a power of two, so no rounding up).
    DeviceBridge bridge(2, 64, 64);
    constexpr int kPeriodFrames = 24;
    std::vector<float> output(2 * kPeriodFrames);
    const std::vector<float> captured = counting(5 * 2 * kPeriodFrames, 1.0f); // 240 samples
    for (int period = 0; period < 5; ++period)
        bridge.process(captured.data() + period * 2 * kPeriodFrames, output.data(), kPeriodFrames);
    QCOMPARE(bridge.captureAvailable(), std::size_t {128});
    QCOMPARE(bridge.captureOverflowSamples(), std::int64_t {240 - 128});

    // What did not fit is the newest; what is there is the oldest, untouched.
    std::vector<float> read(256, -1.0f);
    QCOMPARE(bridge.readCapture(read), std::size_t {128});
    QVERIFY(std::equal(read.begin(), read.begin() + 128, captured.begin()));

    // Once read, there is room again and nothing more is counted.
    bridge.process(captured.data(), output.data(), kPeriodFrames);
    QCOMPARE(bridge.captureOverflowSamples(), std::int64_t {240 - 128});
    QCOMPARE(bridge.captureAvailable(), std::size_t {2 * kPeriodFrames});
}

void DeviceBridgeTest::playbackPlaysQueuedSamples_data()
{
    QTest::addColumn<int>("channels");
    QTest::newRow("mono") << 1;
    QTest::newRow("stereo") << 2;
}

void DeviceBridgeTest::playbackPlaysQueuedSamples()
{
    QFETCH(int, channels);
    constexpr int kPeriodFrames = 16;
    const auto periodSamples = static_cast<std::size_t>(kPeriodFrames * channels);
    DeviceBridge bridge(channels, 256, 256);
    const std::vector<float> input(periodSamples, 0.0f);
    std::vector<float> output(periodSamples, 99.0f);

    // Before anything was queued the device plays silence, and that is no underrun.
    bridge.process(input.data(), output.data(), kPeriodFrames);
    QVERIFY(std::all_of(output.begin(), output.end(), [](float s) { return s == 0.0f; }));
    QCOMPARE(bridge.playbackUnderrunSamples(), std::int64_t {0});
    QCOMPARE(bridge.playbackQueued(), std::size_t {0});

    // Two and a half periods queued.
    const std::vector<float> queued = counting(periodSamples * 5 / 2, 1.0f);
    QCOMPARE(bridge.writePlayback(queued), queued.size());
    QCOMPARE(bridge.playbackQueued(), queued.size());

    std::vector<float> played;
    for (int period = 0; period < 2; ++period) {
        std::fill(output.begin(), output.end(), 99.0f);
        bridge.process(input.data(), output.data(), kPeriodFrames);
        played.insert(played.end(), output.begin(), output.end());
        QCOMPARE(bridge.playbackQueued(), queued.size() - played.size());
        QCOMPARE(bridge.playbackUnderrunSamples(), std::int64_t {0});
    }
    // The third period has half a period queued: the rest is silence, counted as underrun.
    std::fill(output.begin(), output.end(), 99.0f);
    bridge.process(input.data(), output.data(), kPeriodFrames);
    played.insert(played.end(), output.begin(), output.end());
    QVERIFY(std::equal(queued.begin(), queued.end(), played.begin()));
    QVERIFY(std::all_of(played.begin() + static_cast<std::ptrdiff_t>(queued.size()), played.end(),
                        [](float s) { return s == 0.0f; }));
    QCOMPARE(bridge.playbackQueued(), std::size_t {0});
    QCOMPARE(bridge.playbackUnderrunSamples(), static_cast<std::int64_t>(periodSamples / 2));

    // Nothing queued: a whole period of silence, all of it underrun.
    std::fill(output.begin(), output.end(), 99.0f);
    bridge.process(input.data(), output.data(), kPeriodFrames);
    QVERIFY(std::all_of(output.begin(), output.end(), [](float s) { return s == 0.0f; }));
    QCOMPARE(bridge.playbackUnderrunSamples(), static_cast<std::int64_t>(periodSamples / 2 + periodSamples));
    QCOMPARE(bridge.callbacks(), std::int64_t {5});
}

void DeviceBridgeTest::playbackQueueIsBounded()
{
    DeviceBridge bridge(1, 64, 64);
    const std::vector<float> queued = counting(100, 1.0f);
    QCOMPARE(bridge.writePlayback(queued), std::size_t {64});
    QCOMPARE(bridge.playbackQueued(), std::size_t {64});
    QCOMPARE(bridge.writePlayback(queued), std::size_t {0});

    const std::vector<float> input(48, 0.0f);
    std::vector<float> output(48);
    bridge.process(input.data(), output.data(), 48);
    QVERIFY(std::equal(output.begin(), output.end(), queued.begin()));
    QCOMPARE(bridge.playbackQueued(), std::size_t {16});
    // Room for 48 again, appended after what was left.
    QCOMPARE(bridge.writePlayback(std::span<const float>(queued).subspan(64)), std::size_t {36});
    QCOMPARE(bridge.playbackQueued(), std::size_t {52});
    bridge.process(input.data(), output.data(), 48);
    QVERIFY(std::equal(output.begin(), output.end(), queued.begin() + 48));
}

void DeviceBridgeTest::deviceAndMediaThreadsTogether()
{
    constexpr int kPeriodFrames = 48; // 1 ms
    constexpr int kPeriods = 2000;
    constexpr std::size_t kTotal = static_cast<std::size_t>(kPeriodFrames) * kPeriods;
    // A second of capture: the test must not depend on how promptly the media thread runs.
    DeviceBridge bridge(1, 48'000, 480);

    std::atomic<bool> deviceDone {false};
    std::vector<float> played(kTotal, -1.0f); // written by the device thread only, read after join
    std::thread device([&bridge, &deviceDone, &played] {
        const std::vector<float> captured = counting(kTotal, 1.0f);
        for (int period = 0; period < kPeriods; ++period) {
            const std::size_t offset = static_cast<std::size_t>(period) * kPeriodFrames;
            bridge.process(captured.data() + offset, played.data() + offset, kPeriodFrames);
            std::this_thread::sleep_for(std::chrono::microseconds(1000));
        }
        deviceDone.store(true, std::memory_order_release);
    });

    // The media thread: drains the capture, keeps the playback queue topped up with a count.
    std::vector<float> received;
    received.reserve(kTotal);
    std::vector<float> piece(256);
    float nextPlayback = 1.0f;
    std::vector<float> playback(480);
    for (;;) {
        const bool done = deviceDone.load(std::memory_order_acquire);
        std::size_t count = 0;
        while ((count = bridge.readCapture(piece)) > 0)
            received.insert(received.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(count));
        const std::size_t queued = bridge.playbackQueued();
        const std::size_t room = queued < playback.size() ? playback.size() - queued : 0;
        for (std::size_t i = 0; i < room; ++i)
            playback[i] = nextPlayback + static_cast<float>(i);
        nextPlayback += static_cast<float>(bridge.writePlayback(std::span<const float>(playback).first(room)));
        if (done && bridge.captureAvailable() == 0)
            break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    device.join();

    QCOMPARE(bridge.callbacks(), std::int64_t {kPeriods});
    QCOMPARE(bridge.captureOverflowSamples(), std::int64_t {0});
    QCOMPARE(received.size(), kTotal);
    QVERIFY(received == counting(kTotal, 1.0f)); // exactly once each, in order

    // The device played the count in order, each value once; silence only where it ran dry,
    // which is exactly what was counted as underrun after playback started.
    float expected = 1.0f;
    std::int64_t silentAfterStart = 0;
    for (const float sample : played) {
        if (sample == 0.0f) {
            silentAfterStart += expected > 1.0f ? 1 : 0;
            continue;
        }
        QCOMPARE(sample, expected);
        expected += 1.0f;
    }
    QVERIFY(expected > static_cast<float>(kTotal / 2));
    QCOMPARE(bridge.playbackUnderrunSamples(), silentAfterStart);
}

void DeviceBridgeTest::processDoesNotAllocate()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("allocation counting needs glibc's allocator (not available under sanitizers)");
#else
    DeviceBridge bridge(2, 256, 256);
    constexpr int kPeriodFrames = 96;
    const std::vector<float> input = counting(2 * kPeriodFrames, 1.0f);
    std::vector<float> output(2 * kPeriodFrames);
    const std::vector<float> queued = counting(300, 1.0f);
    int allocations = 0;
    {
        const AllocationCounter counter;
        // Normal periods, then capture overflow (nothing read) and playback underrun.
        for (int period = 0; period < 50; ++period) {
            if (period < 3)
                static_cast<void>(bridge.writePlayback(std::span<const float>(queued).first(2 * kPeriodFrames)));
            bridge.process(input.data(), output.data(), kPeriodFrames);
        }
        allocations = counter.count();
    }
    QCOMPARE(allocations, 0);
    QVERIFY(bridge.captureOverflowSamples() > 0);
    QVERIFY(bridge.playbackUnderrunSamples() > 0);
#endif
}

QTEST_APPLESS_MAIN(DeviceBridgeTest)
#include "DeviceBridgeTest.moc"
