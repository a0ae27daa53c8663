#include "SessionProbe.h"

#include <QTest>

namespace earshot::integration {

using namespace earshot::protocol;
using earshot::session::LoginParams;
using earshot::session::LoginResult;

namespace {

LoginParams baseLogin(const QUrl& serverUrl, const TestApp& app, const QString& roomId, const QString& userId,
                      UserNotify notify)
{
    LoginParams params;
    params.serverUrl = serverUrl;
    params.appId = app.appId;
    params.roomId = roomId;
    params.userId = userId;
    params.userName = TestClient::userNameFor(userId);
    params.isUserStatusNotify = notify == UserNotify::On;
    params.loginTimeoutMs = 5000;
    params.requestTimeoutMs = 5000;
    params.reconnectInitialDelayMs = 100;
    params.reconnectMaxDelayMs = 400;
    params.reconnectGiveUpMs = 30'000;
    return params;
}

template <typename Predicate>
std::optional<QList<QVariant>> waitForEntry(QSignalSpy& spy, Predicate matches, int timeoutMs)
{
    std::optional<QList<QVariant>> found;
    const auto search = [&] {
        for (const QList<QVariant>& arguments : std::as_const(spy)) {
            if (matches(arguments)) {
                found = arguments;
                return true;
            }
        }
        return false;
    };
    (void)QTest::qWaitFor(search, timeoutMs);
    return found;
}

} // namespace

LoginParams appSignLogin(const QUrl& serverUrl, const TestApp& app, const QString& roomId, const QString& userId,
                         UserNotify notify)
{
    LoginParams params = baseLogin(serverUrl, app, roomId, userId, notify);
    params.appSignHex = app.appSignHex;
    return params;
}

LoginParams tokenLogin(const QUrl& serverUrl, const TestApp& app, const QString& token, const QString& roomId,
                       const QString& userId, UserNotify notify)
{
    LoginParams params = baseLogin(serverUrl, app, roomId, userId, notify);
    params.token = token;
    return params;
}

SessionProbe::SessionProbe()
{
    for (QSignalSpy* spy : {&loginSucceeded, &loginFailed, &connectionLost, &reconnected, &streamUpdate, &userUpdate})
        Q_ASSERT(spy->isValid());
}

std::optional<LoginResult> SessionProbe::login(const LoginParams& params, int timeoutMs)
{
    const qsizetype succeeded = loginSucceeded.size();
    const qsizetype failed = loginFailed.size();
    client.login(params);
    (void)QTest::qWaitFor([&] { return loginSucceeded.size() > succeeded || loginFailed.size() > failed; }, timeoutMs);
    if (loginSucceeded.size() > succeeded)
        return loginSucceeded.last().at(0).value<LoginResult>();
    qWarning().noquote() << "login of" << params.userId << "failed with code"
                         << (loginFailed.size() > failed ? loginFailed.last().at(0).toInt() : -1);
    return std::nullopt;
}

int SessionProbe::loginFailure(const LoginParams& params, int timeoutMs)
{
    const qsizetype succeeded = loginSucceeded.size();
    const qsizetype failed = loginFailed.size();
    client.login(params);
    (void)QTest::qWaitFor([&] { return loginSucceeded.size() > succeeded || loginFailed.size() > failed; }, timeoutMs);
    return loginFailed.size() > failed ? loginFailed.last().at(0).toInt() : -1;
}

bool SessionProbe::waitForCount(QSignalSpy& spy, qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return spy.size() > count; }, timeoutMs);
}

std::optional<QList<QVariant>> SessionProbe::waitForStreamUpdate(UpdateType type, const QString& streamId,
                                                                 int timeoutMs)
{
    return waitForEntry(
        streamUpdate,
        [&](const QList<QVariant>& arguments) {
            return arguments.at(0).value<UpdateType>() == type
                && streamIdsOf(arguments.at(2).value<QList<StreamInfo>>()).contains(streamId);
        },
        timeoutMs);
}

bool SessionProbe::sawUserUpdate(UpdateType type, const QString& userId) const
{
    for (const QList<QVariant>& arguments : userUpdate) {
        if (arguments.at(0).value<UpdateType>() == type
            && userIdsOf(arguments.at(1).value<QList<UserInfo>>()).contains(userId))
            return true;
    }
    return false;
}

bool SessionProbe::waitForUserUpdate(UpdateType type, const QString& userId, int timeoutMs)
{
    return QTest::qWaitFor([&] { return sawUserUpdate(type, userId); }, timeoutMs);
}

std::optional<QList<QVariant>> SessionProbe::waitForReply(QSignalSpy& spy, const QString& streamId, int timeoutMs)
{
    return waitForEntry(
        spy, [&](const QList<QVariant>& arguments) { return arguments.at(0).toString() == streamId; }, timeoutMs);
}

std::optional<QList<QVariant>> SessionProbe::waitForTaggedReply(QSignalSpy& spy, quint64 tag, int timeoutMs)
{
    return waitForEntry(
        spy, [&](const QList<QVariant>& arguments) { return arguments.at(0).toULongLong() == tag; }, timeoutMs);
}

} // namespace earshot::integration
