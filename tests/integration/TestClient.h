#pragma once

#include "TestApp.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SignalMessage.h>

#include <QDebug>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace earshot::integration {

enum class UserNotify { Off, On };

// A unique ID for this test process (`base_N`), valid as a room, user and stream ID. Tests use
// fresh IDs so that sessions left in a grace period by earlier tests never interfere.
QString uniqueId(const QString& base);

// The code of a reply, or -1 when none came (so a missing reply fails a comparison instead of
// dereferencing an empty optional).
template <typename Reply>
int codeOf(const std::optional<Reply>& reply)
{
    return reply ? reply->code : -1;
}

// A publish request without extra info.
inline protocol::PublishRequest publishRequest(const QString& streamId)
{
    protocol::PublishRequest request;
    request.streamId = streamId;
    return request;
}

// Sorted IDs of a user or stream list, for order-independent comparisons.
QStringList userIdsOf(const QList<protocol::UserInfo>& users);
QStringList streamIdsOf(const QList<protocol::StreamInfo>& streams);

// One signalling connection to earshot-server, driven synchronously by a test. Every wait runs
// the Qt event loop until its condition holds or a bounded timeout passes, so a test reads like
// a script and never sleeps. Incoming replies are kept by id; events are kept in arrival order
// until a test takes them (waitForEvent leaves events of other types, or not matching its
// predicate, in the queue). While connected it answers the server's heartbeat requirement on
// its own (setAutoHeartbeat(false) to play a silent client). Test thread only.
class TestClient : public QObject {
    Q_OBJECT

public:
    static constexpr int kDefaultTimeoutMs = 5000;

    explicit TestClient(QUrl serverUrl, QObject* parent = nullptr);
    ~TestClient() override;

    // Connects, logs in with AppSign and returns the client; nullptr (after a warning saying
    // why) when connecting fails or the login reply is not code 0.
    static std::unique_ptr<TestClient> joinRoom(const QUrl& serverUrl, const TestApp& app,
                                                const QString& roomId, const QString& userId,
                                                UserNotify notify = UserNotify::Off,
                                                std::uint32_t maxMemberCount = 0);

    // Opens the WebSocket and waits for the server's hello event.
    [[nodiscard]] bool connectToServer(int timeoutMs = kDefaultTimeoutMs);
    const protocol::HelloEvent& hello() const { return m_hello; }

    // The display name used by the convenience logins below.
    static QString userNameFor(const QString& userId) { return QStringLiteral("Name of ") + userId; }

    // A login request with this client's key-exchange public key and no credentials yet.
    protocol::LoginRequest makeLoginRequest(std::uint32_t appId, const QString& roomId,
                                            const QString& userId, const QString& userName,
                                            UserNotify notify = UserNotify::Off,
                                            std::uint32_t maxMemberCount = 0) const;

    // AppSign login: the MAC is computed over this connection's challenge and the request's
    // fields with appSignHex as the key. nullopt when no login reply came.
    std::optional<protocol::LoginReply> loginAppSign(protocol::LoginRequest request,
                                                     const QByteArray& appSignHex);
    std::optional<protocol::LoginReply> loginAppSign(const TestApp& app, const QString& roomId,
                                                     const QString& userId,
                                                     UserNotify notify = UserNotify::Off,
                                                     std::uint32_t maxMemberCount = 0);
    // Token login.
    std::optional<protocol::LoginReply> loginToken(protocol::LoginRequest request,
                                                   const QString& token);
    std::optional<protocol::LoginReply> loginToken(const TestApp& app, const QString& token,
                                                   const QString& roomId, const QString& userId,
                                                   UserNotify notify = UserNotify::Off);
    // The AppSign MAC of `request` over this connection's challenge, keyed by appSignHex.
    QByteArray appSignMac(const protocol::LoginRequest& request, const QByteArray& appSignHex) const;
    // Sends the request exactly as given.
    std::optional<protocol::LoginReply> login(const protocol::LoginRequest& request);

    // Reclaims a session on this (new) connection: mac = HMAC-SHA-256 keyed by resumeSecret over
    // this connection's hello challenge.
    std::optional<protocol::LoginReply> resume(const QString& sessionId,
                                               const QByteArray& resumeSecret);

    // The session of the last successful login or resume.
    const QString& roomId() const { return m_roomId; }
    const QString& userId() const { return m_userId; }
    const QString& sessionId() const { return m_sessionId; }
    const QByteArray& resumeSecret() const { return m_resumeSecret; }
    // The login's media session ID (SSRC of the media Bind packets), and the key pair whose
    // public half went into the login request: with hello().serverPublicKey they give the
    // media keys (KeyExchange::clientKeys).
    std::uint32_t mediaSessionId() const { return m_mediaSessionId; }
    const protocol::KeyExchange& keyExchange() const { return m_keyExchange; }

    // Sends `body` with a fresh id and waits for the reply with that id. nullopt (with a
    // warning naming what came instead) on timeout or when the reply is not of type Reply.
    template <typename Reply, typename Body>
    std::optional<Reply> request(Body body, int timeoutMs = kDefaultTimeoutMs)
    {
        return waitForReply<Reply>(send(std::move(body)), timeoutMs);
    }

    // Sends without waiting; returns the id the reply will echo.
    template <typename Body>
    std::int64_t send(Body body)
    {
        const std::int64_t id = m_nextId++;
        sendRawText(protocol::serializeSignalMessage(id, std::move(body)));
        return id;
    }

    template <typename Reply>
    std::optional<Reply> waitForReply(std::int64_t id, int timeoutMs = kDefaultTimeoutMs)
    {
        const std::optional<protocol::SignalMessage> message = takeReply(id, timeoutMs);
        if (!message)
            return std::nullopt;
        if (const auto* reply = std::get_if<Reply>(&message->body))
            return *reply;
        warnUnexpected(Reply::kType, *message);
        return std::nullopt;
    }

    // Takes the oldest queued event of type Event matching `predicate` (any, when empty),
    // waiting up to timeoutMs for it. Other events stay queued in order.
    template <typename Event>
    std::optional<Event> waitForEvent(int timeoutMs = kDefaultTimeoutMs,
                                      const std::function<bool(const Event&)>& predicate = {})
    {
        std::optional<Event> found;
        waitUntil([&] { return (found = takeEvent<Event>(predicate)).has_value(); }, timeoutMs);
        if (!found)
            qWarning().noquote() << label() << "got no" << Event::kType << "event within"
                                 << timeoutMs << "ms; queued:" << describeQueuedEvents();
        return found;
    }

    // Runs the event loop for durationMs (returning early on a match) and says whether no
    // event of type Event matching `predicate` arrived. A match stays queued and is printed.
    template <typename Event>
    [[nodiscard]] bool expectNoEvent(int durationMs,
                                     const std::function<bool(const Event&)>& predicate = {})
    {
        const auto matches = [&] {
            for (const protocol::SignalMessage& message : m_events)
                if (const auto* event = std::get_if<Event>(&message.body))
                    if (!predicate || predicate(*event))
                        return true;
            return false;
        };
        if (!waitUntil(matches, durationMs))
            return true;
        qWarning().noquote() << label() << "got an unexpected" << Event::kType
                             << "event; queued:" << describeQueuedEvents();
        return false;
    }

    // Drops queued events of type Event; returns how many.
    template <typename Event>
    int discardEvents()
    {
        const auto before = m_events.size();
        std::erase_if(m_events, [](const protocol::SignalMessage& message) {
            return std::holds_alternative<Event>(message.body);
        });
        return int(before - m_events.size());
    }

    template <typename Event>
    std::optional<Event> takeEvent(const std::function<bool(const Event&)>& predicate = {})
    {
        for (auto it = m_events.begin(); it != m_events.end(); ++it) {
            if (const auto* event = std::get_if<Event>(&it->body);
                event && (!predicate || predicate(*event))) {
                Event taken = *event;
                m_events.erase(it);
                return taken;
            }
        }
        return std::nullopt;
    }

    void sendRawText(const QByteArray& utf8Text);
    void sendRawBinary(const QByteArray& bytes);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    [[nodiscard]] bool waitForDisconnected(int timeoutMs = kDefaultTimeoutMs);
    // Drops the TCP connection without a WebSocket close or a logout: a network failure.
    void dropConnection();
    void setAutoHeartbeat(bool enabled);

    // Binary frames from the server (media on the WebSocket fallback) go to `handler` when one
    // is set; without one they count as unparsable.
    void setBinaryFrameHandler(std::function<void(const QByteArray&)> handler)
    {
        m_binaryFrameHandler = std::move(handler);
    }

    // Frames from the server that parseSignalMessage refused (a protocol violation).
    int unparsableFrameCount() const { return m_unparsableFrames; }

    // Runs the event loop until condition() is true or timeoutMs passes; returns condition().
    static bool waitUntil(const std::function<bool()>& condition, int timeoutMs);

private:
    void onTextMessage(const QString& text);
    void onBinaryMessage(const QByteArray& bytes);
    void sendHeartbeat();
    void rememberSession(const protocol::LoginReply& reply, const QString& roomId,
                         const QString& userId);
    std::optional<protocol::SignalMessage> takeReply(std::int64_t id, int timeoutMs);
    void warnUnexpected(const char* expectedType, const protocol::SignalMessage& message) const;
    QString describeQueuedEvents() const;
    QString label() const;

    QUrl m_serverUrl;
    QWebSocket m_socket;
    protocol::KeyExchange m_keyExchange;
    protocol::HelloEvent m_hello;
    bool m_helloReceived = false;
    std::int64_t m_nextId = 1;
    std::map<std::int64_t, protocol::SignalMessage> m_replies;
    std::deque<protocol::SignalMessage> m_events;
    std::set<std::int64_t> m_heartbeatIds; // replies to our own heartbeats are dropped
    QTimer m_heartbeatTimer;
    bool m_autoHeartbeat = true;
    int m_unparsableFrames = 0;
    QString m_roomId;
    QString m_userId;
    QString m_sessionId;
    QByteArray m_resumeSecret;
    std::uint32_t m_mediaSessionId = 0;
    std::function<void(const QByteArray&)> m_binaryFrameHandler;
};

} // namespace earshot::integration
