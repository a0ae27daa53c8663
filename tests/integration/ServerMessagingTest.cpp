// Room messages against a real earshot-server: broadcast delivery and order, the per-user rate
// limit (burst 30, refill 10/s), message validation codes, and custom commands (API.md §4).

#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>

#include <QDateTime>
#include <QSet>
#include <QTest>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

constexpr int kQuietMs = 400;

// Waits until `receiver` has been given `count` broadcast messages (an event may carry several)
// and returns them in arrival order; fewer on timeout.
QList<BroadcastMessageInfo> receiveMessages(TestClient& receiver, qsizetype count, int timeoutMs)
{
    QList<BroadcastMessageInfo> received;
    TestClient::waitUntil(
        [&] {
            while (auto event = receiver.takeEvent<BroadcastMessageEvent>())
                received += event->messages;
            return received.size() >= count;
        },
        timeoutMs);
    return received;
}

QStringList textsOf(const QList<BroadcastMessageInfo>& messages)
{
    QStringList texts;
    for (const BroadcastMessageInfo& message : messages)
        texts << message.message;
    return texts;
}

} // namespace

class ServerMessagingTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void broadcastReachesOthersButNotSender();
    void burstArrivesInOrder();
    void floodIsRateLimited();
    void invalidBroadcastIsRefused_data();
    void invalidBroadcastIsRefused();
    void customCommandToOneUser();
    void customCommandToWholeRoom();

private:
    std::unique_ptr<TestClient> join(const QString& roomId, const QString& userId);

    ServerProcess m_server;
};

void ServerMessagingTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void ServerMessagingTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerMessagingTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<TestClient> ServerMessagingTest::join(const QString& roomId, const QString& userId)
{
    return TestClient::joinRoom(m_server.signallingUrl(), kAppA, roomId, userId);
}

void ServerMessagingTest::broadcastReachesOthersButNotSender()
{
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    auto carol = join(room, uniqueId("carol"));
    QVERIFY(alice && bob && carol);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const auto reply = alice->request<BroadcastMessageReply>(
        BroadcastMessageRequest{.roomId = room, .message = QStringLiteral("hello, 世界")});
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(reply->messageId != 0);
    QVERIFY(qAbs(reply->sendTimeMs - before) < 5000);

    for (TestClient* receiver : {bob.get(), carol.get()}) {
        const auto event = receiver->waitForEvent<BroadcastMessageEvent>();
        QVERIFY(event);
        QCOMPARE(event->roomId, room);
        QCOMPARE(event->messages.size(), 1);
        const BroadcastMessageInfo& message = event->messages.first();
        QCOMPARE(message.message, QStringLiteral("hello, 世界"));
        QCOMPARE(message.messageId, reply->messageId);
        QCOMPARE(message.sendTimeMs, reply->sendTimeMs);
        QCOMPARE(message.fromUser.userId, alice->userId());
        QCOMPARE(message.fromUser.userName, TestClient::userNameFor(alice->userId()));
    }
    QVERIFY(alice->expectNoEvent<BroadcastMessageEvent>(kQuietMs));
}

void ServerMessagingTest::burstArrivesInOrder()
{
    // 25 messages fit in the rate limiter's burst of 30: all accepted, delivered in order.
    constexpr int kCount = 25;
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);

    QList<std::int64_t> ids;
    QStringList sent;
    for (int i = 0; i < kCount; ++i) {
        sent << QStringLiteral("message %1").arg(i);
        ids << alice->send(BroadcastMessageRequest{.roomId = room, .message = sent.last()});
    }
    QSet<std::uint64_t> messageIds;
    for (const std::int64_t id : ids) {
        const auto reply = alice->waitForReply<BroadcastMessageReply>(id);
        QVERIFY(reply);
        QCOMPARE(reply->code, 0);
        messageIds.insert(reply->messageId);
    }
    QCOMPARE(messageIds.size(), kCount); // every message has its own ID
    const QList<BroadcastMessageInfo> received = receiveMessages(*bob, kCount, 5000);
    QCOMPARE(textsOf(received), sent);
}

void ServerMessagingTest::floodIsRateLimited()
{
    constexpr int kCount = 200;
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);

    QList<std::int64_t> ids;
    for (int i = 0; i < kCount; ++i)
        ids << alice->send(BroadcastMessageRequest{.roomId = room,
                                                   .message = QStringLiteral("flood %1").arg(i)});
    QStringList accepted;
    int refused = 0;
    for (int i = 0; i < kCount; ++i) {
        const auto reply = alice->waitForReply<BroadcastMessageReply>(ids[i]);
        QVERIFY2(reply, qPrintable(QStringLiteral("no reply to message %1").arg(i)));
        if (reply->code == 0)
            accepted << QStringLiteral("flood %1").arg(i);
        else if (reply->code == toInt(ErrorCode::MessageTooFast))
            ++refused;
        else
            QFAIL(qPrintable(QStringLiteral("message %1 got code %2").arg(i).arg(reply->code)));
    }
    // A full bucket takes the first 30 at least; 200 at once must overflow it.
    QVERIFY2(accepted.size() >= 30, qPrintable(QString::number(accepted.size())));
    QVERIFY2(refused > 0, "no message was refused with 1009015");
    // Exactly the accepted messages arrive, in order; refused ones never do.
    const QList<BroadcastMessageInfo> received = receiveMessages(*bob, accepted.size(), 5000);
    QCOMPARE(textsOf(received), accepted);
    QVERIFY(bob->expectNoEvent<BroadcastMessageEvent>(kQuietMs));
}

void ServerMessagingTest::invalidBroadcastIsRefused_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("toOtherRoom");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("empty") << QString() << false << toInt(ErrorCode::MessageEmpty);
    QTest::newRow("1025 bytes") << QString(1025, QLatin1Char('m')) << false
                                << toInt(ErrorCode::MessageTooLong);
    // The limit counts UTF-8 bytes: 342 × 3 bytes = 1026 although only 342 characters.
    QTest::newRow("1026 bytes of chinese") << QString(342, QChar(0x4e2d)) << false
                                           << toInt(ErrorCode::MessageTooLong);
    QTest::newRow("1024 bytes") << QString(1024, QLatin1Char('m')) << false << 0;
    QTest::newRow("other room") << QStringLiteral("hi") << true << toInt(ErrorCode::MessageWrongRoom);
}

void ServerMessagingTest::invalidBroadcastIsRefused()
{
    QFETCH(QString, message);
    QFETCH(bool, toOtherRoom);
    QFETCH(int, expectedCode);
    const QString room = uniqueId("room");
    const QString otherRoom = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    auto outsider = join(otherRoom, uniqueId("outsider"));
    QVERIFY(alice && bob && outsider);

    const auto reply = alice->request<BroadcastMessageReply>(
        BroadcastMessageRequest{.roomId = toOtherRoom ? otherRoom : room, .message = message});
    QVERIFY(reply);
    QCOMPARE(reply->code, expectedCode);
    if (expectedCode == 0) {
        const auto event = bob->waitForEvent<BroadcastMessageEvent>();
        QVERIFY(event);
        QCOMPARE(event->messages.first().message, message);
    } else {
        QVERIFY(bob->expectNoEvent<BroadcastMessageEvent>(kQuietMs));
        QVERIFY(outsider->expectNoEvent<BroadcastMessageEvent>(0));
    }
}

void ServerMessagingTest::customCommandToOneUser()
{
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    auto carol = join(room, uniqueId("carol"));
    auto outsider = join(uniqueId("room"), uniqueId("outsider"));
    QVERIFY(alice && bob && carol && outsider);

    // Addressing a user of another room by ID does not reach into that room.
    QVERIFY(alice->request<GenericReply>(CustomCommandRequest{
        .roomId = room, .command = QStringLiteral("psst"), .toUserIds = {outsider->userId()}}));
    QVERIFY(outsider->expectNoEvent<CustomCommandEvent>(kQuietMs));

    const auto reply = alice->request<GenericReply>(CustomCommandRequest{
        .roomId = room, .command = QStringLiteral("{\"raise_hand\":true}"),
        .toUserIds = {bob->userId()}});
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    const auto event = bob->waitForEvent<CustomCommandEvent>();
    QVERIFY(event);
    QCOMPARE(event->roomId, room);
    QCOMPARE(event->command, QStringLiteral("{\"raise_hand\":true}"));
    QCOMPARE(event->fromUser.userId, alice->userId());
    QVERIFY(carol->expectNoEvent<CustomCommandEvent>(kQuietMs));
    QVERIFY(alice->expectNoEvent<CustomCommandEvent>(0));
}

void ServerMessagingTest::customCommandToWholeRoom()
{
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    auto carol = join(room, uniqueId("carol"));
    auto outsider = join(uniqueId("room"), uniqueId("outsider"));
    QVERIFY(alice && bob && carol && outsider);

    const auto reply = alice->request<GenericReply>(
        CustomCommandRequest{.roomId = room, .command = QStringLiteral("mute-all"), .toUserIds = {}});
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    for (TestClient* receiver : {bob.get(), carol.get()}) {
        const auto event = receiver->waitForEvent<CustomCommandEvent>();
        QVERIFY(event);
        QCOMPARE(event->command, QStringLiteral("mute-all"));
        QCOMPARE(event->fromUser.userId, alice->userId());
    }
    QVERIFY(alice->expectNoEvent<CustomCommandEvent>(kQuietMs)); // "everyone but the sender"
    QVERIFY(outsider->expectNoEvent<CustomCommandEvent>(0));
}

QTEST_GUILESS_MAIN(ServerMessagingTest)
#include "ServerMessagingTest.moc"
