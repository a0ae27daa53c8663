#include "audio/DeviceSelector.h"

#include "FakeDevices.h"

#include <QTest>

#include <optional>
#include <vector>

using namespace earshot::audio;
using earshot::audio::test::makeSnapshot;

namespace {

enum class Action { Update, Fail, Prefer };

// One event of a scenario and what the selector must answer (nullopt: keep the open device).
struct Step {
    Action action;
    DeviceSnapshot snapshot;
    std::optional<DeviceSelection> expected;
    std::string preferred = {}; // for Action::Prefer
};

DeviceSnapshot blocked(DeviceSnapshot snapshot)
{
    snapshot.refreshBlocked = true;
    return snapshot;
}

DeviceSelection pick(const char* id, bool fallback, SelectionReason reason)
{
    return DeviceSelection{id, fallback, reason};
}

using Scenario = std::vector<Step>;

} // namespace

Q_DECLARE_METATYPE(Scenario)
Q_DECLARE_METATYPE(DeviceDirection)

class DeviceSelectorTest : public QObject {
    Q_OBJECT

private slots:
    void scenarios_data();
    void scenarios();
};

void DeviceSelectorTest::scenarios_data()
{
    QTest::addColumn<DeviceDirection>("direction");
    QTest::addColumn<QString>("preferred");
    QTest::addColumn<Scenario>("scenario");

    const auto withUsb = makeSnapshot({"Builtin", "USB"}, "Builtin", "Builtin");
    const auto withoutUsb = makeSnapshot({"Builtin"}, "Builtin", "Builtin");
    const auto usbIsDefault = makeSnapshot({"Builtin", "USB"}, "USB", "USB");
    using R = SelectionReason;
    using A = Action;

    QTest::newRow("no preference follows the default")
        << DeviceDirection::Output << QString()
        << Scenario{{A::Update, withUsb, pick("Builtin", false, R::Initial)},
                    {A::Update, withUsb, std::nullopt},
                    {A::Update, usbIsDefault, pick("USB", false, R::DefaultChanged)},
                    {A::Update, withoutUsb, pick("Builtin", false, R::DefaultChanged)}};

    QTest::newRow("preferred device lost, followed default in fallback, recovered")
        << DeviceDirection::Output << QStringLiteral("USB")
        << Scenario{{A::Update, withUsb, pick("USB", false, R::Initial)},
                    {A::Update, withoutUsb, pick("Builtin", true, R::PreferredLost)},
                    {A::Update, withoutUsb, std::nullopt},
                    {A::Update, makeSnapshot({"Builtin", "HDMI"}, "HDMI", "HDMI"), pick("HDMI", true, R::DefaultChanged)},
                    {A::Update, makeSnapshot({"Builtin", "HDMI", "USB"}, "HDMI", "HDMI"),
                     pick("USB", false, R::PreferredReturned)}};

    QTest::newRow("preferred absent at start, arrives later")
        << DeviceDirection::Input << QStringLiteral("USB")
        << Scenario{{A::Update, withoutUsb, pick("Builtin", true, R::Initial)},
                    {A::Update, withUsb, pick("USB", false, R::PreferredReturned)}};

    QTest::newRow("no device at all, then one")
        << DeviceDirection::Input << QString()
        << Scenario{{A::Update, DeviceSnapshot{}, pick("", false, R::NoDevice)},
                    {A::Update, DeviceSnapshot{}, std::nullopt},
                    {A::Update, withoutUsb, pick("Builtin", false, R::DefaultChanged)},
                    {A::Update, DeviceSnapshot{}, pick("", false, R::NoDevice)}};

    QTest::newRow("an output-only device is never an input")
        << DeviceDirection::Input << QStringLiteral("out:HDMI")
        << Scenario{{A::Update, makeSnapshot({"Builtin", "out:HDMI"}, "Builtin", "out:HDMI"),
                     pick("Builtin", true, R::Initial)}};

    QTest::newRow("preferred fails while listed: no flapping until it is replugged")
        << DeviceDirection::Output << QStringLiteral("USB")
        << Scenario{{A::Update, withUsb, pick("USB", false, R::Initial)},
                    {A::Fail, withUsb, pick("Builtin", true, R::PreferredLost)},
                    {A::Update, withUsb, std::nullopt},
                    {A::Update, withoutUsb, std::nullopt},
                    {A::Update, withUsb, pick("USB", false, R::PreferredReturned)}};

    QTest::newRow("the default fails: reopen it")
        << DeviceDirection::Output << QString()
        << Scenario{{A::Update, withoutUsb, pick("Builtin", false, R::Initial)},
                    {A::Fail, withoutUsb, pick("Builtin", false, R::DeviceFailed)},
                    {A::Fail, DeviceSnapshot{}, pick("", false, R::NoDevice)},
                    {A::Update, withoutUsb, pick("Builtin", false, R::DefaultChanged)}};

    QTest::newRow("the user chooses")
        << DeviceDirection::Output << QString()
        << Scenario{{A::Update, withUsb, pick("Builtin", false, R::Initial)},
                    {A::Prefer, withUsb, pick("USB", false, R::PreferenceChanged), "USB"},
                    {A::Prefer, withUsb, std::nullopt, "USB"},
                    {A::Prefer, withUsb, pick("Builtin", false, R::PreferenceChanged), ""},
                    {A::Prefer, withUsb, std::nullopt, "Builtin"},
                    {A::Prefer, withUsb, std::nullopt, "Gone"}};

    QTest::newRow("choosing again clears a failure")
        << DeviceDirection::Output << QStringLiteral("USB")
        << Scenario{{A::Update, withUsb, pick("USB", false, R::Initial)},
                    {A::Fail, withUsb, pick("Builtin", true, R::PreferredLost)},
                    {A::Prefer, withUsb, pick("USB", false, R::PreferenceChanged), "USB"}};

    QTest::newRow("frozen list in fallback asks for one rescan")
        << DeviceDirection::Output << QStringLiteral("USB")
        << Scenario{{A::Update, withoutUsb, pick("Builtin", true, R::Initial)},
                    {A::Update, blocked(withoutUsb), pick("Builtin", true, R::RescanNeeded)},
                    {A::Update, blocked(withoutUsb), std::nullopt},
                    {A::Update, withUsb, pick("USB", false, R::PreferredReturned)},
                    {A::Update, blocked(withUsb), std::nullopt}};

    QTest::newRow("frozen list without fallback needs nothing")
        << DeviceDirection::Output << QString()
        << Scenario{{A::Update, withUsb, pick("Builtin", false, R::Initial)},
                    {A::Update, blocked(withUsb), std::nullopt}};
}

void DeviceSelectorTest::scenarios()
{
    QFETCH(DeviceDirection, direction);
    QFETCH(QString, preferred);
    QFETCH(Scenario, scenario);

    DeviceSelector selector(direction, preferred.toStdString());
    for (std::size_t i = 0; i < scenario.size(); ++i) {
        const Step& step = scenario[i];
        std::optional<DeviceSelection> got;
        switch (step.action) {
        case Action::Update:
            got = selector.update(step.snapshot);
            break;
        case Action::Fail:
            got = selector.reportFailure(step.snapshot);
            break;
        case Action::Prefer:
            got = selector.setPreferredDevice(step.preferred, step.snapshot);
            break;
        }
        const auto describe = [](const std::optional<DeviceSelection>& selection) {
            if (!selection)
                return QStringLiteral("(no change)");
            return QStringLiteral("%1 fallback=%2 reason=%3")
                .arg(QString::fromStdString(selection->deviceId))
                .arg(selection->isFallback)
                .arg(static_cast<int>(selection->reason));
        };
        QVERIFY2(got == step.expected, qPrintable(QStringLiteral("step %1: got %2, expected %3")
                                                      .arg(i)
                                                      .arg(describe(got), describe(step.expected))));
        if (got && got->reason != SelectionReason::RescanNeeded)
            QCOMPARE(selector.current(), *got);
    }
}

QTEST_APPLESS_MAIN(DeviceSelectorTest)
#include "DeviceSelectorTest.moc"
