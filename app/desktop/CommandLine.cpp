#include "CommandLine.h"

#include <QCommandLineParser>

namespace earshot::desktop {

CommandLine CommandLine::parse(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Earshot: voice chat in rooms. Without options it opens the login window, which also offers to\n"
        "host a room on this computer."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") },
        QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version and exit."));
    const QCommandLineOption server(QStringLiteral("server"),
        QStringLiteral("Signalling server, ws://HOST:PORT/ or wss://HOST:PORT/."), QStringLiteral("URL"));
    const QCommandLineOption appId(QStringLiteral("app-id"), QStringLiteral("AppID (a positive integer)."),
        QStringLiteral("N"));
    const QCommandLineOption appSign(QStringLiteral("app-sign"), QStringLiteral("AppSign, 64 hex digits."),
        QStringLiteral("HEX"));
    const QCommandLineOption token(QStringLiteral("token"),
        QStringLiteral("Log in with this token instead of an AppSign."), QStringLiteral("T"));
    const QCommandLineOption room(QStringLiteral("room"), QStringLiteral("Room ID."), QStringLiteral("ID"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("User ID."), QStringLiteral("ID"));
    const QCommandLineOption userName(QStringLiteral("user-name"),
        QStringLiteral("Name shown to others (default: the user ID)."), QStringLiteral("NAME"));
    const QCommandLineOption join(QStringLiteral("join"), QStringLiteral("Join the room at start."));
    const QCommandLineOption host(QStringLiteral("host"),
        QStringLiteral("Host a room on this computer (an embedded earshot-server) and join it."));
    const QCommandLineOption settings(QStringLiteral("settings"),
        QStringLiteral("Keep the settings in this INI file (e.g. for a second instance)."), QStringLiteral("FILE"));
    const QCommandLineOption theme(QStringLiteral("theme"),
        QStringLiteral("Appearance for this run: system, light or dark."), QStringLiteral("THEME"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save the window to this PNG (once someone speaks, with --join or --host), then quit."),
        QStringLiteral("FILE.png"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    for (const QCommandLineOption* option : std::initializer_list<const QCommandLineOption*> { &help, &version, &server, &appId, &appSign, &token, &room, &user,
             &userName, &join, &host, &settings, &theme, &screenshot })
        parser.addOption(*option);

    CommandLine result;
    const QString program = arguments.isEmpty() ? QStringLiteral("earshot") : arguments.constFirst();
    // QCommandLineParser names the program from QCoreApplication, which does not exist yet.
    result.helpText = parser.helpText().replace(QStringLiteral("<executable_name>"), program);
    if (!parser.parse(arguments)) {
        result.action = Action::Error;
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        result.action = Action::ShowHelp;
        return result;
    }
    if (parser.isSet(version)) {
        result.action = Action::ShowVersion;
        return result;
    }
    const auto fail = [&result](const QString& error) {
        result.action = Action::Error;
        result.error = error;
        return result;
    };
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().constFirst()));
    if (parser.isSet(appSign) && parser.isSet(token))
        return fail(QStringLiteral("--app-sign and --token exclude each other"));
    if (parser.isSet(server)) {
        const QUrl url(parser.value(server));
        if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
            return fail(QStringLiteral("--server: expected ws://HOST:PORT/ or wss://HOST:PORT/, got \"%1\"")
                            .arg(parser.value(server)));
        result.login.server = url;
        result.hasServer = true;
    }
    if (parser.isSet(appId)) {
        bool ok = false;
        result.login.appId = parser.value(appId).toUInt(&ok);
        if (!ok || result.login.appId == 0)
            return fail(QStringLiteral("--app-id: expected a positive integer, got \"%1\"").arg(parser.value(appId)));
    }
    if (parser.isSet(token)) {
        result.login.authMethod = ui::AuthMethod::Token;
        result.login.secret = parser.value(token);
    } else {
        result.login.secret = parser.value(appSign);
    }
    result.login.roomId = parser.value(room);
    result.login.userId = parser.value(user);
    result.login.userName = parser.value(userName);
    result.join = parser.isSet(join);
    result.host = parser.isSet(host);
    if (result.join && result.host)
        return fail(QStringLiteral("--join and --host exclude each other (--host joins the hosted room)"));
    result.settingsPath = parser.value(settings);
    result.theme = parser.value(theme);
    if (!result.theme.isEmpty()
        && !QStringList { QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark") }.contains(result.theme))
        return fail(QStringLiteral("--theme: expected system, light or dark, got \"%1\"").arg(result.theme));
    result.screenshotPath = parser.value(screenshot);
    return result;
}

} // namespace earshot::desktop
