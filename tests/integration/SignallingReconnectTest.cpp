// SignallingClient losing its connection and coming back: through a TcpProxy the test can cut
// or freeze like a cable, against a real earshot-server with a short grace period, a server that
// is killed or shut down and replaced, and a stand-in server that stops answering heartbeats.
// The room's other member connects directly and must not notice a drop shorter than the grace.
// The media fallback (MediaTransport over the client's WebSocket) is checked here too.

#include "FakeSignallingServer.h"
#include "ServerProcess.h"
#include "SessionProbe.h"
#include "TcpProxy.h"
#include "TestClient.h"

#include "net/MediaTransport.h"
#include "session/ReconnectPolicy.h"

#include <earshot/protocol/ErrorCode.h>

#include <QElapsedTimer>
#include <QTest>

#include <signal.h>
#include <sys/types.h>

using namespace earshot;
using namespace earshot::integration;
using namespace earshot::protocol;
using session::LoginParams;
using session::LoginResult;
using session::ReconnectKind;
using session::SessionState;

namespace {

constexpr int kGraceMs = 1500;
constexpr int kHeartbeatIntervalMs = 500;
// Slack for scheduling on a loaded 2-core machine (and sanitizer builds).
constexpr int kSlackMs = 2000;

QUrl urlOf(const TcpProxy& proxy)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(proxy.port()));
}

ReconnectKind kindOf(const QList<QVariant>& reconnected)
{
    return reconnected.at(0).value<ReconnectKind>();
}

LoginResult resultOf(const QList<QVariant>& reconnected)
{
    return reconnected.at(1).value<LoginResult>();
}

// A MediaTransport whose fallback is a SignallingClient's WebSocket (the engine's arrangement,
// here on one thread).
class FallbackThroughClient final : public net::FallbackChannel, public net::MediaPacketSink {
public:
    explicit FallbackThroughClient(session::SignallingClient& client)
        : m_client(client)
    {
    }
    void sendMediaFrame(const QByteArray& packet) override { m_client.sendMediaFrame(packet); }
    void onMediaPacket(const RtpHeader&, std::uint64_t, std::span<const std::uint8_t> payload) override
    {
        received << QByteArray(reinterpret_cast<const char*>(payload.data()), qsizetype(payload.size()));
    }
    QList<QByteArray> received;

private:
    session::SignallingClient& m_client;
};

std::unique_ptr<net::MediaTransport> makeFallbackTransport(const LoginResult& login, FallbackThroughClient& link)
{
    net::MediaTransportConfig config;
    config.serverHost = login.mediaHost;
    config.mediaPort = login.mediaPort;
    config.mediaSessionId = login.mediaSessionId;
    config.policy = net::UdpPolicy::WebSocketOnly;
    config.bindRetryMs = 50;
    config.keepaliveIntervalMs = 200;
    return std::make_unique<net::MediaTransport>(
        config, MediaKeys{login.mediaKeys->receive.clone(), login.mediaKeys->transmit.clone()}, link, link);
}

} // namespace

class SignallingReconnectTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void reconnectPolicyBacksOffAndGivesUp();
    void shortCutResumesUnnoticed();
    void cutLongerThanGraceLogsInAgain();
    void frozenPathIsFoundByHeartbeat();
    void requestsFailWhileReconnecting();
    void reconnectGivesUp();
    void logoutStopsReconnecting();
    void killedServerIsReplaced();
    void serverShutdownIsAConnectionLoss();
    void unansweredHeartbeatsLoseTheConnection();
    void pendingRequestsFailWhenTheConnectionDrops();
    void mediaFallbackRunsOverTheClient();

private:
    LoginParams viaProxy(const QString& roomId, const QString& userId, UserNotify notify = UserNotify::Off) const
    {
        return appSignLogin(urlOf(*m_proxy), kAppA, roomId, userId, notify);
    }
    LoginParams direct(const QString& roomId, const QString& userId, UserNotify notify = UserNotify::Off) const
    {
        return appSignLogin(m_server.signallingUrl(), kAppA, roomId, userId, notify);
    }
    QStringList serverArgs() const
    {
        return {QStringLiteral("--grace-ms"), QString::number(kGraceMs), QStringLiteral("--heartbeat-interval-ms"),
                QString::number(kHeartbeatIntervalMs)};
    }

    ServerProcess m_server;
    std::unique_ptr<TcpProxy> m_proxy;
};

void SignallingReconnectTest::initTestCase()
{
    QVERIFY(m_server.start(serverArgs()));
}

void SignallingReconnectTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void SignallingReconnectTest::init()
{
    m_proxy = std::make_unique<TcpProxy>();
    QVERIFY(m_proxy->start(quint16(m_server.signallingUrl().port())));
}

void SignallingReconnectTest::cleanup()
{
    m_proxy.reset();
    m_server.printLogIfFailed();
}

void SignallingReconnectTest::reconnectPolicyBacksOffAndGivesUp()
{
    session::ReconnectPolicy policy(250, 5000, 20'000);
    policy.start(1000);
    const int expectedBases[] = {250, 500, 1000, 2000, 4000, 5000, 5000};
    for (const int base : expectedBases) {
        const int delay = policy.nextDelayMs(1000);
        QVERIFY2(delay >= base && delay <= base + base / 5, qPrintable(QStringLiteral("%1 for %2").arg(delay).arg(base)));
    }
    QCOMPARE(policy.attempts(), 7);
    QVERIFY(policy.nextDelayMs(1000, 9000) >= 9000); // server_closing's retry_after_ms
    QCOMPARE(policy.nextDelayMs(19'900), 1100);        // never past the give-up time
    QCOMPARE(policy.remainingMs(11'000), 10'000);
    QCOMPARE(policy.remainingMs(21'000), 0);
    QCOMPARE(policy.remainingMs(30'000), 0);
    policy.start(50'000); // a new loss starts over
    const int first = policy.nextDelayMs(50'000);
    QVERIFY(first >= 250 && first <= 300);
}

void SignallingReconnectTest::shortCutResumesUnnoticed()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString aliceId = uniqueId("alice");
    SessionProbe observer;
    SessionProbe alice;
    QVERIFY(observer.login(direct(room, uniqueId("observer"), UserNotify::On)));
    const auto login = alice.login(viaProxy(room, aliceId, UserNotify::On));
    QVERIFY(login);
    alice.client.publish(stream, {});
    const auto published = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(published);
    QVERIFY(observer.waitForStreamUpdate(UpdateType::Add, stream));

    m_proxy->cut();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    QCOMPARE(alice.connectionLost.first().at(0).toInt(), toInt(ErrorCode::ConnectionBrokenRetrying));
    QCOMPARE(alice.client.state(), SessionState::Reconnecting);
    QTest::qWait(300);
    m_proxy->restore();

    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kGraceMs));
    QCOMPARE(kindOf(alice.reconnected.first()), ReconnectKind::Resumed);
    const LoginResult resumed = resultOf(alice.reconnected.first());
    QCOMPARE(resumed.sessionId, login->sessionId);
    QCOMPARE(resumed.mediaSessionId, login->mediaSessionId);
    QCOMPARE(resumed.mediaKeys, login->mediaKeys); // the same keys: the server kept the session
    QCOMPARE(resumed.streams.size(), 1);           // its own publish survived
    QCOMPARE(resumed.streams.first().ssrc, published->at(2).value<quint32>());
    QCOMPARE(alice.client.state(), SessionState::LoggedIn);

    // Still in the room, and nobody saw Alice or her stream leave, even after the grace period.
    alice.client.sendBroadcastMessage(1, QStringLiteral("back"));
    QVERIFY(SessionProbe::waitForCount(observer.broadcastMessages, 0));
    QTest::qWait(kGraceMs + 500);
    QVERIFY(!observer.sawUserUpdate(UpdateType::Delete, aliceId));
    QVERIFY(!observer.waitForStreamUpdate(UpdateType::Delete, stream, 0));
    QCOMPARE(alice.reconnected.size(), 1);
}

void SignallingReconnectTest::cutLongerThanGraceLogsInAgain()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString aliceId = uniqueId("alice");
    SessionProbe observer;
    SessionProbe alice;
    QVERIFY(observer.login(direct(room, uniqueId("observer"), UserNotify::On)));
    const auto login = alice.login(viaProxy(room, aliceId));
    QVERIFY(login);
    alice.client.publish(stream, {});
    QVERIFY(alice.waitForReply(alice.publishReplied, stream));

    m_proxy->cut();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    const auto deleted = observer.waitForStreamUpdate(UpdateType::Delete, stream, kGraceMs + kSlackMs);
    QVERIFY(deleted);
    QCOMPARE(deleted->at(1).value<StreamDeleteReason>(), StreamDeleteReason::HeartbeatTimeout);
    QVERIFY(observer.waitForUserUpdate(UpdateType::Delete, aliceId));
    m_proxy->restore();

    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kSlackMs));
    QCOMPARE(kindOf(alice.reconnected.first()), ReconnectKind::LoggedInAgain);
    const LoginResult again = resultOf(alice.reconnected.first());
    QVERIFY(again.sessionId != login->sessionId);
    QVERIFY(again.mediaSessionId != login->mediaSessionId);
    QVERIFY(again.mediaKeys && again.mediaKeys != login->mediaKeys);
    QVERIFY(!again.mediaKeys->transmit.equals(login->mediaKeys->transmit)); // a new key exchange
    QVERIFY(again.streams.isEmpty()); // the old publish is gone: the engine publishes again
    QVERIFY(observer.waitForUserUpdate(UpdateType::Add, aliceId));
    alice.client.publish(stream, {});
    const auto republished = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(republished);
    QCOMPARE(alice.publishReplied.last().at(1).toInt(), 0);
}

void SignallingReconnectTest::frozenPathIsFoundByHeartbeat()
{
    const QString room = uniqueId("room");
    const QString aliceId = uniqueId("alice");
    SessionProbe observer;
    SessionProbe alice;
    QVERIFY(observer.login(direct(room, uniqueId("observer"), UserNotify::On)));
    const auto login = alice.login(viaProxy(room, aliceId));
    QVERIFY(login);

    // Nothing passes, nothing closes: only the missing heartbeat replies tell.
    QElapsedTimer sinceFreeze;
    sinceFreeze.start();
    m_proxy->freeze();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0, 3 * kHeartbeatIntervalMs + kSlackMs));
    QVERIFY2(sinceFreeze.elapsed() >= kHeartbeatIntervalMs, qPrintable(QString::number(sinceFreeze.elapsed())));
    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kGraceMs));
    QCOMPARE(kindOf(alice.reconnected.first()), ReconnectKind::Resumed);
    QCOMPARE(resultOf(alice.reconnected.first()).sessionId, login->sessionId);
    QTest::qWait(kGraceMs);
    QVERIFY(!observer.sawUserUpdate(UpdateType::Delete, aliceId));
}

void SignallingReconnectTest::requestsFailWhileReconnecting()
{
    SessionProbe alice;
    QVERIFY(alice.login(viaProxy(uniqueId("room"), uniqueId("alice"))));
    m_proxy->cut();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    const QString stream = uniqueId("stream");
    alice.client.publish(stream, {});
    alice.client.sendBroadcastMessage(9, QStringLiteral("into the void"));
    QCOMPARE(alice.publishReplied.size(), 1); // answered before the call returned
    QCOMPARE(alice.publishReplied.first().at(1).toInt(), toInt(ErrorCode::ConnectionBrokenRetrying));
    QCOMPARE(alice.broadcastMessageReplied.first().at(1).toInt(), toInt(ErrorCode::ConnectionBrokenRetrying));
    m_proxy->restore();
    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kGraceMs));
    alice.client.publish(stream, {});
    QVERIFY(QTest::qWaitFor([&] { return alice.publishReplied.size() == 2; }, 5000));
    QCOMPARE(alice.publishReplied.last().at(1).toInt(), 0);
}

void SignallingReconnectTest::reconnectGivesUp()
{
    SessionProbe alice;
    LoginParams params = viaProxy(uniqueId("room"), uniqueId("alice"));
    params.reconnectGiveUpMs = 1000;
    QVERIFY(alice.login(params));
    m_proxy->cut();
    QElapsedTimer sinceCut;
    sinceCut.start();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    QVERIFY(SessionProbe::waitForCount(alice.reconnectFailed, 0, 1000 + kSlackMs));
    QVERIFY2(sinceCut.elapsed() >= 900, qPrintable(QString::number(sinceCut.elapsed())));
    QCOMPARE(alice.reconnectFailed.first().at(0).toInt(), toInt(ErrorCode::RetryTimeExceeded));
    QCOMPARE(alice.client.state(), SessionState::Idle);
    QVERIFY(alice.client.counters().reconnectAttempts >= 2); // 100, 200, 400 ms back-off
    // No more attempts once it gave up. Counted on the client: the proxy's accept count would
    // also take in the last attempt's connection, which the kernel may still hold in the listen
    // backlog when the client abandons it, and hand over at restore().
    const auto attempts = alice.client.counters().reconnectAttempts;
    m_proxy->restore();
    QTest::qWait(1000);
    QCOMPARE(alice.client.counters().reconnectAttempts, attempts);
    QCOMPARE(alice.client.state(), SessionState::Idle);
    QCOMPARE(alice.reconnected.size(), 0);
}

void SignallingReconnectTest::logoutStopsReconnecting()
{
    SessionProbe alice;
    QVERIFY(alice.login(viaProxy(uniqueId("room"), uniqueId("alice"))));
    m_proxy->cut();
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    alice.client.logout();
    QCOMPARE(alice.client.state(), SessionState::Idle);
    const int accepted = m_proxy->acceptedConnectionCount();
    m_proxy->restore();
    QTest::qWait(1000);
    QCOMPARE(m_proxy->acceptedConnectionCount(), accepted);
    QCOMPARE(alice.reconnected.size() + alice.reconnectFailed.size(), 0);
}

void SignallingReconnectTest::killedServerIsReplaced()
{
    ServerProcess doomed;
    QVERIFY(doomed.start(serverArgs()));
    m_proxy->setTargetPort(quint16(doomed.signallingUrl().port()));
    SessionProbe alice;
    const auto login = alice.login(viaProxy(uniqueId("room"), uniqueId("alice")));
    QVERIFY(login);

    QVERIFY(::kill(pid_t(doomed.processId()), SIGKILL) == 0);
    QVERIFY(QTest::qWaitFor([&] { return !doomed.isRunning(); }, 5000));
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0, 3 * kHeartbeatIntervalMs + kSlackMs));
    QTest::qWait(500); // a few attempts against nothing
    QCOMPARE(alice.client.state(), SessionState::Reconnecting);

    ServerProcess successor;
    QVERIFY(successor.start(serverArgs()));
    m_proxy->setTargetPort(quint16(successor.signallingUrl().port()));
    // The successor never heard of the session: the resume is refused and a fresh login follows.
    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kSlackMs));
    QCOMPARE(kindOf(alice.reconnected.first()), ReconnectKind::LoggedInAgain);
    const LoginResult again = resultOf(alice.reconnected.first());
    QCOMPARE(int(again.mediaPort), successor.mediaUrl().port());
    QVERIFY(again.sessionId != login->sessionId);
    QCOMPARE(alice.client.state(), SessionState::LoggedIn);
    QVERIFY(successor.stop());
}

void SignallingReconnectTest::serverShutdownIsAConnectionLoss()
{
    ServerProcess leaving;
    QVERIFY(leaving.start(serverArgs()));
    m_proxy->setTargetPort(quint16(leaving.signallingUrl().port()));
    SessionProbe alice;
    QVERIFY(alice.login(viaProxy(uniqueId("room"), uniqueId("alice"))));

    QVERIFY(leaving.stop()); // SIGTERM: server_closing, then the close
    QVERIFY(SessionProbe::waitForCount(alice.connectionLost, 0));
    QCOMPARE(alice.kickedOut.size(), 0);
    ServerProcess successor;
    QVERIFY(successor.start(serverArgs()));
    m_proxy->setTargetPort(quint16(successor.signallingUrl().port()));
    QVERIFY(SessionProbe::waitForCount(alice.reconnected, 0, kSlackMs));
    QCOMPARE(kindOf(alice.reconnected.first()), ReconnectKind::LoggedInAgain);
    QVERIFY(successor.stop());
}

void SignallingReconnectTest::unansweredHeartbeatsLoseTheConnection()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    fake.setHeartbeatIntervalMs(200);
    SessionProbe probe;
    LoginParams params = appSignLogin(fake.url(), kAppA, uniqueId("room"), uniqueId("alice"));
    const auto login = probe.login(params);
    QVERIFY(login);
    QCOMPARE(login->heartbeatIntervalMs, std::int64_t{200});
    QTest::qWait(1000);
    QVERIFY(fake.receivedCount<HeartbeatRequest>() >= 3);
    QCOMPARE(probe.connectionLost.size(), 0);

    fake.setAnswerHeartbeats(false);
    QElapsedTimer silence;
    silence.start();
    QVERIFY(SessionProbe::waitForCount(probe.connectionLost, 0, 3000));
    QVERIFY2(silence.elapsed() >= 300, qPrintable(QString::number(silence.elapsed())));
    fake.setAnswerHeartbeats(true);
    // The stand-in refuses every resume: a fresh login follows on the same connection.
    QVERIFY(SessionProbe::waitForCount(probe.reconnected, 0, kSlackMs));
    QCOMPARE(kindOf(probe.reconnected.first()), ReconnectKind::LoggedInAgain);
    QCOMPARE(fake.receivedCount<ResumeRequest>(), 1);
    QCOMPARE(fake.receivedCount<LoginRequest>(), 2);
}

void SignallingReconnectTest::pendingRequestsFailWhenTheConnectionDrops()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    fake.setAnswerRequests(false);
    SessionProbe probe;
    QVERIFY(probe.login(appSignLogin(fake.url(), kAppA, uniqueId("room"), uniqueId("alice"))));
    const QString stream = uniqueId("stream");
    probe.client.publish(stream, {});
    probe.client.play(uniqueId("other"));
    QVERIFY(QTest::qWaitFor([&] { return fake.receivedCount<PlayRequest>() == 1; }, 5000));
    QCOMPARE(probe.publishReplied.size(), 0);
    fake.dropConnections();
    QVERIFY(SessionProbe::waitForCount(probe.connectionLost, 0));
    QCOMPARE(probe.publishReplied.size(), 1);
    QCOMPARE(probe.publishReplied.first().at(1).toInt(), toInt(ErrorCode::ConnectionBrokenRetrying));
    QCOMPARE(probe.playReplied.first().at(1).toInt(), toInt(ErrorCode::ConnectionBrokenRetrying));
    QVERIFY(SessionProbe::waitForCount(probe.reconnected, 0, kSlackMs));
    QCOMPARE(probe.client.pendingRequestCount(), std::size_t{0});
}

void SignallingReconnectTest::mediaFallbackRunsOverTheClient()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    SessionProbe alice;
    SessionProbe bob;
    const auto aliceLogin = alice.login(direct(room, uniqueId("alice")));
    const auto bobLogin = bob.login(direct(room, uniqueId("bob")));
    QVERIFY(aliceLogin && bobLogin);
    FallbackThroughClient aliceLink(alice.client);
    FallbackThroughClient bobLink(bob.client);
    auto aliceTransport = makeFallbackTransport(*aliceLogin, aliceLink);
    auto bobTransport = makeFallbackTransport(*bobLogin, bobLink);
    QObject::connect(&alice.client, &session::SignallingClient::mediaFrameReceived, aliceTransport.get(),
                     &net::MediaTransport::onFallbackFrame);
    QObject::connect(&bob.client, &session::SignallingClient::mediaFrameReceived, bobTransport.get(),
                     &net::MediaTransport::onFallbackFrame);
    aliceTransport->start();
    bobTransport->start();
    // A Bind answered over the WebSocket proves the keys and the media session ID of the login.
    QVERIFY(QTest::qWaitFor([&] { return aliceTransport->rttMs() >= 0 && bobTransport->rttMs() >= 0; }, 5000));
    QCOMPARE(aliceTransport->path(), net::MediaPath::WebSocket);

    alice.client.publish(stream, {});
    const auto published = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(published);
    bob.client.play(stream);
    const auto played = bob.waitForReply(bob.playReplied, stream);
    QVERIFY(played);
    const quint32 ssrc = played->at(2).value<quint32>();
    bobTransport->addIncomingStream(ssrc, stream, played->at(3).toULongLong());
    for (int i = 0; i < 10; ++i) {
        RtpHeader header;
        header.ssrc = ssrc;
        header.timestamp = std::uint32_t(960 * i);
        const QByteArray payload = QByteArray("voice ") + QByteArray::number(i);
        QVERIFY(aliceTransport->sendMedia(
            header, {reinterpret_cast<const std::uint8_t*>(payload.constData()), std::size_t(payload.size())}));
    }
    QVERIFY(QTest::qWaitFor([&] { return bobLink.received.size() == 10; }, 5000));
    QCOMPARE(bobLink.received.last(), QByteArray("voice 9"));
    aliceTransport->stop();
    bobTransport->stop();
}

QTEST_GUILESS_MAIN(SignallingReconnectTest)
#include "SignallingReconnectTest.moc"
