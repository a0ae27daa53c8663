#pragma once

#include "RateLimiter.h"
#include "ServerCounters.h"
#include "Session.h"

#include <earshot/protocol/AppSignAuth.h>
#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SignalMessage.h>

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace earshot::server {

// One client's WebSocket: the wire side of signalling. It greets the client (challenge and key
// exchange), enforces frame size and rate limits, parses frames into typed messages and hands
// them on through messageReceived; hostile input is dropped and counted here and never reaches
// the room logic. Signalling thread only.
class ClientConnection : public QObject {
    Q_OBJECT

public:
    struct Limits {
        int heartbeatIntervalMs = 10'000;
        int framesBurst = 400;          // frames at once
        int framesPerSecond = 100;      // sustained
        int malformedBeforeClose = 50;  // a client this broken is closed
        int mediaFramesBurst = 1000;    // binary frames (media on the fallback path)
        int mediaFramesPerSecond = 1000;
        quint16 mediaPort = 0;          // announced in hello
    };

    ClientConnection(std::unique_ptr<QWebSocket> socket, const Limits& limits,
                     ServerCounters& counters, const QString& serverVersion);
    ~ClientConnection() override;

    const protocol::AppSignAuth::Challenge& challenge() const { return m_challenge; }
    const protocol::KeyExchange& keyExchange() const { return m_keyExchange; }
    QString peer() const;

    Session* session() const { return m_session.data(); }
    void setSession(Session* session) { m_session = session; }

    template <typename Body>
    void send(std::int64_t id, Body body)
    {
        sendText(protocol::serializeSignalMessage(id, std::move(body)));
    }
    template <typename Body>
    void sendEvent(Body body)
    {
        send(0, std::move(body));
    }

    // Sends an already serialised message (one serialisation for a whole room).
    void sendSerialized(const QByteArray& text) { sendText(text); }
    // A media packet on the fallback path.
    void sendBinary(const QByteArray& packet);

    // Closes the socket; `closed` follows once it is down.
    void close(QWebSocketProtocol::CloseCode code, const QString& reason);

signals:
    void messageReceived(earshot::server::ClientConnection* connection,
                         const earshot::protocol::SignalMessage& message);
    void closed(earshot::server::ClientConnection* connection);
    void mediaFrameReceived(earshot::server::ClientConnection* connection, const QByteArray& frame);

private:
    void sendText(const QByteArray& text);
    void onTextMessage(const QString& text);
    void onBinaryMessage(const QByteArray& data);
    void onDisconnected();
    void countMalformed();

    std::unique_ptr<QWebSocket> m_socket;
    Limits m_limits;
    ServerCounters& m_counters;
    protocol::KeyExchange m_keyExchange;
    protocol::AppSignAuth::Challenge m_challenge{};
    QPointer<Session> m_session;
    RateLimiter m_frameLimiter;
    RateLimiter m_mediaFrameLimiter;
    QTimer m_idleTimer;
    int m_malformedCount = 0;
    bool m_closedEmitted = false;
};

} // namespace earshot::server
