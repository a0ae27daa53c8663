#include "audio/DeviceChanges.h"

#include "FakeDevices.h"

#include <QTest>

using earshot::audio::DeviceChanges;
using earshot::audio::DeviceSnapshot;
using earshot::audio::test::makeSnapshot;

Q_DECLARE_METATYPE(DeviceSnapshot)

class DeviceChangesTest : public QObject {
    Q_OBJECT

private slots:
    void between_data();
    void between();
};

void DeviceChangesTest::between_data()
{
    QTest::addColumn<DeviceSnapshot>("previous");
    QTest::addColumn<DeviceSnapshot>("current");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("removed");
    QTest::addColumn<bool>("defaultInputChanged");
    QTest::addColumn<bool>("defaultOutputChanged");
    QTest::addColumn<bool>("refreshBlocked");

    const DeviceSnapshot ab = makeSnapshot({"A", "B"}, "A", "A");
    QTest::newRow("unchanged") << ab << ab << QStringList{} << QStringList{} << false << false << false;
    QTest::newRow("plugged in") << ab << makeSnapshot({"A", "B", "C"}, "A", "A") << QStringList{"C"} << QStringList{}
                                << false << false << false;
    QTest::newRow("unplugged, default moves")
        << ab << makeSnapshot({"B"}, "B", "B") << QStringList{} << QStringList{"A"} << true << true << false;
    QTest::newRow("only the output default moves")
        << ab << makeSnapshot({"A", "B"}, "A", "B") << QStringList{} << QStringList{} << false << true << false;
    QTest::newRow("everything gone") << ab << DeviceSnapshot{} << QStringList{} << QStringList{"A", "B"} << true << true
                                     << false;
    DeviceSnapshot blocked = ab;
    blocked.refreshBlocked = true;
    QTest::newRow("refresh blocked starts") << ab << blocked << QStringList{} << QStringList{} << false << false << true;
    QTest::newRow("refresh blocked goes on") << blocked << blocked << QStringList{} << QStringList{} << false << false
                                             << false;
}

void DeviceChangesTest::between()
{
    QFETCH(DeviceSnapshot, previous);
    QFETCH(DeviceSnapshot, current);
    QFETCH(QStringList, added);
    QFETCH(QStringList, removed);
    QFETCH(bool, defaultInputChanged);
    QFETCH(bool, defaultOutputChanged);
    QFETCH(bool, refreshBlocked);

    const DeviceChanges changes = DeviceChanges::between(previous, current);
    QStringList addedIds;
    for (const auto& device : changes.added)
        addedIds << QString::fromStdString(device.id);
    QStringList removedIds;
    for (const auto& device : changes.removed)
        removedIds << QString::fromStdString(device.id);
    QCOMPARE(addedIds, added);
    QCOMPARE(removedIds, removed);
    QCOMPARE(changes.defaultInputChanged, defaultInputChanged);
    QCOMPARE(changes.defaultOutputChanged, defaultOutputChanged);
    QCOMPARE(changes.refreshBlocked, refreshBlocked);
    QCOMPARE(changes.current, current);
    QCOMPARE(changes.isEmpty(), added.isEmpty() && removed.isEmpty() && !defaultInputChanged && !defaultOutputChanged
                                    && !refreshBlocked);
}

QTEST_APPLESS_MAIN(DeviceChangesTest)
#include "DeviceChangesTest.moc"
