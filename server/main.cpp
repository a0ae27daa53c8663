// earshot-server: rooms, authentication, signalling and media forwarding (DESIGN.md §5).
#include "EarshotServer.h"
#include "ServerConfig.h"
#include "ShutdownSignal.h"
#include "TokenCommand.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("earshot-server"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList arguments = QCoreApplication::arguments().mid(1);

    if (!arguments.isEmpty() && arguments.first() == QLatin1String("token"))
        return earshot::server::runTokenCommand(arguments.mid(1), out, err);

    earshot::server::ServerConfig config;
    const auto parsed = config.parseArguments(arguments);
    if (parsed.helpRequested) {
        out << earshot::server::ServerConfig::usage();
        return 0;
    }
    if (parsed.versionRequested) {
        out << earshot::server::ServerConfig::versionLine() << "\n";
        return 0;
    }
    if (!parsed.ok) {
        err << "earshot-server: " << parsed.error << "\n" << earshot::server::ServerConfig::usage();
        return 2;
    }

    earshot::server::EarshotServer server(std::move(config));
    if (const QString error = server.start(); !error.isEmpty()) {
        err << "earshot-server: " << error << "\n";
        return 1;
    }
    earshot::server::ShutdownSignal shutdownSignal;
    QObject::connect(&shutdownSignal, &earshot::server::ShutdownSignal::requested, &app, [&server] {
        server.shutdown();
        // Give the closing frames a moment to leave before the sockets go.
        QTimer::singleShot(200, QCoreApplication::instance(), &QCoreApplication::quit);
    });

    out << server.readyLine() << "\n";
    out.flush();
    std::fflush(stdout);
    return QCoreApplication::exec();
}
