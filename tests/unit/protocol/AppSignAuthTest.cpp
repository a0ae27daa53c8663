#include <earshot/protocol/AppSignAuth.h>

#include <QTest>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

using earshot::protocol::AppSignAuth;
using earshot::protocol::SecureKey;

namespace {

// Owns what a Transcript only views, so each test row can change one field.
struct Login {
    AppSignAuth::Challenge challenge {};
    std::uint32_t appId = 1234567;
    std::string roomId = "room-1";
    std::string userId = "user-1";
    std::array<std::uint8_t, 32> clientPublicKey {};

    AppSignAuth::Transcript transcript() const
    {
        return { challenge, appId, roomId, userId, clientPublicKey };
    }
};

Login fixedLogin()
{
    Login login;
    for (std::size_t i = 0; i < login.challenge.size(); ++i)
        login.challenge[i] = static_cast<std::uint8_t>(0xc0 + i);
    for (std::size_t i = 0; i < login.clientPublicKey.size(); ++i)
        login.clientPublicKey[i] = static_cast<std::uint8_t>(i * 7);
    return login;
}

SecureKey appSign(std::uint8_t fill)
{
    std::array<std::uint8_t, SecureKey::kSize> bytes {};
    bytes.fill(fill);
    return SecureKey(bytes);
}

enum class Mutation {
    None,
    ChallengeFirstByte,
    ChallengeLastByte,
    AppId,
    RoomId,
    RoomIdEmpty,
    UserId,
    FieldBoundary, // "room-1u" + "ser-1": same bytes, different split
    PublicKeyFirstByte,
    PublicKeyLastByte,
    MacByte,
    MacTruncated,
    MacExtended,
    MacEmpty,
    WrongAppSign,
};

} // namespace

Q_DECLARE_METATYPE(Mutation)

class AppSignAuthTest : public QObject {
    Q_OBJECT

private slots:
    void challengesAreRandom();
    void macIsDeterministic();
    void knownAnswer();
    void verify_data();
    void verify();
};

void AppSignAuthTest::challengesAreRandom()
{
    const auto a = AppSignAuth::makeChallenge();
    const auto b = AppSignAuth::makeChallenge();
    QVERIFY(a != b);
    QVERIFY(a != AppSignAuth::Challenge {});
}

void AppSignAuthTest::macIsDeterministic()
{
    const Login login = fixedLogin();
    const SecureKey key = appSign(0x42);
    QVERIFY(
        AppSignAuth::computeMac(key, login.transcript()) == AppSignAuth::computeMac(key, login.transcript()));
}

// Pins the transcript layout, so a client and a server built from different revisions cannot
// silently disagree. The expected value was computed independently from the documented layout:
// HMAC-SHA-256(key = 32 x 0x42, "earshot-appsign-v1" || len32be(field) || field ...).
void AppSignAuthTest::knownAnswer()
{
    const Login login = fixedLogin();
    const auto mac = AppSignAuth::computeMac(appSign(0x42), login.transcript());
    const QByteArray hex
        = QByteArray(reinterpret_cast<const char*>(mac.data()), static_cast<qsizetype>(mac.size())).toHex();
    QCOMPARE(hex, QByteArray("737dff63e163548b948c7fe39e7e23b6d12ae4d3ca424d7eff802f6f60311cc7"));
}

void AppSignAuthTest::verify_data()
{
    QTest::addColumn<Mutation>("mutation");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("unchanged") << Mutation::None << true;
    QTest::newRow("challenge first byte") << Mutation::ChallengeFirstByte << false;
    QTest::newRow("challenge last byte") << Mutation::ChallengeLastByte << false;
    QTest::newRow("app id") << Mutation::AppId << false;
    QTest::newRow("room id") << Mutation::RoomId << false;
    QTest::newRow("room id empty") << Mutation::RoomIdEmpty << false;
    QTest::newRow("user id") << Mutation::UserId << false;
    QTest::newRow("field boundary") << Mutation::FieldBoundary << false;
    QTest::newRow("public key first byte") << Mutation::PublicKeyFirstByte << false;
    QTest::newRow("public key last byte") << Mutation::PublicKeyLastByte << false;
    QTest::newRow("mac byte") << Mutation::MacByte << false;
    QTest::newRow("mac truncated") << Mutation::MacTruncated << false;
    QTest::newRow("mac extended") << Mutation::MacExtended << false;
    QTest::newRow("mac empty") << Mutation::MacEmpty << false;
    QTest::newRow("wrong appsign") << Mutation::WrongAppSign << false;
}

void AppSignAuthTest::verify()
{
    QFETCH(Mutation, mutation);
    QFETCH(bool, accepted);

    const SecureKey clientAppSign = appSign(0x42);
    const Login sent = fixedLogin();
    const auto computed = AppSignAuth::computeMac(clientAppSign, sent.transcript());
    std::vector<std::uint8_t> mac(computed.begin(), computed.end());

    Login received = sent;
    SecureKey serverAppSign = clientAppSign.clone();
    switch (mutation) {
    case Mutation::None:
        break;
    case Mutation::ChallengeFirstByte:
        received.challenge.front() ^= 1;
        break;
    case Mutation::ChallengeLastByte:
        received.challenge.back() ^= 0x80;
        break;
    case Mutation::AppId:
        received.appId += 1;
        break;
    case Mutation::RoomId:
        received.roomId = "room-2";
        break;
    case Mutation::RoomIdEmpty:
        received.roomId.clear();
        break;
    case Mutation::UserId:
        received.userId = "user-2";
        break;
    case Mutation::FieldBoundary:
        received.roomId = "room-1u";
        received.userId = "ser-1";
        break;
    case Mutation::PublicKeyFirstByte:
        received.clientPublicKey.front() ^= 1;
        break;
    case Mutation::PublicKeyLastByte:
        received.clientPublicKey.back() ^= 0x80;
        break;
    case Mutation::MacByte:
        mac[17] ^= 0x04;
        break;
    case Mutation::MacTruncated:
        mac.pop_back();
        break;
    case Mutation::MacExtended:
        mac.push_back(0);
        break;
    case Mutation::MacEmpty:
        mac.clear();
        break;
    case Mutation::WrongAppSign:
        serverAppSign = appSign(0x43);
        break;
    }
    QCOMPARE(AppSignAuth::verifyMac(serverAppSign, received.transcript(), mac), accepted);
}

QTEST_APPLESS_MAIN(AppSignAuthTest)
#include "AppSignAuthTest.moc"
