// The engine's SignallingClient (engine/src/session) against a real earshot-server on loopback:
// logins and their refusals, the room as two and three clients see it, requests and their
// replies, events, kickouts, logout; and against stand-ins for what a real server never does
// (silence, a malformed hello, malformed and out-of-place frames). Reconnecting has its own
// test (SignallingReconnectTest).

#include "FakeSignallingServer.h"
#include "ServerProcess.h"
#include "SessionProbe.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace earshot;
using namespace earshot::integration;
using namespace earshot::protocol;
using session::LoginParams;
using session::LoginResult;
using session::SessionState;

namespace {

constexpr int kHeartbeatIntervalMs = 500;
constexpr int kOnlineCountIntervalMs = 500;
constexpr int kQuietMs = 700; // how long "nothing arrives" is watched for

} // namespace

class SignallingClientTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void loginWithAppSign();
    void loginWithToken();
    void loginOverTls();
    void serverRefusals_data();
    void serverRefusals();
    void localRefusals();
    void unreachableServer();
    void loginTimesOutWithoutUpgrade();
    void loginTimesOutWithoutHello();
    void malformedHelloIsCountedThenTimesOut();
    void clientsSeeEachOthersUsersAndStreams();
    void playOfUnpublishedStreamIsPendingThenAdded();
    void broadcastMessagesArriveInOrder();
    void customCommandReachesOnlyItsRecipient();
    void extraInfoAndOnlineCount();
    void mediaReportReachesPublisher();
    void tokenExpiryWarnsThenKicks();
    void renewedTokenKeepsTheSession();
    void duplicateLoginKicksTheEarlierSession();
    void logoutIsSeenByOthers();
    void requestsWithoutSessionFail();
    void malformedAndUnexpectedFramesAreCounted();
    void requestWithoutReplyTimesOut();
    void clientOnItsOwnThread();

private:
    LoginParams login(const QString& roomId, const QString& userId, UserNotify notify = UserNotify::Off) const
    {
        return appSignLogin(m_server.signallingUrl(), kAppA, roomId, userId, notify);
    }

    ServerProcess m_server;
};

void SignallingClientTest::initTestCase()
{
    QVERIFY(m_server.start({QStringLiteral("--heartbeat-interval-ms"), QString::number(kHeartbeatIntervalMs),
                            QStringLiteral("--online-count-interval-ms"), QString::number(kOnlineCountIntervalMs)}));
}

void SignallingClientTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void SignallingClientTest::cleanup()
{
    m_server.printLogIfFailed();
}

void SignallingClientTest::loginWithAppSign()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    SessionProbe alice;
    const auto result = alice.login(login(room, userId));
    QVERIFY(result);
    QCOMPARE(alice.client.state(), SessionState::LoggedIn);
    QCOMPARE(result->roomId, room);
    QCOMPARE(result->user.userId, userId);
    QVERIFY(!result->roomSessionId.isEmpty());
    QVERIFY(!result->sessionId.isEmpty());
    QVERIFY(result->mediaSessionId != 0);
    QCOMPARE(result->mediaHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(int(result->mediaPort), m_server.mediaUrl().port());
    QCOMPARE(result->heartbeatIntervalMs, std::int64_t{kHeartbeatIntervalMs});
    QCOMPARE(result->tokenExpireSeconds, std::int64_t{0});
    QVERIFY(result->mediaKeys);
    QVERIFY(!result->mediaKeys->receive.isZero() && !result->mediaKeys->transmit.isZero());
    QVERIFY(!result->mediaKeys->receive.equals(result->mediaKeys->transmit));
    QVERIFY(result->users.isEmpty() && result->streams.isEmpty());

    // Heartbeats keep the connection (the server closes one silent for 3 intervals).
    QTest::qWait(4 * kHeartbeatIntervalMs);
    QCOMPARE(alice.client.state(), SessionState::LoggedIn);
    QCOMPARE(alice.connectionLost.size(), 0);
    QCOMPARE(alice.client.counters().droppedMessages(), std::uint64_t{0});
}

void SignallingClientTest::loginWithToken()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("tina");
    SessionProbe tina;
    const auto result = tina.login(tokenLogin(m_server.signallingUrl(), kAppA,
                                              makeToken(kAppA, userId, 3600, payloadForRoom(room)), room, userId));
    QVERIFY(result);
    const std::int64_t expectedExpiry = QDateTime::currentSecsSinceEpoch() + 3600;
    QVERIFY2(qAbs(result->tokenExpireSeconds - expectedExpiry) <= 10,
             qPrintable(QString::number(result->tokenExpireSeconds)));
    QVERIFY(result->mediaKeys);
}

void SignallingClientTest::loginOverTls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    const QString certificate = dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                   "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
                   certificate});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        QSKIP("openssl cannot make a test certificate here");
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certificate);
    QCOMPARE(certificates.size(), 1);
    ServerProcess tlsServer;
    QVERIFY(tlsServer.start({QStringLiteral("--cert"), certificate, QStringLiteral("--key"), key}));
    QCOMPARE(tlsServer.signallingUrl().scheme(), QStringLiteral("wss"));

    LoginParams params = appSignLogin(tlsServer.signallingUrl(), kAppA, uniqueId("room"), uniqueId("secure"));
    SessionProbe untrusting; // the system CAs do not know a self-signed certificate
    QCOMPARE(untrusting.loginFailure(params), toInt(ErrorCode::LoginNetworkError));

    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.setCaCertificates(certificates);
    params.sslConfiguration = trusting;
    SessionProbe probe;
    const auto result = probe.login(params);
    QVERIFY(result);
    QVERIFY(result->mediaKeys);
    probe.client.logout();
    QVERIFY(tlsServer.stop());
}

void SignallingClientTest::serverRefusals_data()
{
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<int>("mode"); // 0 wrong AppSign, 1 unknown app, 2 token of another user,
                                   // 3 expired token, 4 token without login privilege, 5 bad token
    QTest::newRow("wrong AppSign") << toInt(ErrorCode::AppSignWrong) << 0;
    QTest::newRow("unknown AppID") << toInt(ErrorCode::AppIdUnknown) << 1;
    QTest::newRow("token of another user") << toInt(ErrorCode::TokenUserIdMismatch) << 2;
    QTest::newRow("expired token") << toInt(ErrorCode::TokenExpired) << 3;
    QTest::newRow("token without login") << toInt(ErrorCode::LoginAuthFailed) << 4;
    QTest::newRow("token of another version") << toInt(ErrorCode::TokenBadVersion) << 5;
}

void SignallingClientTest::serverRefusals()
{
    QFETCH(int, expectedCode);
    QFETCH(int, mode);
    const QString room = uniqueId("room");
    const QString userId = uniqueId("mallory");
    LoginParams params = login(room, userId);
    const auto useToken = [&](const QString& token) {
        params.appSignHex.clear();
        params.token = token;
    };
    switch (mode) {
    case 0: params.appSignHex = kUnregisteredKeyHex; break;
    case 1: params.appId = 42; break;
    case 2: useToken(makeToken(kAppA, uniqueId("someone"), 600)); break;
    case 3: useToken(makeToken(kAppA, userId, -10)); break;
    case 4: useToken(makeToken(kAppA, userId, 600, payloadWithoutLogin(room))); break;
    default: useToken(QStringLiteral("X9") + makeToken(kAppA, userId, 600).mid(2)); break;
    }
    SessionProbe probe;
    QCOMPARE(probe.loginFailure(params), expectedCode);
    QCOMPARE(probe.client.state(), SessionState::Idle);
    QCOMPARE(probe.loginSucceeded.size(), 0);
}

void SignallingClientTest::localRefusals()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("local");
    SessionProbe probe;
    LoginParams params = login(room, userId);
    params.appSignHex.clear();
    QCOMPARE(probe.loginFailure(params, 0), toInt(ErrorCode::NoAuthentication));
    params.appSignHex = kAppA.appSignHex.left(62);
    QCOMPARE(probe.loginFailure(params, 0), toInt(ErrorCode::AppSignLength));
    params.appSignHex = QByteArray(64, 'g');
    QCOMPARE(probe.loginFailure(params, 0), toInt(ErrorCode::AppSignNotHex));
    params = login(room, userId);
    params.serverUrl = QUrl(QStringLiteral("http://127.0.0.1:1/"));
    QCOMPARE(probe.loginFailure(params, 0), toInt(ErrorCode::IllegalParameter));
    QCOMPARE(probe.client.state(), SessionState::Idle);

    // One session at a time: a second login while the first runs is refused, the first goes on.
    probe.client.login(login(room, userId));
    QCOMPARE(probe.client.state(), SessionState::LoggingIn);
    QCOMPARE(probe.loginFailure(login(room, userId), 0), toInt(ErrorCode::AlreadyLoggedIn));
    QVERIFY(SessionProbe::waitForCount(probe.loginSucceeded, 0));
    QCOMPARE(probe.client.state(), SessionState::LoggedIn);
}

void SignallingClientTest::unreachableServer()
{
    // A port that was just free: nothing listens there.
    QTcpServer placeholder;
    QVERIFY(placeholder.listen(QHostAddress::LocalHost, 0));
    const quint16 port = placeholder.serverPort();
    placeholder.close();

    SessionProbe probe;
    LoginParams params = login(uniqueId("room"), uniqueId("lonely"));
    params.serverUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QCOMPARE(probe.loginFailure(params), toInt(ErrorCode::LoginNetworkError));
    QCOMPARE(probe.client.state(), SessionState::Idle);
}

void SignallingClientTest::loginTimesOutWithoutUpgrade()
{
    // Accepts TCP connections and never answers the WebSocket upgrade.
    QTcpServer mute;
    QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
    SessionProbe probe;
    LoginParams params = login(uniqueId("room"), uniqueId("patient"));
    params.serverUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(mute.serverPort()));
    params.loginTimeoutMs = 500;
    QElapsedTimer elapsed;
    elapsed.start();
    QCOMPARE(probe.loginFailure(params), toInt(ErrorCode::LoginTimeout));
    QVERIFY2(elapsed.elapsed() >= 450, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(probe.client.state(), SessionState::Idle);
}

void SignallingClientTest::loginTimesOutWithoutHello()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    fake.setGreeting(FakeSignallingServer::Greeting::Nothing);
    SessionProbe probe;
    LoginParams params = login(uniqueId("room"), uniqueId("patient"));
    params.serverUrl = fake.url();
    params.loginTimeoutMs = 800;
    probe.client.login(params);
    QVERIFY(QTest::qWaitFor([&] { return fake.connectionCount() == 1; }, 5000));
    // A binary frame before any login is noise: dropped and counted.
    fake.sendBinary(QByteArray("\x80\x6f", 2));
    QVERIFY(QTest::qWaitFor([&] { return probe.client.counters().binaryFramesDropped == 1; }, 5000));
    QVERIFY(SessionProbe::waitForCount(probe.loginFailed, 0));
    QCOMPARE(probe.loginFailed.last().at(0).toInt(), toInt(ErrorCode::LoginTimeout));
    QCOMPARE(fake.receivedCount<LoginRequest>(), 0);
}

void SignallingClientTest::malformedHelloIsCountedThenTimesOut()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    fake.setGreeting(FakeSignallingServer::Greeting::MalformedHello);
    SessionProbe probe;
    LoginParams params = login(uniqueId("room"), uniqueId("careful"));
    params.serverUrl = fake.url();
    params.loginTimeoutMs = 800;
    QCOMPARE(probe.loginFailure(params), toInt(ErrorCode::LoginTimeout));
    QCOMPARE(probe.client.counters().malformedMessages, std::uint64_t{1});
    QCOMPARE(fake.receivedCount<LoginRequest>(), 0); // nothing was sent to an unverified server
}

void SignallingClientTest::clientsSeeEachOthersUsersAndStreams()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString aliceId = uniqueId("alice");
    const QString bobId = uniqueId("bob");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, aliceId, UserNotify::On)));
    const auto bobLogin = bob.login(login(room, bobId, UserNotify::On));
    QVERIFY(bobLogin);
    QCOMPARE(userIdsOf(bobLogin->users), QStringList{aliceId});
    QVERIFY(alice.waitForUserUpdate(UpdateType::Add, bobId));

    alice.client.publish(stream, QStringLiteral("extra"));
    const auto published = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(published);
    QCOMPARE(published->at(1).toInt(), 0);
    const quint32 ssrc = published->at(2).value<quint32>();
    QVERIFY(ssrc != 0);

    const auto added = bob.waitForStreamUpdate(UpdateType::Add, stream);
    QVERIFY(added);
    const QList<StreamInfo> streams = added->at(2).value<QList<StreamInfo>>();
    QCOMPARE(streams.size(), 1);
    QCOMPARE(streams.first().ssrc, ssrc);
    QCOMPARE(streams.first().user.userId, aliceId);
    QCOMPARE(streams.first().extraInfo, QStringLiteral("extra"));

    // A later member finds the stream, with its SSRC, in its login result.
    SessionProbe carol;
    const auto carolLogin = carol.login(login(room, uniqueId("carol")));
    QVERIFY(carolLogin);
    QCOMPARE(carolLogin->streams.size(), 1);
    QCOMPARE(carolLogin->streams.first().streamId, stream);
    QCOMPARE(carolLogin->streams.first().ssrc, ssrc);
    QVERIFY(carolLogin->users.isEmpty()); // Carol did not ask for user updates

    alice.client.unpublish(stream);
    const auto unpublished = alice.waitForReply(alice.unpublishReplied, stream);
    QVERIFY(unpublished);
    QCOMPARE(unpublished->at(1).toInt(), 0);
    const auto deleted = bob.waitForStreamUpdate(UpdateType::Delete, stream);
    QVERIFY(deleted);
    QCOMPARE(deleted->at(1).value<StreamDeleteReason>(), StreamDeleteReason::Stopped);
    QCOMPARE(alice.streamUpdate.size(), 0); // nobody is told of their own stream
}

void SignallingClientTest::playOfUnpublishedStreamIsPendingThenAdded()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, uniqueId("alice"))));
    QVERIFY(bob.login(login(room, uniqueId("bob"))));

    bob.client.play(stream);
    const auto pending = bob.waitForReply(bob.playReplied, stream);
    QVERIFY(pending);
    QCOMPARE(pending->at(1).toInt(), 0);
    QCOMPARE(pending->at(2).value<quint32>(), 0u);
    QCOMPARE(pending->at(4).toBool(), true);

    alice.client.publish(stream, {});
    const auto published = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(published);
    const auto added = bob.waitForStreamUpdate(UpdateType::Add, stream);
    QVERIFY(added);
    QCOMPARE(added->at(2).value<QList<StreamInfo>>().first().ssrc, published->at(2).value<quint32>());

    // Playing it now answers with the SSRC at once; mute and stop are acknowledged.
    bob.playReplied.clear();
    bob.client.play(stream);
    const auto playing = bob.waitForReply(bob.playReplied, stream);
    QVERIFY(playing);
    QCOMPARE(playing->at(1).toInt(), 0);
    QCOMPARE(playing->at(2).value<quint32>(), published->at(2).value<quint32>());
    QCOMPARE(playing->at(4).toBool(), false);
    bob.client.mutePlay(stream, true);
    const auto muted = bob.waitForReply(bob.mutePlayReplied, stream);
    QVERIFY(muted);
    QCOMPARE(muted->at(1).toBool(), true);
    QCOMPARE(muted->at(2).toInt(), 0);
    bob.client.stopPlay(stream);
    const auto stopped = bob.waitForReply(bob.stopPlayReplied, stream);
    QVERIFY(stopped);
    QCOMPARE(stopped->at(1).toInt(), 0);
    bob.mutePlayReplied.clear();
    bob.client.mutePlay(stream, false);
    const auto notPlayed = bob.waitForReply(bob.mutePlayReplied, stream);
    QVERIFY(notPlayed);
    QCOMPARE(notPlayed->at(2).toInt(), toInt(ErrorCode::StreamNotFound));
}

void SignallingClientTest::broadcastMessagesArriveInOrder()
{
    const QString room = uniqueId("room");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, uniqueId("alice"))));
    QVERIFY(bob.login(login(room, uniqueId("bob"))));
    constexpr int kCount = 8;
    for (int i = 0; i < kCount; ++i)
        alice.client.sendBroadcastMessage(quint64(100 + i), QStringLiteral("message %1").arg(i));
    QVERIFY(QTest::qWaitFor([&] { return alice.broadcastMessageReplied.size() == kCount; }, 5000));
    quint64 previousId = 0;
    for (int i = 0; i < kCount; ++i) {
        const QList<QVariant>& reply = alice.broadcastMessageReplied.at(i);
        QCOMPARE(reply.at(0).toULongLong(), quint64(100 + i));
        QCOMPARE(reply.at(1).toInt(), 0);
        QVERIFY(reply.at(2).toULongLong() > previousId);
        previousId = reply.at(2).toULongLong();
    }
    QStringList texts;
    QVERIFY(QTest::qWaitFor(
        [&] {
            texts.clear();
            for (const QList<QVariant>& event : std::as_const(bob.broadcastMessages))
                for (const BroadcastMessageInfo& info : event.at(0).value<QList<BroadcastMessageInfo>>())
                    texts << info.message;
            return texts.size() >= kCount;
        },
        5000));
    for (int i = 0; i < kCount; ++i)
        QCOMPARE(texts.at(i), QStringLiteral("message %1").arg(i));
    QCOMPARE(alice.broadcastMessages.size(), 0); // not echoed to the sender

    alice.client.sendBroadcastMessage(7, {});
    const auto empty = alice.waitForTaggedReply(alice.broadcastMessageReplied, 7);
    QVERIFY(empty);
    QCOMPARE(empty->at(1).toInt(), toInt(ErrorCode::MessageEmpty));
}

void SignallingClientTest::customCommandReachesOnlyItsRecipient()
{
    const QString room = uniqueId("room");
    const QString aliceId = uniqueId("alice");
    const QString bobId = uniqueId("bob");
    SessionProbe alice;
    SessionProbe bob;
    SessionProbe carol;
    QVERIFY(alice.login(login(room, aliceId)));
    QVERIFY(bob.login(login(room, bobId)));
    QVERIFY(carol.login(login(room, uniqueId("carol"))));

    alice.client.sendCustomCommand(1, QStringLiteral("only for bob"), {bobId});
    const auto reply = alice.waitForTaggedReply(alice.customCommandReplied, 1);
    QVERIFY(reply);
    QCOMPARE(reply->at(1).toInt(), 0);
    QVERIFY(SessionProbe::waitForCount(bob.customCommand, 0));
    QCOMPARE(bob.customCommand.first().at(0).value<UserInfo>().userId, aliceId);
    QCOMPARE(bob.customCommand.first().at(1).toString(), QStringLiteral("only for bob"));
    QTest::qWait(kQuietMs);
    QCOMPARE(carol.customCommand.size(), 0);
}

void SignallingClientTest::extraInfoAndOnlineCount()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, uniqueId("alice"))));
    QVERIFY(bob.login(login(room, uniqueId("bob"))));

    alice.client.setRoomExtraInfo(11, QStringLiteral("topic"), QStringLiteral("tuning"));
    const auto roomReply = alice.waitForTaggedReply(alice.roomExtraInfoReplied, 11);
    QVERIFY(roomReply);
    QCOMPARE(roomReply->at(1).toInt(), 0);
    QVERIFY(SessionProbe::waitForCount(bob.roomExtraInfoUpdate, 0));
    const auto items = bob.roomExtraInfoUpdate.first().at(0).value<QList<RoomExtraInfoItem>>();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().key, QStringLiteral("topic"));
    QCOMPARE(items.first().value, QStringLiteral("tuning"));

    alice.client.setStreamExtraInfo(12, stream, QStringLiteral("before publishing"));
    const auto early = alice.waitForTaggedReply(alice.streamExtraInfoReplied, 12);
    QVERIFY(early);
    QCOMPARE(early->at(1).toInt(), toInt(ErrorCode::StreamNotFound));
    alice.client.publish(stream, {});
    QVERIFY(alice.waitForReply(alice.publishReplied, stream));
    alice.client.setStreamExtraInfo(13, stream, QStringLiteral("muted"));
    const auto streamReply = alice.waitForTaggedReply(alice.streamExtraInfoReplied, 13);
    QVERIFY(streamReply);
    QCOMPARE(streamReply->at(1).toInt(), 0);
    QVERIFY(SessionProbe::waitForCount(bob.streamExtraInfoUpdate, 0));
    QCOMPARE(bob.streamExtraInfoUpdate.first().at(0).value<QList<StreamInfo>>().first().extraInfo,
             QStringLiteral("muted"));

    QVERIFY(QTest::qWaitFor(
        [&] { return !bob.onlineCountUpdate.isEmpty() && bob.onlineCountUpdate.last().at(0).toLongLong() == 2; },
        4 * kOnlineCountIntervalMs + 2000));
}

void SignallingClientTest::mediaReportReachesPublisher()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString bobId = uniqueId("bob");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, uniqueId("alice"))));
    QVERIFY(bob.login(login(room, bobId)));
    alice.client.publish(stream, {});
    const auto published = alice.waitForReply(alice.publishReplied, stream);
    QVERIFY(published);
    bob.client.play(stream);
    QVERIFY(bob.waitForReply(bob.playReplied, stream));

    ReceiverReport report;
    report.streamId = stream;
    report.ssrc = published->at(2).value<quint32>();
    report.fractionLost = 26;
    report.cumulativeLost = 3;
    report.highestSequence = 500;
    report.jitterSamples = 480;
    report.packetsReceived = 497;
    report.rttMs = 40;
    bob.client.sendMediaReports({report});
    QVERIFY(SessionProbe::waitForCount(alice.receiverReport, 0));
    QCOMPARE(alice.receiverReport.first().at(0).value<UserInfo>().userId, bobId);
    QCOMPARE(alice.receiverReport.first().at(1).value<ReceiverReport>(), report);
}

void SignallingClientTest::tokenExpiryWarnsThenKicks()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("tina");
    SessionProbe tina;
    QVERIFY(tina.login(tokenLogin(m_server.signallingUrl(), kAppA, makeToken(kAppA, userId, 3), room, userId)));
    QVERIFY(SessionProbe::waitForCount(tina.tokenWillExpire, 0));
    QVERIFY(tina.tokenWillExpire.first().at(0).toLongLong() <= 3);
    QVERIFY(SessionProbe::waitForCount(tina.kickedOut, 0, 6000));
    QCOMPARE(tina.kickedOut.first().at(0).toInt(), toInt(ErrorCode::KickedTokenExpired));
    QCOMPARE(tina.client.state(), SessionState::Idle);
    QTest::qWait(kQuietMs);
    QCOMPARE(tina.connectionLost.size(), 0);
    QCOMPARE(tina.client.counters().reconnectAttempts, std::uint64_t{0});
}

void SignallingClientTest::renewedTokenKeepsTheSession()
{
    const QString room = uniqueId("room");
    const QString userId = uniqueId("tina");
    SessionProbe tina;
    QVERIFY(tina.login(tokenLogin(m_server.signallingUrl(), kAppA, makeToken(kAppA, userId, 3), room, userId)));
    QVERIFY(SessionProbe::waitForCount(tina.tokenWillExpire, 0));
    tina.client.renewToken(5, makeToken(kAppA, userId, 600));
    const auto renewed = tina.waitForTaggedReply(tina.renewTokenReplied, 5);
    QVERIFY(renewed);
    QCOMPARE(renewed->at(1).toInt(), 0);
    tina.client.renewToken(6, makeToken(kAppA, uniqueId("someone"), 600));
    const auto refused = tina.waitForTaggedReply(tina.renewTokenReplied, 6);
    QVERIFY(refused);
    QCOMPARE(refused->at(1).toInt(), toInt(ErrorCode::TokenUserIdMismatch));
    QTest::qWait(4000); // past the first token's expiry
    QCOMPARE(tina.kickedOut.size(), 0);
    QCOMPARE(tina.client.state(), SessionState::LoggedIn);
}

void SignallingClientTest::duplicateLoginKicksTheEarlierSession()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString aliceId = uniqueId("alice");
    SessionProbe observer;
    SessionProbe alice;
    SessionProbe aliceAgain;
    QVERIFY(observer.login(login(room, uniqueId("observer"))));
    QVERIFY(alice.login(login(room, aliceId)));
    alice.client.publish(stream, {});
    QVERIFY(alice.waitForReply(alice.publishReplied, stream));

    QVERIFY(aliceAgain.login(login(room, aliceId)));
    QVERIFY(SessionProbe::waitForCount(alice.kickedOut, 0));
    QCOMPARE(alice.kickedOut.first().at(0).toInt(), toInt(ErrorCode::KickedDuplicateLogin));
    QCOMPARE(alice.client.state(), SessionState::Idle);
    const auto deleted = observer.waitForStreamUpdate(UpdateType::Delete, stream);
    QVERIFY(deleted);
    QCOMPARE(deleted->at(1).value<StreamDeleteReason>(), StreamDeleteReason::RepeatedLogin);

    // No reconnect: the kicked client stays out and the new one stays in.
    QTest::qWait(kQuietMs);
    QCOMPARE(alice.connectionLost.size(), 0);
    QCOMPARE(alice.client.counters().reconnectAttempts, std::uint64_t{0});
    QCOMPARE(aliceAgain.kickedOut.size(), 0);
    QCOMPARE(aliceAgain.client.state(), SessionState::LoggedIn);
}

void SignallingClientTest::logoutIsSeenByOthers()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    const QString aliceId = uniqueId("alice");
    SessionProbe alice;
    SessionProbe bob;
    QVERIFY(alice.login(login(room, aliceId)));
    QVERIFY(bob.login(login(room, uniqueId("bob"), UserNotify::On)));
    alice.client.publish(stream, {});
    QVERIFY(alice.waitForReply(alice.publishReplied, stream));
    QVERIFY(bob.waitForStreamUpdate(UpdateType::Add, stream));

    alice.client.logout();
    QCOMPARE(alice.client.state(), SessionState::Idle);
    const auto deleted = bob.waitForStreamUpdate(UpdateType::Delete, stream);
    QVERIFY(deleted);
    QCOMPARE(deleted->at(1).value<StreamDeleteReason>(), StreamDeleteReason::Stopped);
    QVERIFY(bob.waitForUserUpdate(UpdateType::Delete, aliceId));

    // Logged out: requests fail at once, nothing reconnects, and logging in again works.
    alice.client.publish(stream, {});
    QCOMPARE(alice.publishReplied.last().at(1).toInt(), toInt(ErrorCode::NotLoggedIn));
    QCOMPARE(alice.connectionLost.size(), 0);
    QVERIFY(alice.login(login(room, aliceId)));
}

void SignallingClientTest::requestsWithoutSessionFail()
{
    SessionProbe probe;
    probe.client.publish(QStringLiteral("s"), {});
    probe.client.play(QStringLiteral("s"));
    probe.client.sendBroadcastMessage(3, QStringLiteral("hello"));
    probe.client.renewToken(4, QStringLiteral("E1..."));
    probe.client.sendMediaFrame(QByteArray(20, 'x'));
    probe.client.sendMediaReports({ReceiverReport{}});
    probe.client.logout(); // nothing to leave: no effect
    QCOMPARE(probe.publishReplied.size(), 1);
    QCOMPARE(probe.publishReplied.first().at(1).toInt(), toInt(ErrorCode::NotLoggedIn));
    QCOMPARE(probe.playReplied.first().at(1).toInt(), toInt(ErrorCode::NotLoggedIn));
    QCOMPARE(probe.broadcastMessageReplied.first().at(1).toInt(), toInt(ErrorCode::NotLoggedIn));
    QCOMPARE(probe.renewTokenReplied.first().at(1).toInt(), toInt(ErrorCode::NotLoggedIn));
    QCOMPARE(probe.client.counters().mediaFramesNotSent, std::uint64_t{1});
    QCOMPARE(probe.client.state(), SessionState::Idle);
}

void SignallingClientTest::malformedAndUnexpectedFramesAreCounted()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    const QString room = uniqueId("room");
    SessionProbe probe;
    LoginParams params = login(room, uniqueId("sturdy"));
    params.serverUrl = fake.url();
    QVERIFY(probe.login(params));

    // Malformed: not JSON, not an object, wrong version, unknown type, a body that fails its
    // bounds (a negative count).
    fake.sendText("this is not JSON");
    fake.sendText("[1,2,3]");
    fake.sendText(R"({"v":2,"type":"online_count","room_id":"r","count":1})");
    fake.sendText(R"({"v":1,"type":"no_such_type"})");
    fake.sendText(R"({"v":1,"type":"online_count","room_id":"r","count":"many"})");
    // Unexpected: a reply nobody waits for, an event of another room, a second hello, a
    // client-to-server type.
    fake.sendMessage(987654, GenericReply{0, {}});
    fake.sendMessage(0, UserUpdateEvent{uniqueId("other_room"), UpdateType::Add, {UserInfo{"x", "y"}}});
    HelloEvent secondHello;
    secondHello.challenge = QByteArray(32, 'c');
    secondHello.serverPublicKey = QByteArray(32, 'k');
    fake.sendMessage(0, secondHello);
    fake.sendMessage(0, LogoutRequest{room});
    // The server's complaint about one of ours is passed on, not counted.
    fake.sendMessage(0, ErrorEvent{toInt(ErrorCode::IllegalParameter), QStringLiteral("bad frame")});
    // Then a good event, which must still arrive.
    fake.sendMessage(0, OnlineCountEvent{room, 5});
    QVERIFY(SessionProbe::waitForCount(probe.onlineCountUpdate, 0));
    QCOMPARE(probe.onlineCountUpdate.first().at(0).toLongLong(), 5);
    QCOMPARE(probe.client.counters().malformedMessages, std::uint64_t{5});
    QCOMPARE(probe.client.counters().unexpectedMessages, std::uint64_t{4});
    QCOMPARE(probe.userUpdate.size(), 0);
    QCOMPARE(probe.serverError.size(), 1);
    QCOMPARE(probe.serverError.first().at(0).toInt(), toInt(ErrorCode::IllegalParameter));
    QCOMPARE(probe.client.state(), SessionState::LoggedIn);

    // Binary frames while logged in are media on the fallback path, passed on as they are.
    fake.sendBinary(QByteArray("\x80\x6f\x00\x01", 4));
    QVERIFY(SessionProbe::waitForCount(probe.mediaFrameReceived, 0));
    QCOMPARE(probe.mediaFrameReceived.first().at(0).toByteArray(), QByteArray("\x80\x6f\x00\x01", 4));
    probe.client.sendMediaFrame(QByteArray(12, '\x80'));
    QVERIFY(QTest::qWaitFor([&] { return fake.binaryFramesReceived() == 1; }, 5000));
}

void SignallingClientTest::requestWithoutReplyTimesOut()
{
    FakeSignallingServer fake;
    QVERIFY(fake.listen());
    fake.setAnswerRequests(false);
    SessionProbe probe;
    LoginParams params = login(uniqueId("room"), uniqueId("waiting"));
    params.serverUrl = fake.url();
    params.requestTimeoutMs = 300;
    QVERIFY(probe.login(params));
    const QString stream = uniqueId("stream");
    probe.client.publish(stream, {});
    QCOMPARE(probe.publishReplied.size(), 0);
    const auto reply = probe.waitForReply(probe.publishReplied, stream, 3000);
    QVERIFY(reply);
    QCOMPARE(reply->at(1).toInt(), session::SignallingClient::kRequestTimedOut);
    QCOMPARE(probe.client.counters().requestsTimedOut, std::uint64_t{1});
    QCOMPARE(probe.client.pendingRequestCount(), std::size_t{0});
    QCOMPARE(probe.client.state(), SessionState::LoggedIn); // a slow reply is not a lost connection
}

void SignallingClientTest::clientOnItsOwnThread()
{
    // The engine's arrangement: the client lives on the session thread, driven by queued calls,
    // its signals delivered queued to the caller's thread.
    QThread sessionThread;
    sessionThread.setObjectName(QStringLiteral("session"));
    auto* client = new session::SignallingClient;
    client->moveToThread(&sessionThread);
    connect(&sessionThread, &QThread::finished, client, &QObject::deleteLater);
    sessionThread.start();

    QObject receiver; // on the test thread
    std::optional<LoginResult> result;
    QList<int> publishCodes;
    QList<quint32> ssrcs;
    connect(client, &session::SignallingClient::loginSucceeded, &receiver,
            [&](const LoginResult& login) { result = login; });
    connect(client, &session::SignallingClient::publishReplied, &receiver,
            [&](const QString&, int code, quint32 ssrc) {
                publishCodes << code;
                ssrcs << ssrc;
            });
    const LoginParams params = login(uniqueId("room"), uniqueId("threaded"));
    QMetaObject::invokeMethod(client, [client, params] { client->login(params); }, Qt::QueuedConnection);
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 5000));
    QVERIFY(result->mediaKeys);
    const QString stream = uniqueId("stream");
    QMetaObject::invokeMethod(client, "publish", Qt::QueuedConnection, Q_ARG(QString, stream), Q_ARG(QString, {}));
    QVERIFY(QTest::qWaitFor([&] { return !publishCodes.isEmpty(); }, 5000));
    QCOMPARE(publishCodes.first(), 0);
    QVERIFY(ssrcs.first() != 0);
    QMetaObject::invokeMethod(client, &session::SignallingClient::logout, Qt::BlockingQueuedConnection);

    sessionThread.quit();
    QVERIFY(sessionThread.wait(5000));
}

QTEST_GUILESS_MAIN(SignallingClientTest)
#include "SignallingClientTest.moc"
