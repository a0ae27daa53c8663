#include "ClientConnection.h"

#include "LogCategories.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>

#include <chrono>

namespace earshot::server {
namespace {

std::int64_t monotonicMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

} // namespace

ClientConnection::ClientConnection(std::unique_ptr<QWebSocket> socket, const Limits& limits,
                                   ServerCounters& counters, const QString& serverVersion)
    : m_socket(std::move(socket))
    , m_limits(limits)
    , m_counters(counters)
    , m_challenge(protocol::AppSignAuth::makeChallenge())
    , m_frameLimiter(limits.framesBurst, limits.framesPerSecond)
    , m_mediaFrameLimiter(limits.mediaFramesBurst, limits.mediaFramesPerSecond)
{
    ServerCounters::increment(m_counters.connectionsAccepted);
    // Refused before they are buffered whole: a huge frame closes the connection (1009).
    m_socket->setMaxAllowedIncomingMessageSize(quint64(protocol::kMaxSignalMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(protocol::kMaxSignalMessageBytes));

    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &ClientConnection::onTextMessage);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, &ClientConnection::onBinaryMessage);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &ClientConnection::onDisconnected);

    // A client that says nothing for three heartbeat intervals is gone; its session (if any)
    // then waits out the grace period.
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(std::chrono::milliseconds(3 * m_limits.heartbeatIntervalMs));
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcSignalling) << "closing silent connection" << peer();
        close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("heartbeat timeout"));
    });
    m_idleTimer.start();

    protocol::HelloEvent hello;
    hello.serverVersion = serverVersion;
    hello.challenge = QByteArray(reinterpret_cast<const char*>(m_challenge.data()), qsizetype(m_challenge.size()));
    const auto& publicKey = m_keyExchange.publicKey();
    hello.serverPublicKey = QByteArray(reinterpret_cast<const char*>(publicKey.data()), qsizetype(publicKey.size()));
    hello.heartbeatIntervalMs = m_limits.heartbeatIntervalMs;
    hello.mediaPort = m_limits.mediaPort;
    sendEvent(std::move(hello));
}

ClientConnection::~ClientConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

QString ClientConnection::peer() const
{
    return QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
}

void ClientConnection::close(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    m_idleTimer.stop();
    m_socket->close(code, reason);
    // A socket that never finished its handshake or is already down emits no disconnected.
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        onDisconnected();
}

void ClientConnection::sendText(const QByteArray& text)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(QString::fromUtf8(text));
}

void ClientConnection::onTextMessage(const QString& text)
{
    ServerCounters::increment(m_counters.signalFramesReceived);
    m_idleTimer.start();
    if (!m_frameLimiter.tryAcquire(monotonicMs())) {
        ServerCounters::increment(m_counters.signalFramesRateLimited);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    protocol::SignalParseResult result = protocol::parseSignalMessage(utf8);
    if (!result.ok) {
        countMalformed();
        qCDebug(lcSignalling) << "malformed frame from" << peer() << ":" << result.error;
        if (result.id > 0)
            send(result.id, protocol::GenericReply{protocol::toInt(protocol::ErrorCode::IllegalParameter),
                                                   result.error});
        else
            sendEvent(protocol::ErrorEvent{protocol::toInt(protocol::ErrorCode::IllegalParameter),
                                           result.error});
        return;
    }
    emit messageReceived(this, result.message);
}

void ClientConnection::sendBinary(const QByteArray& packet)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendBinaryMessage(packet);
}

void ClientConnection::onBinaryMessage(const QByteArray& data)
{
    m_idleTimer.start();
    // Binary frames carry media on the fallback path, and only for a logged-in session;
    // before login they are noise.
    if (m_session.isNull()) {
        ServerCounters::increment(m_counters.signalBinaryFramesDropped);
        countMalformed();
        return;
    }
    if (!m_mediaFrameLimiter.tryAcquire(monotonicMs())) {
        ServerCounters::increment(m_counters.signalFramesRateLimited);
        return;
    }
    emit mediaFrameReceived(this, data);
}

void ClientConnection::countMalformed()
{
    ServerCounters::increment(m_counters.signalFramesMalformed);
    if (++m_malformedCount == m_limits.malformedBeforeClose) {
        ServerCounters::increment(m_counters.connectionsClosedForAbuse);
        qCInfo(lcSignalling) << "closing connection after" << m_malformedCount << "malformed frames" << peer();
        close(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("too many malformed messages"));
    }
}

void ClientConnection::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_idleTimer.stop();
    emit closed(this);
}

} // namespace earshot::server
