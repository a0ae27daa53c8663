#include <earshot/protocol/ReplayWindow.h>

#include <QList>
#include <QTest>

#include <cstdint>

using earshot::protocol::ReplayWindow;

namespace {

constexpr qint64 kTop = (qint64(1) << 48) - 1;

} // namespace

class ReplayWindowTest : public QObject {
    Q_OBJECT

private slots:
    void decides_data();
    void decides();
    void checkDoesNotChangeState();
    void everyPacketOfAShuffledRunAcceptedOnce();
};

// Each row offers `packets` in order; a packet is accepted (as after authentication) exactly
// when check() says it is fresh, and `fresh` lists what check() must say.
void ReplayWindowTest::decides_data()
{
    QTest::addColumn<QList<qint64>>("packets");
    QTest::addColumn<QList<bool>>("fresh");
    QTest::newRow("first packet, any number") << QList<qint64> { 123456 } << QList<bool> { true };
    QTest::newRow("first packet 0") << QList<qint64> { 0, 0, 1 } << QList<bool> { true, false, true };
    QTest::newRow("in order") << QList<qint64> { 1, 2, 3, 4 } << QList<bool> { true, true, true, true };
    QTest::newRow("duplicate of the highest") << QList<qint64> { 10, 10 } << QList<bool> { true, false };
    QTest::newRow("duplicate inside the window") << QList<qint64> { 10, 11, 12, 11 }
                                                 << QList<bool> { true, true, true, false };
    QTest::newRow("reordered, each once") << QList<qint64> { 100, 103, 101, 102, 101, 103, 102,
        100 } << QList<bool> { true, true, true, true, false, false, false, false };
    QTest::newRow("gap filled late") << QList<qint64> { 200, 260, 230, 201, 230 }
                                     << QList<bool> { true, true, true, true, false };
    QTest::newRow("63 behind accepted") << QList<qint64> { 1000, 937 } << QList<bool> { true, true };
    QTest::newRow("64 behind rejected") << QList<qint64> { 1000, 936 } << QList<bool> { true, false };
    QTest::newRow("65 behind rejected") << QList<qint64> { 1000, 935 } << QList<bool> { true, false };
    QTest::newRow("far behind rejected") << QList<qint64> { 1000, 1 } << QList<bool> { true, false };
    QTest::newRow("window slides: old slot expires") << QList<qint64> { 1000, 999, 1064, 999, 1001 }
                                                     << QList<bool> { true, true, true, false, true };
    QTest::newRow("jump of exactly 64 forgets") << QList<qint64> { 500, 564, 501, 500 }
                                                << QList<bool> { true, true, true, false };
    QTest::newRow("big jump forgets everything") << QList<qint64> { 5, 6, 100000, 99937, 99936, 6 }
                                                 << QList<bool> { true, true, true, true, false, false };
    QTest::newRow("across the 16-bit wrap") << QList<qint64> { 65534, 65535, 65536, 65537, 65535, 65533 }
                                            << QList<bool> { true, true, true, true, false, true };
    QTest::newRow("late 65534 after 0 (65536)") << QList<qint64> { 65533, 65535, 65536, 65534, 65534 }
                                                << QList<bool> { true, true, true, true, false };
    QTest::newRow("top of the 48-bit range") << QList<qint64> { kTop - 2, kTop, kTop - 1, kTop, kTop - 64 }
                                             << QList<bool> { true, true, true, false, false };
}

void ReplayWindowTest::decides()
{
    QFETCH(QList<qint64>, packets);
    QFETCH(QList<bool>, fresh);
    QCOMPARE(packets.size(), fresh.size());
    ReplayWindow window;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        const auto extended = static_cast<std::uint64_t>(packets[i]);
        QVERIFY2(window.check(extended) == fresh[i],
                 qPrintable(QStringLiteral("packet %1 (%2)").arg(i).arg(packets[i])));
        if (fresh[i])
            window.accept(extended);
    }
}

// A check that is not followed by accept (the packet failed to authenticate) leaves no trace.
void ReplayWindowTest::checkDoesNotChangeState()
{
    ReplayWindow window;
    window.accept(10);
    for (std::uint64_t extended = 0; extended < 200; ++extended)
        (void)window.check(extended);
    QVERIFY(window.check(11));
    QVERIFY(window.check(9));
    QVERIFY(!window.check(10));
    // A forged far-ahead packet that is only checked must not push 9 out of the window.
    QVERIFY(window.check(1'000'000));
    QVERIFY(window.check(9));
    // Accepting something already recorded or too old changes nothing.
    window.accept(10);
    window.accept(0);
    QVERIFY(window.check(9));
    QVERIFY(!window.check(10));
}

// 64-packet blocks, each delivered in a scrambled order and then all over again: the first
// copy of every number is accepted, every repeat rejected.
void ReplayWindowTest::everyPacketOfAShuffledRunAcceptedOnce()
{
    ReplayWindow window;
    int accepted = 0;
    int rejected = 0;
    for (std::uint64_t block = 0; block < 100; ++block) {
        for (int pass = 0; pass < 2; ++pass) {
            for (std::uint64_t i = 0; i < ReplayWindow::kWindowPackets; ++i) {
                const std::uint64_t extended = 65000 + block * 64 + (i * 37) % 64; // 37 is coprime to 64
                if (window.check(extended)) {
                    window.accept(extended);
                    ++accepted;
                } else {
                    ++rejected;
                }
            }
        }
    }
    QCOMPARE(accepted, 100 * 64);
    QCOMPARE(rejected, 100 * 64);
}

QTEST_APPLESS_MAIN(ReplayWindowTest)
#include "ReplayWindowTest.moc"
