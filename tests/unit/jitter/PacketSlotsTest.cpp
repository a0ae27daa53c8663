// PacketSlots: the preallocated packet store.
#include "jitter/PacketSlots.h"

#include <QTest>

#include <array>
#include <cstdint>

using earshot::jitter::BufferedPacket;
using earshot::jitter::PacketSlots;

namespace {

BufferedPacket packet(std::uint64_t sequence, std::span<const std::uint8_t> payload)
{
    BufferedPacket result;
    result.sequence = sequence;
    result.timestamp = static_cast<std::int64_t>(sequence) * 960;
    result.frames = 960;
    result.payload = payload;
    return result;
}

} // namespace

class PacketSlotsTest : public QObject {
    Q_OBJECT

private slots:
    void capacityIsPowerOfTwo_data();
    void capacityIsPowerOfTwo();
    void storeCopiesThePayload();
    void collisionsAndSizeAreRefused();
    void firstAtOrAfter();
};

void PacketSlotsTest::capacityIsPowerOfTwo_data()
{
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("capacity");
    QTest::newRow("0") << 0 << 2;
    QTest::newRow("2") << 2 << 2;
    QTest::newRow("100") << 100 << 128;
    QTest::newRow("512") << 512 << 512;
}

void PacketSlotsTest::capacityIsPowerOfTwo()
{
    QFETCH(int, requested);
    QFETCH(int, capacity);
    QCOMPARE(PacketSlots(requested, 10).capacity(), capacity);
}

void PacketSlotsTest::storeCopiesThePayload()
{
    PacketSlots packets(8, 4);
    std::array<std::uint8_t, 3> bytes {1, 2, 3};
    QVERIFY(packets.store(packet(5, bytes)));
    bytes = {9, 9, 9};
    const BufferedPacket* stored = packets.find(5);
    QVERIFY(stored != nullptr);
    QCOMPARE(stored->payload.size(), std::size_t(3));
    QCOMPARE(stored->payload[0], std::uint8_t(1));
    QCOMPARE(stored->payload[2], std::uint8_t(3));
    QCOMPARE(stored->timestamp, std::int64_t(5 * 960));
    QCOMPARE(packets.size(), 1);
    QVERIFY(packets.find(13) == nullptr); // same slot, other sequence
    packets.remove(13);
    QCOMPARE(packets.size(), 1);
    packets.remove(5);
    QVERIFY(packets.empty());
    QVERIFY(packets.store(packet(5, {})));
    QVERIFY(packets.find(5)->payload.empty());
    packets.clear();
    QVERIFY(packets.empty());
    QVERIFY(packets.find(5) == nullptr);
}

void PacketSlotsTest::collisionsAndSizeAreRefused()
{
    PacketSlots packets(8, 4);
    const std::array<std::uint8_t, 4> fits {};
    const std::array<std::uint8_t, 5> tooBig {};
    QVERIFY(!packets.store(packet(1, tooBig)));
    QVERIFY(packets.store(packet(1, fits)));
    QVERIFY(!packets.store(packet(9, fits))); // 9 and 1 share a slot: window rule broken
    QVERIFY(packets.store(packet(1, fits)));  // the same packet again replaces it
    QCOMPARE(packets.size(), 1);
}

void PacketSlotsTest::firstAtOrAfter()
{
    PacketSlots packets(16, 4);
    QVERIFY(!packets.firstAtOrAfter(0).has_value());
    QVERIFY(packets.store(packet(100, {})));
    QVERIFY(packets.store(packet(107, {})));
    QCOMPARE(packets.firstAtOrAfter(90).value(), std::uint64_t(100));
    QCOMPARE(packets.firstAtOrAfter(100).value(), std::uint64_t(100));
    QCOMPARE(packets.firstAtOrAfter(101).value(), std::uint64_t(107));
    QVERIFY(!packets.firstAtOrAfter(108).has_value());
    QVERIFY(!packets.firstAtOrAfter(80).has_value()); // 100 is beyond one window from 80
}

QTEST_GUILESS_MAIN(PacketSlotsTest)
#include "PacketSlotsTest.moc"
