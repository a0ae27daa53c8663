// Checks the playout-path contract of earshot::jitter (DESIGN.md §3): after construction,
// insert(), pull() and statistics() allocate nothing, through reordering, loss, FEC,
// concealment, underruns, buffering, resyncs and time-stretching. Allocations are counted with
// tests/support/AllocationCounter.h; sanitizer builds skip.
#include "FakeDecoder.h"
#include "LinkSimulation.h"

#include "jitter/JitterBuffer.h"

#include <QTest>


#include "AllocationCounter.h"

using namespace earshot::jitter;
using earshot::jitter::test::FakeDecoder;
using earshot::jitter::test::LinkSimulation;
using earshot::jitter::test::SimPacket;

using earshot::test::AllocationCounter;

class JitterBufferAllocationTest : public QObject {
    Q_OBJECT

private slots:
    void playoutPathDoesNotAllocate();
};

void JitterBufferAllocationTest::playoutPathDoesNotAllocate()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("the sanitizer's allocator cannot be counted");
#else
    LinkSimulation::Options options;
    options.recordTrace = false; // the trace itself would allocate
    LinkSimulation simulation(options);
    // Ten seconds with everything at once: talkspurts (stretching), jitter, a stall (underrun,
    // late playout, accelerate), a loss burst with FEC, a duplicate, a packet long late, then
    // silence long enough to stop concealing, and a resync after a big sequence jump.
    std::vector<SimPacket> packets = LinkSimulation::steadyStream(
        400, 960, 1.001,
        [](std::uint64_t sequence, std::int64_t sendUs) -> std::int64_t {
            if (sendUs >= 3'000'000 && sendUs < 3'300'000)
                return 3'300'000 - sendUs + 30'000;
            return 30'000 + static_cast<std::int64_t>(sequence * 7919 % 25) * 1000;
        },
        [](std::uint64_t sequence) {
            return std::uint8_t(((sequence % 50) >= 35 ? FakeDecoder::Silent : 0) | FakeDecoder::HasFec);
        });
    packets.erase(packets.begin() + 200, packets.begin() + 204);
    packets.push_back({100, 2'500'000, 0});
    packets.push_back({150, 5'000'000, 0});
    packets.push_back({2000, 12'000'000, 0});
    packets.push_back({2001, 12'020'000, 0});
    packets.push_back({2002, 12'040'000, 0});
    simulation.send(packets);

    int allocations = 0;
    {
        const AllocationCounter counter;
        simulation.run(14'000'000);
        allocations = counter.count();
    }
    const JitterStatistics statistics = simulation.buffer().statistics();
    QCOMPARE(allocations, 0);
    // And the run did go through the paths it was meant to.
    QVERIFY(statistics.accelerateCount > 0);
    QVERIFY(statistics.expandCount > 0);
    QVERIFY(statistics.fecRecoveredFrames > 0);
    QVERIFY(statistics.underrunCount > 0);
    QVERIFY(statistics.duplicatePackets > 0);
    QVERIFY(statistics.latePackets > 0);
    QVERIFY(statistics.resyncCount > 0);
#endif
}

QTEST_GUILESS_MAIN(JitterBufferAllocationTest)
#include "JitterBufferAllocationTest.moc"
