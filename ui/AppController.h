#pragma once

#include "ConnectionState.h"
#include "EmbeddedHost.h"
#include "LoginRequest.h"
#include "SettingsDialog.h"

#include <earshot/Engine.h>

#include <QObject>
#include <QPointer>
#include <QTemporaryDir>

#include <memory>

namespace earshot::ui {

class AppSettings;
class MainWindow;
class PushToTalkKeyFilter;
class RoomController;
class SoundEffects;
class StreamPanel;
class Translations;
class TrayIcon;

// The desktop app's composition: creates the window, the room controller, the embedded host,
// the tray icon, sounds and translations, and connects them. The panels only show and report;
// the room controller only talks to the engine; everything that ties one to the other is here.
//
// Thread: the GUI thread.
class AppController : public QObject {
    Q_OBJECT

public:
    struct Options {
        EngineOptions engine;        // the system's devices unless a test says otherwise
        QString settingsPath;        // an INI file; empty: the user's settings
        // The embedded host listens on every interface at the settings' port by default;
        // tests bind loopback with an ephemeral port.
        QHostAddress hostListenAddress = QHostAddress(QHostAddress::Any);
        int hostPort = -1;           // -1: the settings' port (7400)
        bool trayIcon = true;
    };

    explicit AppController(Options options, QObject* parent = nullptr);
    ~AppController() override;

    [[nodiscard]] MainWindow* window() const { return m_window.get(); }
    [[nodiscard]] RoomController* room() const { return m_room; }
    [[nodiscard]] EmbeddedHost* host() const { return m_host; }
    // Null when Options::trayIcon is off.
    [[nodiscard]] TrayIcon* tray() const { return m_tray; }
    [[nodiscard]] AppSettings* settings() const { return m_settings.get(); }
    [[nodiscard]] SettingsDialog* settingsDialog();

    // Puts the command line's values in the login panel (over the remembered ones).
    void prefillLogin(const LoginRequest& request);
    // What the Join button does: checks the login panel and joins. False when it could not start
    // (the reason is shown in the panel).
    bool joinFromLoginPanel();
    // Starts the embedded server and joins it (the room and user from the login panel, or
    // defaults). False when hosting failed (the reason is shown).
    bool hostAndJoin();
    // The text that tells someone else how to join this room (server, AppID, AppSign, room),
    // including the command lines for a second earshot and for earshot-cli.
    [[nodiscard]] QString invitation() const;
    void show();

signals:
    void quitRequested();

private:
    void connectLogin();
    void connectRoom();
    void connectStreams();
    void connectPublishing();
    void connectChat();
    void connectActions();
    void join(const LoginRequest& request);
    void onConnectionStateChanged(ConnectionState state, int errorCode);
    void onStreamAdded(const Stream& stream);
    void onStreamRemoved(const QString& streamId);
    [[nodiscard]] QString userOfStream(const QString& streamId) const;
    void applySettings(const SettingsDialog::Values& values);
    void refreshDevices();
    void startMicrophoneTest();
    void quit();
    [[nodiscard]] LoginRequest loginDefaults() const;

    const Options m_options;
    std::unique_ptr<AppSettings> m_settings;
    Translations* m_translations;
    RoomController* m_room;
    EmbeddedHost* m_host;
    SoundEffects* m_sounds;
    PushToTalkKeyFilter* m_pushToTalk;
    std::unique_ptr<MainWindow> m_window;
    TrayIcon* m_tray = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    QTemporaryDir m_scratch; // the microphone test's recording
    QHash<QString, QString> m_streamUsers; // stream ID -> user ID
    bool m_hosting = false;
    bool m_quitting = false;
};

} // namespace earshot::ui
