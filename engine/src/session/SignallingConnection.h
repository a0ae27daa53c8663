#pragma once

#include "session/SessionCounters.h"

#include <earshot/protocol/SignalMessage.h>

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cstdint>
#include <optional>

namespace earshot::session {

// One WebSocket to the server, from the upgrade to the close. It checks the server's hello,
// parses every later text frame into a typed message (a frame that does not parse is dropped and
// counted, never passed on), hands binary frames (media on the fallback path) on as they are, and
// reports the end of the connection exactly once. SignallingClient makes a new one for every
// login and reconnect attempt and throws the old one away, so nothing from a dead connection can
// reach the next. A child of its SignallingClient; session thread only.
class SignallingConnection : public QObject {
    Q_OBJECT

public:
    // Counters are the owner's and must outlive this object.
    SignallingConnection(SessionCounters& counters, QObject* parent);
    ~SignallingConnection() override;

    SignallingConnection(const SignallingConnection&) = delete;
    SignallingConnection& operator=(const SignallingConnection&) = delete;

    // Starts the upgrade; helloReceived or ended follows.
    void open(const QUrl& url, const std::optional<QSslConfiguration>& sslConfiguration);

    [[nodiscard]] bool hasHello() const noexcept { return m_hasHello; }
    // Valid once helloReceived was emitted: a 32-byte challenge and server public key.
    [[nodiscard]] const protocol::HelloEvent& hello() const noexcept { return m_hello; }
    [[nodiscard]] bool isOpen() const;

    // Sends one message (id 0 for an event). Lost silently when the socket is not open.
    template <typename Body>
    void send(std::int64_t id, Body body)
    {
        sendText(protocol::serializeSignalMessage(id, std::move(body)));
    }
    // One binary frame; false when the socket is not open.
    bool sendBinary(const QByteArray& frame);

    // Ends the connection with a close handshake after everything already sent (a logout), then
    // deletes this object once the socket is down, or after lingerMs at the latest. Emits nothing
    // more. The owner forgets the pointer.
    void closeAndDeleteLater(int lingerMs);
    // Drops the connection at once and deletes this object later. Emits nothing more.
    void abortAndDeleteLater();

signals:
    // The server's hello arrived and is well-formed (see hello()).
    void helloReceived();
    // A well-formed message after the hello.
    void messageReceived(const earshot::protocol::SignalMessage& message);
    void binaryFrameReceived(const QByteArray& frame);
    // The connection failed or closed (socket error, close by the server, refused upgrade).
    // Emitted once; `reason` is for logs.
    void ended(const QString& reason);

private:
    void sendText(const QByteArray& text);
    void onTextMessage(const QString& text);
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void end(const QString& reason);
    [[nodiscard]] bool acceptHello(const protocol::SignalMessage& message);

    SessionCounters& m_counters;
    QWebSocket m_socket;
    protocol::HelloEvent m_hello;
    bool m_hasHello = false;
    bool m_ended = false;
};

} // namespace earshot::session
