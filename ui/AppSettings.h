#pragma once

#include "AudioSettings.h"
#include "LoginRequest.h"
#include "ThemeMode.h"

#include <QByteArray>
#include <QKeySequence>
#include <QStringList>

#include <memory>

class QSettings;

namespace earshot::ui {

// The app's persisted choices, in QSettings: the last login, recent servers and rooms, audio,
// transmission, appearance, language and the embedded host's keys. Typed accessors, so no
// settings key is spelt anywhere else.
//
// The AppSign is remembered with the last login (like a saved password: the settings file is the
// user's own); a token is not, since it expires.
class AppSettings {
public:
    static constexpr int kMaxRecent = 8;

    // The user's settings (organisation and application names of QCoreApplication).
    AppSettings();
    // An INI file at `path`: for tests and portable installs.
    explicit AppSettings(const QString& path);
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    [[nodiscard]] LoginRequest lastLogin() const;
    // Also puts the server and room first in the recent lists.
    void setLastLogin(const LoginRequest& request);
    // Only the room and who you are: for a room hosted by this app, whose address and keys are
    // not worth remembering as a server (it is gone when the app quits).
    void setLastIdentity(const LoginRequest& request);
    [[nodiscard]] QStringList recentServers() const;
    [[nodiscard]] QStringList recentRooms() const;

    [[nodiscard]] AudioSettings audio() const;
    void setAudio(const AudioSettings& audio);
    [[nodiscard]] TransmissionSettings transmission() const;
    void setTransmission(const TransmissionSettings& transmission);
    [[nodiscard]] QKeySequence pushToTalkKey() const;
    void setPushToTalkKey(const QKeySequence& key);

    // "" follows the system; otherwise a locale name such as "en" or "zh_CN".
    [[nodiscard]] QString language() const;
    void setLanguage(const QString& language);
    [[nodiscard]] ThemeMode theme() const;
    void setTheme(ThemeMode theme);
    [[nodiscard]] bool soundsEnabled() const;
    void setSoundsEnabled(bool enabled);

    // The embedded host's AppSign and ServerSecret (64 hex digits each), made once per
    // installation so that people joining a host keep working across restarts.
    [[nodiscard]] QString hostAppSign();
    [[nodiscard]] QString hostServerSecret();
    [[nodiscard]] int hostPort() const;

    [[nodiscard]] QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);

    void sync();

private:
    [[nodiscard]] QString hostKey(const QString& name);
    static void addRecent(QStringList& list, const QString& value);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace earshot::ui
