// earshot, the desktop app: parses the command line, then hands over to earshot::ui's
// AppController.

#include "CommandLine.h"
#include "ScreenshotTaker.h"

#include <AppController.h>
#include <MainWindow.h>
#include <ShutdownSignal.h>
#include <Theme.h>

#include <earshot/AudioBackendMessages.h>

#include <QAction>
#include <QApplication>
#include <QTimer>

#include <cstdio>

using earshot::desktop::CommandLine;

int main(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    // Before QApplication, which needs a display: --help and --version work on a bare terminal.
    const CommandLine commandLine = CommandLine::parse(arguments);
    switch (commandLine.action) {
    case CommandLine::Action::ShowHelp:
        std::fputs(qPrintable(commandLine.helpText), stdout);
        return 0;
    case CommandLine::Action::ShowVersion:
        std::printf("earshot %s\n", EARSHOT_VERSION);
        return 0;
    case CommandLine::Action::Error:
        std::fprintf(stderr, "earshot: %s\n\n%s", qPrintable(commandLine.error), qPrintable(commandLine.helpText));
        return 2;
    case CommandLine::Action::Run:
        break;
    }

    QApplication application(argc, argv);
    earshot::silenceAudioBackendMessages(); // the sound libraries' device probing, not our errors
    QApplication::setOrganizationName(QStringLiteral("Earshot"));
    QApplication::setApplicationName(QStringLiteral("earshot"));
    QApplication::setApplicationDisplayName(QStringLiteral("Earshot"));
    QApplication::setApplicationVersion(QStringLiteral(EARSHOT_VERSION));
    QApplication::setQuitOnLastWindowClosed(false); // the tray icon keeps a room open

    earshot::ui::AppController::Options options;
    options.settingsPath = commandLine.settingsPath;
    earshot::ui::AppController controller(options);
    // exit(), not quit(): Qt 6's quit() first asks the windows to close, and the main window turns
    // a close into a request to the controller (hide to the tray, or quit), which would loop.
    QObject::connect(&controller, &earshot::ui::AppController::quitRequested, &application,
        [] { QApplication::exit(0); });
    // Ctrl-C in the terminal quits as the menu does: logging out first, so the others see a
    // departure, not a connection that went silent.
    earshot::server::ShutdownSignal terminationSignal;
    QObject::connect(&terminationSignal, &earshot::server::ShutdownSignal::requested, controller.window()->quitAction(),
        &QAction::trigger);
    if (commandLine.theme == QLatin1String("light"))
        earshot::ui::Theme::apply(earshot::ui::ThemeMode::Light);
    else if (commandLine.theme == QLatin1String("dark"))
        earshot::ui::Theme::apply(earshot::ui::ThemeMode::Dark);
    controller.prefillLogin(commandLine.login);
    controller.show();

    if (commandLine.host)
        static_cast<void>(controller.hostAndJoin());
    else if (commandLine.join)
        static_cast<void>(controller.joinFromLoginPanel());

    if (!commandLine.screenshotPath.isEmpty()) {
        const auto moment = commandLine.join || commandLine.host ? earshot::desktop::ScreenshotMoment::WhenSomeoneSpeaks
                                                                 : earshot::desktop::ScreenshotMoment::AfterStart;
        auto* taker = new earshot::desktop::ScreenshotTaker(
            controller.window(), commandLine.screenshotPath, moment, &controller);
        QObject::connect(taker, &earshot::desktop::ScreenshotTaker::done, &application,
            [](bool saved) { QApplication::exit(saved ? 0 : 1); });
    }
    return application.exec();
}
