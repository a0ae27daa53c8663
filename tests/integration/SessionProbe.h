#pragma once

#include "TestApp.h"
#include "TestClient.h"

#include "session/SignallingClient.h"

#include <QSignalSpy>
#include <QUrl>

#include <functional>
#include <optional>

namespace earshot::integration {

// Login parameters for a SignallingClient of `app` (AppSign mode) with test-sized timers.
session::LoginParams appSignLogin(const QUrl& serverUrl, const TestApp& app, const QString& roomId,
                                  const QString& userId, UserNotify notify = UserNotify::Off);
// The same in token mode (no AppSign).
session::LoginParams tokenLogin(const QUrl& serverUrl, const TestApp& app, const QString& token,
                                const QString& roomId, const QString& userId,
                                UserNotify notify = UserNotify::Off);

// A SignallingClient on the test thread with a QSignalSpy on every signal, and waits that run the
// event loop until a signal of interest arrives. Test thread only.
class SessionProbe {
public:
    static constexpr int kTimeoutMs = 5000;

    SessionProbe();
    SessionProbe(const SessionProbe&) = delete;
    SessionProbe& operator=(const SessionProbe&) = delete;

    session::SignallingClient client;

    QSignalSpy loginSucceeded{&client, &session::SignallingClient::loginSucceeded};
    QSignalSpy loginFailed{&client, &session::SignallingClient::loginFailed};
    QSignalSpy connectionLost{&client, &session::SignallingClient::connectionLost};
    QSignalSpy reconnected{&client, &session::SignallingClient::reconnected};
    QSignalSpy reconnectFailed{&client, &session::SignallingClient::reconnectFailed};
    QSignalSpy kickedOut{&client, &session::SignallingClient::kickedOut};
    QSignalSpy publishReplied{&client, &session::SignallingClient::publishReplied};
    QSignalSpy unpublishReplied{&client, &session::SignallingClient::unpublishReplied};
    QSignalSpy playReplied{&client, &session::SignallingClient::playReplied};
    QSignalSpy stopPlayReplied{&client, &session::SignallingClient::stopPlayReplied};
    QSignalSpy mutePlayReplied{&client, &session::SignallingClient::mutePlayReplied};
    QSignalSpy broadcastMessageReplied{&client, &session::SignallingClient::broadcastMessageReplied};
    QSignalSpy customCommandReplied{&client, &session::SignallingClient::customCommandReplied};
    QSignalSpy roomExtraInfoReplied{&client, &session::SignallingClient::roomExtraInfoReplied};
    QSignalSpy streamExtraInfoReplied{&client, &session::SignallingClient::streamExtraInfoReplied};
    QSignalSpy renewTokenReplied{&client, &session::SignallingClient::renewTokenReplied};
    QSignalSpy userUpdate{&client, &session::SignallingClient::userUpdate};
    QSignalSpy streamUpdate{&client, &session::SignallingClient::streamUpdate};
    QSignalSpy broadcastMessages{&client, &session::SignallingClient::broadcastMessages};
    QSignalSpy customCommand{&client, &session::SignallingClient::customCommand};
    QSignalSpy roomExtraInfoUpdate{&client, &session::SignallingClient::roomExtraInfoUpdate};
    QSignalSpy streamExtraInfoUpdate{&client, &session::SignallingClient::streamExtraInfoUpdate};
    QSignalSpy onlineCountUpdate{&client, &session::SignallingClient::onlineCountUpdate};
    QSignalSpy tokenWillExpire{&client, &session::SignallingClient::tokenWillExpire};
    QSignalSpy receiverReport{&client, &session::SignallingClient::receiverReport};
    QSignalSpy serverError{&client, &session::SignallingClient::serverError};
    QSignalSpy mediaFrameReceived{&client, &session::SignallingClient::mediaFrameReceived};

    // Logs in and waits for the outcome: the result, or nullopt (with a warning giving the code).
    std::optional<session::LoginResult> login(const session::LoginParams& params, int timeoutMs = kTimeoutMs);
    // Logs in and waits for loginFailed; its code, or -1 when the login succeeded or nothing came.
    int loginFailure(const session::LoginParams& params, int timeoutMs = kTimeoutMs);

    // Waits until `spy` holds more than `count` entries; false on timeout.
    static bool waitForCount(QSignalSpy& spy, qsizetype count, int timeoutMs = kTimeoutMs);
    // Waits for a streamUpdate of `type` naming `streamId`; its arguments (type, reason, streams).
    std::optional<QList<QVariant>> waitForStreamUpdate(protocol::UpdateType type, const QString& streamId,
                                                       int timeoutMs = kTimeoutMs);
    // Whether a userUpdate of `type` naming `userId` arrived so far.
    bool sawUserUpdate(protocol::UpdateType type, const QString& userId) const;
    bool waitForUserUpdate(protocol::UpdateType type, const QString& userId, int timeoutMs = kTimeoutMs);

    // The last reply to publish / play of `streamId` (waiting for one): its arguments.
    std::optional<QList<QVariant>> waitForReply(QSignalSpy& spy, const QString& streamId,
                                                int timeoutMs = kTimeoutMs);
    // The reply carrying `tag` (broadcast, custom command, extra info, renew token).
    std::optional<QList<QVariant>> waitForTaggedReply(QSignalSpy& spy, quint64 tag, int timeoutMs = kTimeoutMs);
};

} // namespace earshot::integration
