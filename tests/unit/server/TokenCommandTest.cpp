#include "TokenCommand.h"

#include <earshot/protocol/Token.h>

#include <QDateTime>
#include <QTemporaryFile>
#include <QTest>

using earshot::protocol::ErrorCode;
using earshot::protocol::SecureKey;
using earshot::protocol::Token;

namespace {

const QString kSecretHex = QStringLiteral("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

struct Outcome {
    int exitCode;
    QString out;
    QString err;
};

Outcome run(const QStringList& arguments)
{
    QString out;
    QString err;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    const int code = earshot::server::runTokenCommand(arguments, outStream, errStream);
    outStream.flush();
    errStream.flush();
    return {code, out, err};
}

SecureKey secret(const QString& secretHex = kSecretHex)
{
    SecureKey key;
    const QByteArray hex = secretHex.toLatin1();
    [[maybe_unused]] const bool ok = key.setFromHex(hex.constData(), std::size_t(hex.size()));
    return key;
}

} // namespace

class TokenCommandTest : public QObject {
    Q_OBJECT

private slots:
    void printsVerifiableToken();
    void privilegesReachTheToken();
    void appFromConfigFile();
    void rejects_data();
    void rejects();
};

void TokenCommandTest::printsVerifiableToken()
{
    const Outcome outcome = run({"--app-id", "42", "--server-secret", kSecretHex, "--user", "alice", "--ttl", "120"});
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY(outcome.err.isEmpty());
    const QString token = outcome.out.trimmed();
    QVERIFY(!token.contains('\n'));
    const auto check = Token::verify(token, 42, "alice", secret(), QDateTime::currentSecsSinceEpoch());
    QCOMPARE(check.code, ErrorCode::Success);
    QVERIFY(qAbs(check.claims.expireSeconds - QDateTime::currentSecsSinceEpoch() - 120) <= 2);
    QVERIFY(check.claims.payload.canPublish);
    QVERIFY(check.claims.payload.roomId.isEmpty());
}

void TokenCommandTest::privilegesReachTheToken()
{
    const Outcome outcome = run({"--app-id", "42", "--server-secret", kSecretHex, "--user", "bob", "--room",
                                 "room1", "--no-publish", "--stream", "s1", "--stream", "s2"});
    QCOMPARE(outcome.exitCode, 0);
    const auto check = Token::verify(outcome.out.trimmed(), 42, "bob", secret(), QDateTime::currentSecsSinceEpoch());
    QCOMPARE(check.code, ErrorCode::Success);
    QCOMPARE(check.claims.payload.roomId, QStringLiteral("room1"));
    QVERIFY(!check.claims.payload.canPublish);
    QVERIFY(check.claims.payload.canLogin);
    QCOMPARE(check.claims.payload.streamIdList, (QStringList{"s1", "s2"}));
}

// What the packages do: the service's apps.json holds the app, and `token --config` finds it by
// --app-id, or takes the first one.
void TokenCommandTest::appFromConfigFile()
{
    const QString otherSecret(64, QLatin1Char('f'));
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(QStringLiteral(R"({"apps": [{"app_id": 7, "app_sign": "%1", "server_secret": "%1"},
                                           {"app_id": 42, "app_sign": "%1", "server_secret": "%2"}]})")
                   .arg(otherSecret, kSecretHex)
                   .toUtf8());
    file.flush();
    const Outcome chosen = run({"--config", file.fileName(), "--app-id", "42", "--user", "carol"});
    QCOMPARE(chosen.exitCode, 0);
    const auto check = Token::verify(chosen.out.trimmed(), 42, "carol", secret(), QDateTime::currentSecsSinceEpoch());
    QCOMPARE(check.code, ErrorCode::Success);
    const Outcome first = run({"--config", file.fileName(), "--user", "carol"});
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(Token::verify(first.out.trimmed(), 7, "carol", secret(otherSecret), QDateTime::currentSecsSinceEpoch()).code,
             ErrorCode::Success);
    const Outcome missing = run({"--config", file.fileName(), "--app-id", "9", "--user", "carol"});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains("no matching app"));
    const Outcome unreadable = run({"--config", "/nonexistent/apps.json", "--user", "carol"});
    QCOMPARE(unreadable.exitCode, 2);
}

void TokenCommandTest::rejects_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no user") << QStringList{"--app-id", "1", "--server-secret", kSecretHex};
    QTest::newRow("app id 0") << QStringList{"--app-id", "0", "--server-secret", kSecretHex, "--user", "a"};
    QTest::newRow("short secret") << QStringList{"--app-id", "1", "--server-secret", "abcd", "--user", "a"};
    QTest::newRow("bad user") << QStringList{"--app-id", "1", "--server-secret", kSecretHex, "--user", "a b"};
    QTest::newRow("bad room") << QStringList{"--app-id", "1", "--server-secret", kSecretHex, "--user", "a",
                                             "--room", "x/y"};
    QTest::newRow("bad stream") << QStringList{"--app-id", "1", "--server-secret", kSecretHex, "--user", "a",
                                               "--stream", "a.b"};
    QTest::newRow("ttl 0") << QStringList{"--app-id", "1", "--server-secret", kSecretHex, "--user", "a",
                                          "--ttl", "0"};
    QTest::newRow("unknown") << QStringList{"--app-id", "1", "--bogus", "x"};
}

void TokenCommandTest::rejects()
{
    QFETCH(QStringList, arguments);
    const Outcome outcome = run(arguments);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY(outcome.out.isEmpty());
    QVERIFY(outcome.err.startsWith("earshot-server token: "));
}

QTEST_APPLESS_MAIN(TokenCommandTest)
#include "TokenCommandTest.moc"
