#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace earshot::server {

// Everything earshot-server is told at start-up, from a JSON config file and then the command
// line (flags override the file). Durations are in milliseconds.
struct ServerConfig {
    QHostAddress listenAddress = QHostAddress(QHostAddress::Any);
    quint16 listenPort = 7400;  // WebSocket signalling and HTTP share it; 0 binds an ephemeral port
    quint16 mediaPort = 7401;   // UDP; 0 binds an ephemeral port
    QStringList appSpecs;       // "APPID:APPSIGN_HEX:SERVER_SECRET_HEX"
    QString certificatePath;    // PEM; with keyPath, signalling is wss:// and HTTP https://
    QString privateKeyPath;
    int graceMs = 10'000;                 // a dropped session keeps its place this long
    int heartbeatIntervalMs = 10'000;     // told to clients; silent for 3x this closes a connection
    int onlineCountIntervalMs = 30'000;   // room online-count events
    int tokenWarningSeconds = 30;         // token_will_expire lead time
    int messageBurst = 30;                // broadcast/custom messages: bucket size per user
    int messagesPerSecond = 10;           //   and refill rate

    struct ParseResult {
        bool ok = false;
        bool helpRequested = false;
        QString error; // a sentence for the operator
        bool versionRequested = false;
    };

    // Parses the arguments after the program name. --config FILE is read first wherever it
    // appears, so flags always win over the file.
    ParseResult parseArguments(const QStringList& arguments);
    static QString usage();
    static QString versionLine(); // "earshot-server 0.1.0"

private:
    ParseResult readConfigFile(const QString& path);
};

} // namespace earshot::server
