#include <AppController.h>
#include <AppSettings.h>
#include <SettingsDialog.h>

#include "PrivateSoundServer.h"

#include <QComboBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace earshot;
using earshot::audio::test::PrivateSoundServer;

// The settings dialog's device lists follow hot-plug: the app runs on the system's devices
// (PortAudio through a private PulseAudio daemon); the person picks an input device; the daemon
// is killed (the device vanishes: the list drops it and shows the system default, the choice is
// kept in the settings) and restarted (the device is listed and selected again). SKIPs without
// pulseaudio.
class SettingsHotPlugTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void deviceListsFollowTheSoundServer();

private:
    PrivateSoundServer m_server;
    QTemporaryDir m_directory;
};

void SettingsHotPlugTest::initTestCase()
{
    QVERIFY(m_directory.isValid());
    EARSHOT_USE_PRIVATE_SOUND_SERVER(m_server);
}

void SettingsHotPlugTest::deviceListsFollowTheSoundServer()
{
    const QString settingsPath = m_directory.filePath(QStringLiteral("settings.ini"));
    {
        ui::AppSettings settings(settingsPath);
        settings.setSoundsEnabled(false);
        settings.sync();
    }
    ui::AppController::Options options; // the system's devices
    options.settingsPath = settingsPath;
    options.trayIcon = false;
    ui::AppController app(options);
    app.show();

    ui::SettingsDialog* dialog = app.settingsDialog();
    auto* input = dialog->findChild<QComboBox*>(QStringLiteral("inputDevice"));
    QVERIFY(input);
    QVERIFY2(input->count() > 1, "no input device listed although the sound server is up");
    input->setCurrentIndex(1); // as a person would: a named device, not the default
    const QString chosen = input->currentData().toString();
    QVERIFY(!chosen.isEmpty());
    QTRY_COMPARE(app.settings()->audio().inputDeviceId, chosen);

    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(input->findData(chosen) < 0, 10000);
    QCOMPARE(input->currentIndex(), 0);              // "System default" meanwhile…
    QCOMPARE(app.settings()->audio().inputDeviceId, chosen); // …but the choice is kept

    QString error;
    QVERIFY2(m_server.start(error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(input->findData(chosen) >= 0, 10000);
    QCOMPARE(input->currentData().toString(), chosen);
    QCOMPARE(app.settings()->audio().inputDeviceId, chosen);
}

QTEST_MAIN(SettingsHotPlugTest)
#include "SettingsHotPlugTest.moc"
