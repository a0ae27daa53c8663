#pragma once

#include "session/LoginParams.h"
#include "session/LoginResult.h"
#include "session/ReconnectPolicy.h"
#include "session/RequestTracker.h"
#include "session/SessionCounters.h"
#include "session/SessionCredentials.h"
#include "session/SessionState.h"

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SignalMessage.h>

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>

namespace earshot::session {

class SignallingConnection;

// The engine's client side of the signalling protocol (docs/ARCHITECTURE.md, "Signalling
// conversation"): one session in one room over one WebSocket at a time.
//
// Login: connect, wait for the hello, make a fresh crypto_kx key pair, send the login with the
// AppSign MAC (or the token), then loginSucceeded(LoginResult) or loginFailed(code).
// While logged in it sends heartbeats at the hello's interval. A heartbeat unanswered for
// LoginParams::heartbeatTimeoutIntervals intervals, a socket error or close, or a server_closing
// event loses the connection: connectionLost(1002051), then attempts with back-off (new
// WebSocket → hello → resume). A resume the server accepts gives reconnected(Resumed); one it
// refuses (the session outlived its grace period) a fresh login with new keys and
// reconnected(LoggedInAgain). reconnectFailed(1002053) after LoginParams::reconnectGiveUpMs, or
// reconnectFailed(code) when the server refuses that fresh login. A kickout event gives
// kickedOut(code) and no reconnect. logout() always succeeds locally.
//
// Requests are correlated with their replies by envelope id and each one ends in exactly one
// *Replied signal: with the server's code; kRequestTimedOut (1002031) after
// LoginParams::requestTimeoutMs without a reply; NotLoggedIn (1000002) when issued before the
// login succeeded or after the session ended; ConnectionBrokenRetrying (1002051) when issued
// while reconnecting or outstanding when the connection was lost (requests are never queued
// across a reconnect: a reply lost with the connection cannot be told from a request that never
// arrived, so the engine decides, from the room state that reconnected() carries); Disconnected
// (1002052) when outstanding at logout, kickout or giving up. Those failures are emitted before
// the state signal that explains them (connectionLost, kickedOut, reconnectFailed), with the
// state already changed.
//
// Hostile input: a message from the server that does not parse, or is out of place, is dropped
// and counted (counters()), never acted on. Nothing secret is logged (category earshot.session).
//
// Thread ownership: the client, its WebSocket and its timers live on the thread this object lives
// on, "the session thread"; every method is called there (the engine uses queued invocations)
// and every signal is emitted there, possibly from within the call that caused it (a request
// refused locally is answered before the call returns).
class SignallingClient : public QObject {
    Q_OBJECT

public:
    // A request that got no reply within LoginParams::requestTimeoutMs.
    static constexpr std::int32_t kRequestTimedOut = protocol::toInt(protocol::ErrorCode::LoginTimeout);
    // How long a logout waits for the close handshake before the socket is dropped.
    static constexpr int kLogoutLingerMs = 2000;

    explicit SignallingClient(QObject* parent = nullptr);
    ~SignallingClient() override; // without logout(): the server sees a network drop

    SignallingClient(const SignallingClient&) = delete;
    SignallingClient& operator=(const SignallingClient&) = delete;

    [[nodiscard]] SessionState state() const noexcept { return m_state; }
    [[nodiscard]] const SessionCounters& counters() const noexcept { return m_counters; }
    // Requests waiting for their replies (heartbeats included).
    [[nodiscard]] std::size_t pendingRequestCount() const noexcept { return m_tracker.pendingCount(); }

public slots:
    // Logs in (see the class comment). Only from Idle; otherwise loginFailed(1002001). Fails at
    // once with IllegalParameter (1000017) for a URL that is not ws:// or wss://, NoAuthentication
    // (1002067) without AppSign or token, AppSignLength / AppSignNotHex (1001001 / 1001002);
    // later with LoginNetworkError (1002030) when the connection fails before the reply,
    // LoginTimeout (1002031) after loginTimeoutMs, or the server's code (1001004, 1001005,
    // 1002033, 1002034, 1002067, 1002075-1002080, ...).
    void login(const earshot::session::LoginParams& params);
    // Leaves the room: sends logout, closes the socket after it and forgets the session. Any
    // state; stops a login or reconnect in progress. Emits nothing (always succeeds locally).
    void logout();

    // → publishReplied. streamId and extraInfo as API.md §3, checked by the server.
    void publish(const QString& streamId, const QString& extraInfo);
    // → unpublishReplied.
    void unpublish(const QString& streamId);
    // → playReplied (pending when the stream does not exist yet: a streamUpdate ADD follows when
    // it is published, and media flows then).
    void play(const QString& streamId);
    // → stopPlayReplied.
    void stopPlay(const QString& streamId);
    // Stops or resumes the server's forwarding of a played stream. → mutePlayReplied.
    void mutePlay(const QString& streamId, bool mute);
    // `tag` is the caller's, echoed by the reply signal. → broadcastMessageReplied.
    void sendBroadcastMessage(quint64 tag, const QString& message);
    // Empty toUserIds: everyone else in the room. → customCommandReplied.
    void sendCustomCommand(quint64 tag, const QString& command, const QStringList& toUserIds);
    // → roomExtraInfoReplied.
    void setRoomExtraInfo(quint64 tag, const QString& key, const QString& value);
    // → streamExtraInfoReplied.
    void setStreamExtraInfo(quint64 tag, const QString& streamId, const QString& extraInfo);
    // On success the new token is also what later fresh logins use. → renewTokenReplied.
    void renewToken(quint64 tag, const QString& token);

    // The media fallback: one packet as one binary frame (net::FallbackChannel, through a queued
    // call from the media thread). Lost, and counted, when not logged in and connected.
    void sendMediaFrame(const QByteArray& frame);
    // The media transport's receiver reports (MediaTransport::reportsReady) as media_report
    // events, at most protocol::kDecodeMaxMediaReports per event. Dropped when not logged in.
    void sendMediaReports(const QList<earshot::protocol::ReceiverReport>& reports);

signals:
    void loginSucceeded(const earshot::session::LoginResult& result);
    void loginFailed(int errorCode);
    // The connection dropped while logged in; reconnecting starts (errorCode 1002051).
    void connectionLost(int errorCode);
    // Back in the room; `result` is the room as it is now (events during the gap were lost).
    void reconnected(earshot::session::ReconnectKind kind, const earshot::session::LoginResult& result);
    // Reconnecting ended without success: 1002053 (give-up time), or the server's refusal of
    // the fresh login. The session is over (Idle).
    void reconnectFailed(int errorCode);
    // The server ended the session: 1002050 (same userID logged in elsewhere), 1002055 (server
    // API), 1002056 (token expired). No reconnect (Idle).
    void kickedOut(int errorCode);

    void publishReplied(const QString& streamId, int errorCode, quint32 ssrc);
    void unpublishReplied(const QString& streamId, int errorCode);
    void playReplied(const QString& streamId, int errorCode, quint32 ssrc, quint64 highestSequence,
                     bool pending);
    void stopPlayReplied(const QString& streamId, int errorCode);
    void mutePlayReplied(const QString& streamId, bool mute, int errorCode);
    void broadcastMessageReplied(quint64 tag, int errorCode, quint64 messageId);
    void customCommandReplied(quint64 tag, int errorCode);
    void roomExtraInfoReplied(quint64 tag, int errorCode);
    void streamExtraInfoReplied(quint64 tag, int errorCode);
    void renewTokenReplied(quint64 tag, int errorCode);

    // Room events, only for this client's room while logged in.
    void userUpdate(earshot::protocol::UpdateType type, const QList<earshot::protocol::UserInfo>& users);
    void streamUpdate(earshot::protocol::UpdateType type, earshot::protocol::StreamDeleteReason reason,
                      const QList<earshot::protocol::StreamInfo>& streams);
    void broadcastMessages(const QList<earshot::protocol::BroadcastMessageInfo>& messages);
    void customCommand(const earshot::protocol::UserInfo& fromUser, const QString& command);
    void roomExtraInfoUpdate(const QList<earshot::protocol::RoomExtraInfoItem>& items);
    void streamExtraInfoUpdate(const QList<earshot::protocol::StreamInfo>& streams);
    void onlineCountUpdate(qint64 count);
    void tokenWillExpire(qint64 remainSeconds);
    // A subscriber's report on this client's published stream (adaptive redundancy).
    void receiverReport(const earshot::protocol::UserInfo& fromUser,
                        const earshot::protocol::ReceiverReport& report);
    // The server could not parse one of our messages far enough to reply (an error event).
    void serverError(int errorCode, const QString& message);

    // A binary frame from the server while logged in (media on the fallback path), for
    // MediaTransport::onFallbackFrame on the media thread.
    void mediaFrameReceived(const QByteArray& frame);

private:
    template <typename Reply, typename Body>
    void sendRequest(Body body, std::function<void(std::int32_t code, const Reply* reply)> completion);

    void assertOwnThread() const;
    void setState(SessionState state);
    void startAttempt();
    void onHello();
    void sendLogin();
    void sendResume();
    void onAttemptFailed(protocol::ErrorCode code, const QString& reason);
    void onLoginOrResumeReply(const protocol::SignalMessage& message);
    void onLoginReply(std::int32_t code, const protocol::LoginReply* reply);
    void onResumeReply(std::int32_t code, const protocol::LoginReply* reply);
    void enterLoggedIn();
    void onConnectionLost(const QString& reason, int minimumDelayMs = 0);
    void scheduleAttempt(int minimumDelayMs);
    void onGiveUp();
    // Back to Idle: timers stopped, connection dropped, credentials and keys forgotten. Pending
    // requests are the caller's to fail (after, so their handlers see Idle).
    void endSession();
    void retireConnection();
    void sendHeartbeat();
    [[nodiscard]] int heartbeatIntervalMs() const;

    void onMessage(const earshot::protocol::SignalMessage& message);
    void onBinaryFrame(const QByteArray& frame);
    void onEvent(const protocol::SignalBody& body);
    [[nodiscard]] bool isOwnRoom(const QString& roomId);
    void countUnexpected(const char* what);
    [[nodiscard]] LoginResult makeResult(const protocol::LoginReply& reply) const;

    LoginParams m_params; // without its secrets, which SessionCredentials keeps
    SessionCredentials m_credentials;
    SessionState m_state = SessionState::Idle;
    SessionCounters m_counters;
    SignallingConnection* m_connection = nullptr; // child; replaced on every attempt
    std::shared_ptr<const protocol::MediaKeys> m_mediaKeys;        // of the current session
    std::shared_ptr<const protocol::MediaKeys> m_pendingMediaKeys; // of the login in flight
    std::uint32_t m_mediaSessionId = 0;
    std::int64_t m_nextRequestId = 1;
    std::int64_t m_loginRequestId = 0; // the pending login or resume
    bool m_resuming = false;

    RequestTracker m_tracker;
    ReconnectPolicy m_reconnectPolicy;
    QElapsedTimer m_clock;
    QTimer m_attemptTimer;   // single shot: loginTimeoutMs per login or reconnect attempt
    QTimer m_retryTimer;     // single shot: the back-off before the next attempt
    QTimer m_giveUpTimer;    // single shot: reconnectGiveUpMs after the loss
    QTimer m_heartbeatTimer;
};

} // namespace earshot::session
