// PcmFifo: the decoded-PCM ring between decoding and pulls.
#include "jitter/PcmFifo.h"

#include <QTest>

#include <numeric>
#include <vector>

using earshot::jitter::PcmFifo;

class PcmFifoTest : public QObject {
    Q_OBJECT

private slots:
    void wrapsAroundInOrder_data();
    void wrapsAroundInOrder();
    void boundsAreRespected();
};

void PcmFifoTest::wrapsAroundInOrder_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("pushFrames");
    QTest::addColumn<int>("popFrames");
    QTest::newRow("mono 7/5") << 1 << 7 << 5;
    QTest::newRow("mono 10/10") << 1 << 10 << 10;
    QTest::newRow("stereo 3/8") << 2 << 3 << 8;
}

// A counting signal pushed and popped in mismatched chunks through a 16-frame ring comes out
// complete and in order.
void PcmFifoTest::wrapsAroundInOrder()
{
    QFETCH(int, channels);
    QFETCH(int, pushFrames);
    QFETCH(int, popFrames);
    PcmFifo fifo(16, channels);
    std::vector<float> in(static_cast<std::size_t>(pushFrames * channels));
    std::vector<float> out(static_cast<std::size_t>(popFrames * channels));
    float next = 0.0f;
    float expected = 0.0f;
    for (int round = 0; round < 200; ++round) {
        if (fifo.capacityFrames() - fifo.frames() >= pushFrames) {
            std::iota(in.begin(), in.end(), next);
            next += float(in.size());
            QCOMPARE(fifo.push(in, pushFrames), pushFrames);
        }
        const int popped = fifo.pop(out, popFrames);
        for (int i = 0; i < popped * channels; ++i)
            QCOMPARE(out[static_cast<std::size_t>(i)], expected++);
    }
    QVERIFY(expected > 500.0f);
}

void PcmFifoTest::boundsAreRespected()
{
    PcmFifo fifo(4, 1);
    const std::vector<float> in(6, 1.0f);
    QCOMPARE(fifo.push(in, 6), 4);
    QCOMPARE(fifo.push(in, 1), 0);
    std::vector<float> out(2);
    QCOMPARE(fifo.pop(out, 5), 2); // limited by `out`
    QCOMPARE(fifo.frames(), 2);
    fifo.clear();
    QCOMPARE(fifo.frames(), 0);
    QCOMPARE(fifo.pop(out, 2), 0);
}

QTEST_GUILESS_MAIN(PcmFifoTest)
#include "PcmFifoTest.moc"
