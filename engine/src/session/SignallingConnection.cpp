#include "session/SignallingConnection.h"

#include "session/SessionLog.h"

#include <earshot/protocol/AppSignAuth.h>
#include <earshot/protocol/KeyExchange.h>

#include <QNetworkRequest>

namespace earshot::session {

SignallingConnection::SignallingConnection(SessionCounters& counters, QObject* parent)
    : QObject(parent)
    , m_counters(counters)
    , m_socket(QString(), QWebSocketProtocol::VersionLatest, this)
{
    // A frame larger than any legitimate message closes the connection before it is buffered.
    m_socket.setMaxAllowedIncomingMessageSize(quint64(protocol::kMaxSignalMessageBytes));
    m_socket.setMaxAllowedIncomingFrameSize(quint64(protocol::kMaxSignalMessageBytes));
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &SignallingConnection::onTextMessage);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &SignallingConnection::binaryFrameReceived);
    connect(&m_socket, &QWebSocket::disconnected, this, &SignallingConnection::onDisconnected);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(&m_socket, &QWebSocket::errorOccurred, this, &SignallingConnection::onSocketError);
#else
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SignallingConnection::onSocketError);
#endif
}

SignallingConnection::~SignallingConnection()
{
    m_socket.disconnect(this);
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
}

void SignallingConnection::open(const QUrl& url, const std::optional<QSslConfiguration>& sslConfiguration)
{
#ifndef QT_NO_SSL
    if (sslConfiguration)
        m_socket.setSslConfiguration(*sslConfiguration);
#endif
    m_socket.open(QNetworkRequest(url));
}

bool SignallingConnection::isOpen() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void SignallingConnection::sendText(const QByteArray& text)
{
    if (isOpen())
        m_socket.sendTextMessage(QString::fromUtf8(text));
}

bool SignallingConnection::sendBinary(const QByteArray& frame)
{
    if (!isOpen())
        return false;
    m_socket.sendBinaryMessage(frame);
    return true;
}

void SignallingConnection::closeAndDeleteLater(int lingerMs)
{
    disconnect(this, nullptr, nullptr, nullptr); // nobody hears of this connection again
    m_ended = true;
    m_socket.disconnect(this);
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    connect(&m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(lingerMs, this, &QObject::deleteLater);
    m_socket.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("logout"));
}

void SignallingConnection::abortAndDeleteLater()
{
    disconnect(this, nullptr, nullptr, nullptr);
    m_ended = true;
    m_socket.disconnect(this);
    m_socket.abort();
    deleteLater();
}

void SignallingConnection::onTextMessage(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    protocol::SignalParseResult parsed = protocol::parseSignalMessage(utf8);
    if (!parsed.ok) {
        ++m_counters.malformedMessages;
        if (isWorthLogging(m_counters.malformedMessages))
            qCWarning(lcSession).noquote().nospace()
                << "dropped a malformed message from the server (" << parsed.error
                << "; malformed so far: " << m_counters.malformedMessages << ')';
        return;
    }
    if (!m_hasHello) {
        if (acceptHello(parsed.message))
            emit helloReceived();
        return;
    }
    if (std::holds_alternative<protocol::HelloEvent>(parsed.message.body)) {
        ++m_counters.unexpectedMessages;
        if (isWorthLogging(m_counters.unexpectedMessages))
            qCWarning(lcSession) << "dropped a second hello (unexpected messages so far:"
                                 << m_counters.unexpectedMessages << ')';
        return;
    }
    emit messageReceived(parsed.message);
}

bool SignallingConnection::acceptHello(const protocol::SignalMessage& message)
{
    const auto* hello = std::get_if<protocol::HelloEvent>(&message.body);
    if (hello == nullptr) {
        ++m_counters.unexpectedMessages;
        if (isWorthLogging(m_counters.unexpectedMessages))
            qCWarning(lcSession) << "dropped a" << protocol::signalTypeName(message.body)
                                 << "message that came before the server's hello";
        return false;
    }
    if (message.id != 0 || hello->challenge.size() != qsizetype(protocol::AppSignAuth::kChallengeSize)
        || hello->serverPublicKey.size() != qsizetype(protocol::KeyExchange::kPublicKeySize)
        || hello->heartbeatIntervalMs < 0) {
        ++m_counters.malformedMessages;
        if (isWorthLogging(m_counters.malformedMessages))
            qCWarning(lcSession) << "dropped a hello with a malformed challenge, key or heartbeat interval";
        return false;
    }
    m_hello = *hello;
    m_hasHello = true;
    return true;
}

void SignallingConnection::onSocketError(QAbstractSocket::SocketError error)
{
    end(QStringLiteral("socket error %1: %2").arg(int(error)).arg(m_socket.errorString()));
}

void SignallingConnection::onDisconnected()
{
    end(QStringLiteral("closed by the server (code %1)").arg(int(m_socket.closeCode())));
}

void SignallingConnection::end(const QString& reason)
{
    if (m_ended)
        return;
    m_ended = true;
    emit ended(reason);
}

} // namespace earshot::session
