#include "AppController.h"

#include "AppSettings.h"
#include "ChatPanel.h"
#include "ConnectionIndicator.h"
#include "LoginPanel.h"
#include "MainWindow.h"
#include "PublishPanel.h"
#include "PushToTalkKeyFilter.h"
#include "RoomController.h"
#include "SoundEffects.h"
#include "StreamPanel.h"
#include "Theme.h"
#include "Translations.h"
#include "TrayIcon.h"
#include "UserListPanel.h"

#include <earshot/ErrorText.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSystemTrayIcon>
#include <QTimer>

namespace earshot::ui {

namespace {

constexpr int kMicrophoneTestMs = 4000;
constexpr int kLogoutLingerMs = 300;
const QString kDefaultRoom = QStringLiteral("lobby");

// A user ID for someone who has not chosen one: their account name, in the characters user
// IDs allow, made unique enough that two instances on one computer do not kick each other out.
QString defaultUserId()
{
    QString name = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME", QStringLiteral("guest")));
    name.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]")));
    if (name.isEmpty())
        name = QStringLiteral("guest");
    return QStringLiteral("%1-%2").arg(name).arg(QRandomGenerator::global()->bounded(1000, 10000));
}

} // namespace

AppController::AppController(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_settings(m_options.settingsPath.isEmpty() ? std::make_unique<AppSettings>()
                                                  : std::make_unique<AppSettings>(m_options.settingsPath))
    , m_translations(new Translations(this))
    , m_room(new RoomController(m_options.engine, this))
    , m_host(new EmbeddedHost(this))
    , m_sounds(new SoundEffects(this))
    , m_pushToTalk(new PushToTalkKeyFilter(this))
{
    m_translations->setLanguage(m_settings->language());
    Theme::apply(m_settings->theme());
    m_sounds->setEnabled(m_settings->soundsEnabled());
    m_window = std::make_unique<MainWindow>();
    if (const QByteArray geometry = m_settings->windowGeometry(); !geometry.isEmpty())
        m_window->restoreGeometry(geometry);

    m_room->setAudioSettings(m_settings->audio());
    m_room->setTransmission(m_settings->transmission());
    m_window->publishPanel()->setTransmission(m_settings->transmission());
    m_window->publishPanel()->setPushToTalkKey(m_settings->pushToTalkKey());
    m_pushToTalk->setKey(m_settings->pushToTalkKey());
    qApp->installEventFilter(m_pushToTalk);

    m_window->loginPanel()->setRecentServers(m_settings->recentServers());
    m_window->loginPanel()->setRecentRooms(m_settings->recentRooms());
    m_window->loginPanel()->setRequest(loginDefaults());
    m_window->loginPanel()->setHostingSuggested(m_settings->lastLogin().server.isEmpty());

    if (m_options.trayIcon) {
        m_tray = new TrayIcon(m_window->muteMicrophoneAction(), m_window->leaveAction(), m_window->quitAction(), this);
        connect(m_tray, &TrayIcon::showWindowRequested, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    connectLogin();
    connectRoom();
    connectStreams();
    connectPublishing();
    connectChat();
    connectActions();
}

AppController::~AppController()
{
    qApp->removeEventFilter(m_pushToTalk);
    m_room->leave();
    m_host->stop();
}

LoginRequest AppController::loginDefaults() const
{
    LoginRequest request = m_settings->lastLogin();
    if (request.roomId.isEmpty())
        request.roomId = kDefaultRoom;
    if (request.userId.isEmpty())
        request.userId = defaultUserId();
    return request;
}

void AppController::show()
{
    m_window->show();
}

void AppController::prefillLogin(const LoginRequest& request)
{
    m_window->loginPanel()->setRequest(request);
    if (!request.server.isEmpty())
        m_window->loginPanel()->setHostingSuggested(false);
}

SettingsDialog* AppController::settingsDialog()
{
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_window.get());
        SettingsDialog* dialog = m_settingsDialog;
        dialog->setValues({ m_settings->audio(), m_settings->language(), m_settings->theme(),
            m_settings->soundsEnabled() });
        connect(dialog, &SettingsDialog::changed, this, &AppController::applySettings);
        connect(dialog, &SettingsDialog::devicesRefreshRequested, this, &AppController::refreshDevices);
        connect(dialog, &SettingsDialog::microphoneTestRequested, this, &AppController::startMicrophoneTest);
        refreshDevices();
    }
    return m_settingsDialog;
}

// ---- Login and hosting ------------------------------------------------------------------------

void AppController::connectLogin()
{
    LoginPanel* login = m_window->loginPanel();
    connect(login, &LoginPanel::joinRequested, this, &AppController::join);
    connect(login, &LoginPanel::hostRequested, this, &AppController::hostAndJoin);
}

bool AppController::joinFromLoginPanel()
{
    QString problem;
    const LoginRequest request = m_window->loginPanel()->request(&problem);
    if (!problem.isEmpty()) {
        m_window->loginPanel()->showError(problem);
        return false;
    }
    join(request);
    return m_room->connectionState() == ConnectionState::Connecting;
}

void AppController::join(const LoginRequest& request)
{
    LoginPanel* login = m_window->loginPanel();
    login->clearError();
    if (const int code = m_room->join(request); code != 0) {
        login->showError(earshot::errorText(code));
        return;
    }
    m_hosting = m_host->isRunning() && request.server == m_host->localUrl();
    if (m_hosting)
        m_settings->setLastIdentity(request);
    else
        m_settings->setLastLogin(request);
    login->setRecentServers(m_settings->recentServers());
    login->setRecentRooms(m_settings->recentRooms());
    login->setBusy(true);
}

bool AppController::hostAndJoin()
{
    LoginPanel* login = m_window->loginPanel();
    if (!m_host->isRunning()) {
        EmbeddedHost::Config config;
        config.listenAddress = m_options.hostListenAddress;
        config.port = quint16(m_options.hostPort >= 0 ? m_options.hostPort : m_settings->hostPort());
        config.appSign = m_settings->hostAppSign();
        config.serverSecret = m_settings->hostServerSecret();
        if (const QString error = m_host->start(config); !error.isEmpty()) {
            qWarning().noquote() << "earshot: the embedded server did not start:" << error;
            login->showError(tr("This computer could not host a room: its network ports could not be opened. "
                                "Close other Earshot servers and try again."));
            return false;
        }
    }
    LoginRequest request = login->request();
    request.server = m_host->localUrl();
    request.appId = EmbeddedHost::kAppId;
    request.authMethod = AuthMethod::AppSign;
    request.secret = m_host->appSign();
    if (request.roomId.isEmpty())
        request.roomId = kDefaultRoom;
    if (request.userId.isEmpty())
        request.userId = defaultUserId();
    login->setRequest(request);
    join(request);
    return m_room->connectionState() == ConnectionState::Connecting;
}

QString AppController::invitation() const
{
    if (!m_room->isInRoom())
        return {};
    const LoginRequest last = m_settings->lastLogin();
    QString server = last.server.toString();
    std::uint32_t appId = last.appId;
    // With a token, each person needs their own from the app's service.
    QString credential = last.authMethod == AuthMethod::Token ? QStringLiteral("--token TOKEN")
                                                              : QStringLiteral("--app-sign ") + last.secret;
    if (m_hosting && m_host->isRunning()) {
        server = m_host->networkUrls().constFirst().toString();
        appId = EmbeddedHost::kAppId;
        credential = QStringLiteral("--app-sign ") + m_host->appSign();
    }
    const QString arguments = QStringLiteral("--server %1 --app-id %2 %3 --room %4")
                                  .arg(server)
                                  .arg(appId)
                                  .arg(credential, m_room->roomId());
    return tr("Join me in Earshot: server %1, AppID %2, room %3.\n"
              "With the app: earshot %4 --join\n"
              "With the command line: earshot-cli %4 --user YOUR_NAME --publish YOUR_NAME --play-all")
        .arg(server)
        .arg(appId)
        .arg(m_room->roomId(), arguments);
}

// ---- The room ---------------------------------------------------------------------------------

void AppController::connectRoom()
{
    connect(m_room, &RoomController::connectionStateChanged, this, &AppController::onConnectionStateChanged);
    UserListPanel* users = m_window->userListPanel();
    connect(m_room, &RoomController::userJoined, this, [this, users](const User& user) {
        users->addUser(user);
        m_window->chatPanel()->appendNotice(tr("%1 joined.").arg(user.userName));
        m_sounds->playJoin();
    });
    connect(m_room, &RoomController::userLeft, this, [this, users](const User& user) {
        users->removeUser(user.userID);
        if (m_room->isInRoom()) {
            m_window->chatPanel()->appendNotice(tr("%1 left.").arg(user.userName));
            m_sounds->playLeave();
        }
    });
    connect(users, &UserListPanel::volumeChangeRequested, this, [this, users](const QString& userId, int volume) {
        m_room->setUserVolume(userId, volume);
        users->setVolume(userId, volume);
    });
    connect(users, &UserListPanel::muteRequested, this, [this, users](const QString& userId, bool muted) {
        m_room->setUserMuted(userId, muted);
        users->setLocallyMuted(userId, muted);
    });
    connect(m_room, &RoomController::deviceFailed, this, [this](int errorCode) {
        m_window->chatPanel()->appendNotice(earshot::errorText(errorCode));
    });
    connect(m_room, &RoomController::devicesChanged, this, &AppController::refreshDevices);
}

void AppController::onConnectionStateChanged(ConnectionState state, int errorCode)
{
    m_window->connectionIndicator()->setState(state, errorCode, m_room->roomId());
    if (m_tray)
        m_tray->setConnectionState(state, m_room->roomId());
    const bool inRoom = state == ConnectionState::Connected || state == ConnectionState::Reconnecting;
    LoginPanel* login = m_window->loginPanel();
    UserListPanel* users = m_window->userListPanel();
    ChatPanel* chat = m_window->chatPanel();
    m_window->leaveAction()->setEnabled(state != ConnectionState::Disconnected && state != ConnectionState::Failed
        && state != ConnectionState::KickedOut);
    m_window->copyInviteAction()->setEnabled(inRoom);
    m_window->hostAction()->setEnabled(!inRoom && state != ConnectionState::Connecting);
    chat->setEnabledForRoom(inRoom);
    switch (state) {
    case ConnectionState::Connecting:
        login->setBusy(true);
        return;
    case ConnectionState::Reconnecting:
        chat->appendNotice(tr("The connection was lost; reconnecting…"));
        return;
    case ConnectionState::Connected:
        login->setBusy(false);
        if (!m_window->isRoomPageShown()) {
            m_window->showRoomPage(true);
            m_window->setRoomTitle(tr("Room %1").arg(m_room->roomId()));
            users->addUser(m_room->localUser(), true);
            chat->appendNotice(tr("You joined room %1.").arg(m_room->roomId()));
            m_sounds->playJoin();
            if (m_hosting) {
                QStringList addresses;
                for (const QUrl& url : m_host->networkUrls())
                    addresses << url.toString();
                m_window->setHostInformation(
                    tr("You are hosting this room. Others on your network join at %1 with AppID %2; "
                       "Room ▸ Copy Invitation copies everything they need.")
                        .arg(addresses.join(QStringLiteral(", ")))
                        .arg(EmbeddedHost::kAppId));
            }
        } else {
            chat->appendNotice(tr("Reconnected."));
        }
        return;
    case ConnectionState::Disconnected:
    case ConnectionState::Failed:
    case ConnectionState::KickedOut:
        break;
    }
    login->setBusy(false);
    if (errorCode != 0)
        login->showError(earshot::errorText(errorCode));
    // Not when quitting: the process ends before the chime would finish, and its playback thread
    // would still be running through the process's exit.
    if (m_window->isRoomPageShown() && !m_quitting)
        m_sounds->playLeave();
    m_window->showRoomPage(false);
    m_window->removeAllStreamPanels();
    m_window->setHostInformation({});
    users->clear();
    m_streamUsers.clear();
    m_window->publishPanel()->setPublishState(PublisherState::NoPublish, 0);
    m_window->publishPanel()->setLevel(0.0f, false);
}

// ---- Streams ----------------------------------------------------------------------------------

void AppController::connectStreams()
{
    connect(m_room, &RoomController::streamAdded, this, &AppController::onStreamAdded);
    connect(m_room, &RoomController::streamRemoved, this, &AppController::onStreamRemoved);
    connect(m_room, &RoomController::streamStateChanged, this,
        [this](const QString& streamId, PlayerState state, int errorCode) {
            if (StreamPanel* panel = m_window->streamPanel(streamId))
                panel->setPlayerState(state, errorCode);
        });
    connect(m_room, &RoomController::streamLevelChanged, this,
        [this](const QString& streamId, float level, bool speaking) {
            if (StreamPanel* panel = m_window->streamPanel(streamId))
                panel->setLevel(level, speaking);
            m_window->userListPanel()->setLevel(userOfStream(streamId), level, speaking);
        });
    connect(m_room, &RoomController::streamQualityChanged, this,
        [this](const QString& streamId, const PlayStreamQuality& quality) {
            if (StreamPanel* panel = m_window->streamPanel(streamId))
                panel->setQuality(quality);
        });
    connect(m_room, &RoomController::remoteMicrophoneChanged, this, [this](const QString& streamId, bool muted) {
        if (StreamPanel* panel = m_window->streamPanel(streamId))
            panel->setRemoteMicrophoneMuted(muted);
        m_window->userListPanel()->setMicrophoneMuted(userOfStream(streamId), muted);
    });
    connect(m_room, &RoomController::streamVolumeChanged, this, [this](const QString& streamId, int volume) {
        if (StreamPanel* panel = m_window->streamPanel(streamId))
            panel->setVolume(volume);
        m_window->userListPanel()->setVolume(userOfStream(streamId), volume);
    });
    connect(m_room, &RoomController::streamMutedChanged, this, [this](const QString& streamId, bool muted) {
        if (StreamPanel* panel = m_window->streamPanel(streamId))
            panel->setMuted(muted);
    });
}

void AppController::onStreamAdded(const Stream& stream)
{
    m_streamUsers.insert(stream.streamID, stream.user.userID);
    auto* panel = new StreamPanel(stream);
    panel->setVolume(m_room->streamVolume(stream.streamID));
    panel->setMuted(m_room->isStreamMuted(stream.streamID));
    connect(panel, &StreamPanel::volumeChangeRequested, m_room, &RoomController::setStreamVolume);
    connect(panel, &StreamPanel::muteRequested, m_room, &RoomController::setStreamMuted);
    m_window->addStreamPanel(panel);
    m_window->userListPanel()->setPublishing(stream.user.userID, true);
}

void AppController::onStreamRemoved(const QString& streamId)
{
    const QString userId = m_streamUsers.take(streamId);
    m_window->removeStreamPanel(streamId);
    if (!userId.isEmpty() && m_room->streamsOf(userId).isEmpty())
        m_window->userListPanel()->setPublishing(userId, false);
}

QString AppController::userOfStream(const QString& streamId) const
{
    return m_streamUsers.value(streamId);
}

// ---- Your microphone --------------------------------------------------------------------------

void AppController::connectPublishing()
{
    PublishPanel* publish = m_window->publishPanel();
    connect(publish, &PublishPanel::microphoneMuteRequested, m_room, &RoomController::setMicrophoneMuted);
    connect(publish, &PublishPanel::transmissionChangeRequested, this,
        [this](const TransmissionSettings& settings) {
            m_room->setTransmission(settings);
            m_settings->setTransmission(settings);
        });
    connect(publish, &PublishPanel::pushToTalkKeyChangeRequested, this, [this](const QKeySequence& key) {
        m_pushToTalk->setKey(key);
        m_settings->setPushToTalkKey(key);
    });
    connect(m_pushToTalk, &PushToTalkKeyFilter::pressedChanged, m_room, &RoomController::setPushToTalkPressed);
    connect(m_room, &RoomController::publishStateChanged, this, [this, publish](PublisherState state, int errorCode) {
        publish->setPublishState(state, errorCode);
        m_window->userListPanel()->setPublishing(m_room->localUser().userID, state == PublisherState::Publishing);
    });
    connect(m_room, &RoomController::localLevelChanged, this, [this, publish](float level, bool speaking) {
        publish->setLevel(level, speaking);
        const bool transmitting = speaking && !m_room->isMicrophoneMuted();
        m_window->userListPanel()->setLevel(m_room->localUser().userID, transmitting ? level : 0.0f, transmitting);
    });
    connect(m_room, &RoomController::transmittingChanged, publish, &PublishPanel::setTransmitting);
    connect(m_room, &RoomController::microphoneMutedChanged, this, [this, publish](bool muted) {
        publish->setMicrophoneMuted(muted);
        m_window->muteMicrophoneAction()->setChecked(muted);
        m_window->userListPanel()->setMicrophoneMuted(m_room->localUser().userID, muted);
    });
    connect(m_room, &RoomController::speakerMutedChanged, m_window->muteSpeakerAction(), &QAction::setChecked);
}

// ---- Chat -------------------------------------------------------------------------------------

void AppController::connectChat()
{
    ChatPanel* chat = m_window->chatPanel();
    connect(chat, &ChatPanel::sendRequested, this, [this, chat](const QString& text) {
        if (const int code = m_room->sendMessage(text); code != 0) {
            chat->appendNotice(earshot::errorText(code));
            return;
        }
        chat->appendMessage(m_room->localUser().userName, text, QDateTime::currentDateTime(), true);
        chat->clearInput();
    });
    connect(m_room, &RoomController::messageReceived, this, [chat](const BroadcastMessageInfo& message) {
        const QString sender = message.fromUser.userName.isEmpty() ? message.fromUser.userID : message.fromUser.userName;
        const QDateTime time = message.sendTime != 0 ? QDateTime::fromMSecsSinceEpoch(qint64(message.sendTime))
                                                     : QDateTime::currentDateTime();
        chat->appendMessage(sender, message.message, time, false);
    });
    connect(m_room, &RoomController::messageRefused, this,
        [chat](int errorCode) { chat->appendNotice(earshot::errorText(errorCode)); });
}

// ---- Actions, settings, tray ------------------------------------------------------------------

void AppController::connectActions()
{
    MainWindow* window = m_window.get();
    connect(window->leaveAction(), &QAction::triggered, m_room, &RoomController::leave);
    connect(window->quitAction(), &QAction::triggered, this, &AppController::quit);
    connect(window->muteMicrophoneAction(), &QAction::toggled, m_room, &RoomController::setMicrophoneMuted);
    connect(window->muteSpeakerAction(), &QAction::toggled, m_room, &RoomController::setSpeakerMuted);
    connect(window->hostAction(), &QAction::triggered, this, &AppController::hostAndJoin);
    connect(window->settingsAction(), &QAction::triggered, this, [this] {
        SettingsDialog* dialog = settingsDialog();
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    });
    connect(window->copyInviteAction(), &QAction::triggered, this, [this] {
        QGuiApplication::clipboard()->setText(invitation());
        m_window->chatPanel()->appendNotice(tr("The invitation is on the clipboard; paste it to whoever should join."));
    });
    connect(window->aboutAction(), &QAction::triggered, this, [this] {
        QMessageBox::about(m_window.get(), tr("About Earshot"),
            tr("<h3>Earshot %1</h3><p>Voice chat for rooms of people, on your own server or hosted on "
               "this computer.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
    connect(window, &MainWindow::closeRequested, this, [this] {
        // With a tray icon, closing the window keeps you in the room, as voice apps do.
        if (m_tray && QSystemTrayIcon::isSystemTrayAvailable() && m_room->isInRoom())
            m_window->hide();
        else
            quit();
    });
}

void AppController::applySettings(const SettingsDialog::Values& values)
{
    if (values.language != m_settings->language())
        m_translations->setLanguage(values.language);
    if (values.theme != m_settings->theme())
        Theme::apply(values.theme);
    m_sounds->setEnabled(values.sounds);
    m_room->setAudioSettings(values.audio);
    m_settings->setAudio(values.audio);
    m_settings->setLanguage(values.language);
    m_settings->setTheme(values.theme);
    m_settings->setSoundsEnabled(values.sounds);
}

void AppController::refreshDevices()
{
    if (!m_settingsDialog)
        return;
    m_settingsDialog->setDevices(AudioDeviceType::Input, m_room->devices(AudioDeviceType::Input));
    m_settingsDialog->setDevices(AudioDeviceType::Output, m_room->devices(AudioDeviceType::Output));
    const bool inRoom = m_room->isInRoom();
    m_settingsDialog->setMicrophoneTestStatus(
        inRoom ? QString() : tr("Join a room to test your microphone: it opens when you join."), inRoom);
}

void AppController::startMicrophoneTest()
{
    if (!m_settingsDialog)
        return;
    const QString path = m_scratch.filePath(QStringLiteral("microphone-test.wav"));
    if (const int code = m_room->recordMicrophone(path, kMicrophoneTestMs); code != 0) {
        m_settingsDialog->setMicrophoneTestStatus(earshot::errorText(code), m_room->isInRoom());
        return;
    }
    m_settingsDialog->setMicrophoneTestStatus(tr("Speak now; you will hear yourself in a few seconds."), false);
    connect(m_room, &RoomController::microphoneRecorded, this, [this](const QString& recorded) {
        m_sounds->playFile(recorded);
        if (m_settingsDialog)
            m_settingsDialog->setMicrophoneTestStatus(tr("This is how others hear you."), true);
    }, Qt::SingleShotConnection);
}

void AppController::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_settings->setWindowGeometry(m_window->saveGeometry());
    m_settings->sync();
    const bool inRoom = m_room->isInRoom();
    m_room->leave();
    // Like earshot-cli, give the logout a moment to reach the server, so the others see a
    // departure rather than a dropped connection.
    QTimer::singleShot(inRoom ? kLogoutLingerMs : 0, this, &AppController::quitRequested);
}

} // namespace earshot::ui
