// The desktop app as a person uses it, on the offscreen platform, against the real earshot-server
// with a real earshot-cli process as the other person: fill the login panel and join; the peer
// appears in the user list and its stream panel shows its voice; change its volume; chat both
// ways; leave. Also a refused login (in Chinese, from the translations) and host mode.

#include "CliPeer.h"
#include "ServerProcess.h"
#include "SystemAudioEnvironment.h"
#include "TestApp.h"

#include <AppController.h>
#include <AppSettings.h>
#include <ChatPanel.h>
#include <PublishPanel.h>
#include <SettingsDialog.h>
#include <ConnectionIndicator.h>
#include <LevelMeter.h>
#include <LoginPanel.h>
#include <MainWindow.h>
#include <RoomController.h>
#include <StreamPanel.h>
#include <UserListPanel.h>

#include <earshot/ErrorText.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QSpinBox>
#include <QToolButton>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace earshot;
using namespace earshot::integration;
using earshot::gui::CliPeer;
using earshot::ui::AppController;
using earshot::ui::ConnectionState;

namespace {

constexpr int kTimeoutMs = 20'000;

// Replaces a line edit's text the way a person does: select all, type.
void typeInto(QLineEdit* field, const QString& text)
{
    field->setFocus();
    field->selectAll();
    QTest::keyClick(field, Qt::Key_Backspace);
    QTest::keyClicks(field, text);
}

} // namespace

class DesktopAppTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void joinsAndTalksWithAPeer();
    void refusedLoginShowsTheTranslatedError();
    void hostModeRunsTheServerAndJoinsIt();
    void settingsApplyAtOnceAndPersist();
    void kickedOutWhenTheSameUserLogsInElsewhere();
    void theExecutableJoinsFromTheCommandLineAndLeavesOnSigterm();

private:
    // An app with virtual devices (a tone in, a WAV out), its settings in a temporary INI file.
    std::unique_ptr<AppController> makeApp(const QString& language = QStringLiteral("en"));
    void fillLogin(AppController& app, const QString& appSign, const QString& roomId, const QString& userId);

    ServerProcess m_server;
    QTemporaryDir m_directory;
    int m_apps = 0;
};

void DesktopAppTest::initTestCase()
{
    QVERIFY(m_directory.isValid());
    QVERIFY(m_server.start());
}

void DesktopAppTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<AppController> DesktopAppTest::makeApp(const QString& language)
{
    const int index = ++m_apps;
    const QString settingsPath = m_directory.filePath(QStringLiteral("settings-%1.ini").arg(index));
    {
        ui::AppSettings settings(settingsPath);
        settings.setLanguage(language);
        settings.setSoundsEnabled(false); // no audio output for Qt Multimedia here
        settings.sync();
    }
    AppController::Options options;
    options.settingsPath = settingsPath;
    options.engine.inputToneHz = 330.0;
    options.engine.outputWavPath = m_directory.filePath(QStringLiteral("heard-%1.wav").arg(index));
    options.hostListenAddress = QHostAddress(QHostAddress::LocalHost);
    options.hostPort = 0;
    options.trayIcon = false;
    auto app = std::make_unique<AppController>(options);
    app->show();
    return app;
}

void DesktopAppTest::fillLogin(AppController& app, const QString& appSign, const QString& roomId, const QString& userId)
{
    ui::LoginPanel* login = app.window()->loginPanel();
    typeInto(login->serverField()->lineEdit(), m_server.signallingUrl().toString());
    typeInto(login->appIdField(), QString::number(kAppA.appId));
    login->authMethodField()->setCurrentIndex(0); // AppSign
    typeInto(login->secretField(), appSign);
    typeInto(login->roomField()->lineEdit(), roomId);
    typeInto(login->userIdField(), userId);
    typeInto(login->userNameField(), QStringLiteral("Alice"));
}

void DesktopAppTest::joinsAndTalksWithAPeer()
{
    const auto app = makeApp();
    ui::MainWindow* window = app->window();
    const QString roomId = QStringLiteral("gui-room");
    fillLogin(*app, QString::fromLatin1(kAppA.appSignHex), roomId, QStringLiteral("alice"));
    QSignalSpy states(app->room(), &ui::RoomController::connectionStateChanged);
    QTest::mouseClick(window->loginPanel()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window->isRoomPageShown(), kTimeoutMs);
    QCOMPARE(app->room()->connectionState(), ConnectionState::Connected);
    QVERIFY(states.size() >= 2);
    QCOMPARE(states.first().at(0).value<ConnectionState>(), ConnectionState::Connecting);
    QCOMPARE(window->connectionIndicator()->state(), ConnectionState::Connected);
    QVERIFY(window->userListPanel()->hasUser(QStringLiteral("alice")));

    // The other person: a tone published as a stream, and a message once in the room.
    CliPeer peer;
    QVERIFY(peer.start({ QStringLiteral("--server"), m_server.signallingUrl().toString(), QStringLiteral("--app-id"),
        QString::number(kAppA.appId), QStringLiteral("--app-sign"), QString::fromLatin1(kAppA.appSignHex),
        QStringLiteral("--room"), roomId, QStringLiteral("--user"), QStringLiteral("bob"), QStringLiteral("--tone"),
        QStringLiteral("440"), QStringLiteral("--publish"), QStringLiteral("bob-voice"), QStringLiteral("--play-all"),
        QStringLiteral("--events"), QStringLiteral("--message"), QStringLiteral("hello from bob") }));

    ui::UserListPanel* users = window->userListPanel();
    QTRY_VERIFY2_WITH_TIMEOUT(users->hasUser(QStringLiteral("bob")), peer.log().constData(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->streamPanel(QStringLiteral("bob-voice")) != nullptr, kTimeoutMs);
    ui::StreamPanel* stream = window->streamPanel(QStringLiteral("bob-voice"));
    QTRY_VERIFY_WITH_TIMEOUT(stream->levelMeter()->level() > 0.0f, kTimeoutMs);

    // The message the peer sent on arrival, with its sender.
    ui::ChatPanel* chat = window->chatPanel();
    QTRY_VERIFY_WITH_TIMEOUT(chat->log()->toPlainText().contains(QStringLiteral("bob: hello from bob")), kTimeoutMs);

    // Volume from the stream panel...
    stream->volumeSlider()->setValue(150);
    QCOMPARE(app->room()->streamVolume(QStringLiteral("bob-voice")), 150);
    // ...and from the user's context menu, which the stream panel then follows.
    users->showUserMenu(QStringLiteral("bob"), window->mapToGlobal(QPoint(10, 10)));
    QMenu* menu = users->findChild<QMenu*>(QStringLiteral("userMenu"));
    QVERIFY(menu);
    auto* userVolume = menu->findChild<QSlider*>(QStringLiteral("userVolume"));
    QVERIFY(userVolume);
    userVolume->setValue(40);
    QCOMPARE(app->room()->userVolume(QStringLiteral("bob")), 40);
    QCOMPARE(app->room()->streamVolume(QStringLiteral("bob-voice")), 40);
    QCOMPARE(stream->volumeSlider()->value(), 40);
    auto* mute = menu->findChild<QAction*>(QStringLiteral("userMute"));
    QVERIFY(mute);
    mute->trigger();
    QVERIFY(app->room()->isStreamMuted(QStringLiteral("bob-voice")));
    mute->trigger();
    QVERIFY(!app->room()->isStreamMuted(QStringLiteral("bob-voice")));
    menu->close();

    // Chat from the app reaches the peer (its --events line), and shows in the app's own log.
    QTest::keyClicks(chat->input(), QStringLiteral("hi bob"));
    QTest::keyClick(chat->input(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(chat->input()->text().isEmpty(), kTimeoutMs);
    QVERIFY(chat->log()->toPlainText().contains(QStringLiteral("Alice: hi bob")));
    QVERIFY2(peer.waitForOutput("\"message\":\"hi bob\"", kTimeoutMs), peer.output().right(4000).constData());

    // The peer leaves: its panel and row go.
    peer.stop();
    QTRY_VERIFY_WITH_TIMEOUT(window->streamPanel(QStringLiteral("bob-voice")) == nullptr, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!users->hasUser(QStringLiteral("bob")), kTimeoutMs);

    // Leaving returns to the login page.
    window->leaveAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(app->room()->connectionState(), ConnectionState::Disconnected, kTimeoutMs);
    QVERIFY(!window->isRoomPageShown());
    QCOMPARE(window->streamPanelCount(), 0);
}

void DesktopAppTest::refusedLoginShowsTheTranslatedError()
{
    const auto app = makeApp(QStringLiteral("zh_CN"));
    ui::MainWindow* window = app->window();
    // A well-formed AppSign the server does not know for this AppID: refused by the server.
    fillLogin(*app, QString::fromLatin1(kUnregisteredKeyHex), QStringLiteral("gui-refused"), QStringLiteral("carol"));
    QTest::mouseClick(window->loginPanel()->joinButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(app->room()->connectionState(), ConnectionState::Failed, kTimeoutMs);
    const QString shown = window->loginPanel()->errorShown();
    QCOMPARE(shown, errorText(1001005, Language::SimplifiedChinese));
    QVERIFY(shown != errorText(1001005, Language::English));
    QCOMPARE(window->connectionIndicator()->text(), shown);
    QVERIFY(!window->isRoomPageShown());
    // The app's own texts are in Chinese too.
    QCOMPARE(window->loginPanel()->joinButton()->text(), QStringLiteral("加入(&J)"));
    auto* form = window->loginPanel()->findChild<QFormLayout*>();
    QVERIFY(form);
    auto* serverLabel = qobject_cast<QLabel*>(form->labelForField(window->loginPanel()->serverField()));
    QVERIFY(serverLabel);
    QCOMPARE(serverLabel->text(), QStringLiteral("服务器(&S)："));

    // A malformed AppSign is refused before anything is sent, also in a sentence.
    typeInto(window->loginPanel()->secretField(), QStringLiteral("not-hex"));
    QTest::mouseClick(window->loginPanel()->joinButton(), Qt::LeftButton);
    QCOMPARE(window->loginPanel()->errorShown(), errorText(1001001, Language::SimplifiedChinese));
}

void DesktopAppTest::hostModeRunsTheServerAndJoinsIt()
{
    const auto app = makeApp();
    ui::MainWindow* window = app->window();
    QTest::mouseClick(window->loginPanel()->hostButton(), Qt::LeftButton);
    QVERIFY(app->host()->isRunning());
    QVERIFY(app->host()->port() != 0);
    QTRY_VERIFY_WITH_TIMEOUT(window->isRoomPageShown(), kTimeoutMs);
    QVERIFY(window->findChild<QWidget*>(QStringLiteral("hostInformation"))->isVisibleTo(window));
    QVERIFY(app->invitation().contains(app->host()->appSign()));

    // Someone else joins the hosted room with what the invitation gives them.
    const QString roomId = app->room()->roomId();
    CliPeer peer;
    QVERIFY(peer.start({ QStringLiteral("--server"), app->host()->localUrl().toString(), QStringLiteral("--app-id"),
        QString::number(ui::EmbeddedHost::kAppId), QStringLiteral("--app-sign"), app->host()->appSign(),
        QStringLiteral("--room"), roomId, QStringLiteral("--user"), QStringLiteral("dave"), QStringLiteral("--tone"),
        QStringLiteral("440"), QStringLiteral("--publish"), QStringLiteral("dave-voice"), QStringLiteral("--events") }));
    QTRY_VERIFY2_WITH_TIMEOUT(window->userListPanel()->hasUser(QStringLiteral("dave")), peer.log().constData(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->streamPanel(QStringLiteral("dave-voice")) != nullptr, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->streamPanel(QStringLiteral("dave-voice"))->levelMeter()->level() > 0.0f, kTimeoutMs);
    peer.stop();
    window->leaveAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(app->room()->connectionState(), ConnectionState::Disconnected, kTimeoutMs);
}

// The settings dialog applies a change at once (to the room and the language) and keeps it; the
// microphone mute and push-to-talk reach the room controller from the window's keys.
void DesktopAppTest::settingsApplyAtOnceAndPersist()
{
    const auto app = makeApp();
    ui::MainWindow* window = app->window();
    fillLogin(*app, QString::fromLatin1(kAppA.appSignHex), QStringLiteral("gui-settings"), QStringLiteral("erin"));
    QTest::mouseClick(window->loginPanel()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window->isRoomPageShown(), kTimeoutMs);

    window->settingsAction()->trigger();
    ui::SettingsDialog* dialog = app->settingsDialog();
    QTRY_VERIFY(dialog->isVisible());
    auto* noise = dialog->findChild<QCheckBox*>(QStringLiteral("noiseSuppression"));
    auto* jitterMax = dialog->findChild<QSpinBox*>(QStringLiteral("jitterMax"));
    auto* language = dialog->findChild<QComboBox*>(QStringLiteral("language"));
    QVERIFY(noise && jitterMax && language);
    noise->setChecked(false);
    jitterMax->setValue(800);
    QVERIFY(!app->room()->audioSettings().noiseSuppression);
    QCOMPARE(app->room()->audioSettings().jitterMaxMs, 800);
    QCOMPARE(app->settings()->audio().jitterMaxMs, 800);
    QVERIFY(!app->settings()->audio().noiseSuppression);

    // A new quality preset republishes at once (the engine takes it at the next publish).
    QSignalSpy published(app->room(), &ui::RoomController::publishStateChanged);
    auto* quality = dialog->findChild<QComboBox*>(QStringLiteral("qualityPreset"));
    QVERIFY(quality);
    quality->setCurrentIndex(quality->findData(int(AudioConfigPreset::HighQuality)));
    QCOMPARE(app->settings()->audio().qualityPreset, AudioConfigPreset::HighQuality);
    const auto republished = [&published] {
        bool stopped = false;
        for (const QList<QVariant>& update : published) {
            const auto state = update.at(0).value<PublisherState>();
            stopped = stopped || state == PublisherState::NoPublish;
            if (stopped && state == PublisherState::Publishing && update.at(1).toInt() == 0)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(republished(), kTimeoutMs);

    // The language changes while the window is open.
    language->setCurrentIndex(language->findData(QStringLiteral("zh_CN")));
    // Qt posts LanguageChange to the windows, so the texts follow at the next event loop turn.
    QTRY_COMPARE(window->findChild<QPushButton*>(QStringLiteral("chatSend"))->text(), QStringLiteral("发送"));
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    QTRY_COMPARE(window->findChild<QPushButton*>(QStringLiteral("chatSend"))->text(), QStringLiteral("Send"));
    QCOMPARE(app->settings()->language(), QStringLiteral("en"));
    dialog->close();

    // Ctrl+M's action mutes the microphone, and the panel follows.
    window->muteMicrophoneAction()->trigger();
    QVERIFY(app->room()->isMicrophoneMuted());
    QVERIFY(window->publishPanel()->muteButton()->isChecked());
    window->muteMicrophoneAction()->trigger();
    QVERIFY(!app->room()->isMicrophoneMuted());

    // Push-to-talk: transmitting only while the key (F8 by default) is held.
    QSignalSpy transmitting(app->room(), &ui::RoomController::transmittingChanged);
    auto* mode = window->publishPanel()->findChild<QComboBox*>(QStringLiteral("transmissionMode"));
    QVERIFY(mode);
    mode->setCurrentIndex(mode->findData(int(TransmissionMode::PushToTalk)));
    QCOMPARE(app->settings()->transmission().mode, TransmissionMode::PushToTalk);
    QTRY_VERIFY(!transmitting.isEmpty() && !transmitting.last().at(0).toBool());
    QTest::keyPress(window, Qt::Key_F8);
    QTRY_VERIFY(transmitting.last().at(0).toBool());
    QTest::keyRelease(window, Qt::Key_F8);
    QTRY_VERIFY(!transmitting.last().at(0).toBool());

    // Voice activation opens on the captured level (a tone here) once it passes the threshold.
    auto* threshold = window->publishPanel()->findChild<QSlider*>(QStringLiteral("voiceThreshold"));
    QVERIFY(threshold);
    threshold->setValue(1);
    mode->setCurrentIndex(mode->findData(int(TransmissionMode::VoiceActivation)));
    QCOMPARE(app->settings()->transmission().mode, TransmissionMode::VoiceActivation);
    QCOMPARE(app->settings()->transmission().voiceThreshold, 1);
    QTRY_VERIFY_WITH_TIMEOUT(transmitting.last().at(0).toBool(), kTimeoutMs);

    window->leaveAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(app->room()->connectionState(), ConnectionState::Disconnected, kTimeoutMs);
}

// The same user ID logging in elsewhere replaces this session: the app says so and returns to the
// login page, the indicator following.
void DesktopAppTest::kickedOutWhenTheSameUserLogsInElsewhere()
{
    const auto app = makeApp();
    ui::MainWindow* window = app->window();
    const QString roomId = QStringLiteral("gui-kick");
    fillLogin(*app, QString::fromLatin1(kAppA.appSignHex), roomId, QStringLiteral("frank"));
    QTest::mouseClick(window->loginPanel()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window->isRoomPageShown(), kTimeoutMs);

    CliPeer elsewhere;
    QVERIFY(elsewhere.start({ QStringLiteral("--server"), m_server.signallingUrl().toString(),
        QStringLiteral("--app-id"), QString::number(kAppA.appId), QStringLiteral("--app-sign"),
        QString::fromLatin1(kAppA.appSignHex), QStringLiteral("--room"), roomId, QStringLiteral("--user"),
        QStringLiteral("frank"), QStringLiteral("--events") }));
    QTRY_COMPARE_WITH_TIMEOUT(app->room()->connectionState(), ConnectionState::KickedOut, kTimeoutMs);
    QVERIFY(!window->isRoomPageShown());
    QCOMPARE(window->loginPanel()->errorShown(), errorText(1002050, Language::English));
    QCOMPARE(window->connectionIndicator()->state(), ConnectionState::KickedOut);
    QVERIFY(!window->leaveAction()->isEnabled());
}

// The earshot executable itself: --join logs in from the command line, and SIGTERM (Ctrl-C's
// cousin) quits through the same path as the Quit menu, logging out first, so the others see the
// user leave. Its devices are the system's (none here: the room works without them).
void DesktopAppTest::theExecutableJoinsFromTheCommandLineAndLeavesOnSigterm()
{
    const QString roomId = QStringLiteral("gui-executable");
    CliPeer watcher;
    QVERIFY(watcher.start({ QStringLiteral("--server"), m_server.signallingUrl().toString(),
        QStringLiteral("--app-id"), QString::number(kAppA.appId), QStringLiteral("--app-sign"),
        QString::fromLatin1(kAppA.appSignHex), QStringLiteral("--room"), roomId, QStringLiteral("--user"),
        QStringLiteral("watcher"), QStringLiteral("--notify-users"), QStringLiteral("--events") }));
    QVERIFY2(watcher.waitForOutput("\"Logined\"", kTimeoutMs), watcher.log().constData());

    QProcess app;
    // The app opens the system's devices: the sanitizers need the audio libraries' suppressions.
    QProcessEnvironment environment = systemAudioChildEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(environment);
    app.setProcessChannelMode(QProcess::MergedChannels);
    app.start(QStringLiteral(EARSHOT_DESKTOP_BINARY),
        { QStringLiteral("--settings"), m_directory.filePath(QStringLiteral("executable.ini")),
            QStringLiteral("--server"), m_server.signallingUrl().toString(), QStringLiteral("--app-id"),
            QString::number(kAppA.appId), QStringLiteral("--app-sign"), QString::fromLatin1(kAppA.appSignHex),
            QStringLiteral("--room"), roomId, QStringLiteral("--user"), QStringLiteral("gina"),
            QStringLiteral("--join") });
    QVERIFY(app.waitForStarted(kTimeoutMs));
    QVERIFY2(watcher.waitForOutput("\"userID\":\"gina\"", kTimeoutMs), watcher.output().constData());

    const qsizetype before = watcher.output().size();
    app.terminate();
    QVERIFY(QTest::qWaitFor([&app] { return app.state() == QProcess::NotRunning; }, kTimeoutMs));
    const QByteArray output = app.readAll();
    if (app.exitStatus() != QProcess::NormalExit || app.exitCode() != 0) {
        // QTest cuts a failure message at 1 KiB; the whole output (a sanitizer's report is long:
        // TSan exits with 66, ASan with 1) goes to the log first.
        qWarning("---- earshot output ----\n%s\n---- end of earshot output ----", output.right(60000).constData());
        QFAIL(qPrintable(QStringLiteral("earshot ended with exit status %1, code %2 (its output is above)")
                             .arg(int(app.exitStatus()))
                             .arg(app.exitCode())));
    }
    // The departure is a logout (DELETE right away), not a dropped connection, which the server
    // would keep for its grace period.
    QVERIFY2(QTest::qWaitFor([&] { return watcher.output().mid(before).contains("\"Delete\""); }, 5000),
        watcher.output().mid(before).constData());
}

QTEST_MAIN(DesktopAppTest)
#include "DesktopAppTest.moc"
