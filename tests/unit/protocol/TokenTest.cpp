#include <earshot/protocol/Token.h>

#include <sodium.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <array>
#include <cstdint>

using earshot::protocol::ErrorCode;
using earshot::protocol::SecureKey;
using earshot::protocol::Token;
using earshot::protocol::TokenClaims;
using earshot::protocol::TokenPayload;

Q_DECLARE_METATYPE(ErrorCode)
Q_DECLARE_METATYPE(TokenPayload)

namespace {

constexpr std::uint32_t kAppId = 1;
constexpr qint64 kNow = 1'700'000'000;
constexpr qint64 kExpire = kNow + 3600;
constexpr int kSecretFill = 0x11;
const QString kUserId = QStringLiteral("user-1");

SecureKey secret(int fill)
{
    std::array<std::uint8_t, SecureKey::kSize> bytes {};
    bytes.fill(static_cast<std::uint8_t>(fill));
    return SecureKey(bytes);
}

TokenClaims claims(std::uint32_t appId = kAppId, const QString& userId = kUserId,
    std::int64_t expire = kExpire, const TokenPayload& payload = {})
{
    TokenClaims result;
    result.appId = appId;
    result.userId = userId;
    result.nonce = 123456789;
    result.ctimeSeconds = kNow - 60;
    result.expireSeconds = expire;
    result.payload = payload;
    return result;
}

QString generate(const TokenClaims& tokenClaims)
{
    return Token::generate(tokenClaims, secret(kSecretFill));
}

std::array<std::uint8_t, 8> bigEndian64(std::int64_t value)
{
    std::array<std::uint8_t, 8> bytes {};
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (56 - 8 * i));
    return bytes;
}

// An independent implementation of the documented layout, so tests can seal what
// Token::generate never would (not JSON, a zero nonce) and so the format itself is pinned:
// "E1" + Base64(expire | nonce | XChaCha20-Poly1305(plaintext, ad = "E1" | expire)).
QString seal(const QByteArray& plaintext, std::int64_t expire = kExpire, int secretFill = kSecretFill)
{
    const SecureKey key = secret(secretFill);
    const auto expireBytes = bigEndian64(expire);
    QByteArray ad("E1");
    ad.append(reinterpret_cast<const char*>(expireBytes.data()), 8);
    std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce {};
    randombytes_buf(nonce.data(), nonce.size());
    QByteArray sealed(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    unsigned long long sealedSize = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<std::uint8_t*>(sealed.data()), &sealedSize,
        reinterpret_cast<const std::uint8_t*>(plaintext.constData()),
        static_cast<unsigned long long>(plaintext.size()),
        reinterpret_cast<const std::uint8_t*>(ad.constData()), static_cast<unsigned long long>(ad.size()),
        nullptr, nonce.data(), key.bytes().data());
    QByteArray body = ad.mid(2);
    body.append(reinterpret_cast<const char*>(nonce.data()), static_cast<qsizetype>(nonce.size()));
    body.append(sealed);
    return QStringLiteral("E1") + QString::fromLatin1(body.toBase64());
}

// The JSON generate() would write for claims(), with `changes` applied on top.
QByteArray claimsJson(const QJsonObject& changes, const QStringList& removed = {})
{
    QJsonObject json { { QStringLiteral("app_id"), static_cast<qint64>(kAppId) },
        { QStringLiteral("user_id"), kUserId }, { QStringLiteral("nonce"), 42 },
        { QStringLiteral("ctime"), kNow - 60 }, { QStringLiteral("expire"), kExpire },
        { QStringLiteral("payload"), QString() } };
    for (auto it = changes.begin(); it != changes.end(); ++it)
        json.insert(it.key(), it.value());
    for (const QString& key : removed)
        json.remove(key);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray decodedBody(const QString& token)
{
    return QByteArray::fromBase64(token.sliced(2).toLatin1());
}

// Opens a token with libsodium directly, to check what generate() sealed.
QJsonObject openedJson(const QString& token)
{
    const QByteArray body = decodedBody(token);
    const SecureKey key = secret(kSecretFill);
    QByteArray ad = QByteArray("E1") + body.left(8);
    QByteArray plain(body.size() - 8 - 24 - 16, Qt::Uninitialized);
    unsigned long long plainSize = 0;
    const auto* in = reinterpret_cast<const std::uint8_t*>(body.constData());
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<std::uint8_t*>(plain.data()), &plainSize,
            nullptr, in + 32, static_cast<unsigned long long>(body.size() - 32),
            reinterpret_cast<const std::uint8_t*>(ad.constData()), 10, in + 8, key.bytes().data())
        != 0) {
        return {};
    }
    return QJsonDocument::fromJson(plain).object();
}

TokenPayload restrictedPayload()
{
    TokenPayload payload;
    payload.roomId = QStringLiteral("room-7");
    payload.canLogin = false;
    payload.canPublish = false;
    payload.streamIdList = { QStringLiteral("stream-a"), QStringLiteral("stream-b") };
    return payload;
}

} // namespace

class TokenTest : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void convenienceGenerate();
    void layout();
    void payloadWritesOnlyNonDefaults_data();
    void payloadWritesOnlyNonDefaults();
    void rejects_data();
    void rejects();
    void everyTamperedByteIsRejected();
};

void TokenTest::roundTrip_data()
{
    QTest::addColumn<uint>("appId");
    QTest::addColumn<QString>("userId");
    QTest::addColumn<qint64>("expire");
    QTest::addColumn<TokenPayload>("payload");

    TokenPayload roomOnly;
    roomOnly.roomId = QStringLiteral("room-1");
    TokenPayload noPublish;
    noPublish.canPublish = false;
    TokenPayload streamsOnly;
    streamsOnly.streamIdList = { QStringLiteral("s1") };

    QTest::newRow("no payload") << uint { kAppId } << kUserId << kExpire << TokenPayload {};
    QTest::newRow("room only") << uint { kAppId } << kUserId << kExpire << roomOnly;
    QTest::newRow("no publish") << uint { kAppId } << kUserId << kExpire << noPublish;
    QTest::newRow("streams only") << uint { kAppId } << kUserId << kExpire << streamsOnly;
    QTest::newRow("everything restricted") << uint { kAppId } << kUserId << kExpire << restrictedPayload();
    QTest::newRow("largest app id") << uint { 0xffffffffu } << kUserId << kExpire << TokenPayload {};
    QTest::newRow("unicode user") << uint { kAppId } << QStringLiteral("用户\"\\1") << kExpire
                                  << TokenPayload {};
    QTest::newRow("far future") << uint { kAppId } << kUserId << qint64 { 0x7fffffffffffffff }
                                << TokenPayload {};
    QTest::newRow("expires next second") << uint { kAppId } << kUserId << kNow + 1 << TokenPayload {};
}

void TokenTest::roundTrip()
{
    QFETCH(uint, appId);
    QFETCH(QString, userId);
    QFETCH(qint64, expire);
    QFETCH(TokenPayload, payload);

    const TokenClaims sent = claims(appId, userId, expire, payload);
    const QString token = generate(sent);
    QVERIFY(token.startsWith(QLatin1String("E1")));
    QVERIFY(static_cast<std::size_t>(token.size()) <= Token::kMaxTokenChars);

    const auto check = Token::verify(token, appId, userId, secret(kSecretFill), kNow);
    QCOMPARE(check.code, ErrorCode::Success);
    QVERIFY(check.claims == sent);
    QCOMPARE(check.claims.payload.roomId, payload.roomId);
    QCOMPARE(check.claims.payload.canLogin, payload.canLogin);
    QCOMPARE(check.claims.payload.canPublish, payload.canPublish);
    QCOMPARE(check.claims.payload.streamIdList, payload.streamIdList);
}

void TokenTest::convenienceGenerate()
{
    const std::int64_t before = QDateTime::currentSecsSinceEpoch();
    const QString a = Token::generate(kAppId, kUserId, 3600, restrictedPayload(), secret(kSecretFill));
    const QString b = Token::generate(kAppId, kUserId, 3600, restrictedPayload(), secret(kSecretFill));
    QVERIFY(a != b); // fresh seal nonce and claim nonce each time

    const auto check = Token::verify(a, kAppId, kUserId, secret(kSecretFill), before);
    QCOMPARE(check.code, ErrorCode::Success);
    QVERIFY(check.claims.ctimeSeconds >= before);
    QCOMPARE(check.claims.expireSeconds, check.claims.ctimeSeconds + 3600);
    QVERIFY(check.claims.nonce > 0);
    QVERIFY(check.claims.nonce < (qint64 { 1 } << 53));
    QVERIFY(check.claims.payload == restrictedPayload());
    QCOMPARE(
        Token::verify(a, kAppId, kUserId, secret(kSecretFill), before + 3601).code, ErrorCode::TokenExpired);
}

void TokenTest::layout()
{
    const QString token = generate(claims());
    const QByteArray body = decodedBody(token);
    QCOMPARE(QString::fromLatin1(body.toBase64()), token.sliced(2)); // standard, padded
    const auto expire = bigEndian64(kExpire);
    QCOMPARE(body.left(8), QByteArray(reinterpret_cast<const char*>(expire.data()), 8));

    const QJsonObject json = openedJson(token);
    QCOMPARE(json.value(QLatin1String("app_id")).toInteger(), qint64 { kAppId });
    QCOMPARE(json.value(QLatin1String("user_id")).toString(), kUserId);
    QCOMPARE(json.value(QLatin1String("nonce")).toInteger(), qint64 { 123456789 });
    QCOMPARE(json.value(QLatin1String("ctime")).toInteger(), kNow - 60);
    QCOMPARE(json.value(QLatin1String("expire")).toInteger(), kExpire);
    QVERIFY(json.value(QLatin1String("payload")).isString());

    // The hand-built sealer agrees with generate(), so the rejection rows below test verify()
    // and not a mistake in the test.
    QCOMPARE(Token::verify(seal(claimsJson({})), kAppId, kUserId, secret(kSecretFill), kNow).code,
        ErrorCode::Success);
    // An issuer that leaves "payload" out grants the defaults, as an empty payload does.
    QCOMPARE(Token::verify(seal(claimsJson({}, { QStringLiteral("payload") })), kAppId, kUserId,
                 secret(kSecretFill), kNow)
                 .code,
        ErrorCode::Success);
}

void TokenTest::payloadWritesOnlyNonDefaults_data()
{
    QTest::addColumn<TokenPayload>("payload");
    QTest::addColumn<QByteArray>("expected");

    TokenPayload room;
    room.roomId = QStringLiteral("r");
    TokenPayload noLogin;
    noLogin.canLogin = false;
    TokenPayload streams;
    streams.streamIdList = { QStringLiteral("a"), QStringLiteral("b") };
    QTest::newRow("defaults") << TokenPayload {} << QByteArray();
    QTest::newRow("room") << room << QByteArray(R"({"room_id":"r"})");
    QTest::newRow("no login") << noLogin << QByteArray(R"({"privilege":{"1":0,"2":1}})");
    QTest::newRow("streams") << streams << QByteArray(R"({"stream_id_list":["a","b"]})");
}

void TokenTest::payloadWritesOnlyNonDefaults()
{
    QFETCH(TokenPayload, payload);
    QFETCH(QByteArray, expected);
    const QJsonObject json = openedJson(generate(claims(kAppId, kUserId, kExpire, payload)));
    QCOMPARE(json.value(QLatin1String("payload")).toString().toUtf8(), expected);
}

void TokenTest::rejects_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<uint>("expectedAppId");
    QTest::addColumn<QString>("expectedUserId");
    QTest::addColumn<int>("secretFill");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<ErrorCode>("expected");

    const QString good = generate(claims());
    const auto row = [](const char* name, const QString& token, ErrorCode code, uint appId = kAppId,
                         const QString& userId = kUserId, int fill = kSecretFill, qint64 now = kNow) {
        QTest::newRow(name) << token << appId << userId << fill << now << code;
    };
    const auto payload = [](const char* text) {
        return QJsonObject { { QStringLiteral("payload"), QString::fromUtf8(text) } };
    };

    row("expired", good, ErrorCode::TokenExpired, kAppId, kUserId, kSecretFill, kExpire);
    row("expired long ago", good, ErrorCode::TokenExpired, kAppId, kUserId, kSecretFill, kExpire + 86400);
    row("wrong app", generate(claims(2)), ErrorCode::TokenAppIdMismatch);
    row("wrong user", good, ErrorCode::TokenUserIdMismatch, kAppId, QStringLiteral("user-2"));
    row("user differs in case", good, ErrorCode::TokenUserIdMismatch, kAppId, QStringLiteral("USER-1"));
    row("wrong secret", good, ErrorCode::LoginAuthFailed, kAppId, kUserId, kSecretFill + 1);
    row("prefix E2", QStringLiteral("E2") + good.sliced(2), ErrorCode::TokenBadVersion);
    row("prefix 04", QStringLiteral("04") + good.sliced(2), ErrorCode::TokenBadVersion);
    row("lower-case prefix", QStringLiteral("e1") + good.sliced(2), ErrorCode::TokenBadVersion);
    row("empty", QString(), ErrorCode::TokenBadVersion);
    row("prefix only", QStringLiteral("E1"), ErrorCode::LoginAuthFailed);
    row("truncated by 4", good.left(good.size() - 4), ErrorCode::LoginAuthFailed);
    row("truncated to header",
        QStringLiteral("E1") + QString::fromLatin1(decodedBody(good).left(47).toBase64()),
        ErrorCode::LoginAuthFailed);
    row("oversized", QStringLiteral("E1") + QString(4998, QLatin1Char('A')), ErrorCode::LoginAuthFailed);
    row("just over the limit", good + QString(int(Token::kMaxTokenChars) - good.size() + 1, QLatin1Char('A')),
        ErrorCode::LoginAuthFailed);
    row("not base64", QStringLiteral("E1not*base64!"), ErrorCode::LoginAuthFailed);
    row("whitespace inside", good.left(20) + QLatin1Char(' ') + good.sliced(20), ErrorCode::LoginAuthFailed);
    row("non-latin-1", good.left(20) + QChar(0x4e2d) + good.sliced(21), ErrorCode::LoginAuthFailed);
    row("sealed not json", seal("this is not json"), ErrorCode::TokenPayloadNotJson);
    row("sealed empty", seal(QByteArray()), ErrorCode::TokenPayloadNotJson);
    row("sealed json array", seal("[1,2,3]"), ErrorCode::TokenPayloadNotJson);
    row("app id missing", seal(claimsJson({}, { QStringLiteral("app_id") })), ErrorCode::TokenPayloadNotJson);
    row("app id string", seal(claimsJson({ { QStringLiteral("app_id"), QStringLiteral("1") } })),
        ErrorCode::TokenPayloadNotJson);
    row("app id fraction", seal(claimsJson({ { QStringLiteral("app_id"), 1.5 } })),
        ErrorCode::TokenPayloadNotJson);
    row("app id negative", seal(claimsJson({ { QStringLiteral("app_id"), -1 } })),
        ErrorCode::TokenPayloadNotJson);
    row("app id above 32 bits", seal(claimsJson({ { QStringLiteral("app_id"), qint64 { 1 } << 32 } })),
        ErrorCode::TokenPayloadNotJson);
    row("user id number", seal(claimsJson({ { QStringLiteral("user_id"), 7 } })),
        ErrorCode::TokenPayloadNotJson);
    row("ctime missing", seal(claimsJson({}, { QStringLiteral("ctime") })), ErrorCode::TokenPayloadNotJson);
    row("expire missing", seal(claimsJson({}, { QStringLiteral("expire") })), ErrorCode::TokenPayloadNotJson);
    row("payload not a string", seal(claimsJson({ { QStringLiteral("payload"), QJsonObject {} } })),
        ErrorCode::TokenPayloadNotJson);
    row("payload not json", seal(claimsJson(payload("{room"))), ErrorCode::TokenPayloadNotJson);
    row("payload json array", seal(claimsJson(payload("[]"))), ErrorCode::TokenPayloadNotJson);
    row("privilege 2", seal(claimsJson(payload(R"({"privilege":{"1":2}})"))), ErrorCode::TokenPayloadNotJson);
    row("privilege bool", seal(claimsJson(payload(R"({"privilege":{"2":true}})"))),
        ErrorCode::TokenPayloadNotJson);
    row("privilege array", seal(claimsJson(payload(R"({"privilege":[1,1]})"))),
        ErrorCode::TokenPayloadNotJson);
    row("room id number", seal(claimsJson(payload(R"({"room_id":5})"))), ErrorCode::TokenPayloadNotJson);
    row("stream list of numbers", seal(claimsJson(payload(R"({"stream_id_list":[1]})"))),
        ErrorCode::TokenPayloadNotJson);
    row("zero nonce", seal(claimsJson({ { QStringLiteral("nonce"), 0 } })), ErrorCode::TokenBadNonce);
    row("nonce missing", seal(claimsJson({}, { QStringLiteral("nonce") })), ErrorCode::TokenBadNonce);
    row("nonce string", seal(claimsJson({ { QStringLiteral("nonce"), QStringLiteral("42") } })),
        ErrorCode::TokenBadNonce);
    row("inner expire differs", seal(claimsJson({ { QStringLiteral("expire"), kExpire + 1 } })),
        ErrorCode::LoginAuthFailed);
    row("sealed with another secret", seal(claimsJson({}), kExpire, kSecretFill + 1),
        ErrorCode::LoginAuthFailed);
}

void TokenTest::rejects()
{
    QFETCH(QString, token);
    QFETCH(uint, expectedAppId);
    QFETCH(QString, expectedUserId);
    QFETCH(int, secretFill);
    QFETCH(qint64, now);
    QFETCH(ErrorCode, expected);
    const auto check = Token::verify(token, expectedAppId, expectedUserId, secret(secretFill), now);
    QCOMPARE(check.code, expected);
}

void TokenTest::everyTamperedByteIsRejected()
{
    const QString token = generate(claims(kAppId, kUserId, kExpire, restrictedPayload()));
    const QByteArray body = decodedBody(token);
    QVERIFY(body.size() > 48);
    const SecureKey key = secret(kSecretFill);
    for (qsizetype i = 0; i < body.size(); ++i) {
        for (const char flip : { '\x01', '\x80' }) {
            QByteArray tampered = body;
            tampered[i] = static_cast<char>(tampered[i] ^ flip);
            const QString forged = QStringLiteral("E1") + QString::fromLatin1(tampered.toBase64());
            // now = 0, so a flipped expiry that still opened could not hide behind TokenExpired
            const auto code = Token::verify(forged, kAppId, kUserId, key, 0).code;
            QVERIFY2(code != ErrorCode::Success, qPrintable(QStringLiteral("byte %1").arg(i)));
            QCOMPARE(code, ErrorCode::LoginAuthFailed);
        }
    }
}

QTEST_APPLESS_MAIN(TokenTest)
#include "TokenTest.moc"
