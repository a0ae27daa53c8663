#pragma once

#include "ClientConnection.h"
#include "ServerCounters.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

#include <functional>
#include <vector>

namespace earshot::server {

class RoomService;

// The signalling front: one TCP port serving HTTP (/healthz, /metrics) and WebSocket upgrades.
// Each accepted WebSocket becomes a ClientConnection whose messages go to the RoomService.
// Owns the connections. Signalling thread only.
class SignallingServer : public QObject {
    Q_OBJECT

public:
    SignallingServer(RoomService& rooms, ServerCounters& counters, ClientConnection::Limits limits,
                     QString serverVersion);
    ~SignallingServer() override;

    // Empty string on success, else why the port could not be opened.
    QString listen(const QHostAddress& address, quint16 port, const QString& certificatePath,
                   const QString& privateKeyPath);
    quint16 port() const { return m_port; }
    bool isSecure() const { return m_secure; }

    // Extra lines for /metrics, from components this class does not know.
    void setMetricsSource(std::function<QByteArray()> source) { m_metricsSource = std::move(source); }

    // Tells every client the server is going away and closes every connection.
    void shutdown(std::int64_t retryAfterMs);

private:
    void acceptWebSockets();
    QByteArray metricsText() const;

    RoomService& m_rooms;
    ServerCounters& m_counters;
    ClientConnection::Limits m_limits;
    QString m_serverVersion;
    QHttpServer m_http;
    quint16 m_port = 0;
    bool m_secure = false;
    std::vector<ClientConnection*> m_connections; // owned (children of this)
    std::function<QByteArray()> m_metricsSource;
};

} // namespace earshot::server
