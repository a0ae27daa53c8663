// The server with a certificate and key: the ready line says wss:// and https://, and both the
// WebSocket and HTTP on the shared port speak TLS with that certificate.
#include "ServerProcess.h"

#include <earshot/protocol/SignalMessage.h>

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using earshot::integration::ServerProcess;

class ServerTlsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void readyLineSaysTls();
    void webSocketHelloOverTls();
    void httpsHealth();
    void plainWebSocketIsRefused();

private:
    QSslConfiguration trustingConfiguration() const;

    QTemporaryDir m_dir;
    ServerProcess m_server;
    QSslCertificate m_certificate;
};

void ServerTlsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    const QString certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                   "-keyout", key, "-out", certificate});
    QVERIFY2(openssl.waitForFinished(30000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    const auto certificates = QSslCertificate::fromPath(certificate);
    QCOMPARE(certificates.size(), 1);
    m_certificate = certificates.first();
    QVERIFY(m_server.start({QStringLiteral("--cert"), certificate, QStringLiteral("--key"), key}));
}

void ServerTlsTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

QSslConfiguration ServerTlsTest::trustingConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({m_certificate});
    return configuration;
}

void ServerTlsTest::readyLineSaysTls()
{
    QCOMPARE(m_server.signallingUrl().scheme(), QStringLiteral("wss"));
    QCOMPARE(m_server.httpUrl().scheme(), QStringLiteral("https"));
    QCOMPARE(m_server.mediaUrl().scheme(), QStringLiteral("udp"));
}

void ServerTlsTest::webSocketHelloOverTls()
{
    QWebSocket socket;
    socket.setSslConfiguration(trustingConfiguration());
    QSignalSpy errors(&socket, &QWebSocket::sslErrors);
    QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
    QUrl url = m_server.signallingUrl();
    url.setPath(QStringLiteral("/"));
    socket.open(url);
    QTRY_VERIFY_WITH_TIMEOUT(messages.count() >= 1, 10000);
    QCOMPARE(errors.count(), 0);
    const auto parsed = earshot::protocol::parseSignalMessage(messages.first().first().toString().toUtf8());
    QVERIFY2(parsed.ok, qPrintable(parsed.error));
    QVERIFY(std::holds_alternative<earshot::protocol::HelloEvent>(parsed.message.body));
    QVERIFY(socket.sslConfiguration().sessionProtocol() != QSsl::UnknownProtocol);
}

void ServerTlsTest::httpsHealth()
{
    QNetworkAccessManager network;
    QUrl url = m_server.httpUrl();
    url.setPath(QStringLiteral("/healthz"));
    QNetworkRequest request(url);
    request.setSslConfiguration(trustingConfiguration());
    QNetworkReply* reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("\"status\":\"ok\""));
    reply->deleteLater();
}

void ServerTlsTest::plainWebSocketIsRefused()
{
    // A client that does not speak TLS never gets a hello.
    QWebSocket socket;
    QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
    QUrl url = m_server.signallingUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/"));
    socket.open(url);
    QVERIFY(!messages.wait(1500));
    QVERIFY(socket.state() != QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(ServerTlsTest)
#include "ServerTlsTest.moc"
