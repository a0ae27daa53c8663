#include "audio/DeviceWatcher.h"

#include "FakeDevices.h"

#include <QTest>

#include <chrono>
#include <mutex>
#include <vector>

using namespace earshot::audio;
using earshot::audio::test::FakeEnumerator;
using earshot::audio::test::makeSnapshot;
using namespace std::chrono_literals;

namespace {

// Collects reports from the watcher thread.
class Reports {
public:
    DeviceWatcher::Listener listener()
    {
        return [this](const DeviceChanges& changes) {
            const std::lock_guard lock(m_mutex);
            m_changes.push_back(changes);
        };
    }

    std::size_t count() const
    {
        const std::lock_guard lock(m_mutex);
        return m_changes.size();
    }

    DeviceChanges at(std::size_t index) const
    {
        const std::lock_guard lock(m_mutex);
        return m_changes.at(index);
    }

private:
    mutable std::mutex m_mutex;
    std::vector<DeviceChanges> m_changes;
};

} // namespace

class DeviceWatcherTest : public QObject {
    Q_OBJECT

private slots:
    void reportsPlugAndUnplug();
    void staysQuietWhileNothingChanges();
    void pollNowDoesNotWaitForTheInterval();
    void stopIsPromptWithALongInterval();
};

void DeviceWatcherTest::reportsPlugAndUnplug()
{
    FakeEnumerator enumerator;
    enumerator.set(makeSnapshot({"A"}, "A", "A"));
    DeviceWatcher watcher(enumerator);
    Reports reports;
    const DeviceSnapshot baseline = watcher.start(reports.listener(), 10ms);
    QCOMPARE(baseline, makeSnapshot({"A"}, "A", "A"));

    enumerator.set(makeSnapshot({"A", "USB"}, "USB", "A"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), std::size_t{1}, 5000);
    DeviceChanges plugged = reports.at(0);
    QCOMPARE(plugged.added.size(), std::size_t{1});
    QCOMPARE(plugged.added[0].id, std::string("USB"));
    QVERIFY(plugged.defaultInputChanged);
    QVERIFY(!plugged.defaultOutputChanged);

    enumerator.set(makeSnapshot({"A"}, "A", "A"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), std::size_t{2}, 5000);
    DeviceChanges unplugged = reports.at(1);
    QCOMPARE(unplugged.removed.size(), std::size_t{1});
    QCOMPARE(unplugged.removed[0].id, std::string("USB"));
    QCOMPARE(watcher.snapshot(), makeSnapshot({"A"}, "A", "A"));
    watcher.stop();
}

void DeviceWatcherTest::staysQuietWhileNothingChanges()
{
    FakeEnumerator enumerator;
    enumerator.set(makeSnapshot({"A", "B"}, "A", "B"));
    DeviceWatcher watcher(enumerator);
    Reports reports;
    watcher.start(reports.listener(), 5ms);
    QTRY_VERIFY_WITH_TIMEOUT(enumerator.calls() >= 10, 5000);
    watcher.stop();
    QCOMPARE(reports.count(), std::size_t{0});
    // Stopped means stopped.
    const int calls = enumerator.calls();
    QTest::qWait(50);
    QCOMPARE(enumerator.calls(), calls);
}

void DeviceWatcherTest::pollNowDoesNotWaitForTheInterval()
{
    FakeEnumerator enumerator;
    DeviceWatcher watcher(enumerator);
    Reports reports;
    watcher.start(reports.listener(), 1h);
    enumerator.set(makeSnapshot({"A"}, "A", "A"));
    watcher.pollNow();
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), std::size_t{1}, 5000);
    QCOMPARE(reports.at(0).added.size(), std::size_t{1});
}

void DeviceWatcherTest::stopIsPromptWithALongInterval()
{
    FakeEnumerator enumerator;
    DeviceWatcher watcher(enumerator);
    Reports reports;
    watcher.start(reports.listener(), 1h);
    const auto before = std::chrono::steady_clock::now();
    watcher.stop();
    QVERIFY(std::chrono::steady_clock::now() - before < 1s);
    watcher.stop(); // idempotent
}

QTEST_GUILESS_MAIN(DeviceWatcherTest)
#include "DeviceWatcherTest.moc"
