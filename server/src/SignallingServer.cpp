#include "SignallingServer.h"

#include "LogCategories.h"
#include "RoomService.h"

#include <QFile>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslKey>

#include <algorithm>

namespace earshot::server {

SignallingServer::SignallingServer(RoomService& rooms, ServerCounters& counters,
                                   ClientConnection::Limits limits, QString serverVersion)
    : m_rooms(rooms)
    , m_counters(counters)
    , m_limits(limits)
    , m_serverVersion(std::move(serverVersion))
{
    m_http.route(QStringLiteral("/healthz"), [this] {
        return QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("version"), m_serverVersion},
                           {QStringLiteral("rooms"), qint64(m_rooms.roomCount())},
                           {QStringLiteral("sessions"), qint64(m_rooms.sessionCount())},
                           {QStringLiteral("connections"), qint64(m_connections.size())}};
    });
    m_http.route(QStringLiteral("/metrics"), [this] {
        return QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4"), metricsText());
    });
    // Qt hands a WebSocket upgrade over only when a route claims the request; this route
    // claims upgrades on "/" without answering them, so the WebSocket handshake is the reply.
    m_http.route(QStringLiteral("/"), [](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        if (request.value(QByteArrayLiteral("upgrade")).compare("websocket", Qt::CaseInsensitive) == 0)
            return;
        responder.write(QByteArrayLiteral("earshot-server: connect a WebSocket here\n"),
                        QByteArrayLiteral("text/plain"), QHttpServerResponder::StatusCode::Ok);
    });
    connect(&m_http, &QAbstractHttpServer::newWebSocketConnection, this, &SignallingServer::acceptWebSockets);
}

SignallingServer::~SignallingServer()
{
    for (ClientConnection* connection : m_connections)
        connection->disconnect(this);
}

QString SignallingServer::listen(const QHostAddress& address, quint16 port, const QString& certificatePath,
                                 const QString& privateKeyPath)
{
    if (!certificatePath.isEmpty()) {
        QFile certificateFile(certificatePath);
        QFile keyFile(privateKeyPath);
        if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the TLS certificate or key");
        const QSslCertificate certificate(&certificateFile, QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (certificate.isNull() || key.isNull())
            return QStringLiteral("the TLS certificate or key is not valid PEM");
        m_http.sslSetup(certificate, key);
        m_secure = true;
    }
    m_port = m_http.listen(address, port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port);
    return {};
}

void SignallingServer::acceptWebSockets()
{
    while (m_http.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_http.nextPendingWebSocketConnection();
        if (!socket)
            continue;
        auto* connection = new ClientConnection(std::move(socket), m_limits, m_counters, m_serverVersion);
        connection->setParent(this);
        m_connections.push_back(connection);
        connect(connection, &ClientConnection::messageReceived, this,
                [this](ClientConnection* c, const protocol::SignalMessage& message) { m_rooms.handleMessage(c, message); });
        connect(connection, &ClientConnection::mediaFrameReceived, this,
                [this](ClientConnection* c, const QByteArray& frame) { m_rooms.handleMediaFrame(c, frame); });
        connect(connection, &ClientConnection::closed, this, [this](ClientConnection* c) {
            m_rooms.handleConnectionClosed(c);
            m_connections.erase(std::remove(m_connections.begin(), m_connections.end(), c), m_connections.end());
            c->deleteLater();
        });
        qCDebug(lcSignalling) << "connection from" << connection->peer();
    }
}

void SignallingServer::shutdown(std::int64_t retryAfterMs)
{
    const std::vector<ClientConnection*> connections = m_connections;
    for (ClientConnection* connection : connections) {
        connection->sendEvent(protocol::ServerClosingEvent{retryAfterMs});
        connection->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
    }
}

QByteArray SignallingServer::metricsText() const
{
    QByteArray text;
    const auto counter = [&text](const char* name, const char* help, const std::atomic<std::uint64_t>& value) {
        text += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " counter\n" + name + ' '
            + QByteArray::number(quint64(value.load(std::memory_order_relaxed))) + '\n';
    };
    const auto gauge = [&text](const char* name, const char* help, qint64 value) {
        text += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " gauge\n" + name + ' '
            + QByteArray::number(value) + '\n';
    };
    gauge("earshot_rooms", "Rooms that exist now.", qint64(m_rooms.roomCount()));
    gauge("earshot_sessions", "Logged-in sessions, including those in their grace period.",
          qint64(m_rooms.sessionCount()));
    gauge("earshot_connections", "Open signalling connections.", qint64(m_connections.size()));
    counter("earshot_connections_accepted_total", "Signalling connections accepted.", m_counters.connectionsAccepted);
    counter("earshot_signal_frames_total", "Signalling text frames received.", m_counters.signalFramesReceived);
    counter("earshot_signal_frames_malformed_total", "Signalling frames dropped as malformed.",
            m_counters.signalFramesMalformed);
    counter("earshot_signal_frames_rate_limited_total", "Signalling frames dropped by the rate limit.",
            m_counters.signalFramesRateLimited);
    counter("earshot_signal_binary_frames_dropped_total", "Binary frames dropped on signalling.",
            m_counters.signalBinaryFramesDropped);
    counter("earshot_connections_closed_for_abuse_total", "Connections closed for too many bad frames.",
            m_counters.connectionsClosedForAbuse);
    counter("earshot_logins_total", "Successful logins.", m_counters.loginsSucceeded);
    counter("earshot_logins_failed_total", "Refused logins.", m_counters.loginsFailed);
    counter("earshot_media_packets_total", "Media packets received (UDP and WebSocket fallback).",
            m_counters.mediaPacketsReceived);
    counter("earshot_media_packets_forwarded_total", "Media packets sent to subscribers.",
            m_counters.mediaPacketsForwarded);
    counter("earshot_media_binds_total", "Authenticated media bind packets.", m_counters.mediaBinds);
    counter("earshot_media_rebinds_total", "Sessions whose media address changed.", m_counters.mediaRebinds);
    const std::pair<const char*, const std::atomic<std::uint64_t>*> drops[] = {
        {"oversized", &m_counters.mediaDroppedOversized},
        {"malformed", &m_counters.mediaDroppedMalformed},
        {"unknown_ssrc", &m_counters.mediaDroppedUnknownSsrc},
        {"not_owner", &m_counters.mediaDroppedNotOwner},
        {"replay", &m_counters.mediaDroppedReplay},
        {"authentication", &m_counters.mediaDroppedAuthentication},
        {"no_route", &m_counters.mediaDroppedNoRoute},
    };
    text += "# HELP earshot_media_dropped_total Media packets dropped, by reason.\n"
            "# TYPE earshot_media_dropped_total counter\n";
    for (const auto& [reason, value] : drops)
        text += QByteArray("earshot_media_dropped_total{reason=\"") + reason + "\"} "
            + QByteArray::number(quint64(value->load(std::memory_order_relaxed))) + '\n';
    counter("earshot_media_send_failures_total", "Media packets the kernel refused to send.",
            m_counters.mediaSendFailures);
    if (m_metricsSource)
        text += m_metricsSource();
    return text;
}

} // namespace earshot::server
