#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <cstdint>
#include <optional>

namespace earshot::session {

// Everything SignallingClient::login() needs: where, who, how to authenticate, and the timers.
// Holds secrets (appSignHex, token): never log a LoginParams. The client keeps the AppSign only
// in guarded memory (SecureKey) and the token for the logins of its reconnects.
// Durations are milliseconds and must be positive.
struct LoginParams {
    QUrl serverUrl;                   // ws://host:port/ or wss://host:port/
    std::uint32_t appId = 0;
    QByteArray appSignHex;            // 64 hex digits; may be empty when a token is given
    QString token;                    // non-empty: token authentication (preferred over the AppSign)
    QString roomId;
    QString userId;
    QString userName;
    bool isUserStatusNotify = false;  // receive user_update events (API.md §2)
    std::uint32_t maxMemberCount = 0; // 0: unlimited; honoured from the user who creates the room

    // wss:// only: the TLS settings (e.g. a private CA); the system defaults when absent.
    std::optional<QSslConfiguration> sslConfiguration;

    // Connect + hello + login reply, for the first login and for each reconnect attempt.
    int loginTimeoutMs = 10'000;
    // Every other request's reply; a request unanswered this long ends with kRequestTimedOut.
    int requestTimeoutMs = 10'000;
    // The heartbeat interval comes from the server's hello; a heartbeat unanswered for this many
    // intervals means the connection is lost.
    int heartbeatTimeoutIntervals = 2;
    // Reconnect back-off: the first attempt after reconnectInitialDelayMs, doubling up to
    // reconnectMaxDelayMs; after reconnectGiveUpMs without success, reconnectFailed(1002053).
    int reconnectInitialDelayMs = 250;
    int reconnectMaxDelayMs = 5'000;
    int reconnectGiveUpMs = 20 * 60 * 1000; // the reference product's 20 minutes
};

} // namespace earshot::session
