// Login authentication against a real earshot-server: AppSign challenge/response, tokens (and
// the `earshot-server token` generator), identifier validation and login-state rules.

#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/Token.h>

#include <QDateTime>
#include <QTest>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

// The ways a token can be wrong, each with the code the server must answer (API.md §6).
enum class TokenDefect {
    Tampered,           // one Base64 character changed: the seal no longer opens
    Truncated,
    SealedWithOtherKey, // made with another app's ServerSecret
    Expired,
    OtherUser,
    OtherApp,           // sealed with the right secret but naming another AppID
    BadVersion,
    NoLoginPrivilege,   // payload privilege "1" = 0
    OtherRoom,          // payload room_id differs from the login's room
};

std::int64_t nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

QString tokenWith(TokenDefect defect, const QString& userId, const QString& roomId)
{
    const TokenPayload forRoom = payloadForRoom(roomId);
    switch (defect) {
    case TokenDefect::Tampered: {
        QString token = makeToken(kAppA, userId, 3600, forRoom);
        const qsizetype middle = token.size() / 2;
        token[middle] = token[middle] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        return token;
    }
    case TokenDefect::Truncated: {
        const QString token = makeToken(kAppA, userId, 3600, forRoom);
        return token.left(token.size() / 2);
    }
    case TokenDefect::SealedWithOtherKey:
        return Token::generate(kAppA.appId, userId, 3600, forRoom, kAppB.serverSecret());
    case TokenDefect::Expired: {
        const TokenClaims claims{.appId = kAppA.appId, .userId = userId, .nonce = 424242,
                                 .ctimeSeconds = nowSeconds() - 7200,
                                 .expireSeconds = nowSeconds() - 3600, .payload = forRoom};
        return Token::generate(claims, kAppA.serverSecret());
    }
    case TokenDefect::OtherUser:
        return makeToken(kAppA, userId + QStringLiteral("_other"), 3600, forRoom);
    case TokenDefect::OtherApp: {
        const TokenClaims claims{.appId = kAppB.appId, .userId = userId, .nonce = 434343,
                                 .ctimeSeconds = nowSeconds(),
                                 .expireSeconds = nowSeconds() + 3600, .payload = forRoom};
        return Token::generate(claims, kAppA.serverSecret());
    }
    case TokenDefect::BadVersion: {
        QString token = makeToken(kAppA, userId, 3600, forRoom);
        return token.replace(0, 2, QStringLiteral("E9"));
    }
    case TokenDefect::NoLoginPrivilege:
        return makeToken(kAppA, userId, 3600, payloadWithoutLogin(roomId));
    case TokenDefect::OtherRoom:
        return makeToken(kAppA, userId, 3600, payloadForRoom(roomId + QStringLiteral("_x")));
    }
    return {};
}

// Placeholders in the ID table, replaced by fresh valid values so rows never collide.
QString expandPlaceholder(const QString& value)
{
    if (value == QLatin1String("<user>"))
        return uniqueId(QStringLiteral("user"));
    if (value == QLatin1String("<room>"))
        return uniqueId(QStringLiteral("room"));
    if (value == QLatin1String("<user63>"))
        return uniqueId(QStringLiteral("u")).leftJustified(63, QLatin1Char('u'));
    if (value == QLatin1String("<room127>"))
        return uniqueId(QStringLiteral("r")).leftJustified(127, QLatin1Char('r'));
    return value;
}

} // namespace

Q_DECLARE_METATYPE(TokenDefect)

class ServerAuthTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void helloCarriesFreshChallenge();
    void appSignLoginSucceeds();
    void wrongAppSignIsRefused_data();
    void wrongAppSignIsRefused();
    void unknownAppIdIsRefused();
    void tokenLoginSucceeds();
    void badTokenIsRefused_data();
    void badTokenIsRefused();
    void invalidIdentifiersAreRefused_data();
    void invalidIdentifiersAreRefused();
    void secondLoginOnSameConnectionIsRefused();
    void requestsBeforeLoginAreRefused();
    void tokenSubcommandMakesVerifiableToken();

private:
    std::unique_ptr<TestClient> connectedClient();

    ServerProcess m_server;
};

void ServerAuthTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void ServerAuthTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerAuthTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<TestClient> ServerAuthTest::connectedClient()
{
    auto client = std::make_unique<TestClient>(m_server.signallingUrl());
    return client->connectToServer() ? std::move(client) : nullptr;
}

void ServerAuthTest::helloCarriesFreshChallenge()
{
    auto first = connectedClient();
    auto second = connectedClient();
    QVERIFY(first && second);
    QCOMPARE(first->hello().challenge.size(), 32);
    QCOMPARE(first->hello().serverPublicKey.size(), 32);
    QVERIFY(first->hello().heartbeatIntervalMs > 0);
    // A challenge reused across connections would let a recorded login be replayed.
    QVERIFY(first->hello().challenge != second->hello().challenge);
}

void ServerAuthTest::appSignLoginSucceeds()
{
    auto client = connectedClient();
    QVERIFY(client);
    const auto reply = client->loginAppSign(kAppA, uniqueId("room"), uniqueId("alice"),
                                            UserNotify::On);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(!reply->roomSessionId.isEmpty());
    QVERIFY(!reply->sessionId.isEmpty());
    QCOMPARE(reply->resumeSecret.size(), 32);
    QCOMPARE(reply->tokenExpireSeconds, 0); // AppSign mode has no token to expire
    QVERIFY(reply->users.isEmpty());
    QVERIFY(reply->streams.isEmpty());
}

void ServerAuthTest::wrongAppSignIsRefused_data()
{
    QTest::addColumn<QString>("mistake");
    QTest::newRow("unregistered key") << QStringLiteral("unregistered key");
    QTest::newRow("other app's key") << QStringLiteral("other app's key");
    QTest::newRow("MAC made for another room") << QStringLiteral("other room");
    QTest::newRow("MAC replayed from another connection") << QStringLiteral("other connection");
}

void ServerAuthTest::wrongAppSignIsRefused()
{
    QFETCH(QString, mistake);
    auto client = connectedClient();
    auto other = connectedClient();
    QVERIFY(client && other);
    const QString roomId = uniqueId("room");
    const QString userId = uniqueId("mallory");
    LoginRequest request = client->makeLoginRequest(kAppA.appId, roomId, userId,
                                                    TestClient::userNameFor(userId));
    request.authMode = AuthMode::AppSign;
    if (mistake == QLatin1String("unregistered key")) {
        request.appSignMac = client->appSignMac(request, kUnregisteredKeyHex);
    } else if (mistake == QLatin1String("other app's key")) {
        request.appSignMac = client->appSignMac(request, kAppB.appSignHex);
    } else if (mistake == QLatin1String("other room")) {
        LoginRequest elsewhere = request;
        elsewhere.roomId = uniqueId("room");
        request.appSignMac = client->appSignMac(elsewhere, kAppA.appSignHex);
    } else {
        // Correct key, but bound to the other connection's challenge.
        request.appSignMac = other->appSignMac(request, kAppA.appSignHex);
    }
    const auto reply = client->login(request);
    QVERIFY(reply);
    QCOMPARE(reply->code, toInt(ErrorCode::AppSignWrong));
    QVERIFY(reply->sessionId.isEmpty());
}

void ServerAuthTest::unknownAppIdIsRefused()
{
    auto client = connectedClient();
    QVERIFY(client);
    const QString userId = uniqueId("alice");
    const auto reply = client->loginAppSign(
        client->makeLoginRequest(4242, uniqueId("room"), userId, TestClient::userNameFor(userId)),
        kUnregisteredKeyHex);
    QVERIFY(reply);
    QCOMPARE(reply->code, toInt(ErrorCode::AppIdUnknown));
}

void ServerAuthTest::tokenLoginSucceeds()
{
    auto client = connectedClient();
    QVERIFY(client);
    const QString roomId = uniqueId("room");
    const QString userId = uniqueId("alice");
    const QString token = makeToken(kAppA, userId, 3600, payloadForRoom(roomId));
    const auto reply = client->loginToken(kAppA, token, roomId, userId);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(!reply->sessionId.isEmpty());
    QVERIFY(reply->tokenExpireSeconds > 0);
}

void ServerAuthTest::badTokenIsRefused_data()
{
    QTest::addColumn<TokenDefect>("defect");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("tampered") << TokenDefect::Tampered << toInt(ErrorCode::LoginAuthFailed);
    QTest::newRow("truncated") << TokenDefect::Truncated << toInt(ErrorCode::LoginAuthFailed);
    QTest::newRow("sealed with another secret")
        << TokenDefect::SealedWithOtherKey << toInt(ErrorCode::LoginAuthFailed);
    QTest::newRow("expired") << TokenDefect::Expired << toInt(ErrorCode::TokenExpired);
    QTest::newRow("other user") << TokenDefect::OtherUser << toInt(ErrorCode::TokenUserIdMismatch);
    QTest::newRow("other app") << TokenDefect::OtherApp << toInt(ErrorCode::TokenAppIdMismatch);
    QTest::newRow("bad version") << TokenDefect::BadVersion << toInt(ErrorCode::TokenBadVersion);
    QTest::newRow("login privilege 0")
        << TokenDefect::NoLoginPrivilege << toInt(ErrorCode::LoginAuthFailed);
    QTest::newRow("other room") << TokenDefect::OtherRoom << toInt(ErrorCode::LoginAuthFailed);
}

void ServerAuthTest::badTokenIsRefused()
{
    QFETCH(TokenDefect, defect);
    QFETCH(int, expectedCode);
    auto client = connectedClient();
    QVERIFY(client);
    const QString roomId = uniqueId("room");
    const QString userId = uniqueId("alice");
    const auto reply = client->loginToken(kAppA, tokenWith(defect, userId, roomId), roomId, userId);
    QVERIFY(reply);
    QCOMPARE(reply->code, expectedCode);
    QVERIFY(reply->sessionId.isEmpty());
}

void ServerAuthTest::invalidIdentifiersAreRefused_data()
{
    QTest::addColumn<QString>("roomId");
    QTest::addColumn<QString>("userId");
    QTest::addColumn<QString>("userName");
    QTest::addColumn<int>("expectedCode");
    const QString room = QStringLiteral("<room>");
    const QString user = QStringLiteral("<user>");
    const QString name = QStringLiteral("A Name");
    QTest::newRow("userId empty") << room << QString() << name << toInt(ErrorCode::UserIdEmpty);
    QTest::newRow("userId space") << room << QStringLiteral("al ice") << name
                                  << toInt(ErrorCode::UserIdInvalidCharacter);
    QTest::newRow("userId 64 bytes") << room << QString(64, QLatin1Char('u')) << name
                                     << toInt(ErrorCode::UserIdTooLong);
    QTest::newRow("userId 63 bytes") << room << QStringLiteral("<user63>") << name << 0;
    QTest::newRow("userName empty") << room << user << QString() << toInt(ErrorCode::UserNameEmpty);
    QTest::newRow("userName newline") << room << user << QStringLiteral("a\nb")
                                      << toInt(ErrorCode::UserNameInvalidCharacter);
    QTest::newRow("userName 256 bytes") << room << user << QString(256, QLatin1Char('n'))
                                        << toInt(ErrorCode::UserNameTooLong);
    QTest::newRow("userName 85 chinese = 255 bytes")
        << room << user << QString(85, QChar(0x4e2d)) << 0;
    QTest::newRow("userName 86 chinese = 258 bytes")
        << room << user << QString(86, QChar(0x4e2d)) << toInt(ErrorCode::UserNameTooLong);
    QTest::newRow("roomId empty") << QString() << user << name << toInt(ErrorCode::RoomIdEmpty);
    QTest::newRow("roomId slash") << QStringLiteral("a/b") << user << name
                                  << toInt(ErrorCode::RoomIdInvalidCharacter);
    QTest::newRow("roomId chinese") << QStringLiteral("房间") << user << name
                                    << toInt(ErrorCode::RoomIdInvalidCharacter);
    QTest::newRow("roomId 128 bytes") << QString(128, QLatin1Char('r')) << user << name
                                      << toInt(ErrorCode::RoomIdTooLong);
    QTest::newRow("roomId 127 bytes") << QStringLiteral("<room127>") << user << name << 0;
}

void ServerAuthTest::invalidIdentifiersAreRefused()
{
    QFETCH(QString, roomId);
    QFETCH(QString, userId);
    QFETCH(QString, userName);
    QFETCH(int, expectedCode);
    auto client = connectedClient();
    QVERIFY(client);
    const LoginRequest request = client->makeLoginRequest(
        kAppA.appId, expandPlaceholder(roomId), expandPlaceholder(userId), userName);
    // The MAC is correct for the IDs, so only identifier validation can refuse the login.
    const auto reply = client->loginAppSign(request, kAppA.appSignHex);
    QVERIFY(reply);
    QCOMPARE(reply->code, expectedCode);
}

void ServerAuthTest::secondLoginOnSameConnectionIsRefused()
{
    auto client = connectedClient();
    QVERIFY(client);
    const QString roomId = uniqueId("room");
    const QString userId = uniqueId("alice");
    const auto first = client->loginAppSign(kAppA, roomId, userId);
    QVERIFY(first);
    QCOMPARE(first->code, 0);

    const auto again = client->loginAppSign(kAppA, roomId, userId);
    QVERIFY(again);
    QCOMPARE(again->code, toInt(ErrorCode::AlreadyLoggedIn));
    const auto otherRoom = client->loginAppSign(kAppA, uniqueId("room"), uniqueId("bob"));
    QVERIFY(otherRoom);
    QCOMPARE(otherRoom->code, toInt(ErrorCode::AlreadyLoggedIn));

    // The first session is untouched: still connected, not kicked, still in its room.
    QVERIFY(client->expectNoEvent<KickoutEvent>(200));
    QVERIFY(client->isConnected());
    const auto sent = client->request<BroadcastMessageReply>(
        BroadcastMessageRequest{.roomId = roomId, .message = QStringLiteral("still here")});
    QVERIFY(sent);
    QCOMPARE(sent->code, 0);
}

void ServerAuthTest::requestsBeforeLoginAreRefused()
{
    auto client = connectedClient();
    QVERIFY(client);
    const QString roomId = uniqueId("room");
    const auto code = [](const std::optional<GenericReply>& reply) {
        return reply ? reply->code : -1;
    };
    const int notLoggedIn = toInt(ErrorCode::NotLoggedIn);
    QCOMPARE(code(client->request<GenericReply>(publishRequest(uniqueId("s")))),
             notLoggedIn);
    QCOMPARE(code(client->request<GenericReply>(PlayRequest{.streamId = uniqueId("s")})),
             notLoggedIn);
    QCOMPARE(code(client->request<GenericReply>(
                 BroadcastMessageRequest{.roomId = roomId, .message = QStringLiteral("hi")})),
             notLoggedIn);
    QCOMPARE(code(client->request<GenericReply>(SetRoomExtraInfoRequest{
                 .roomId = roomId, .key = QStringLiteral("k"), .value = QStringLiteral("v")})),
             notLoggedIn);
    // Refusing requests does not cost the connection its chance to log in.
    const auto reply = client->loginAppSign(kAppA, roomId, uniqueId("alice"));
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
}

void ServerAuthTest::tokenSubcommandMakesVerifiableToken()
{
    const QString userId = uniqueId("alice");
    const QString roomId = uniqueId("room");
    int exitCode = -1;
    const QByteArray output = ServerProcess::runCommand(
        {QStringLiteral("token"), QStringLiteral("--app-id"), QString::number(kAppA.appId),
         QStringLiteral("--server-secret"), QString::fromLatin1(kAppA.serverSecretHex),
         QStringLiteral("--user"), userId, QStringLiteral("--room"), roomId,
         QStringLiteral("--no-publish"), QStringLiteral("--stream"), QStringLiteral("s1"),
         QStringLiteral("--stream"), QStringLiteral("s2"), QStringLiteral("--ttl"),
         QStringLiteral("600")},
        &exitCode);
    QCOMPARE(exitCode, 0);
    const QList<QByteArray> lines = output.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    const QString token = QString::fromUtf8(lines.first().trimmed());

    const TokenCheck check = Token::verify(token, kAppA.appId, userId, kAppA.serverSecret(),
                                           nowSeconds());
    QCOMPARE(toInt(check.code), toInt(ErrorCode::Success));
    QCOMPARE(check.claims.appId, kAppA.appId);
    QCOMPARE(check.claims.userId, userId);
    QCOMPARE(check.claims.payload.roomId, roomId);
    QVERIFY(check.claims.payload.canLogin);
    QVERIFY(!check.claims.payload.canPublish);
    QCOMPARE(check.claims.payload.streamIdList, QStringList({"s1", "s2"}));
    QVERIFY(qAbs(check.claims.expireSeconds - check.claims.ctimeSeconds - 600) <= 1);
    QVERIFY(qAbs(check.claims.ctimeSeconds - nowSeconds()) <= 5);

    // And the server accepts what its own generator made.
    auto client = connectedClient();
    QVERIFY(client);
    const auto reply = client->loginToken(kAppA, token, roomId, userId);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
}

QTEST_GUILESS_MAIN(ServerAuthTest)
#include "ServerAuthTest.moc"
