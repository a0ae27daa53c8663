#include "TestClient.h"

#include <earshot/protocol/AppSignAuth.h>

#include <QNetworkProxy>
#include <QTest>

#include <sodium.h>

#include <span>
#include <string_view>

namespace earshot::integration {

using namespace earshot::protocol;

namespace {

std::span<const std::uint8_t> bytesOf(const QByteArray& data)
{
    return {reinterpret_cast<const std::uint8_t*>(data.constData()), std::size_t(data.size())};
}

std::string_view viewOf(const QByteArray& data)
{
    return {data.constData(), std::size_t(data.size())};
}

// Enough of a frame to recognise it in a warning without flooding the log.
QString excerpt(const QByteArray& text)
{
    constexpr qsizetype kMaxChars = 300;
    return QString::fromUtf8(text.left(kMaxChars)) + (text.size() > kMaxChars ? "…" : "");
}

} // namespace

QString uniqueId(const QString& base)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(base).arg(++counter);
}

QStringList userIdsOf(const QList<UserInfo>& users)
{
    QStringList ids;
    for (const UserInfo& user : users)
        ids << user.userId;
    ids.sort();
    return ids;
}

QStringList streamIdsOf(const QList<StreamInfo>& streams)
{
    QStringList ids;
    for (const StreamInfo& stream : streams)
        ids << stream.streamId;
    ids.sort();
    return ids;
}

TestClient::TestClient(QUrl serverUrl, QObject* parent)
    : QObject(parent), m_serverUrl(std::move(serverUrl))
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    m_socket.setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &TestClient::onTextMessage);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &TestClient::onBinaryMessage);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &TestClient::sendHeartbeat);
}

TestClient::~TestClient()
{
    m_heartbeatTimer.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort(); // the server treats it as a drop: the session ends after its grace
}

std::unique_ptr<TestClient> TestClient::joinRoom(const QUrl& serverUrl, const TestApp& app,
                                                 const QString& roomId, const QString& userId,
                                                 UserNotify notify, std::uint32_t maxMemberCount)
{
    auto client = std::make_unique<TestClient>(serverUrl);
    if (!client->connectToServer())
        return nullptr;
    const auto reply = client->loginAppSign(app, roomId, userId, notify, maxMemberCount);
    if (!reply || reply->code != 0) {
        qWarning().noquote() << "login of" << userId << "to" << roomId << "failed with code"
                             << (reply ? reply->code : -1);
        return nullptr;
    }
    return client;
}

bool TestClient::connectToServer(int timeoutMs)
{
    bool failed = false;
    const auto connection = connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                                    this, [&](QAbstractSocket::SocketError) { failed = true; });
    m_socket.open(m_serverUrl);
    const bool ok = waitUntil([&] { return m_helloReceived || failed; }, timeoutMs) && !failed;
    disconnect(connection);
    if (!ok) {
        qWarning().noquote() << "no hello from" << m_serverUrl.toString() << ":"
                             << m_socket.errorString();
        return false;
    }
    if (m_hello.challenge.size() != qsizetype(AppSignAuth::kChallengeSize)
        || m_hello.serverPublicKey.size() != qsizetype(KeyExchange::kPublicKeySize)) {
        qWarning() << "hello with a malformed challenge or server key";
        return false;
    }
    return true;
}

LoginRequest TestClient::makeLoginRequest(std::uint32_t appId, const QString& roomId,
                                          const QString& userId, const QString& userName,
                                          UserNotify notify, std::uint32_t maxMemberCount) const
{
    LoginRequest request;
    request.appId = appId;
    request.roomId = roomId;
    request.user = UserInfo{userId, userName};
    request.isUserStatusNotify = notify == UserNotify::On;
    request.maxMemberCount = maxMemberCount;
    const auto& key = m_keyExchange.publicKey();
    request.clientPublicKey = QByteArray(reinterpret_cast<const char*>(key.data()), qsizetype(key.size()));
    return request;
}

QByteArray TestClient::appSignMac(const LoginRequest& request, const QByteArray& appSignHex) const
{
    const QByteArray roomId = request.roomId.toUtf8();
    const QByteArray userId = request.user.userId.toUtf8();
    const AppSignAuth::Mac mac = AppSignAuth::computeMac(
        TestApp::keyFromHex(appSignHex),
        AppSignAuth::Transcript{bytesOf(m_hello.challenge), request.appId, viewOf(roomId),
                                viewOf(userId), bytesOf(request.clientPublicKey)});
    return QByteArray(reinterpret_cast<const char*>(mac.data()), qsizetype(mac.size()));
}

std::optional<LoginReply> TestClient::loginAppSign(LoginRequest request, const QByteArray& appSignHex)
{
    request.authMode = AuthMode::AppSign;
    request.appSignMac = appSignMac(request, appSignHex);
    return login(request);
}

std::optional<LoginReply> TestClient::loginAppSign(const TestApp& app, const QString& roomId,
                                                   const QString& userId, UserNotify notify,
                                                   std::uint32_t maxMemberCount)
{
    return loginAppSign(
        makeLoginRequest(app.appId, roomId, userId, userNameFor(userId), notify, maxMemberCount),
        app.appSignHex);
}

std::optional<LoginReply> TestClient::loginToken(LoginRequest request, const QString& token)
{
    request.authMode = AuthMode::Token;
    request.token = token;
    return login(request);
}

std::optional<LoginReply> TestClient::loginToken(const TestApp& app, const QString& token,
                                                 const QString& roomId, const QString& userId,
                                                 UserNotify notify)
{
    return loginToken(makeLoginRequest(app.appId, roomId, userId, userNameFor(userId), notify),
                      token);
}

std::optional<LoginReply> TestClient::login(const LoginRequest& request)
{
    auto reply = this->request<LoginReply>(request);
    if (reply && reply->code == 0)
        rememberSession(*reply, request.roomId, request.user.userId);
    return reply;
}

std::optional<LoginReply> TestClient::resume(const QString& sessionId, const QByteArray& resumeSecret)
{
    ResumeRequest request;
    request.sessionId = sessionId;
    request.mac.resize(crypto_auth_hmacsha256_BYTES);
    if (resumeSecret.size() == crypto_auth_hmacsha256_KEYBYTES) {
        crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(request.mac.data()),
                               reinterpret_cast<const unsigned char*>(m_hello.challenge.constData()),
                               std::size_t(m_hello.challenge.size()),
                               reinterpret_cast<const unsigned char*>(resumeSecret.constData()));
    } else {
        qWarning() << "resume secret of" << resumeSecret.size() << "bytes; sending a zero MAC";
        request.mac.fill('\0');
    }
    auto reply = this->request<LoginReply>(request);
    if (reply && reply->code == 0) {
        // A resume carries no room or user in its request; the caller's old session had them.
        m_sessionId = reply->sessionId.isEmpty() ? sessionId : reply->sessionId;
        m_resumeSecret = reply->resumeSecret.isEmpty() ? resumeSecret : reply->resumeSecret;
        if (reply->mediaSessionId != 0)
            m_mediaSessionId = reply->mediaSessionId;
    }
    return reply;
}

void TestClient::rememberSession(const LoginReply& reply, const QString& roomId, const QString& userId)
{
    m_roomId = roomId;
    m_userId = userId;
    m_sessionId = reply.sessionId;
    m_resumeSecret = reply.resumeSecret;
    m_mediaSessionId = reply.mediaSessionId;
}

void TestClient::sendRawText(const QByteArray& utf8Text)
{
    m_socket.sendTextMessage(QString::fromUtf8(utf8Text));
}

void TestClient::sendRawBinary(const QByteArray& bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                     timeoutMs);
}

void TestClient::dropConnection()
{
    m_heartbeatTimer.stop();
    m_socket.abort();
}

void TestClient::setAutoHeartbeat(bool enabled)
{
    m_autoHeartbeat = enabled;
    if (!enabled)
        m_heartbeatTimer.stop();
    else if (m_helloReceived && m_hello.heartbeatIntervalMs > 0)
        m_heartbeatTimer.start(int(m_hello.heartbeatIntervalMs));
}

bool TestClient::waitUntil(const std::function<bool()>& condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

void TestClient::onTextMessage(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    SignalParseResult parsed = parseSignalMessage(utf8);
    if (!parsed.ok) {
        ++m_unparsableFrames;
        qWarning().noquote() << label() << "cannot parse a server frame (" << parsed.error
                             << "):" << excerpt(utf8);
        return;
    }
    SignalMessage& message = parsed.message;
    if (message.id != 0) {
        if (m_heartbeatIds.erase(message.id) == 0)
            m_replies.insert_or_assign(message.id, std::move(message));
        return;
    }
    if (const auto* hello = std::get_if<HelloEvent>(&message.body); hello && !m_helloReceived) {
        m_hello = *hello;
        m_helloReceived = true;
        setAutoHeartbeat(m_autoHeartbeat);
        return;
    }
    m_events.push_back(std::move(message));
}

void TestClient::onBinaryMessage(const QByteArray& bytes)
{
    if (m_binaryFrameHandler) {
        m_binaryFrameHandler(bytes);
        return;
    }
    ++m_unparsableFrames; // signalling is text only
    qWarning().noquote() << label() << "received a binary frame of" << bytes.size() << "bytes";
}

void TestClient::sendHeartbeat()
{
    if (!isConnected())
        return;
    m_heartbeatIds.insert(send(HeartbeatRequest{}));
}

std::optional<SignalMessage> TestClient::takeReply(std::int64_t id, int timeoutMs)
{
    const auto arrived = [&] { return m_replies.contains(id); };
    if (!waitUntil(arrived, timeoutMs)) {
        qWarning().noquote() << label() << "got no reply to request" << id << "within" << timeoutMs
                             << "ms (connected:" << isConnected()
                             << "); queued events:" << describeQueuedEvents();
        return std::nullopt;
    }
    auto node = m_replies.extract(id);
    return std::move(node.mapped());
}

void TestClient::warnUnexpected(const char* expectedType, const SignalMessage& message) const
{
    qWarning().noquote() << label() << "expected" << expectedType << "but got"
                         << excerpt(serializeSignalMessage(message));
}

QString TestClient::describeQueuedEvents() const
{
    constexpr std::size_t kMaxShown = 15; // the newest ones; periodic events can pile up
    QStringList parts;
    const std::size_t first = m_events.size() > kMaxShown ? m_events.size() - kMaxShown : 0;
    for (std::size_t i = first; i < m_events.size(); ++i)
        parts << excerpt(serializeSignalMessage(m_events[i]));
    if (parts.isEmpty())
        return QStringLiteral("(none)");
    return QStringLiteral("%1 event(s): ").arg(m_events.size()) + parts.join(QStringLiteral(" | "));
}

QString TestClient::label() const
{
    return m_userId.isEmpty() ? QStringLiteral("[client]") : QStringLiteral("[%1]").arg(m_userId);
}

} // namespace earshot::integration
