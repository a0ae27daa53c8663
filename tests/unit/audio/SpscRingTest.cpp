#include "audio/SpscRing.h"

#include <QTest>

#include <array>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

using earshot::audio::SpscRing;

class SpscRingTest : public QObject {
    Q_OBJECT

private slots:
    void capacityIsRoundedUpToAPowerOfTwo_data();
    void capacityIsRoundedUpToAPowerOfTwo();
    void startsEmpty();
    void bulkWriteStopsWhenFull();
    void readReturnsOldestFirstAcrossTheWrap();
    void discardDropsOldest();
    void singleElementPushPop();
    void structElements();
    void twoThreadsKeepOrderAndContent_data();
    void twoThreadsKeepOrderAndContent();
};

void SpscRingTest::capacityIsRoundedUpToAPowerOfTwo_data()
{
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("capacity");
    QTest::newRow("0 → 1") << 0 << 1;
    QTest::newRow("1") << 1 << 1;
    QTest::newRow("3 → 4") << 3 << 4;
    QTest::newRow("1024") << 1024 << 1024;
    QTest::newRow("1025 → 2048") << 1025 << 2048;
}

void SpscRingTest::capacityIsRoundedUpToAPowerOfTwo()
{
    QFETCH(int, requested);
    QFETCH(int, capacity);
    SpscRing<float> ring(static_cast<std::size_t>(requested));
    QCOMPARE(ring.capacity(), static_cast<std::size_t>(capacity));
    QCOMPARE(ring.freeToWrite(), static_cast<std::size_t>(capacity));
}

void SpscRingTest::startsEmpty()
{
    SpscRing<int> ring(8);
    std::array<int, 4> out{};
    QCOMPARE(ring.availableToRead(), std::size_t{0});
    QCOMPARE(ring.read(out), std::size_t{0});
    int value = 0;
    QVERIFY(!ring.tryPop(value));
    QCOMPARE(ring.approximateSize(), std::size_t{0});
}

void SpscRingTest::bulkWriteStopsWhenFull()
{
    SpscRing<int> ring(8);
    std::vector<int> in(12);
    std::iota(in.begin(), in.end(), 0);
    QCOMPARE(ring.write(in), std::size_t{8}); // the whole capacity is usable
    QCOMPARE(ring.freeToWrite(), std::size_t{0});
    QCOMPARE(ring.write(in), std::size_t{0});
    QVERIFY(!ring.tryPush(99));
    QCOMPARE(ring.availableToRead(), std::size_t{8});
    QCOMPARE(ring.approximateSize(), std::size_t{8});

    std::array<int, 12> out{};
    QCOMPARE(ring.read(out), std::size_t{8});
    for (int i = 0; i < 8; ++i)
        QCOMPARE(out[static_cast<std::size_t>(i)], i);
}

void SpscRingTest::readReturnsOldestFirstAcrossTheWrap()
{
    SpscRing<int> ring(8);
    int next = 0;
    int expected = 0;
    // Uneven write/read sizes walk the indices around the buffer many times.
    for (int round = 0; round < 100; ++round) {
        std::vector<int> in(static_cast<std::size_t>(round % 7 + 1));
        for (int& value : in)
            value = next++;
        const std::size_t written = ring.write(in);
        next -= static_cast<int>(in.size() - written); // what did not fit is offered again
        std::vector<int> out(static_cast<std::size_t>(round % 5 + 1));
        const std::size_t read = ring.read(out);
        for (std::size_t i = 0; i < read; ++i)
            QCOMPARE(out[i], expected++);
    }
    std::vector<int> rest(8);
    const std::size_t read = ring.read(rest);
    for (std::size_t i = 0; i < read; ++i)
        QCOMPARE(rest[i], expected++);
    QCOMPARE(expected, next);
}

void SpscRingTest::discardDropsOldest()
{
    SpscRing<int> ring(8);
    const std::array<int, 6> in{1, 2, 3, 4, 5, 6};
    QCOMPARE(ring.write(in), std::size_t{6});
    QCOMPARE(ring.discard(4), std::size_t{4});
    QCOMPARE(ring.discard(10), std::size_t{2}); // no more than there is
    QCOMPARE(ring.availableToRead(), std::size_t{0});
    QCOMPARE(ring.write(in), std::size_t{6});
    QCOMPARE(ring.discard(5), std::size_t{5});
    int value = 0;
    QVERIFY(ring.tryPop(value));
    QCOMPARE(value, 6);
}

void SpscRingTest::singleElementPushPop()
{
    SpscRing<double> ring(2);
    QVERIFY(ring.tryPush(1.5));
    QVERIFY(ring.tryPush(2.5));
    QVERIFY(!ring.tryPush(3.5));
    double value = 0.0;
    QVERIFY(ring.tryPop(value));
    QCOMPARE(value, 1.5);
    QVERIFY(ring.tryPush(3.5));
    QVERIFY(ring.tryPop(value));
    QCOMPARE(value, 2.5);
    QVERIFY(ring.tryPop(value));
    QCOMPARE(value, 3.5);
    QVERIFY(!ring.tryPop(value));
}

void SpscRingTest::structElements()
{
    struct Packet {
        std::uint32_t sequence;
        std::array<std::uint8_t, 20> payload;
    };
    SpscRing<Packet> ring(4);
    Packet packet{7, {}};
    packet.payload[19] = 42;
    QVERIFY(ring.tryPush(packet));
    Packet out{};
    QVERIFY(ring.tryPop(out));
    QCOMPARE(out.sequence, 7u);
    QCOMPARE(out.payload[19], std::uint8_t{42});
}

void SpscRingTest::twoThreadsKeepOrderAndContent_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("maxChunk");
    // A tiny ring forces constant full/empty transitions; a large one long bulk copies with
    // wrap-around splits.
    QTest::newRow("tiny ring, single items") << 4 << 1;
    QTest::newRow("small ring, chunks") << 64 << 48;
    QTest::newRow("audio-sized ring, big chunks") << 4096 << 1000;
}

// A producer writes a counter sequence in random chunk sizes, a consumer reads in other random
// sizes and checks that every value arrives once, in order. Under TSan this also proves the
// memory orders: a missing acquire/release shows as a data race on the storage.
void SpscRingTest::twoThreadsKeepOrderAndContent()
{
    QFETCH(int, capacity);
    QFETCH(int, maxChunk);
    constexpr std::uint64_t kItems = 3'000'000;
    SpscRing<std::uint64_t> ring(static_cast<std::size_t>(capacity));
    std::atomic<bool> failed{false};

    std::thread producer([&] {
        std::minstd_rand random(1);
        std::vector<std::uint64_t> chunk(static_cast<std::size_t>(maxChunk));
        std::uint64_t next = 0;
        while (next < kItems && !failed.load(std::memory_order_relaxed)) {
            const auto size = std::min<std::uint64_t>(random() % static_cast<unsigned>(maxChunk) + 1, kItems - next);
            for (std::uint64_t i = 0; i < size; ++i)
                chunk[i] = next + i;
            const std::size_t written = ring.write(std::span<const std::uint64_t>(chunk).first(size));
            next += written;
            if (written == 0)
                std::this_thread::yield();
        }
    });

    std::minstd_rand random(2);
    std::vector<std::uint64_t> chunk(static_cast<std::size_t>(maxChunk));
    std::uint64_t expected = 0;
    while (expected < kItems && !failed.load(std::memory_order_relaxed)) {
        const auto size = random() % static_cast<unsigned>(maxChunk) + 1;
        const std::size_t read = ring.read(std::span<std::uint64_t>(chunk).first(size));
        for (std::size_t i = 0; i < read; ++i) {
            if (chunk[i] != expected + i) {
                failed.store(true, std::memory_order_relaxed);
                break;
            }
        }
        expected += read;
        if (read == 0)
            std::this_thread::yield();
    }
    producer.join();
    QVERIFY2(!failed.load(), "an item arrived out of order or corrupted");
    QCOMPARE(expected, kItems);
    QCOMPARE(ring.availableToRead(), std::size_t{0});
}

QTEST_APPLESS_MAIN(SpscRingTest)
#include "SpscRingTest.moc"
