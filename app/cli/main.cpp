// earshot-cli: the headless Earshot client (CliOptions parses, CliSession drives the engine).
#include "CliOptions.h"
#include "CliSession.h"
#include "DevicesCommand.h"
#include "ExitCode.h"
#include "SignalWatcher.h"

#include <earshot/AudioBackendMessages.h>

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace earshot::cli;

namespace {

void printUsageError(const QString& error)
{
    std::fprintf(stderr, "earshot-cli: %s\n\n%s", qPrintable(error), qPrintable(cliUsage()));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("earshot-cli"));
    // Events and errors are earshot-cli's output; libasound's and libjack's device probing
    // would bury them under lines about sound cards this machine does not have.
    earshot::silenceAudioBackendMessages();

    const CliParseResult parsed = parseCliOptions(QCoreApplication::arguments());
    if (!parsed.ok()) {
        printUsageError(parsed.error);
        return toInt(ExitCode::Usage);
    }
    switch (parsed.options.command) {
    case CliCommand::ShowHelp:
        std::printf("%s", qPrintable(cliUsage()));
        return toInt(ExitCode::Success);
    case CliCommand::ShowVersion:
        std::printf("%s\n", qPrintable(cliVersion()));
        return toInt(ExitCode::Success);
    case CliCommand::ListDevices:
        return runDevicesCommand();
    case CliCommand::Run:
        break;
    }

    // The engine's progress notes stay quiet (the events say what happened); its warnings
    // still reach stderr. QT_LOGGING_RULES overrides this, e.g. "earshot.*=true".
    QLoggingCategory::setFilterRules(QStringLiteral("earshot.*.debug=false\nearshot.*.info=false"));

    CliSession session(parsed.options);
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &session, &CliSession::stop);
    QObject::connect(&session, &CliSession::finished, &app, [](int exitCode) {
        if (exitCode == toInt(ExitCode::Usage))
            std::fprintf(stderr, "\n%s", qPrintable(cliUsage()));
        QCoreApplication::exit(exitCode);
    });
    if (const ExitCode started = session.start(); started != ExitCode::Success) {
        if (started == ExitCode::Usage)
            std::fprintf(stderr, "\n%s", qPrintable(cliUsage()));
        return toInt(started);
    }
    return QCoreApplication::exec();
}
