#include <earshot/protocol/SequenceUnwrapper.h>

#include <QList>
#include <QTest>

#include <cstdint>

using earshot::protocol::SequenceUnwrapper;

namespace {

constexpr qint64 kRejected = -1;
constexpr qint64 kMax = qint64(SequenceUnwrapper::kMaxExtendedSequence);

} // namespace

class SequenceUnwrapperTest : public QObject {
    Q_OBJECT

private slots:
    void unwrapsSequences_data();
    void unwrapsSequences();
    void unwrapDoesNotChangeState();
    void updateKeepsTheHighest();
    void longRunCrossesManyWraps();
};

// Each row feeds `sequences` in order; every accepted packet is committed (update), as a
// receiver does after the packet authenticated.
void SequenceUnwrapperTest::unwrapsSequences_data()
{
    QTest::addColumn<quint32>("initialRoc");
    QTest::addColumn<QList<int>>("sequences");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("in order from 0") << 0u << QList<int> { 0, 1, 2, 3 } << QList<qint64> { 0, 1, 2, 3 };
    QTest::newRow("first packet mid-range") << 0u << QList<int> { 40000, 40001 }
                                            << QList<qint64> { 40000, 40001 };
    QTest::newRow("wrap 65535 -> 0") << 0u << QList<int> { 65534, 65535, 0, 1 }
                                     << QList<qint64> { 65534, 65535, 65536, 65537 };
    QTest::newRow("late 65534 after 0") << 0u << QList<int> { 65533, 65535, 0, 65534, 1 }
                                        << QList<qint64> { 65533, 65535, 65536, 65534, 65537 };
    QTest::newRow("reordered across the wrap") << 0u << QList<int> { 65535, 1, 0, 65534, 2 }
                                               << QList<qint64> { 65535, 65537, 65536, 65534, 65538 };
    QTest::newRow("early packet after a loss across the wrap") << 0u << QList<int> { 65500, 100, 65510 }
                                                               << QList<qint64> { 65500, 65636, 65510 };
    QTest::newRow("second wrap") << 0u << QList<int> { 65535, 0, 30000, 60000, 65535, 0 }
                                 << QList<qint64> { 65535, 65536, 95536, 125536, 131071, 131072 };
    QTest::newRow("forward jump of 32767") << 0u << QList<int> { 10, 32777, 11 }
                                           << QList<qint64> { 10, 32777, 11 };
    QTest::newRow("32768 ahead counts as behind") << 0u << QList<int> { 40000, 7232 }
                                                  << QList<qint64> { 40000, 7232 };
    QTest::newRow("before the first packet") << 0u << QList<int> { 5, 65534, 4, 6 }
                                             << QList<qint64> { 5, kRejected, 4, 6 };
    QTest::newRow("initial ROC 3") << 3u << QList<int> { 65535, 0, 65534 }
                                   << QList<qint64> { 3 * 65536 + 65535, 4 * 65536, 3 * 65536 + 65534 };
    QTest::newRow("initial ROC at the top") << 0xFFFFFFFFu << QList<int> { 65534, 65535, 0, 65533 }
                                            << QList<qint64> { kMax - 1, kMax, kRejected, kMax - 2 };
}

void SequenceUnwrapperTest::unwrapsSequences()
{
    QFETCH(quint32, initialRoc);
    QFETCH(QList<int>, sequences);
    QFETCH(QList<qint64>, expected);
    QCOMPARE(sequences.size(), expected.size());
    SequenceUnwrapper unwrapper(initialRoc);
    for (qsizetype i = 0; i < sequences.size(); ++i) {
        const auto extended = unwrapper.unwrap(static_cast<std::uint16_t>(sequences[i]));
        const qint64 got = extended.has_value() ? qint64(*extended) : kRejected;
        QVERIFY2(got == expected[i],
                 qPrintable(QStringLiteral("packet %1 (seq %2): got %3, expected %4")
                                .arg(i)
                                .arg(sequences[i])
                                .arg(got)
                                .arg(expected[i])));
        if (extended.has_value()) {
            QCOMPARE(static_cast<std::uint16_t>(*extended), static_cast<std::uint16_t>(sequences[i]));
            unwrapper.update(*extended);
        }
    }
}

// Guessing alone (what a forged packet gets) must not move the reference point.
void SequenceUnwrapperTest::unwrapDoesNotChangeState()
{
    SequenceUnwrapper unwrapper;
    QVERIFY(!unwrapper.highest().has_value());
    QCOMPARE(unwrapper.unwrap(65535), std::optional<std::uint64_t>(65535));
    QVERIFY(!unwrapper.highest().has_value());
    unwrapper.update(100);
    for (int sequence = 0; sequence < 65536; sequence += 97)
        (void)unwrapper.unwrap(static_cast<std::uint16_t>(sequence));
    QCOMPARE(unwrapper.highest(), std::optional<std::uint64_t>(100));
    // 32000 ahead is still ahead, and 65000 is still before the start.
    QCOMPARE(unwrapper.unwrap(32100), std::optional<std::uint64_t>(32100));
    QVERIFY(!unwrapper.unwrap(65000).has_value());
}

void SequenceUnwrapperTest::updateKeepsTheHighest()
{
    SequenceUnwrapper unwrapper;
    unwrapper.update(70000);
    unwrapper.update(69990); // a late packet
    QCOMPARE(unwrapper.highest(), std::optional<std::uint64_t>(70000));
    unwrapper.update(SequenceUnwrapper::kMaxExtendedSequence + 1); // cannot be produced; ignored
    QCOMPARE(unwrapper.highest(), std::optional<std::uint64_t>(70000));
    QCOMPARE(unwrapper.unwrap(static_cast<std::uint16_t>(70001)), std::optional<std::uint64_t>(70001));
}

// A sender's counter sent as 16 bits with steady reordering (pairs swapped) and loss (every
// 13th dropped) over 5 wraps: the receiver reconstructs every number exactly.
void SequenceUnwrapperTest::longRunCrossesManyWraps()
{
    SequenceUnwrapper unwrapper;
    const std::uint64_t start = 65000;
    const std::uint64_t end = start + 5 * 65536;
    for (std::uint64_t sent = start; sent < end; sent += 2) {
        for (const std::uint64_t extended : { sent + 1, sent }) {
            if (extended % 13 == 0)
                continue;
            const auto got = unwrapper.unwrap(static_cast<std::uint16_t>(extended));
            if (got != std::optional<std::uint64_t>(extended))
                QFAIL(qPrintable(QStringLiteral("mismatch at %1").arg(extended)));
            unwrapper.update(extended);
        }
    }
    QCOMPARE(unwrapper.highest(), std::optional<std::uint64_t>(end - 1));
}

QTEST_APPLESS_MAIN(SequenceUnwrapperTest)
#include "SequenceUnwrapperTest.moc"
