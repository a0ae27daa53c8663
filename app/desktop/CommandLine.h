#pragma once

#include <LoginRequest.h>

#include <QString>
#include <QStringList>

#include <optional>

namespace earshot::desktop {

// The desktop app's command line:
//   earshot [--server URL] [--app-id N] [--app-sign HEX | --token T] [--room ID] [--user ID]
//           [--user-name NAME] [--join] [--host] [--settings FILE] [--theme system|light|dark]
//           [--version] [--help]
// Parsed before any application object exists, so --help and --version work without a display.
class CommandLine {
public:
    enum class Action { Run, ShowHelp, ShowVersion, Error };

    // `arguments` includes the program name, as QCoreApplication::arguments() would.
    [[nodiscard]] static CommandLine parse(const QStringList& arguments);

    Action action = Action::Run;
    QString error;    // a sentence, for Action::Error
    QString helpText; // for Action::ShowHelp and Error

    // Fields the user gave; unset ones keep the remembered values.
    ui::LoginRequest login;
    bool hasServer = false;
    bool join = false;
    bool host = false;
    QString settingsPath;
    QString theme;          // "", "system", "light" or "dark"
    QString screenshotPath; // hidden: render the window to this PNG once a peer speaks, then quit
};

} // namespace earshot::desktop
