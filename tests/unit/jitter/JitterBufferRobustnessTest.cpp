// JitterBuffer under random input, libFuzzer style but deterministic: 100k random inserts,
// pulls and range changes per row, mixing plausible streams with hostile sequence numbers,
// timestamps, payloads and arrival times. It must never crash, always fill every pull exactly,
// and keep its statistics sane. (tests/fuzz/JitterBufferFuzzer.cpp explores the same space
// with coverage guidance.)
#include "FakeDecoder.h"

#include "jitter/JitterBuffer.h"

#include <QTest>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace earshot::jitter;
using earshot::jitter::test::FakeDecoder;

class JitterBufferRobustnessTest : public QObject {
    Q_OBJECT

private slots:
    void randomOperations_data();
    void randomOperations();
};

void JitterBufferRobustnessTest::randomOperations_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("channels");
    QTest::newRow("mono, seed 1") << quint64(1) << 1;
    QTest::newRow("mono, seed 2") << quint64(2) << 1;
    QTest::newRow("stereo, seed 3") << quint64(3) << 2;
}

void JitterBufferRobustnessTest::randomOperations()
{
    QFETCH(quint64, seed);
    QFETCH(int, channels);
    constexpr int kSteps = 100'000;
    constexpr int kMaxPull = 3000;
    constexpr float kSentinel = std::numeric_limits<float>::quiet_NaN();

    std::mt19937_64 random(seed);
    const auto uniform = [&](std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(random);
    };
    FakeDecoder decoder(channels);
    JitterBufferConfig config;
    config.slotCount = 128;
    JitterBuffer buffer(decoder, config);
    std::vector<float> out(static_cast<std::size_t>(kMaxPull + 16) * channels);
    std::array<std::uint8_t, 64> payload {};
    const std::array<int, 8> durations {120, 240, 480, 960, 1920, 2880, 5760, 0};

    std::uint64_t sequence = 1000;
    std::int64_t nowUs = 0;
    std::int64_t pulls = 0;
    for (int step = 0; step < kSteps; ++step) {
        const std::int64_t op = uniform(0, 99);
        if (op < 60) {
            // Mostly a stream around `sequence`, sometimes wild.
            std::uint64_t packetSequence = sequence + static_cast<std::uint64_t>(uniform(-80, 40));
            if (uniform(0, 99) == 0)
                packetSequence = static_cast<std::uint64_t>(uniform(0, (std::int64_t {1} << 48) - 1));
            if (uniform(0, 999) == 0) // beyond the 48 bits the transport produces, up to 2^64 - 1
                packetSequence = static_cast<std::uint64_t>(uniform(std::numeric_limits<std::int64_t>::min(), -1));
            if (uniform(0, 3) > 0)
                ++sequence;
            auto timestamp = static_cast<std::uint32_t>(packetSequence * 960);
            if (uniform(0, 49) == 0)
                timestamp = static_cast<std::uint32_t>(uniform(0, 0xFFFF'FFFF));
            int frames = durations[static_cast<std::size_t>(uniform(0, 7))];
            if (frames == 0)
                frames = static_cast<int>(uniform(0, 70'000));
            const auto flags = static_cast<std::uint8_t>(uniform(0, 7));
            const auto header = FakeDecoder::makePayload(static_cast<std::uint32_t>(packetSequence), frames, flags);
            std::copy(header.begin(), header.end(), payload.begin());
            const auto size = static_cast<std::size_t>(uniform(0, 99) < 90 ? 7 : uniform(0, 64));
            std::int64_t arrivalUs = nowUs + uniform(-5'000, 200'000);
            if (uniform(0, 199) == 0)
                arrivalUs = uniform(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
            static_cast<void>(buffer.insert(packetSequence, timestamp, std::span(payload).first(size), arrivalUs));
        } else if (op < 97) {
            const int frames = uniform(0, 9) < 7 ? 480 : static_cast<int>(uniform(0, kMaxPull));
            std::fill(out.begin(), out.end(), kSentinel);
            QCOMPARE(buffer.pull(std::span(out).first(static_cast<std::size_t>(frames) * channels), frames),
                     JitterError::None);
            const auto samples = static_cast<std::ptrdiff_t>(frames) * channels;
            for (std::ptrdiff_t i = 0; i < samples; ++i) {
                if (!std::isfinite(out[static_cast<std::size_t>(i)]))
                    QFAIL(qPrintable(QStringLiteral("sample %1 of pull %2 not written").arg(i).arg(pulls)));
            }
            QVERIFY(std::isnan(out[static_cast<std::size_t>(samples)])); // nothing beyond
            nowUs += frames * 1'000 / 48;
            ++pulls;
        } else {
            const int minMs = static_cast<int>(uniform(-10, 4100));
            const int maxMs = static_cast<int>(uniform(-10, 4100));
            const bool valid = minMs >= 0 && maxMs >= minMs && maxMs <= 4000;
            QCOMPARE(buffer.setBufferIntervalRange(minMs, maxMs), valid ? JitterError::None : JitterError::BadArgument);
        }

        if (step % 97 == 0) {
            const JitterStatistics statistics = buffer.statistics();
            QVERIFY(std::isfinite(statistics.currentDelayMs) && statistics.currentDelayMs >= 0.0);
            QVERIFY(statistics.currentDelayMs <= 10'000.0 + 200.0); // packets + one block of PCM
            QVERIFY(statistics.targetDelayMs >= 2.5 && statistics.targetDelayMs <= 4000.0);
            QVERIFY(statistics.jitterMs >= 0.0 && statistics.jitterMs <= 10'000.0);
            QVERIFY(statistics.lostPackets >= 0 && statistics.concealedMs >= 0 && statistics.expandedMs >= 0);
            QVERIFY(statistics.duplicatePackets + statistics.latePackets + statistics.rejectedPackets
                    <= statistics.packetsReceived);
        }
    }
    const JitterStatistics statistics = buffer.statistics();
    qInfo("%lld pulls; received %lld: %lld late, %lld duplicate, %lld rejected; %lld lost, %lld FEC, "
          "%lld ms concealed, %lld resyncs, %lld accelerations, %lld expansions",
          static_cast<long long>(pulls), static_cast<long long>(statistics.packetsReceived),
          static_cast<long long>(statistics.latePackets), static_cast<long long>(statistics.duplicatePackets),
          static_cast<long long>(statistics.rejectedPackets), static_cast<long long>(statistics.lostPackets),
          static_cast<long long>(statistics.fecRecoveredFrames), static_cast<long long>(statistics.concealedMs),
          static_cast<long long>(statistics.resyncCount), static_cast<long long>(statistics.accelerateCount),
          static_cast<long long>(statistics.expandCount));
    QVERIFY(pulls > 30'000);
}

QTEST_GUILESS_MAIN(JitterBufferRobustnessTest)
#include "JitterBufferRobustnessTest.moc"
