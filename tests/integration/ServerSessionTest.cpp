// Session lifetime against a real earshot-server started with short timers: heartbeats, silent
// connections, the grace period and resume (DESIGN.md §5), logout, token expiry and renewal,
// and shutdown on SIGTERM.

#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

constexpr int kGraceMs = 1500;
constexpr int kHeartbeatIntervalMs = 500;
constexpr int kSilenceLimitMs = 3 * kHeartbeatIntervalMs;
// Slack for scheduling on a loaded 2-core machine; timer checks use it on both sides.
constexpr int kSlackMs = 1000;

std::function<bool(const UserUpdateEvent&)> userUpdate(UpdateType type, const QString& userId)
{
    return [=](const UserUpdateEvent& event) {
        return event.updateType == type && userIdsOf(event.users).contains(userId);
    };
}

std::function<bool(const StreamUpdateEvent&)> streamUpdate(UpdateType type, const QString& streamId)
{
    return [=](const StreamUpdateEvent& event) {
        return event.updateType == type && streamIdsOf(event.streams).contains(streamId);
    };
}

} // namespace

class ServerSessionTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void heartbeatIsAnswered();
    void silentConnectionIsClosed();
    void logoutIsSeenByOthers();
    void resumeWithinGraceIsInvisible();
    void resumeWithWrongMacIsRefused();
    void sessionEndsAfterGrace();
    void tokenExpiryWarnsThenKicks();
    void renewTokenPostponesKickout();
    void renewWithoutPublishPrivilegeWhilePublishing();
    void sigtermSendsServerClosing();

private:
    std::unique_ptr<TestClient> join(const QString& roomId, const QString& userId,
                                     UserNotify notify = UserNotify::Off);
    std::unique_ptr<TestClient> connected();

    ServerProcess m_server;
};

void ServerSessionTest::initTestCase()
{
    QVERIFY(m_server.start({QStringLiteral("--grace-ms"), QString::number(kGraceMs),
                            QStringLiteral("--heartbeat-interval-ms"),
                            QString::number(kHeartbeatIntervalMs)}));
}

void ServerSessionTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerSessionTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<TestClient> ServerSessionTest::join(const QString& roomId, const QString& userId,
                                                    UserNotify notify)
{
    return TestClient::joinRoom(m_server.signallingUrl(), kAppA, roomId, userId, notify);
}

std::unique_ptr<TestClient> ServerSessionTest::connected()
{
    auto client = std::make_unique<TestClient>(m_server.signallingUrl());
    return client->connectToServer() ? std::move(client) : nullptr;
}

void ServerSessionTest::heartbeatIsAnswered()
{
    auto alice = join(uniqueId("room"), uniqueId("alice"));
    QVERIFY(alice);
    QCOMPARE(alice->hello().heartbeatIntervalMs, std::int64_t{kHeartbeatIntervalMs});
    const auto reply = alice->request<HeartbeatReply>(HeartbeatRequest{});
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(qAbs(reply->serverTimeMs - QDateTime::currentMSecsSinceEpoch()) < 5000);
}

void ServerSessionTest::silentConnectionIsClosed()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto observer = join(room, uniqueId("observer"), UserNotify::On);
    auto silent = join(room, uniqueId("silent"));
    QVERIFY(observer && silent);
    QCOMPARE(codeOf(silent->request<PublishReply>(publishRequest(stream))), 0);

    silent->setAutoHeartbeat(false);
    QElapsedTimer sinceLastMessage;
    sinceLastMessage.start();
    // Alive while within the limit, closed soon after it.
    QVERIFY(!silent->waitForDisconnected(kSilenceLimitMs - 500));
    QVERIFY(silent->waitForDisconnected(kSilenceLimitMs + kSlackMs * 2));
    QVERIFY2(sinceLastMessage.elapsed() >= kSilenceLimitMs - 500,
             qPrintable(QString::number(sinceLastMessage.elapsed())));

    // A dead connection is a network failure: after the grace period others see reason 2.
    const auto deleted = observer->waitForEvent<StreamUpdateEvent>(
        kGraceMs + kSlackMs * 2, streamUpdate(UpdateType::Delete, stream));
    QVERIFY(deleted);
    QCOMPARE(deleted->reason, StreamDeleteReason::HeartbeatTimeout);
    QVERIFY(observer->waitForEvent<UserUpdateEvent>(kSlackMs,
                                                    userUpdate(UpdateType::Delete, silent->userId())));
}

void ServerSessionTest::logoutIsSeenByOthers()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"), UserNotify::On);
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    QCOMPARE(codeOf(bob->request<PublishReply>(publishRequest(stream))), 0);

    const auto reply = bob->request<GenericReply>(LogoutRequest{.roomId = room});
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    // Immediately: a logout has no grace period.
    QVERIFY(alice->waitForEvent<UserUpdateEvent>(kGraceMs - 500,
                                                 userUpdate(UpdateType::Delete, bob->userId())));
    const auto deleted = alice->waitForEvent<StreamUpdateEvent>(
        kGraceMs - 500, streamUpdate(UpdateType::Delete, stream));
    QVERIFY(deleted);
    QCOMPARE(deleted->reason, StreamDeleteReason::Stopped);
}

void ServerSessionTest::resumeWithinGraceIsInvisible()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"), UserNotify::On);
    auto bob = join(room, uniqueId("bob"), UserNotify::On);
    QVERIFY(alice && bob);
    QCOMPARE(codeOf(bob->request<PublishReply>(publishRequest(stream))), 0);
    QVERIFY(alice->waitForEvent<StreamUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                   streamUpdate(UpdateType::Add, stream)));
    alice->discardEvents<UserUpdateEvent>();
    const QString bobId = bob->userId();
    const QString sessionId = bob->sessionId();
    const QByteArray resumeSecret = bob->resumeSecret();

    bob->dropConnection();
    auto bobAgain = connected();
    QVERIFY(bobAgain);
    const auto reply = bobAgain->resume(sessionId, resumeSecret);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QCOMPARE(userIdsOf(reply->users), QStringList{alice->userId()});
    QCOMPARE(streamIdsOf(reply->streams), QStringList{stream}); // its stream survived the drop

    // Beyond the grace period nobody has seen bob leave or his stream go.
    QVERIFY(alice->expectNoEvent<UserUpdateEvent>(2000));
    QVERIFY(alice->expectNoEvent<StreamUpdateEvent>(0));

    // The resumed connection is bob in the room, both ways.
    QCOMPARE(codeOf(bobAgain->request<BroadcastMessageReply>(
                 BroadcastMessageRequest{.roomId = room, .message = QStringLiteral("back")})),
             0);
    const auto fromBob = alice->waitForEvent<BroadcastMessageEvent>();
    QVERIFY(fromBob);
    QCOMPARE(fromBob->messages.first().fromUser.userId, bobId);
    QCOMPARE(codeOf(alice->request<BroadcastMessageReply>(
                 BroadcastMessageRequest{.roomId = room, .message = QStringLiteral("welcome")})),
             0);
    QVERIFY(bobAgain->waitForEvent<BroadcastMessageEvent>());
}

void ServerSessionTest::resumeWithWrongMacIsRefused()
{
    auto bob = join(uniqueId("room"), uniqueId("bob"));
    QVERIFY(bob);
    const QString sessionId = bob->sessionId();
    const QByteArray resumeSecret = bob->resumeSecret();
    bob->dropConnection();

    auto impostor = connected();
    QVERIFY(impostor);
    QByteArray guessedSecret = resumeSecret;
    guessedSecret[0] = char(guessedSecret[0] ^ 0x01);
    const auto refused = impostor->resume(sessionId, guessedSecret);
    QVERIFY(refused);
    QVERIFY(refused->code != 0);
    QVERIFY(refused->sessionId.isEmpty());

    // The failed attempt does not cost the real owner its session.
    auto owner = connected();
    QVERIFY(owner);
    QCOMPARE(codeOf(owner->resume(sessionId, resumeSecret)), 0);
}

void ServerSessionTest::sessionEndsAfterGrace()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"), UserNotify::On);
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    QCOMPARE(codeOf(bob->request<PublishReply>(publishRequest(stream))), 0);
    const QString bobId = bob->userId();
    const QString sessionId = bob->sessionId();
    const QByteArray resumeSecret = bob->resumeSecret();

    QElapsedTimer sinceDrop;
    bob->dropConnection();
    sinceDrop.start();
    // Still within grace: nothing about bob leaving yet.
    QVERIFY(alice->expectNoEvent<UserUpdateEvent>(kGraceMs - 500, userUpdate(UpdateType::Delete, bobId)));
    QVERIFY(alice->expectNoEvent<StreamUpdateEvent>(0, streamUpdate(UpdateType::Delete, stream)));
    const auto userGone = alice->waitForEvent<UserUpdateEvent>(
        kSlackMs * 3, userUpdate(UpdateType::Delete, bobId));
    QVERIFY(userGone);
    QVERIFY2(sinceDrop.elapsed() >= kGraceMs - 300, qPrintable(QString::number(sinceDrop.elapsed())));
    const auto streamGone = alice->waitForEvent<StreamUpdateEvent>(
        kSlackMs, streamUpdate(UpdateType::Delete, stream));
    QVERIFY(streamGone);
    QCOMPARE(streamGone->reason, StreamDeleteReason::HeartbeatTimeout);

    auto tooLate = connected();
    QVERIFY(tooLate);
    const auto reply = tooLate->resume(sessionId, resumeSecret);
    QVERIFY(reply);
    QCOMPARE(reply->code, toInt(ErrorCode::Disconnected));
}

void ServerSessionTest::tokenExpiryWarnsThenKicks()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    auto alice = connected();
    QVERIFY(alice);
    QElapsedTimer sinceLogin;
    sinceLogin.start();
    const auto reply = alice->loginToken(kAppA, makeToken(kAppA, userId, 5), room, userId);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);

    // 5 s left is under the 30 s warning threshold: the warning comes at once.
    const auto warning = alice->waitForEvent<TokenWillExpireEvent>(kSlackMs);
    QVERIFY(warning);
    QCOMPARE(warning->roomId, room);
    QVERIFY2(warning->remainSeconds >= 1 && warning->remainSeconds <= 5,
             qPrintable(QString::number(warning->remainSeconds)));

    const auto kicked = alice->waitForEvent<KickoutEvent>(5000 + 2 * kSlackMs);
    QVERIFY(kicked);
    QCOMPARE(kicked->code, toInt(ErrorCode::KickedTokenExpired));
    // Expiry is whole seconds after creation, so between 4 and 5 s after login.
    QVERIFY2(sinceLogin.elapsed() >= 3500, qPrintable(QString::number(sinceLogin.elapsed())));
    QVERIFY(alice->waitForDisconnected());
}

void ServerSessionTest::renewTokenPostponesKickout()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    auto alice = connected();
    QVERIFY(alice);
    QCOMPARE(codeOf(alice->loginToken(kAppA, makeToken(kAppA, userId, 3), room, userId)), 0);
    QVERIFY(alice->waitForEvent<TokenWillExpireEvent>(kSlackMs));

    const auto renewed = alice->request<GenericReply>(
        RenewTokenRequest{.roomId = room, .token = makeToken(kAppA, userId, 3600)});
    QVERIFY(renewed);
    QCOMPARE(renewed->code, 0);
    // Well past the first token's expiry: still in.
    QVERIFY(alice->expectNoEvent<KickoutEvent>(3000 + 2 * kSlackMs));
    QVERIFY(alice->isConnected());
    QCOMPARE(codeOf(alice->request<HeartbeatReply>(HeartbeatRequest{})), 0);
}

void ServerSessionTest::renewWithoutPublishPrivilegeWhilePublishing()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    auto alice = connected();
    QVERIFY(alice);
    QCOMPARE(codeOf(alice->loginToken(kAppA, makeToken(kAppA, userId, 3600), room, userId)), 0);
    QVERIFY(alice->expectNoEvent<TokenWillExpireEvent>(300)); // an hour left: no warning yet
    QCOMPARE(codeOf(alice->request<PublishReply>(publishRequest(uniqueId("s")))), 0);

    const auto renewed = alice->request<GenericReply>(RenewTokenRequest{
        .roomId = room,
        .token = makeToken(kAppA, userId, 3600, payloadWithoutPublish())});
    QVERIFY(renewed);
    QCOMPARE(renewed->code, toInt(ErrorCode::TokenLacksPublishPrivilege));
}

void ServerSessionTest::sigtermSendsServerClosing()
{
    // Its own server: this test stops it.
    ServerProcess server;
    const auto printLogOnFailure = qScopeGuard([&] {
        if (QTest::currentTestFailed())
            qWarning().noquote() << "server stderr:\n" << QString::fromUtf8(server.log());
    });
    QVERIFY(server.start());
    auto alice = TestClient::joinRoom(server.signallingUrl(), kAppA, uniqueId("room"),
                                      uniqueId("alice"));
    auto idle = std::make_unique<TestClient>(server.signallingUrl()); // connected, not logged in
    QVERIFY(alice && idle->connectToServer());

    QVERIFY(server.stop());
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    for (TestClient* client : {alice.get(), idle.get()}) {
        QVERIFY(client->waitForEvent<ServerClosingEvent>(kSlackMs));
        QVERIFY(client->waitForDisconnected(kSlackMs));
    }
}

QTEST_GUILESS_MAIN(ServerSessionTest)
#include "ServerSessionTest.moc"
