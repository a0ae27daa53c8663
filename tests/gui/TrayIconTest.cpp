// The notification-area icon on a real X display with a real tray (scripts/with-tray-display:
// Xvfb and trayer), against the real earshot-server: the icon is shown, its tooltip follows the
// room, and its menu mutes the microphone, leaves the room and shows the window.
#include "ServerProcess.h"
#include "TestApp.h"

#include <AppController.h>
#include <AppSettings.h>
#include <LoginRequest.h>
#include <MainWindow.h>
#include <RoomController.h>
#include <TrayIcon.h>

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace earshot;
using namespace earshot::integration;
using earshot::ui::AppController;
using earshot::ui::ConnectionState;

namespace {
constexpr int kTimeoutMs = 20'000;
}

class TrayIconTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void trayFollowsTheRoomAndActsOnIt();

private:
    ServerProcess m_server;
    QTemporaryDir m_directory;
};

void TrayIconTest::initTestCase()
{
    QVERIFY2(QGuiApplication::platformName() == QLatin1String("xcb"),
             "run under scripts/with-tray-display (a display with a system tray)");
    // trayer announces the tray a moment after it starts.
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 10000);
    QVERIFY(m_directory.isValid());
    QVERIFY(m_server.start());
}

void TrayIconTest::cleanup()
{
    m_server.printLogIfFailed();
}

void TrayIconTest::trayFollowsTheRoomAndActsOnIt()
{
    const QString settingsPath = m_directory.filePath(QStringLiteral("settings.ini"));
    {
        ui::AppSettings settings(settingsPath);
        settings.setLanguage(QStringLiteral("en"));
        settings.setSoundsEnabled(false);
        settings.sync();
    }
    AppController::Options options;
    options.settingsPath = settingsPath;
    options.engine.inputToneHz = 330.0;
    options.engine.outputWavPath = m_directory.filePath(QStringLiteral("heard.wav"));
    options.trayIcon = true;
    AppController app(options);
    app.show();
    ui::MainWindow* window = app.window();

    ui::TrayIcon* tray = app.tray();
    QVERIFY(tray);
    QTRY_VERIFY_WITH_TIMEOUT(tray->isShown(), 5000);
    QCOMPARE(tray->toolTip(), QStringLiteral("Earshot: not in a room"));
    const QList<QAction*> actions = tray->menu()->actions();
    // The tray shares the window's actions, so the two never disagree.
    QVERIFY(actions.contains(window->muteMicrophoneAction()));
    QVERIFY(actions.contains(window->leaveAction()));
    QVERIFY(actions.contains(window->quitAction()));

    ui::LoginRequest login;
    login.server = m_server.signallingUrl();
    login.appId = kAppA.appId;
    login.secret = QString::fromLatin1(kAppA.appSignHex);
    login.roomId = QStringLiteral("tray-room");
    login.userId = QStringLiteral("tess");
    login.userName = QStringLiteral("Tess");
    app.prefillLogin(login);
    QVERIFY(app.joinFromLoginPanel());
    QTRY_COMPARE_WITH_TIMEOUT(app.room()->connectionState(), ConnectionState::Connected, kTimeoutMs);
    QTRY_COMPARE(tray->toolTip(), QStringLiteral("Earshot: in room tray-room"));

    // Mute from the tray menu.
    QVERIFY(window->muteMicrophoneAction()->isEnabled());
    QVERIFY(!app.room()->isMicrophoneMuted());
    window->muteMicrophoneAction()->trigger();
    QVERIFY(app.room()->isMicrophoneMuted());
    QVERIFY(window->muteMicrophoneAction()->isChecked());

    // "Show Earshot" brings a hidden window back.
    QAction* show = actions.first();
    window->hide();
    QVERIFY(!window->isVisible());
    show->trigger();
    QTRY_VERIFY(window->isVisible());

    // Leave from the tray menu: out of the room, and the tooltip says so.
    window->leaveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->isRoomPageShown(), kTimeoutMs);
    QTRY_COMPARE(tray->toolTip(), QStringLiteral("Earshot: not in a room"));
    QVERIFY(!window->leaveAction()->isEnabled());
}

QTEST_MAIN(TrayIconTest)
#include "TrayIconTest.moc"
