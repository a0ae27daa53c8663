#include "AppRegistry.h"
#include "ServerConfig.h"

#include <QTemporaryFile>
#include <QTest>

using earshot::server::AppRegistry;
using earshot::server::ServerConfig;

namespace {
const QString kHex = QString(64, QLatin1Char('a'));
const QString kOtherHex = QString(64, QLatin1Char('b'));
} // namespace

class ServerConfigTest : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void flags();
    void rejects_data();
    void rejects();
    void fileThenFlagsOverride();
    void unreadableFile();
    void versionAndSeveralFiles();
    void appSpecs_data();
    void appSpecs();
};

void ServerConfigTest::defaults()
{
    ServerConfig config;
    QVERIFY(config.parseArguments({}).ok);
    QCOMPARE(config.listenPort, quint16(7400));
    QCOMPARE(config.mediaPort, quint16(7401));
    QCOMPARE(config.graceMs, 10'000);
    QCOMPARE(config.onlineCountIntervalMs, 30'000);
}

void ServerConfigTest::flags()
{
    ServerConfig config;
    const auto result = config.parseArguments({"--listen", "127.0.0.1:0", "--media-port", "0", "--app",
                                                "7:" + kHex + ":" + kOtherHex, "--grace-ms", "1500",
                                                "--heartbeat-interval-ms", "500",
                                                "--online-count-interval-ms", "300"});
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(config.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config.listenPort, quint16(0));
    QCOMPARE(config.mediaPort, quint16(0));
    QCOMPARE(config.appSpecs.size(), 1);
    QCOMPARE(config.graceMs, 1500);
    QCOMPARE(config.heartbeatIntervalMs, 500);
    QCOMPARE(config.onlineCountIntervalMs, 300);
}

void ServerConfigTest::rejects_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unknown flag") << QStringList{"--frobnicate", "1"};
    QTest::newRow("missing value") << QStringList{"--listen"};
    QTest::newRow("listen without port") << QStringList{"--listen", "127.0.0.1"};
    QTest::newRow("listen bad host") << QStringList{"--listen", "not a host:80"};
    QTest::newRow("port too big") << QStringList{"--media-port", "70000"};
    QTest::newRow("negative grace") << QStringList{"--grace-ms", "-1"};
    QTest::newRow("heartbeat too small") << QStringList{"--heartbeat-interval-ms", "5"};
    QTest::newRow("cert without key") << QStringList{"--cert", "/tmp/cert.pem"};
}

void ServerConfigTest::rejects()
{
    QFETCH(QStringList, arguments);
    ServerConfig config;
    const auto result = config.parseArguments(arguments);
    QVERIFY(!result.ok);
    QVERIFY(!result.error.isEmpty());
}

void ServerConfigTest::fileThenFlagsOverride()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(QStringLiteral(R"({"listen": "127.0.0.1:9000", "media_port": 9001, "grace_ms": 2000,
        "apps": [{"app_id": 5, "app_sign": "%1", "server_secret": "%2"}]})")
                   .arg(kHex, kOtherHex)
                   .toUtf8());
    file.flush();
    ServerConfig config;
    const auto result = config.parseArguments({"--grace-ms", "3000", "--config", file.fileName()});
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(config.listenPort, quint16(9000));
    QCOMPARE(config.mediaPort, quint16(9001));
    QCOMPARE(config.graceMs, 3000);
    QCOMPARE(config.appSpecs, QStringList{"5:" + kHex + ":" + kOtherHex});
}

// --version wins over everything else; several --config files add their apps up (the service
// reads server.json, then apps.json).
void ServerConfigTest::versionAndSeveralFiles()
{
    ServerConfig versionConfig;
    const auto version = versionConfig.parseArguments({"--listen", "127.0.0.1:1", "--version"});
    QVERIFY(version.versionRequested);
    QVERIFY(ServerConfig::versionLine().startsWith("earshot-server "));

    QTemporaryFile settings;
    QVERIFY(settings.open());
    settings.write(R"({"listen": "127.0.0.1:9100", "media_port": 9101})");
    settings.flush();
    QTemporaryFile apps;
    QVERIFY(apps.open());
    apps.write(QStringLiteral(R"({"apps": [{"app_id": 5, "app_sign": "%1", "server_secret": "%2"}]})")
                   .arg(kHex, kOtherHex)
                   .toUtf8());
    apps.flush();
    ServerConfig config;
    const auto result = config.parseArguments({"--config", settings.fileName(), "--config", apps.fileName()});
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(config.listenPort, quint16(9100));
    QCOMPARE(config.mediaPort, quint16(9101));
    QCOMPARE(config.appSpecs, QStringList{"5:" + kHex + ":" + kOtherHex});
}

void ServerConfigTest::unreadableFile()
{
    ServerConfig config;
    const auto result = config.parseArguments({"--config", "/nonexistent/earshot.json"});
    QVERIFY(!result.ok);
    QVERIFY(result.error.contains("/nonexistent/earshot.json"));
}

void ServerConfigTest::appSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::newRow("good") << "1:" + kHex + ":" + kOtherHex << true;
    QTest::newRow("app id zero") << "0:" + kHex + ":" + kOtherHex << false;
    QTest::newRow("app id too big") << "4294967296:" + kHex + ":" + kOtherHex << false;
    QTest::newRow("short appsign") << "1:" + kHex.left(62) + ":" + kOtherHex << false;
    QTest::newRow("non-hex secret") << "1:" + kHex + ":" + QString(64, QLatin1Char('z')) << false;
    QTest::newRow("two parts") << "1:" + kHex << false;
}

void ServerConfigTest::appSpecs()
{
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    AppRegistry registry;
    const QString error = registry.addFromSpec(spec);
    QCOMPARE(error.isEmpty(), valid);
    QCOMPARE(registry.find(1) != nullptr, valid);
    // An error never repeats a secret back.
    QVERIFY(!error.contains(kOtherHex));
    QVERIFY(!error.contains(kHex));
}

QTEST_APPLESS_MAIN(ServerConfigTest)
#include "ServerConfigTest.moc"
