#include <earshot/Engine.h>

#include "PrivateSoundServer.h"

#include <QTest>

#include <algorithm>
#include <memory>

using namespace earshot;
using earshot::audio::test::PrivateSoundServer;

// audioDeviceStateChanged from a real engine on the system's devices (PortAudio through a
// private PulseAudio daemon): the sound server is killed and comes back while the engine is
// idle, and the engine reports its devices Deleted and then Added, for input and for output, and
// lists them accordingly. SKIPs without pulseaudio.
class EngineDeviceHotPlugTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void devicesAreReportedGoneAndBack();

private:
    struct Report {
        AudioDeviceState state;
        AudioDeviceType type;
        DeviceInfo device;
    };

    static bool listed(const QList<DeviceInfo>& devices, const QString& id)
    {
        return std::any_of(devices.begin(), devices.end(), [&id](const DeviceInfo& device) { return device.deviceID == id; });
    }

    PrivateSoundServer m_server;
};

void EngineDeviceHotPlugTest::initTestCase()
{
    EARSHOT_USE_PRIVATE_SOUND_SERVER(m_server);
}

void EngineDeviceHotPlugTest::devicesAreReportedGoneAndBack()
{
    int code = -1;
    const std::unique_ptr<Engine> engine = Engine::create(
        {1, QString(64, QLatin1Char('0')), {}, QUrl(QStringLiteral("ws://127.0.0.1:1/"))}, &code); // no login here
    QVERIFY2(engine, qPrintable(QString::number(code)));
    QList<Report> reports;
    connect(engine.get(), &Engine::audioDeviceStateChanged, this,
            [&reports](AudioDeviceState state, AudioDeviceType type, const DeviceInfo& device) {
                reports.append({state, type, device});
            });
    const auto count = [&reports](AudioDeviceState state, AudioDeviceType type) {
        return std::count_if(reports.begin(), reports.end(),
                             [&](const Report& report) { return report.state == state && report.type == type; });
    };

    const QString input = engine->getDefaultAudioDeviceID(AudioDeviceType::Input);
    const QString output = engine->getDefaultAudioDeviceID(AudioDeviceType::Output);
    QVERIFY(!input.isEmpty());
    QVERIFY(!output.isEmpty());
    QTest::qWait(500);
    QVERIFY(reports.isEmpty()); // nothing changed yet

    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(count(AudioDeviceState::Deleted, AudioDeviceType::Input) >= 1
                                 && count(AudioDeviceState::Deleted, AudioDeviceType::Output) >= 1,
                             10000);
    QCOMPARE(count(AudioDeviceState::Added, AudioDeviceType::Input), 0);
    for (const Report& report : reports)
        QVERIFY2(!listed(engine->getAudioDeviceList(report.type), report.device.deviceID),
                 qPrintable(report.device.deviceID));
    QVERIFY(!listed(engine->getAudioDeviceList(AudioDeviceType::Input), input));

    const qsizetype deletions = reports.size();
    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(reports.size() >= 2 * deletions, 10000);
    QTest::qWait(300);
    QCOMPARE(reports.size(), 2 * deletions); // each device back once
    QCOMPARE(count(AudioDeviceState::Added, AudioDeviceType::Input),
             count(AudioDeviceState::Deleted, AudioDeviceType::Input));
    QCOMPARE(count(AudioDeviceState::Added, AudioDeviceType::Output),
             count(AudioDeviceState::Deleted, AudioDeviceType::Output));
    QVERIFY(listed(engine->getAudioDeviceList(AudioDeviceType::Input), input));
    QVERIFY(listed(engine->getAudioDeviceList(AudioDeviceType::Output), output));
    QCOMPARE(engine->useAudioDevice(AudioDeviceType::Input, input), 0);
}

QTEST_GUILESS_MAIN(EngineDeviceHotPlugTest)
#include "EngineDeviceHotPlugTest.moc"
