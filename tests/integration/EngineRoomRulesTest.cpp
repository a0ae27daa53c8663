// The room rules of API.md §2–§4 as the public engine reports them, against the real server:
// duplicate stream IDs, the same userID logging in elsewhere, a late joiner, tokens without the
// publish privilege, room messages in order, custom commands, and the 3 s quality reports.
// The engines use null devices: the audio path has its own tests.

#include "ServerProcess.h"
#include "TestApp.h"
#include "TestClient.h"

#include <earshot/Engine.h>

#include <QSignalSpy>
#include <QTest>

using namespace earshot;
using namespace earshot::integration;

namespace {

constexpr int kTimeoutMs = 10000;

std::unique_ptr<Engine> makeEngine(const ServerProcess& server, bool withAppSign = true)
{
    EngineProfile profile;
    profile.appID = kAppA.appId;
    if (withAppSign)
        profile.appSign = QString::fromLatin1(kAppA.appSignHex);
    profile.server = server.signallingUrl();
    EngineOptions options;
    options.nullDevices = true;
    options.qualityIntervalMs = 500;
    int code = -1;
    return Engine::create(profile, &code, options);
}

bool loginAndWait(Engine& engine, const QString& room, const QString& userId, const RoomConfig& config = {})
{
    QSignalSpy changed(&engine, &Engine::roomStateChanged);
    if (engine.loginRoom(room, {userId, QStringLiteral("Name ") + userId}, config) != 0)
        return false;
    return QTest::qWaitFor([&] { return engine.roomState() == RoomState::Connected; }, kTimeoutMs);
}

// Waits until `spy` has recorded a call whose arguments satisfy `match`.
template <typename Match>
bool waitForCall(QSignalSpy& spy, Match match, int timeoutMs = kTimeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            for (const QList<QVariant>& call : spy)
                if (match(call))
                    return true;
            return false;
        },
        timeoutMs);
}

} // namespace

class EngineRoomRulesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void duplicateStreamIsRefused();
    void sameUserElsewhereIsKickedOut();
    void lateJoinerSeesUsersAndStreams();
    void tokenWithoutPublishPrivilege();
    void messagesArriveInOrder();
    void customCommandToOneUser();
    void qualityReportsArrive();

private:
    ServerProcess m_server;
};

void EngineRoomRulesTest::initTestCase()
{
    qRegisterMetaType<PublisherState>();
    qRegisterMetaType<PlayerState>();
    qRegisterMetaType<RoomStateChangedReason>();
    qRegisterMetaType<RoomState>();
    qRegisterMetaType<UpdateType>();
    QVERIFY(m_server.start());
}

void EngineRoomRulesTest::duplicateStreamIsRefused()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto first = makeEngine(m_server);
    auto second = makeEngine(m_server);
    QVERIFY(loginAndWait(*first, room, uniqueId("a")));
    QVERIFY(loginAndWait(*second, room, uniqueId("b")));
    QSignalSpy firstState(first.get(), &Engine::publisherStateUpdate);
    QCOMPARE(first->startPublishingStream(stream), 0);
    QVERIFY(waitForCall(firstState, [](const QList<QVariant>& call) {
        return call.at(1).value<PublisherState>() == PublisherState::Publishing;
    }));
    QSignalSpy secondState(second.get(), &Engine::publisherStateUpdate);
    QCOMPARE(second->startPublishingStream(stream), 0);
    QVERIFY(waitForCall(secondState, [](const QList<QVariant>& call) {
        return call.at(1).value<PublisherState>() == PublisherState::NoPublish && call.at(2).toInt() == 1003028;
    }));
}

void EngineRoomRulesTest::sameUserElsewhereIsKickedOut()
{
    const QString room = uniqueId("room");
    const QString user = uniqueId("twice");
    auto first = makeEngine(m_server);
    auto second = makeEngine(m_server);
    QVERIFY(loginAndWait(*first, room, user));
    QSignalSpy kicked(first.get(), &Engine::roomStateChanged);
    QVERIFY(loginAndWait(*second, room, user));
    QVERIFY(waitForCall(kicked, [](const QList<QVariant>& call) {
        return call.at(1).value<RoomStateChangedReason>() == RoomStateChangedReason::KickOut
            && call.at(2).toInt() == 1002050;
    }));
    QCOMPARE(first->roomState(), RoomState::Disconnected);
    QCOMPARE(second->roomState(), RoomState::Connected);
}

void EngineRoomRulesTest::lateJoinerSeesUsersAndStreams()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto early = makeEngine(m_server);
    RoomConfig notify;
    notify.isUserStatusNotify = true;
    const QString earlyUser = uniqueId("early");
    QVERIFY(loginAndWait(*early, room, earlyUser, notify));
    QSignalSpy published(early.get(), &Engine::publisherStateUpdate);
    QCOMPARE(early->startPublishingStream(stream), 0);
    QVERIFY(waitForCall(published, [](const QList<QVariant>& call) {
        return call.at(1).value<PublisherState>() == PublisherState::Publishing;
    }));

    auto late = makeEngine(m_server);
    QSignalSpy users(late.get(), &Engine::roomUserUpdate);
    QSignalSpy streams(late.get(), &Engine::roomStreamUpdate);
    QSignalSpy earlySeesLate(early.get(), &Engine::roomUserUpdate);
    const QString lateUser = uniqueId("late");
    QVERIFY(loginAndWait(*late, room, lateUser, notify));
    QVERIFY(waitForCall(users, [&](const QList<QVariant>& call) {
        const auto list = call.at(2).value<QList<User>>();
        return call.at(1).value<UpdateType>() == UpdateType::Add && !list.isEmpty()
            && list.first().userID == earlyUser;
    }));
    QVERIFY(waitForCall(streams, [&](const QList<QVariant>& call) {
        const auto list = call.at(2).value<QList<Stream>>();
        return call.at(1).value<UpdateType>() == UpdateType::Add && !list.isEmpty()
            && list.first().streamID == stream && list.first().user.userID == earlyUser;
    }));
    QVERIFY(waitForCall(earlySeesLate, [&](const QList<QVariant>& call) {
        const auto list = call.at(2).value<QList<User>>();
        return call.at(1).value<UpdateType>() == UpdateType::Add && !list.isEmpty()
            && list.first().userID == lateUser;
    }));
}

void EngineRoomRulesTest::tokenWithoutPublishPrivilege()
{
    auto engine = makeEngine(m_server, false);
    QVERIFY(engine);
    const QString user = uniqueId("viewer");
    protocol::TokenPayload payload;
    payload.canPublish = false;
    RoomConfig config;
    config.token = makeToken(kAppA, user, 3600, payload);
    QVERIFY(loginAndWait(*engine, uniqueId("room"), user, config));
    QSignalSpy state(engine.get(), &Engine::publisherStateUpdate);
    QCOMPARE(engine->startPublishingStream(uniqueId("stream")), 0);
    QVERIFY(waitForCall(state, [](const QList<QVariant>& call) {
        return call.at(1).value<PublisherState>() == PublisherState::NoPublish && call.at(2).toInt() == 1003072;
    }));
}

void EngineRoomRulesTest::messagesArriveInOrder()
{
    const QString room = uniqueId("room");
    auto sender = makeEngine(m_server);
    auto receiver = makeEngine(m_server);
    QVERIFY(loginAndWait(*sender, room, uniqueId("sender")));
    QVERIFY(loginAndWait(*receiver, room, uniqueId("receiver")));
    QStringList received;
    connect(receiver.get(), &Engine::IMRecvBroadcastMessage, this,
            [&](const QString&, const QList<BroadcastMessageInfo>& messages) {
                for (const BroadcastMessageInfo& message : messages)
                    received << message.message;
            });
    QSignalSpy echoed(sender.get(), &Engine::IMRecvBroadcastMessage);
    QSignalSpy sent(sender.get(), &Engine::broadcastMessageSent);
    QStringList expected;
    for (int i = 0; i < 20; ++i) {
        expected << QStringLiteral("message %1").arg(i);
        QVERIFY(sender->sendBroadcastMessage(room, expected.last()) > 0);
    }
    QVERIFY(QTest::qWaitFor([&] { return received.size() >= 20; }, kTimeoutMs));
    QCOMPARE(received, expected);
    QVERIFY(QTest::qWaitFor([&] { return sent.size() == 20; }, kTimeoutMs));
    for (const QList<QVariant>& call : sent)
        QCOMPARE(call.at(1).toInt(), 0);
    QCOMPARE(echoed.size(), 0); // not echoed to the sender
}

void EngineRoomRulesTest::customCommandToOneUser()
{
    const QString room = uniqueId("room");
    auto sender = makeEngine(m_server);
    auto target = makeEngine(m_server);
    auto bystander = makeEngine(m_server);
    const QString targetUser = uniqueId("target");
    QVERIFY(loginAndWait(*sender, room, uniqueId("sender")));
    QVERIFY(loginAndWait(*target, room, targetUser));
    QVERIFY(loginAndWait(*bystander, room, uniqueId("bystander")));
    QSignalSpy targetGot(target.get(), &Engine::IMRecvCustomCommand);
    QSignalSpy bystanderGot(bystander.get(), &Engine::IMRecvCustomCommand);
    QVERIFY(sender->sendCustomCommand(room, QStringLiteral("ping"), {targetUser}) > 0);
    QVERIFY(targetGot.wait(kTimeoutMs));
    QCOMPARE(targetGot.first().at(2).toString(), QStringLiteral("ping"));
    QTest::qWait(300);
    QCOMPARE(bystanderGot.size(), 0);
}

void EngineRoomRulesTest::qualityReportsArrive()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto publisher = makeEngine(m_server);
    auto player = makeEngine(m_server);
    QVERIFY(loginAndWait(*publisher, room, uniqueId("pub")));
    QVERIFY(loginAndWait(*player, room, uniqueId("play")));
    QSignalSpy publishQuality(publisher.get(), &Engine::publisherQualityUpdate);
    QSignalSpy playQuality(player.get(), &Engine::playerQualityUpdate);
    QCOMPARE(publisher->startPublishingStream(stream), 0);
    QCOMPARE(player->startPlayingStream(stream), 0);
    // Null devices capture silence: DTX keeps the rate low but the comfort-noise packets and
    // the quality reports flow.
    QVERIFY(waitForCall(publishQuality, [](const QList<QVariant>& call) {
        const auto q = call.at(1).value<PublishStreamQuality>();
        return q.level != StreamQualityLevel::Unknown && q.mos > 3.0;
    }));
    QVERIFY(waitForCall(playQuality, [](const QList<QVariant>& call) {
        const auto q = call.at(1).value<PlayStreamQuality>();
        return q.level != StreamQualityLevel::Unknown && q.audioRecvKbps > 0.0 && q.packetLossRate < 0.01;
    }));
}

QTEST_GUILESS_MAIN(EngineRoomRulesTest)
#include "EngineRoomRulesTest.moc"
