#pragma once

#include <earshot/protocol/SignalMessage.h>

#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <vector>

namespace earshot::integration {

// A scripted stand-in for earshot-server on loopback, for what the real one never does: stay
// silent, send a broken hello, leave requests or heartbeats unanswered, or send malformed and
// out-of-place frames. By default it greets every connection with a well-formed hello and
// accepts any login (code 0, room session "fake-room", a random resume secret), refuses every
// resume with 1002052, and answers heartbeats. Test thread only.
class FakeSignallingServer : public QObject {
    Q_OBJECT

public:
    enum class Greeting { Hello, Nothing, MalformedHello };

    explicit FakeSignallingServer(QObject* parent = nullptr);
    ~FakeSignallingServer() override;

    [[nodiscard]] bool listen();
    [[nodiscard]] QUrl url() const;

    void setGreeting(Greeting greeting) { m_greeting = greeting; }
    void setHeartbeatIntervalMs(std::int64_t intervalMs) { m_heartbeatIntervalMs = intervalMs; }
    void setAnswerHeartbeats(bool answer) { m_answerHeartbeats = answer; }
    // Requests other than login, resume and heartbeat are answered with code 0 when set
    // (PublishReply with SSRC 1234 for a publish), else never.
    void setAnswerRequests(bool answer) { m_answerRequests = answer; }

    // Frames to the newest connection.
    void sendText(const QByteArray& utf8);
    void sendBinary(const QByteArray& bytes);
    template <typename Body>
    void sendMessage(std::int64_t id, Body body)
    {
        sendText(protocol::serializeSignalMessage(id, std::move(body)));
    }
    // Aborts every connection (a network failure as the client sees it).
    void dropConnections();

    [[nodiscard]] int connectionCount() const { return int(m_sockets.size()); }
    // Every parsed message the clients sent, in order.
    [[nodiscard]] const QList<protocol::SignalMessage>& received() const { return m_received; }
    template <typename Body>
    [[nodiscard]] int receivedCount() const
    {
        int count = 0;
        for (const protocol::SignalMessage& message : m_received)
            count += std::holds_alternative<Body>(message.body) ? 1 : 0;
        return count;
    }
    [[nodiscard]] int binaryFramesReceived() const { return m_binaryFrames; }

private:
    void onNewConnection();
    void onText(QWebSocket* socket, const QString& text);
    void greet(QWebSocket* socket);

    QWebSocketServer m_server;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
    Greeting m_greeting = Greeting::Hello;
    std::int64_t m_heartbeatIntervalMs = 10'000;
    bool m_answerHeartbeats = true;
    bool m_answerRequests = true;
    QList<protocol::SignalMessage> m_received;
    int m_binaryFrames = 0;
};

} // namespace earshot::integration
