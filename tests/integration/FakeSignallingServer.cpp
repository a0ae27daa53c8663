#include "FakeSignallingServer.h"

#include <earshot/protocol/AppSignAuth.h>
#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/KeyExchange.h>

#include <QNetworkProxy>

#include <sodium.h>

namespace earshot::integration {

using namespace earshot::protocol;

namespace {

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    randombytes_buf(bytes.data(), std::size_t(size));
    return bytes;
}

} // namespace

FakeSignallingServer::FakeSignallingServer(QObject* parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake-earshot"), QWebSocketServer::NonSecureMode)
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    m_server.setProxy(QNetworkProxy::NoProxy);
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeSignallingServer::onNewConnection);
}

FakeSignallingServer::~FakeSignallingServer()
{
    dropConnections();
    m_server.close();
}

bool FakeSignallingServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeSignallingServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()));
}

void FakeSignallingServer::onNewConnection()
{
    while (QWebSocket* raw = m_server.nextPendingConnection()) {
        raw->setParent(nullptr);
        connect(raw, &QWebSocket::textMessageReceived, this, [this, raw](const QString& text) { onText(raw, text); });
        connect(raw, &QWebSocket::binaryMessageReceived, this, [this] { ++m_binaryFrames; });
        m_sockets.emplace_back(raw);
        greet(raw);
    }
}

void FakeSignallingServer::greet(QWebSocket* socket)
{
    if (m_greeting == Greeting::Nothing)
        return;
    HelloEvent hello;
    hello.serverVersion = QStringLiteral("fake");
    hello.challenge = randomBytes(qsizetype(AppSignAuth::kChallengeSize));
    const KeyExchange serverKeys;
    hello.serverPublicKey = QByteArray(reinterpret_cast<const char*>(serverKeys.publicKey().data()),
                                       qsizetype(serverKeys.publicKey().size()));
    if (m_greeting == Greeting::MalformedHello)
        hello.serverPublicKey.chop(1);
    hello.heartbeatIntervalMs = m_heartbeatIntervalMs;
    hello.mediaPort = 0;
    socket->sendTextMessage(QString::fromUtf8(serializeSignalMessage(0, std::move(hello))));
}

void FakeSignallingServer::onText(QWebSocket* socket, const QString& text)
{
    SignalParseResult parsed = parseSignalMessage(text.toUtf8());
    if (!parsed.ok)
        return;
    m_received.append(parsed.message);
    const std::int64_t id = parsed.message.id;
    const auto reply = [socket, id](auto body) {
        socket->sendTextMessage(QString::fromUtf8(serializeSignalMessage(id, std::move(body))));
    };
    const SignalBody& body = parsed.message.body;
    if (std::holds_alternative<LoginRequest>(body)) {
        LoginReply login;
        login.roomSessionId = QStringLiteral("fake-room");
        login.sessionId = QStringLiteral("fake-session");
        login.resumeSecret = randomBytes(32);
        login.mediaSessionId = 7;
        reply(std::move(login));
    } else if (std::holds_alternative<ResumeRequest>(body)) {
        LoginReply refused;
        refused.code = toInt(ErrorCode::Disconnected);
        reply(std::move(refused));
    } else if (std::holds_alternative<HeartbeatRequest>(body)) {
        if (m_answerHeartbeats)
            reply(HeartbeatReply{0, 0});
    } else if (std::holds_alternative<PublishRequest>(body)) {
        if (m_answerRequests)
            reply(PublishReply{0, {}, 1234});
    } else if (id != 0 && m_answerRequests) {
        reply(GenericReply{0, {}});
    }
}

void FakeSignallingServer::sendText(const QByteArray& utf8)
{
    if (!m_sockets.empty())
        m_sockets.back()->sendTextMessage(QString::fromUtf8(utf8));
}

void FakeSignallingServer::sendBinary(const QByteArray& bytes)
{
    if (!m_sockets.empty())
        m_sockets.back()->sendBinaryMessage(bytes);
}

void FakeSignallingServer::dropConnections()
{
    for (const auto& socket : m_sockets) {
        socket->disconnect(this);
        socket->abort();
    }
    m_sockets.clear();
}

} // namespace earshot::integration
