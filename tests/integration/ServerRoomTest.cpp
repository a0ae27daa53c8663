// Rooms, users and streams against a real earshot-server: who is told about what (API.md §2, §3),
// the uniqueness and isolation rules, publish/play limits, extra info and online counts.

#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>

#include <QTest>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

// How long a test listens to conclude that an event is (correctly) not coming.
constexpr int kQuietMs = 400;
// The class's server sends online counts this often, so the test is quick.
constexpr int kOnlineCountIntervalMs = 300;

std::function<bool(const UserUpdateEvent&)> userUpdate(UpdateType type, const QString& userId)
{
    return [=](const UserUpdateEvent& event) {
        return event.updateType == type && userIdsOf(event.users).contains(userId);
    };
}

std::function<bool(const StreamUpdateEvent&)> streamUpdate(UpdateType type, const QString& streamId)
{
    return [=](const StreamUpdateEvent& event) {
        return event.updateType == type && streamIdsOf(event.streams).contains(streamId);
    };
}

} // namespace

class ServerRoomTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void userAndStreamUpdatesReachOthers();
    void userUpdatesOnlyWithNotify();
    void loginReplyListsExistingUsersAndStreams();
    void duplicateLoginKicksEarlierSession_data();
    void duplicateLoginKicksEarlierSession();
    void roomsAreIsolated();
    void appsAreIsolated();
    void memberLimitIsSetByCreator();
    void duplicateStreamIdIsRefused();
    void secondStreamWhilePublishingIsRefused();
    void invalidStreamIdIsRefused_data();
    void invalidStreamIdIsRefused();
    void publishNeedsTokenPrivilege();
    void republishGetsNewSsrc();
    void playRules();
    void roomExtraInfo();
    void streamExtraInfo();
    void onlineCount();

private:
    std::unique_ptr<TestClient> join(const QString& roomId, const QString& userId,
                                     UserNotify notify = UserNotify::Off,
                                     const TestApp& app = kAppA);

    ServerProcess m_server;
};

void ServerRoomTest::initTestCase()
{
    QVERIFY(m_server.start({QStringLiteral("--online-count-interval-ms"),
                            QString::number(kOnlineCountIntervalMs)}));
}

void ServerRoomTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerRoomTest::cleanup()
{
    m_server.printLogIfFailed();
}

std::unique_ptr<TestClient> ServerRoomTest::join(const QString& roomId, const QString& userId,
                                                 UserNotify notify, const TestApp& app)
{
    return TestClient::joinRoom(m_server.signallingUrl(), app, roomId, userId, notify);
}

void ServerRoomTest::userAndStreamUpdatesReachOthers()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"), UserNotify::On);
    QVERIFY(alice);
    auto bob = join(room, uniqueId("bob"), UserNotify::On);
    QVERIFY(bob);

    const auto added = alice->waitForEvent<UserUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                            userUpdate(UpdateType::Add, bob->userId()));
    QVERIFY(added);
    QCOMPARE(added->roomId, room);
    QCOMPARE(added->users.size(), 1);
    QCOMPARE(added->users.first().userName, TestClient::userNameFor(bob->userId()));
    QVERIFY(bob->expectNoEvent<UserUpdateEvent>(kQuietMs)); // never about oneself

    const auto published = bob->request<PublishReply>(publishRequest(stream));
    QVERIFY(published);
    QCOMPARE(published->code, 0);
    QVERIFY(published->ssrc != 0);
    const auto streamAdded = alice->waitForEvent<StreamUpdateEvent>(
        TestClient::kDefaultTimeoutMs, streamUpdate(UpdateType::Add, stream));
    QVERIFY(streamAdded);
    QCOMPARE(streamAdded->roomId, room);
    QCOMPARE(streamAdded->streams.first().user.userId, bob->userId());
    QVERIFY(bob->expectNoEvent<StreamUpdateEvent>(kQuietMs)); // the publisher is not told

    const auto unpublished = bob->request<GenericReply>(UnpublishRequest{.streamId = stream});
    QVERIFY(unpublished);
    QCOMPARE(unpublished->code, 0);
    const auto streamDeleted = alice->waitForEvent<StreamUpdateEvent>(
        TestClient::kDefaultTimeoutMs, streamUpdate(UpdateType::Delete, stream));
    QVERIFY(streamDeleted);
    QCOMPARE(streamDeleted->reason, StreamDeleteReason::Stopped);

    const auto loggedOut = bob->request<GenericReply>(LogoutRequest{.roomId = room});
    QVERIFY(loggedOut);
    QCOMPARE(loggedOut->code, 0);
    QVERIFY(alice->waitForEvent<UserUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                 userUpdate(UpdateType::Delete, bob->userId())));
}

void ServerRoomTest::userUpdatesOnlyWithNotify()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto quiet = join(room, uniqueId("quiet"), UserNotify::Off);
    QVERIFY(quiet);
    auto listener = join(room, uniqueId("listener"), UserNotify::On);
    QVERIFY(listener);
    auto newcomer = std::make_unique<TestClient>(m_server.signallingUrl());
    QVERIFY(newcomer->connectToServer());
    const auto reply = newcomer->loginAppSign(kAppA, room, uniqueId("newcomer"), UserNotify::Off);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(reply->users.isEmpty()); // without notify the login reply lists no users either

    QVERIFY(listener->waitForEvent<UserUpdateEvent>(
        TestClient::kDefaultTimeoutMs, userUpdate(UpdateType::Add, newcomer->userId())));
    QVERIFY(quiet->expectNoEvent<UserUpdateEvent>(kQuietMs));

    // Stream updates do not depend on the flag.
    const auto published = newcomer->request<PublishReply>(publishRequest(stream));
    QVERIFY(published);
    QCOMPARE(published->code, 0);
    QVERIFY(quiet->waitForEvent<StreamUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                   streamUpdate(UpdateType::Add, stream)));
}

void ServerRoomTest::loginReplyListsExistingUsersAndStreams()
{
    const QString room = uniqueId("room");
    const QString stream1 = uniqueId("stream");
    const QString stream2 = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    QCOMPARE(codeOf(alice->request<PublishReply>(publishRequest(stream1))), 0);
    QCOMPARE(codeOf(bob->request<PublishReply>(publishRequest(stream2))), 0);

    TestClient carol(m_server.signallingUrl());
    QVERIFY(carol.connectToServer());
    const auto reply = carol.loginAppSign(kAppA, room, uniqueId("carol"), UserNotify::On);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QCOMPARE(userIdsOf(reply->users), QStringList({alice->userId(), bob->userId()}));
    QCOMPARE(streamIdsOf(reply->streams), QStringList({stream1, stream2}));
    for (const StreamInfo& info : reply->streams)
        QCOMPARE(info.user.userId, info.streamId == stream1 ? alice->userId() : bob->userId());
}

void ServerRoomTest::duplicateLoginKicksEarlierSession_data()
{
    QTest::addColumn<bool>("sameRoom");
    QTest::newRow("same room") << true;
    QTest::newRow("other room") << false;
}

void ServerRoomTest::duplicateLoginKicksEarlierSession()
{
    QFETCH(bool, sameRoom);
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    const QString stream = uniqueId("stream");
    auto observer = join(room, uniqueId("observer"), UserNotify::On);
    auto first = join(room, userId);
    QVERIFY(observer && first);
    QCOMPARE(codeOf(first->request<PublishReply>(publishRequest(stream))), 0);
    QVERIFY(observer->waitForEvent<StreamUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                      streamUpdate(UpdateType::Add, stream)));
    QVERIFY(observer->waitForEvent<UserUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                    userUpdate(UpdateType::Add, userId)));

    auto second = join(sameRoom ? room : uniqueId("room"), userId);
    QVERIFY(second);

    const auto kicked = first->waitForEvent<KickoutEvent>();
    QVERIFY(kicked);
    QCOMPARE(kicked->code, toInt(ErrorCode::KickedDuplicateLogin));
    QVERIFY(first->waitForDisconnected());

    const auto streamDeleted = observer->waitForEvent<StreamUpdateEvent>(
        TestClient::kDefaultTimeoutMs, streamUpdate(UpdateType::Delete, stream));
    QVERIFY(streamDeleted);
    QCOMPARE(streamDeleted->reason, StreamDeleteReason::RepeatedLogin);
    // The observer's user list must end right: first the old session leaves, then (same room
    // only) the new one arrives. waitForEvent takes the oldest match, so this checks the order.
    const auto userEvent = observer->waitForEvent<UserUpdateEvent>(
        TestClient::kDefaultTimeoutMs,
        [&](const UserUpdateEvent& event) { return userIdsOf(event.users).contains(userId); });
    QVERIFY(userEvent);
    QCOMPARE(userEvent->updateType, UpdateType::Delete);
    if (sameRoom) {
        QVERIFY(observer->waitForEvent<UserUpdateEvent>(TestClient::kDefaultTimeoutMs,
                                                        userUpdate(UpdateType::Add, userId)));
    } else {
        QVERIFY(observer->expectNoEvent<UserUpdateEvent>(kQuietMs, userUpdate(UpdateType::Add, userId)));
    }
    // The new session is fully usable: the stream ID is free for it.
    const auto republished = second->request<PublishReply>(publishRequest(stream));
    QVERIFY(republished);
    QCOMPARE(republished->code, 0);
}

void ServerRoomTest::roomsAreIsolated()
{
    const QString room1 = uniqueId("room");
    const QString room2 = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto outsider = join(room1, uniqueId("outsider"), UserNotify::On);
    auto member = join(room2, uniqueId("member"), UserNotify::On);
    QVERIFY(outsider && member);
    auto speaker = join(room2, uniqueId("speaker"), UserNotify::On);
    QVERIFY(speaker);

    QCOMPARE(codeOf(speaker->request<PublishReply>(publishRequest(stream))), 0);
    QCOMPARE(codeOf(speaker->request<BroadcastMessageReply>(
                 BroadcastMessageRequest{.roomId = room2, .message = QStringLiteral("hi room2")})),
             0);
    QCOMPARE(codeOf(speaker->request<GenericReply>(SetRoomExtraInfoRequest{
                 .roomId = room2, .key = QStringLiteral("k"), .value = QStringLiteral("v")})),
             0);
    QCOMPARE(codeOf(speaker->request<GenericReply>(CustomCommandRequest{
                 .roomId = room2, .command = QStringLiteral("cmd"), .toUserIds = {}})),
             0);

    // The member of the same room sees everything (so the silence below means isolation).
    QVERIFY(member->waitForEvent<UserUpdateEvent>());
    QVERIFY(member->waitForEvent<StreamUpdateEvent>());
    QVERIFY(member->waitForEvent<BroadcastMessageEvent>());
    QVERIFY(member->waitForEvent<RoomExtraInfoUpdateEvent>());
    QVERIFY(member->waitForEvent<CustomCommandEvent>());

    QVERIFY(outsider->expectNoEvent<UserUpdateEvent>(kQuietMs));
    QVERIFY(outsider->expectNoEvent<StreamUpdateEvent>(0));
    QVERIFY(outsider->expectNoEvent<BroadcastMessageEvent>(0));
    QVERIFY(outsider->expectNoEvent<RoomExtraInfoUpdateEvent>(0));
    QVERIFY(outsider->expectNoEvent<CustomCommandEvent>(0));
}

void ServerRoomTest::appsAreIsolated()
{
    // The same room ID, user ID and stream ID in two apps are unrelated (API.md §2).
    const QString room = uniqueId("room");
    const QString userId = uniqueId("alice");
    const QString stream = uniqueId("stream");
    auto inAppA = join(room, userId, UserNotify::On, kAppA);
    QVERIFY(inAppA);
    QCOMPARE(codeOf(inAppA->request<PublishReply>(publishRequest(stream))), 0);

    TestClient inAppB(m_server.signallingUrl());
    QVERIFY(inAppB.connectToServer());
    const auto reply = inAppB.loginAppSign(kAppB, room, userId, UserNotify::On);
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QVERIFY(reply->users.isEmpty());
    QVERIFY(reply->streams.isEmpty());
    auto otherInAppB = join(room, uniqueId("bob"), UserNotify::On, kAppB);
    QVERIFY(otherInAppB);

    const auto published = inAppB.request<PublishReply>(publishRequest(stream));
    QVERIFY(published);
    QCOMPARE(published->code, 0); // not a duplicate: the other stream is in another app
    QCOMPARE(codeOf(inAppB.request<BroadcastMessageReply>(
                 BroadcastMessageRequest{.roomId = room, .message = QStringLiteral("app B")})),
             0);
    QVERIFY(otherInAppB->waitForEvent<BroadcastMessageEvent>());

    QVERIFY(inAppA->expectNoEvent<KickoutEvent>(kQuietMs)); // same userID, other app: no kick
    QVERIFY(inAppA->isConnected());
    QVERIFY(inAppA->expectNoEvent<UserUpdateEvent>(0));
    QVERIFY(inAppA->expectNoEvent<StreamUpdateEvent>(0));
    QVERIFY(inAppA->expectNoEvent<BroadcastMessageEvent>(0));
}

void ServerRoomTest::memberLimitIsSetByCreator()
{
    const QString room = uniqueId("room");
    auto creator = TestClient::joinRoom(m_server.signallingUrl(), kAppA, room, uniqueId("creator"),
                                        UserNotify::Off, 2);
    auto second = join(room, uniqueId("second"));
    QVERIFY(creator && second);

    TestClient third(m_server.signallingUrl());
    QVERIFY(third.connectToServer());
    const auto refused = third.loginAppSign(kAppA, room, uniqueId("third"));
    QVERIFY(refused);
    QCOMPARE(refused->code, toInt(ErrorCode::RoomMemberLimit));
    // A later user cannot raise the creator's limit.
    const auto stillRefused = third.loginAppSign(kAppA, room, uniqueId("third"), UserNotify::Off, 100);
    QVERIFY(stillRefused);
    QCOMPARE(stillRefused->code, toInt(ErrorCode::RoomMemberLimit));

    // A place freed by a logout can be taken.
    QCOMPARE(codeOf(second->request<GenericReply>(LogoutRequest{.roomId = room})), 0);
    const auto admitted = third.loginAppSign(kAppA, room, uniqueId("third"));
    QVERIFY(admitted);
    QCOMPARE(admitted->code, 0);
}

void ServerRoomTest::duplicateStreamIdIsRefused()
{
    const QString room1 = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room1, uniqueId("alice"));
    auto carol = join(room1, uniqueId("carol"));
    auto bob = join(uniqueId("room"), uniqueId("bob"));
    QVERIFY(alice && bob && carol);
    QCOMPARE(codeOf(alice->request<PublishReply>(publishRequest(stream))), 0);

    const auto otherRoom = bob->request<PublishReply>(publishRequest(stream));
    QVERIFY(otherRoom);
    QCOMPARE(otherRoom->code, toInt(ErrorCode::DuplicateStreamId));
    const auto sameRoom = carol->request<PublishReply>(publishRequest(stream));
    QVERIFY(sameRoom);
    QCOMPARE(sameRoom->code, toInt(ErrorCode::DuplicateStreamId));

    // Once stopped, the ID is free again.
    QCOMPARE(codeOf(alice->request<GenericReply>(UnpublishRequest{.streamId = stream})), 0);
    const auto afterStop = bob->request<PublishReply>(publishRequest(stream));
    QVERIFY(afterStop);
    QCOMPARE(afterStop->code, 0);
}

void ServerRoomTest::secondStreamWhilePublishingIsRefused()
{
    auto alice = join(uniqueId("room"), uniqueId("alice"));
    QVERIFY(alice);
    const QString first = uniqueId("stream");
    const QString second = uniqueId("stream");
    QCOMPARE(codeOf(alice->request<PublishReply>(publishRequest(first))), 0);
    const auto refused = alice->request<PublishReply>(publishRequest(second));
    QVERIFY(refused);
    QCOMPARE(refused->code, toInt(ErrorCode::AlreadyPublishing));

    QCOMPARE(codeOf(alice->request<GenericReply>(UnpublishRequest{.streamId = first})), 0);
    const auto accepted = alice->request<PublishReply>(publishRequest(second));
    QVERIFY(accepted);
    QCOMPARE(accepted->code, 0);
}

void ServerRoomTest::invalidStreamIdIsRefused_data()
{
    QTest::addColumn<QString>("streamId");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("empty") << QString() << toInt(ErrorCode::StreamIdEmpty);
    QTest::newRow("257 chars") << QString(257, QLatin1Char('s')) << toInt(ErrorCode::StreamIdTooLong);
    QTest::newRow("space") << QStringLiteral("a b") << toInt(ErrorCode::StreamIdInvalidCharacter);
    QTest::newRow("dot") << QStringLiteral("a.b") << toInt(ErrorCode::StreamIdInvalidCharacter);
    QTest::newRow("chinese") << QStringLiteral("流") << toInt(ErrorCode::StreamIdInvalidCharacter);
    QTest::newRow("256 chars") << QStringLiteral("<stream256>") << 0;
}

void ServerRoomTest::invalidStreamIdIsRefused()
{
    QFETCH(QString, streamId);
    QFETCH(int, expectedCode);
    if (streamId == QLatin1String("<stream256>"))
        streamId = uniqueId(QStringLiteral("s")).leftJustified(256, QLatin1Char('s'));
    auto alice = join(uniqueId("room"), uniqueId("alice"));
    QVERIFY(alice);
    const auto reply = alice->request<PublishReply>(publishRequest(streamId));
    QVERIFY(reply);
    QCOMPARE(reply->code, expectedCode);
}

void ServerRoomTest::publishNeedsTokenPrivilege()
{
    const QString room = uniqueId("room");
    // A token without publish privilege, made by the server's own generator (--no-publish).
    const QString listenerId = uniqueId("listener");
    int exitCode = -1;
    const QString noPublishToken = QString::fromUtf8(
        ServerProcess::runCommand({QStringLiteral("token"), QStringLiteral("--app-id"),
                                   QString::number(kAppA.appId), QStringLiteral("--server-secret"),
                                   QString::fromLatin1(kAppA.serverSecretHex),
                                   QStringLiteral("--user"), listenerId,
                                   QStringLiteral("--no-publish")},
                                  &exitCode)
            .trimmed());
    QCOMPARE(exitCode, 0);
    TestClient listener(m_server.signallingUrl());
    QVERIFY(listener.connectToServer());
    QCOMPARE(codeOf(listener.loginToken(kAppA, noPublishToken, room, listenerId)), 0);
    const auto refused = listener.request<PublishReply>(publishRequest(uniqueId("s")));
    QVERIFY(refused);
    QCOMPARE(refused->code, toInt(ErrorCode::PublishNotAuthorized));

    // A token limited to one stream ID allows that one only.
    const QString speakerId = uniqueId("speaker");
    const QString allowed = uniqueId("allowed");
    TestClient speaker(m_server.signallingUrl());
    QVERIFY(speaker.connectToServer());
    const QString listToken = makeToken(kAppA, speakerId, 3600,
                                        payloadForStreams({allowed}));
    QCOMPARE(codeOf(speaker.loginToken(kAppA, listToken, room, speakerId)), 0);
    const auto notListed = speaker.request<PublishReply>(publishRequest(uniqueId("s")));
    QVERIFY(notListed);
    QCOMPARE(notListed->code, toInt(ErrorCode::PublishNotAuthorized));
    const auto listed = speaker.request<PublishReply>(publishRequest(allowed));
    QVERIFY(listed);
    QCOMPARE(listed->code, 0);
}

void ServerRoomTest::republishGetsNewSsrc()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    const auto first = alice->request<PublishReply>(publishRequest(stream));
    QVERIFY(first);
    QCOMPARE(first->code, 0);
    QVERIFY(first->ssrc != 0);
    QCOMPARE(codeOf(alice->request<GenericReply>(UnpublishRequest{.streamId = stream})), 0);
    const auto second = alice->request<PublishReply>(publishRequest(stream));
    QVERIFY(second);
    QCOMPARE(second->code, 0);
    QVERIFY(second->ssrc != 0);
    QVERIFY(second->ssrc != first->ssrc); // stale packets of the old publish must not route
    const auto other = bob->request<PublishReply>(publishRequest(uniqueId("stream")));
    QVERIFY(other);
    QCOMPARE(other->code, 0);
    QVERIFY(other->ssrc != 0 && other->ssrc != second->ssrc);
}

void ServerRoomTest::playRules()
{
    const QString room = uniqueId("room");
    const QString foreignStream = uniqueId("foreign");
    const QString liveStream = uniqueId("live");
    auto foreigner = join(uniqueId("room"), uniqueId("foreigner"));
    auto speaker = join(room, uniqueId("speaker"));
    auto alice = join(room, uniqueId("alice"));
    QVERIFY(foreigner && speaker && alice);
    QCOMPARE(codeOf(foreigner->request<PublishReply>(publishRequest(foreignStream))), 0);
    QCOMPARE(codeOf(speaker->request<PublishReply>(publishRequest(liveStream))), 0);

    const auto foreign = alice->request<PlayReply>(PlayRequest{.streamId = foreignStream});
    QVERIFY(foreign);
    QCOMPARE(foreign->code, toInt(ErrorCode::PlayNotAuthorized));

    const auto live = alice->request<PlayReply>(PlayRequest{.streamId = liveStream});
    QVERIFY(live);
    QCOMPARE(live->code, 0);
    QVERIFY(!live->pending);

    // Not yet published: accepted and waited for. Eleven of them make twelve plays in all.
    for (int i = 0; i < 11; ++i) {
        const auto pending = alice->request<PlayReply>(PlayRequest{.streamId = uniqueId("later")});
        QVERIFY(pending);
        QCOMPARE(pending->code, 0);
        QVERIFY(pending->pending);
    }
    const auto thirteenth = alice->request<PlayReply>(PlayRequest{.streamId = uniqueId("later")});
    QVERIFY(thirteenth);
    QCOMPARE(thirteenth->code, toInt(ErrorCode::TooManyPlays));

    const auto stopped = alice->request<GenericReply>(StopPlayRequest{.streamId = liveStream});
    QVERIFY(stopped);
    QCOMPARE(stopped->code, 0);
    const auto afterStop = alice->request<PlayReply>(PlayRequest{.streamId = uniqueId("later")});
    QVERIFY(afterStop);
    QCOMPARE(afterStop->code, 0);
}

void ServerRoomTest::roomExtraInfo()
{
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    const auto set = alice->request<GenericReply>(SetRoomExtraInfoRequest{
        .roomId = room, .key = QStringLiteral("topic"), .value = QStringLiteral("jazz")});
    QVERIFY(set);
    QCOMPARE(set->code, 0);

    const auto update = bob->waitForEvent<RoomExtraInfoUpdateEvent>();
    QVERIFY(update);
    QCOMPARE(update->roomId, room);
    QCOMPARE(update->items.size(), 1);
    QCOMPARE(update->items.first().key, QStringLiteral("topic"));
    QCOMPARE(update->items.first().value, QStringLiteral("jazz"));
    QCOMPARE(update->items.first().updateUser.userId, alice->userId());
    QVERIFY(alice->expectNoEvent<RoomExtraInfoUpdateEvent>(kQuietMs));

    TestClient carol(m_server.signallingUrl());
    QVERIFY(carol.connectToServer());
    const auto reply = carol.loginAppSign(kAppA, room, uniqueId("carol"));
    QVERIFY(reply);
    QCOMPARE(reply->code, 0);
    QCOMPARE(reply->roomExtraInfo.size(), 1);
    QCOMPARE(reply->roomExtraInfo.first().key, QStringLiteral("topic"));
    QCOMPARE(reply->roomExtraInfo.first().value, QStringLiteral("jazz"));
}

void ServerRoomTest::streamExtraInfo()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    QCOMPARE(codeOf(alice->request<PublishReply>(publishRequest(stream))), 0);

    const auto set = alice->request<GenericReply>(
        SetStreamExtraInfoRequest{.streamId = stream, .extraInfo = QStringLiteral("mic:on")});
    QVERIFY(set);
    QCOMPARE(set->code, 0);
    const auto update = bob->waitForEvent<StreamExtraInfoUpdateEvent>();
    QVERIFY(update);
    QCOMPARE(update->roomId, room);
    QCOMPARE(update->streams.size(), 1);
    QCOMPARE(update->streams.first().streamId, stream);
    QCOMPARE(update->streams.first().extraInfo, QStringLiteral("mic:on"));
    QVERIFY(alice->expectNoEvent<StreamExtraInfoUpdateEvent>(kQuietMs));

    // Only the publisher may change its stream's extra info.
    const auto foreign = bob->request<GenericReply>(
        SetStreamExtraInfoRequest{.streamId = stream, .extraInfo = QStringLiteral("hijack")});
    QVERIFY(foreign);
    QVERIFY(foreign->code != 0);

    TestClient carol(m_server.signallingUrl());
    QVERIFY(carol.connectToServer());
    const auto reply = carol.loginAppSign(kAppA, room, uniqueId("carol"));
    QVERIFY(reply);
    QCOMPARE(reply->streams.size(), 1);
    QCOMPARE(reply->streams.first().extraInfo, QStringLiteral("mic:on"));
}

void ServerRoomTest::onlineCount()
{
    const QString room = uniqueId("room");
    auto alice = join(room, uniqueId("alice"));
    auto bob = join(room, uniqueId("bob"));
    QVERIFY(alice && bob);
    const auto countIs = [&](std::int64_t count) {
        return [=](const OnlineCountEvent& event) {
            return event.roomId == room && event.count == count;
        };
    };
    constexpr int kWithinMs = 4 * kOnlineCountIntervalMs;
    QVERIFY(alice->waitForEvent<OnlineCountEvent>(kWithinMs, countIs(2)));
    QVERIFY(bob->waitForEvent<OnlineCountEvent>(kWithinMs, countIs(2)));
    // Periodic, not once: another report comes within a few intervals.
    alice->discardEvents<OnlineCountEvent>();
    QVERIFY(alice->waitForEvent<OnlineCountEvent>(kWithinMs, countIs(2)));

    QCOMPARE(codeOf(bob->request<GenericReply>(LogoutRequest{.roomId = room})), 0);
    alice->discardEvents<OnlineCountEvent>();
    QVERIFY(alice->waitForEvent<OnlineCountEvent>(kWithinMs, countIs(1)));
}

QTEST_GUILESS_MAIN(ServerRoomTest)
#include "ServerRoomTest.moc"
