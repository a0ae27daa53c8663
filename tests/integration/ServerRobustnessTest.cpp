// Hostile input against a real earshot-server (STYLE.md "Errors in three tiers": drop it, never
// crash): junk frames are dropped, malformed requests are answered with 1000017, oversized and
// flooding input does not disturb anyone else, and the server keeps serving throughout.

#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

constexpr int kQuietMs = 400;

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed); // seeded: a failure can be reproduced
    QByteArray bytes(size, '\0');
    for (char& byte : bytes)
        byte = char(generator.bounded(256));
    return bytes;
}

} // namespace

class ServerRobustnessTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void healthzAnswers();
    void junkFrameIsDropped_data();
    void junkFrameIsDropped();
    void hugeFrameIsNotDelivered();
    void garbageFloodDoesNotHurtOthers();
    void malformedRequestWithIdGetsIllegalParameter_data();
    void malformedRequestWithIdGetsIllegalParameter();
    void malformedRequestWithoutIdGetsErrorEvent();

private:
    std::unique_ptr<TestClient> join(const QString& roomId, const QString& userId);
    // Two fresh users log in and exchange a broadcast, and /healthz answers 200 (QVERIFY inside:
    // callers check QTest::currentTestFailed() when they continue afterwards).
    void verifyServerStillServes();

    ServerProcess m_server;
};

void ServerRobustnessTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void ServerRobustnessTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerRobustnessTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<TestClient> ServerRobustnessTest::join(const QString& roomId, const QString& userId)
{
    return TestClient::joinRoom(m_server.signallingUrl(), kAppA, roomId, userId);
}

void ServerRobustnessTest::verifyServerStillServes()
{
    QVERIFY2(m_server.isRunning(), "earshot-server has exited");
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY2(alice && bob, "a fresh client could not log in");
    const auto reply = alice->request<BroadcastMessageReply>(
        BroadcastMessageRequest{.roomId = room, .message = QStringLiteral("still alive?")});
    QCOMPARE(codeOf(reply), 0);
    const auto event = bob->waitForEvent<BroadcastMessageEvent>();
    QVERIFY(event);
    QCOMPARE(event->messages.first().message, QStringLiteral("still alive?"));
    QCOMPARE(m_server.httpGet(QStringLiteral("/healthz")), 200);
}

void ServerRobustnessTest::healthzAnswers()
{
    QByteArray body;
    QCOMPARE(m_server.httpGet(QStringLiteral("/healthz"), &body), 200);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), body.constData());
}

void ServerRobustnessTest::junkFrameIsDropped_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("binary");
    QTest::newRow("binary junk") << randomBytes(512, 1) << true;
    QTest::newRow("valid JSON in a binary frame")
        << QByteArray(R"({"v":1,"type":"heartbeat","id":9001})") << true;
    QTest::newRow("empty text") << QByteArray() << false;
    QTest::newRow("invalid JSON") << QByteArray(R"({"v":1,"type":"heartbeat","id":)") << false;
    QTest::newRow("JSON array") << QByteArray("[1,2,3]") << false;
    QTest::newRow("deep nesting") << QByteArray(5000, '[') + QByteArray(5000, ']') << false;
    QTest::newRow("version 2") << QByteArray(R"({"v":2,"type":"heartbeat","id":9002})") << false;
    QTest::newRow("version as string")
        << QByteArray(R"({"v":"1","type":"heartbeat","id":9003})") << false;
    QTest::newRow("no version") << QByteArray(R"({"type":"heartbeat","id":9004})") << false;
    QTest::newRow("unknown type") << QByteArray(R"({"v":1,"type":"no_such_type"})") << false;
    QTest::newRow("type not a string") << QByteArray(R"({"v":1,"type":42,"id":9005})") << false;
    QTest::newRow("huge id") << QByteArray(R"({"v":1,"type":"heartbeat","id":1e400})") << false;
    QTest::newRow("NUL in text") << QByteArray("{\"v\":1,\"type\":\"heart\0beat\"}", 27) << false;
}

void ServerRobustnessTest::junkFrameIsDropped()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, binary);
    const QString room = uniqueId("room");
    auto sender = join(room, uniqueId("sender"));
    auto roommate = join(room, uniqueId("roommate"));
    QVERIFY(sender && roommate);

    if (binary)
        sender->sendRawBinary(frame);
    else
        sender->sendRawText(frame);

    // Dropped means dropped: the sender's connection and session carry on.
    const auto heartbeat = sender->request<HeartbeatReply>(HeartbeatRequest{});
    QCOMPARE(codeOf(heartbeat), 0);
    QVERIFY(sender->isConnected());
    QCOMPARE(sender->unparsableFrameCount(), 0); // whatever the server said back was valid
    QVERIFY(roommate->expectNoEvent<UserUpdateEvent>(0));
    QVERIFY(roommate->expectNoEvent<BroadcastMessageEvent>(0));
    verifyServerStillServes();
}

void ServerRobustnessTest::hugeFrameIsNotDelivered()
{
    const QString room = uniqueId("room");
    auto sender = join(room, uniqueId("sender"));
    auto roommate = join(room, uniqueId("roommate"));
    QVERIFY(sender && roommate);

    // A well-formed broadcast, except that the frame is 1 MiB (the limit is 256 KiB).
    QJsonObject request{{"v", 1}, {"type", "broadcast_message"}, {"id", 77},
                        {"room_id", room}, {"message", QString(1024 * 1024, QLatin1Char('x'))}};
    sender->sendRawText(QJsonDocument(request).toJson(QJsonDocument::Compact));

    // The server may close the sender; either way nothing of it reaches the room.
    QVERIFY(roommate->expectNoEvent<BroadcastMessageEvent>(kQuietMs));
    QVERIFY(roommate->isConnected());
    verifyServerStillServes();
}

void ServerRobustnessTest::garbageFloodDoesNotHurtOthers()
{
    constexpr int kFrames = 1000;
    const QString room = uniqueId("room");
    auto roommate = join(room, uniqueId("roommate"));
    auto flooder = join(room, uniqueId("flooder"));
    QVERIFY(roommate && flooder);
    for (int i = 0; i < kFrames; ++i) {
        if (i % 2 == 0)
            flooder->sendRawText(QByteArray("{\"v\":1,\"type\":") + QByteArray::number(i));
        else
            flooder->sendRawBinary(randomBytes(64 + i % 128, quint32(i)));
    }
    TestClient::waitUntil([] { return false; }, 300); // let the server chew on it

    QVERIFY(roommate->isConnected());
    QVERIFY(roommate->expectNoEvent<BroadcastMessageEvent>(0));
    QVERIFY(roommate->expectNoEvent<UserUpdateEvent>(0));
    QCOMPARE(codeOf(roommate->request<HeartbeatReply>(HeartbeatRequest{})), 0);
    verifyServerStillServes();
}

void ServerRobustnessTest::malformedRequestWithIdGetsIllegalParameter_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("publish, stream_id a number")
        << QByteArray(R"({"v":1,"type":"publish","id":4242,"stream_id":17})");
    QTest::newRow("broadcast without message")
        << QByteArray(R"({"v":1,"type":"broadcast_message","id":4242,"room_id":"r"})");
    QTest::newRow("play, stream_id an object")
        << QByteArray(R"({"v":1,"type":"play","id":4242,"stream_id":{"a":1}})");
    QTest::newRow("custom command, to_user_ids a string")
        << QByteArray(R"({"v":1,"type":"custom_command","id":4242,"room_id":"r","command":"c","to_user_ids":"x"})");
}

void ServerRobustnessTest::malformedRequestWithIdGetsIllegalParameter()
{
    QFETCH(QByteArray, frame);
    auto sender = join(uniqueId("room"), uniqueId("sender"));
    QVERIFY(sender);
    sender->sendRawText(frame);
    const auto reply = sender->waitForReply<GenericReply>(4242);
    QCOMPARE(codeOf(reply), toInt(ErrorCode::IllegalParameter));
    // An answered mistake is not a reason to drop the client.
    QCOMPARE(codeOf(sender->request<HeartbeatReply>(HeartbeatRequest{})), 0);
    verifyServerStillServes();
}

void ServerRobustnessTest::malformedRequestWithoutIdGetsErrorEvent()
{
    auto sender = join(uniqueId("room"), uniqueId("sender"));
    QVERIFY(sender);
    sender->sendRawText(R"({"v":1,"type":"publish","stream_id":17})");
    const auto error = sender->waitForEvent<ErrorEvent>();
    QVERIFY(error);
    QCOMPARE(error->code, toInt(ErrorCode::IllegalParameter));
    QCOMPARE(codeOf(sender->request<HeartbeatReply>(HeartbeatRequest{})), 0);
    verifyServerStillServes();
}

QTEST_GUILESS_MAIN(ServerRobustnessTest)
#include "ServerRobustnessTest.moc"
