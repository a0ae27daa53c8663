#include "session/SignallingClient.h"

#include "session/SessionLog.h"
#include "session/SignallingConnection.h"

#include <QThread>

#include <algorithm>

namespace earshot::session {
namespace {

using protocol::ErrorCode;
using protocol::toInt;

constexpr int kDefaultHeartbeatIntervalMs = 10'000; // a hello that names none
constexpr int kMinHeartbeatIntervalMs = 100;
constexpr int kMaxHeartbeatIntervalMs = 60'000;

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void registerMetaTypes()
{
    static const bool registered = [] {
        qRegisterMetaType<LoginParams>();
        qRegisterMetaType<LoginResult>();
        qRegisterMetaType<ReconnectKind>();
        qRegisterMetaType<protocol::UpdateType>();
        qRegisterMetaType<protocol::StreamDeleteReason>();
        qRegisterMetaType<protocol::UserInfo>();
        qRegisterMetaType<QList<protocol::UserInfo>>();
        qRegisterMetaType<QList<protocol::StreamInfo>>();
        qRegisterMetaType<QList<protocol::BroadcastMessageInfo>>();
        qRegisterMetaType<QList<protocol::RoomExtraInfoItem>>();
        qRegisterMetaType<protocol::ReceiverReport>();
        qRegisterMetaType<QList<protocol::ReceiverReport>>();
        return true;
    }();
    Q_UNUSED(registered);
}

// Where the URL points, without user info, path or query (they could carry secrets).
QString hostAndPort(const QUrl& url)
{
    return QStringLiteral("%1://%2:%3").arg(url.scheme(), url.host()).arg(url.port());
}

} // namespace

SignallingClient::SignallingClient(QObject* parent)
    : QObject(parent)
    , m_tracker(kRequestTimedOut, this)
    , m_attemptTimer(this)
    , m_retryTimer(this)
    , m_giveUpTimer(this)
    , m_heartbeatTimer(this)
{
    registerMetaTypes();
    m_clock.start();
    for (QTimer* timer : {&m_attemptTimer, &m_retryTimer, &m_giveUpTimer})
        timer->setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, [this] {
        onAttemptFailed(ErrorCode::LoginTimeout, QStringLiteral("no login reply in time"));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        ++m_counters.reconnectAttempts;
        startAttempt();
    });
    connect(&m_giveUpTimer, &QTimer::timeout, this, &SignallingClient::onGiveUp);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SignallingClient::sendHeartbeat);
}

SignallingClient::~SignallingClient()
{
    delete m_connection; // aborts the socket without emitting anything
    m_connection = nullptr;
}

void SignallingClient::assertOwnThread() const
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "SignallingClient",
               "called from a thread other than the session thread it lives on");
}

void SignallingClient::setState(SessionState state)
{
    if (m_state == state)
        return;
    qCDebug(lcSession) << "state" << int(m_state) << "->" << int(state);
    m_state = state;
}

// ---- login, resume, reconnect ----------------------------------------------------------------

void SignallingClient::login(const LoginParams& params)
{
    assertOwnThread();
    if (m_state != SessionState::Idle) {
        emit loginFailed(toInt(ErrorCode::AlreadyLoggedIn));
        return;
    }
    const QString scheme = params.serverUrl.scheme();
    if (!params.serverUrl.isValid() || params.serverUrl.host().isEmpty()
        || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        emit loginFailed(toInt(ErrorCode::IllegalParameter));
        return;
    }
    if (const ErrorCode code = m_credentials.set(params); code != ErrorCode::Success) {
        emit loginFailed(toInt(code));
        return;
    }
    m_params = params;
    m_params.appSignHex.clear(); // the credentials keep them (the AppSign in guarded memory)
    m_params.token.clear();
    m_params.loginTimeoutMs = std::max(m_params.loginTimeoutMs, 1);
    m_params.requestTimeoutMs = std::max(m_params.requestTimeoutMs, 1);
    m_params.heartbeatTimeoutIntervals = std::max(m_params.heartbeatTimeoutIntervals, 1);
    m_reconnectPolicy = ReconnectPolicy(m_params.reconnectInitialDelayMs, m_params.reconnectMaxDelayMs,
                                        m_params.reconnectGiveUpMs);
    m_mediaKeys.reset();
    m_mediaSessionId = 0;
    qCInfo(lcSession).noquote() << "logging in to room" << params.roomId << "as" << params.userId << "at"
                                << hostAndPort(params.serverUrl)
                                << (params.token.isEmpty() ? "with the AppSign" : "with a token");
    setState(SessionState::LoggingIn);
    startAttempt();
}

void SignallingClient::startAttempt()
{
    retireConnection();
    m_connection = new SignallingConnection(m_counters, this);
    connect(m_connection, &SignallingConnection::helloReceived, this, &SignallingClient::onHello);
    connect(m_connection, &SignallingConnection::messageReceived, this, &SignallingClient::onMessage);
    connect(m_connection, &SignallingConnection::binaryFrameReceived, this, &SignallingClient::onBinaryFrame);
    connect(m_connection, &SignallingConnection::ended, this, [this](const QString& reason) {
        if (m_state == SessionState::LoggedIn)
            onConnectionLost(reason);
        else
            onAttemptFailed(ErrorCode::LoginNetworkError, reason);
    });
    m_attemptTimer.start(m_params.loginTimeoutMs);
    m_connection->open(m_params.serverUrl, m_params.sslConfiguration);
}

void SignallingClient::onHello()
{
    if (m_state == SessionState::Reconnecting && m_credentials.hasResumableSession() && m_mediaKeys)
        sendResume();
    else
        sendLogin();
}

void SignallingClient::sendLogin()
{
    const protocol::HelloEvent& hello = m_connection->hello();
    protocol::KeyExchange::PublicKey serverKey{};
    std::copy_n(hello.serverPublicKey.constData(), serverKey.size(), reinterpret_cast<char*>(serverKey.data()));
    auto keyExchange = std::make_unique<protocol::KeyExchange>();
    std::optional<protocol::MediaKeys> keys = keyExchange->clientKeys(serverKey);
    if (!keys) {
        ++m_counters.malformedMessages;
        onAttemptFailed(ErrorCode::LoginNetworkError, QStringLiteral("the server's key-exchange key is unacceptable"));
        return;
    }
    m_pendingMediaKeys = std::make_shared<const protocol::MediaKeys>(std::move(*keys));
    m_resuming = false;
    m_loginRequestId = m_nextRequestId++;
    m_connection->send(m_loginRequestId, m_credentials.makeLoginRequest(hello, *keyExchange));
    // keyExchange (the secret half) goes out of scope here: the derived keys are all we need.
}

void SignallingClient::sendResume()
{
    m_resuming = true;
    m_loginRequestId = m_nextRequestId++;
    m_connection->send(m_loginRequestId, m_credentials.makeResumeRequest(m_connection->hello()));
}

void SignallingClient::onLoginOrResumeReply(const protocol::SignalMessage& message)
{
    const auto* reply = std::get_if<protocol::LoginReply>(&message.body);
    const auto* generic = std::get_if<protocol::GenericReply>(&message.body);
    if (reply == nullptr && generic == nullptr) {
        countUnexpected("a reply of the wrong type to the login");
        return;
    }
    m_loginRequestId = 0;
    const std::int32_t code = reply != nullptr ? reply->code : generic->code;
    if (m_resuming)
        onResumeReply(code, reply);
    else
        onLoginReply(code, reply);
}

void SignallingClient::onLoginReply(std::int32_t code, const protocol::LoginReply* reply)
{
    m_attemptTimer.stop();
    const SessionState was = m_state;
    if (code != 0 || reply == nullptr) {
        // A refusal ends the session: the credentials will not get better by retrying.
        const std::int32_t failure = code != 0 ? code : toInt(ErrorCode::LoginNetworkError);
        qCWarning(lcSession) << "the server refused the login with code" << failure;
        endSession();
        m_tracker.failAll(toInt(ErrorCode::Disconnected));
        if (was == SessionState::LoggingIn)
            emit loginFailed(failure);
        else
            emit reconnectFailed(failure);
        return;
    }
    m_credentials.rememberSession(*reply);
    m_mediaKeys = std::move(m_pendingMediaKeys);
    m_mediaSessionId = reply->mediaSessionId;
    const LoginResult result = makeResult(*reply);
    enterLoggedIn();
    qCInfo(lcSession).noquote() << (was == SessionState::LoggingIn ? "logged in to room" : "logged in again to room")
                                << result.roomId << "with" << result.users.size() << "other user(s) and"
                                << result.streams.size() << "stream(s)";
    if (was == SessionState::LoggingIn)
        emit loginSucceeded(result);
    else
        emit reconnected(ReconnectKind::LoggedInAgain, result);
}

void SignallingClient::onResumeReply(std::int32_t code, const protocol::LoginReply* reply)
{
    if (code == 0 && reply != nullptr) {
        m_attemptTimer.stop();
        m_credentials.rememberResumedSession(*reply);
        if (reply->mediaSessionId != 0)
            m_mediaSessionId = reply->mediaSessionId;
        const LoginResult result = makeResult(*reply);
        enterLoggedIn();
        qCInfo(lcSession).noquote() << "resumed the session in room" << result.roomId;
        emit reconnected(ReconnectKind::Resumed, result);
        return;
    }
    // Usually 1002052: the session outlived its grace period. A fresh login on this connection,
    // with new keys, in a fresh attempt's time.
    qCInfo(lcSession).nospace() << "the server refused the resume with code " << code << "; logging in afresh";
    m_attemptTimer.start(m_params.loginTimeoutMs);
    sendLogin();
}

void SignallingClient::enterLoggedIn()
{
    m_retryTimer.stop();
    m_giveUpTimer.stop();
    setState(SessionState::LoggedIn);
    m_heartbeatTimer.start(heartbeatIntervalMs());
}

int SignallingClient::heartbeatIntervalMs() const
{
    if (m_connection == nullptr || m_connection->hello().heartbeatIntervalMs <= 0)
        return kDefaultHeartbeatIntervalMs;
    return int(std::clamp<std::int64_t>(m_connection->hello().heartbeatIntervalMs, kMinHeartbeatIntervalMs,
                                        kMaxHeartbeatIntervalMs));
}

void SignallingClient::onAttemptFailed(ErrorCode code, const QString& reason)
{
    m_attemptTimer.stop();
    retireConnection();
    if (m_state == SessionState::LoggingIn) {
        qCWarning(lcSession).noquote() << "login failed:" << reason;
        endSession();
        emit loginFailed(toInt(code));
    } else if (m_state == SessionState::Reconnecting) {
        qCInfo(lcSession).noquote() << "reconnect attempt" << m_reconnectPolicy.attempts() << "failed:" << reason;
        scheduleAttempt(0);
    }
}

void SignallingClient::onConnectionLost(const QString& reason, int minimumDelayMs)
{
    if (m_state != SessionState::LoggedIn)
        return;
    qCWarning(lcSession).noquote() << "connection lost:" << reason << "- reconnecting";
    m_heartbeatTimer.stop();
    retireConnection();
    setState(SessionState::Reconnecting);
    m_reconnectPolicy.start(m_clock.elapsed());
    m_giveUpTimer.start(m_params.reconnectGiveUpMs);
    scheduleAttempt(minimumDelayMs);
    m_tracker.failAll(toInt(ErrorCode::ConnectionBrokenRetrying));
    if (m_state == SessionState::Reconnecting) // a failed request's handler may have logged out
        emit connectionLost(toInt(ErrorCode::ConnectionBrokenRetrying));
}

void SignallingClient::scheduleAttempt(int minimumDelayMs)
{
    m_retryTimer.start(m_reconnectPolicy.nextDelayMs(m_clock.elapsed(), minimumDelayMs));
}

void SignallingClient::onGiveUp()
{
    if (m_state != SessionState::Reconnecting)
        return;
    qCWarning(lcSession) << "gave up reconnecting after" << m_params.reconnectGiveUpMs << "ms and"
                         << m_reconnectPolicy.attempts() << "attempt(s)";
    endSession();
    m_tracker.failAll(toInt(ErrorCode::Disconnected));
    emit reconnectFailed(toInt(ErrorCode::RetryTimeExceeded));
}

void SignallingClient::endSession()
{
    m_attemptTimer.stop();
    m_retryTimer.stop();
    m_giveUpTimer.stop();
    m_heartbeatTimer.stop();
    retireConnection();
    m_credentials.clear();
    m_mediaKeys.reset();
    m_pendingMediaKeys.reset();
    m_mediaSessionId = 0;
    setState(SessionState::Idle);
}

void SignallingClient::retireConnection()
{
    m_loginRequestId = 0;
    m_resuming = false;
    if (m_connection == nullptr)
        return;
    m_connection->abortAndDeleteLater();
    m_connection = nullptr;
}

void SignallingClient::logout()
{
    assertOwnThread();
    if (m_state == SessionState::Idle)
        return;
    qCInfo(lcSession).noquote() << "logging out of room" << m_credentials.roomId();
    if (m_state == SessionState::LoggedIn && m_connection != nullptr) {
        // The server handles the logout before the close that follows it on the same socket, so
        // others see the user leave (stream DELETE reason 1) instead of a drop.
        m_connection->send(m_nextRequestId++, protocol::LogoutRequest{m_credentials.roomId()});
        SignallingConnection* closing = m_connection;
        m_connection = nullptr;
        closing->closeAndDeleteLater(kLogoutLingerMs);
    }
    endSession();
    m_tracker.failAll(toInt(ErrorCode::Disconnected));
}

LoginResult SignallingClient::makeResult(const protocol::LoginReply& reply) const
{
    const protocol::HelloEvent& hello = m_connection->hello();
    LoginResult result;
    result.roomId = m_credentials.roomId();
    result.user = m_credentials.user();
    result.roomSessionId = reply.roomSessionId;
    result.sessionId = m_credentials.sessionId();
    result.mediaSessionId = m_mediaSessionId;
    result.mediaHost = m_params.serverUrl.host();
    result.mediaPort = hello.mediaPort;
    result.mediaKeys = m_mediaKeys;
    result.heartbeatIntervalMs = heartbeatIntervalMs();
    result.tokenExpireSeconds = reply.tokenExpireSeconds;
    result.serverVersion = hello.serverVersion;
    result.users = reply.users;
    result.streams = reply.streams;
    result.roomExtraInfo = reply.roomExtraInfo;
    return result;
}

// ---- heartbeats, incoming messages -----------------------------------------------------------

void SignallingClient::sendHeartbeat()
{
    if (m_state != SessionState::LoggedIn || m_connection == nullptr)
        return;
    const std::int64_t id = m_nextRequestId++;
    m_tracker.add<protocol::HeartbeatReply>(
        id, heartbeatIntervalMs() * m_params.heartbeatTimeoutIntervals,
        [this](std::int32_t code, const protocol::HeartbeatReply* reply) {
            if (reply == nullptr && code == kRequestTimedOut)
                onConnectionLost(QStringLiteral("heartbeat unanswered"));
        });
    m_connection->send(id, protocol::HeartbeatRequest{});
}

void SignallingClient::onMessage(const protocol::SignalMessage& message)
{
    if (message.id != 0) {
        if (message.id == m_loginRequestId)
            onLoginOrResumeReply(message);
        else if (!m_tracker.complete(message.id, message.body))
            countUnexpected("a reply nobody waits for");
        return;
    }
    if (m_state == SessionState::LoggedIn) {
        onEvent(message.body);
        return;
    }
    if (std::holds_alternative<protocol::ServerClosingEvent>(message.body)) {
        // Before the login reply: this attempt is over; the close follows.
        onAttemptFailed(ErrorCode::LoginNetworkError, QStringLiteral("the server is shutting down"));
        return;
    }
    countUnexpected("an event before the login reply");
}

void SignallingClient::onEvent(const protocol::SignalBody& body)
{
    std::visit(
        Overloaded{
            [&](const protocol::UserUpdateEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit userUpdate(event.updateType, event.users);
            },
            [&](const protocol::StreamUpdateEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit streamUpdate(event.updateType, event.reason, event.streams);
            },
            [&](const protocol::BroadcastMessageEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit broadcastMessages(event.messages);
            },
            [&](const protocol::CustomCommandEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit customCommand(event.fromUser, event.command);
            },
            [&](const protocol::RoomExtraInfoUpdateEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit roomExtraInfoUpdate(event.items);
            },
            [&](const protocol::StreamExtraInfoUpdateEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit streamExtraInfoUpdate(event.streams);
            },
            [&](const protocol::OnlineCountEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit onlineCountUpdate(event.count);
            },
            [&](const protocol::TokenWillExpireEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit tokenWillExpire(event.remainSeconds);
            },
            [&](const protocol::ReceiverReportEvent& event) {
                if (isOwnRoom(event.roomId))
                    emit receiverReport(event.fromUser, event.report);
            },
            [&](const protocol::KickoutEvent& event) {
                if (!isOwnRoom(event.roomId))
                    return;
                qCWarning(lcSession) << "kicked out with code" << event.code;
                endSession();
                m_tracker.failAll(toInt(ErrorCode::Disconnected));
                emit kickedOut(event.code);
            },
            [&](const protocol::ServerClosingEvent& event) {
                const int retryAfterMs =
                    int(std::clamp<std::int64_t>(event.retryAfterMs, 0, m_params.reconnectMaxDelayMs));
                onConnectionLost(QStringLiteral("the server is shutting down"), retryAfterMs);
            },
            [&](const protocol::ErrorEvent& event) {
                qCWarning(lcSession).noquote() << "the server could not read one of our messages: code"
                                               << event.code << event.message.left(200);
                emit serverError(event.code, event.message);
            },
            [&](const auto& other) { countUnexpected(std::remove_cvref_t<decltype(other)>::kType); },
        },
        body);
}

void SignallingClient::onBinaryFrame(const QByteArray& frame)
{
    if (m_state != SessionState::LoggedIn) {
        ++m_counters.binaryFramesDropped;
        return;
    }
    emit mediaFrameReceived(frame);
}

bool SignallingClient::isOwnRoom(const QString& roomId)
{
    if (roomId == m_credentials.roomId())
        return true;
    countUnexpected("an event for another room");
    return false;
}

void SignallingClient::countUnexpected(const char* what)
{
    ++m_counters.unexpectedMessages;
    if (isWorthLogging(m_counters.unexpectedMessages))
        qCWarning(lcSession).nospace() << "dropped " << what << " (unexpected messages so far: "
                                       << m_counters.unexpectedMessages << ')';
}

// ---- requests --------------------------------------------------------------------------------

template <typename Reply, typename Body>
void SignallingClient::sendRequest(Body body, std::function<void(std::int32_t code, const Reply* reply)> completion)
{
    assertOwnThread();
    if (m_state != SessionState::LoggedIn || m_connection == nullptr) {
        completion(toInt(m_state == SessionState::Reconnecting ? ErrorCode::ConnectionBrokenRetrying
                                                               : ErrorCode::NotLoggedIn),
                   nullptr);
        return;
    }
    const std::int64_t id = m_nextRequestId++;
    m_tracker.add<Reply>(id, m_params.requestTimeoutMs,
                         [this, completion = std::move(completion)](std::int32_t code, const Reply* reply) {
                             if (reply == nullptr && code == kRequestTimedOut) {
                                 ++m_counters.requestsTimedOut;
                                 qCWarning(lcSession) << "a" << Body::kType << "request got no reply in time";
                             }
                             completion(code, reply);
                         });
    m_connection->send(id, std::move(body));
}

void SignallingClient::publish(const QString& streamId, const QString& extraInfo)
{
    sendRequest<protocol::PublishReply>(protocol::PublishRequest{streamId, extraInfo},
                                        [this, streamId](std::int32_t code, const protocol::PublishReply* reply) {
                                            emit publishReplied(streamId, code, reply != nullptr ? reply->ssrc : 0);
                                        });
}

void SignallingClient::unpublish(const QString& streamId)
{
    sendRequest<protocol::GenericReply>(protocol::UnpublishRequest{streamId},
                                        [this, streamId](std::int32_t code, const protocol::GenericReply*) {
                                            emit unpublishReplied(streamId, code);
                                        });
}

void SignallingClient::play(const QString& streamId)
{
    sendRequest<protocol::PlayReply>(protocol::PlayRequest{streamId},
                                     [this, streamId](std::int32_t code, const protocol::PlayReply* reply) {
                                         if (reply == nullptr) {
                                             emit playReplied(streamId, code, 0, 0, false);
                                             return;
                                         }
                                         emit playReplied(streamId, code, reply->ssrc, reply->highestSequence,
                                                          reply->pending);
                                     });
}

void SignallingClient::stopPlay(const QString& streamId)
{
    sendRequest<protocol::GenericReply>(protocol::StopPlayRequest{streamId},
                                        [this, streamId](std::int32_t code, const protocol::GenericReply*) {
                                            emit stopPlayReplied(streamId, code);
                                        });
}

void SignallingClient::mutePlay(const QString& streamId, bool mute)
{
    sendRequest<protocol::GenericReply>(protocol::MutePlayRequest{streamId, mute},
                                        [this, streamId, mute](std::int32_t code, const protocol::GenericReply*) {
                                            emit mutePlayReplied(streamId, mute, code);
                                        });
}

void SignallingClient::sendBroadcastMessage(quint64 tag, const QString& message)
{
    sendRequest<protocol::BroadcastMessageReply>(
        protocol::BroadcastMessageRequest{m_credentials.roomId(), message},
        [this, tag](std::int32_t code, const protocol::BroadcastMessageReply* reply) {
            emit broadcastMessageReplied(tag, code, reply != nullptr ? reply->messageId : 0);
        });
}

void SignallingClient::sendCustomCommand(quint64 tag, const QString& command, const QStringList& toUserIds)
{
    sendRequest<protocol::GenericReply>(protocol::CustomCommandRequest{m_credentials.roomId(), command, toUserIds},
                                        [this, tag](std::int32_t code, const protocol::GenericReply*) {
                                            emit customCommandReplied(tag, code);
                                        });
}

void SignallingClient::setRoomExtraInfo(quint64 tag, const QString& key, const QString& value)
{
    sendRequest<protocol::GenericReply>(protocol::SetRoomExtraInfoRequest{m_credentials.roomId(), key, value},
                                        [this, tag](std::int32_t code, const protocol::GenericReply*) {
                                            emit roomExtraInfoReplied(tag, code);
                                        });
}

void SignallingClient::setStreamExtraInfo(quint64 tag, const QString& streamId, const QString& extraInfo)
{
    sendRequest<protocol::GenericReply>(protocol::SetStreamExtraInfoRequest{streamId, extraInfo},
                                        [this, tag](std::int32_t code, const protocol::GenericReply*) {
                                            emit streamExtraInfoReplied(tag, code);
                                        });
}

void SignallingClient::renewToken(quint64 tag, const QString& token)
{
    sendRequest<protocol::GenericReply>(protocol::RenewTokenRequest{m_credentials.roomId(), token},
                                        [this, tag, token](std::int32_t code, const protocol::GenericReply*) {
                                            if (code == 0)
                                                m_credentials.replaceToken(token);
                                            emit renewTokenReplied(tag, code);
                                        });
}

// ---- media fallback --------------------------------------------------------------------------

void SignallingClient::sendMediaFrame(const QByteArray& frame)
{
    assertOwnThread();
    if (m_state != SessionState::LoggedIn || m_connection == nullptr || !m_connection->sendBinary(frame))
        ++m_counters.mediaFramesNotSent;
}

void SignallingClient::sendMediaReports(const QList<protocol::ReceiverReport>& reports)
{
    assertOwnThread();
    if (m_state != SessionState::LoggedIn || m_connection == nullptr)
        return;
    for (qsizetype first = 0; first < reports.size(); first += protocol::kDecodeMaxMediaReports) {
        protocol::MediaReportEvent event;
        event.reports = reports.mid(first, protocol::kDecodeMaxMediaReports);
        m_connection->send(0, std::move(event));
    }
}

} // namespace earshot::session
