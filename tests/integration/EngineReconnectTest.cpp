// Network trouble as the public engine reports it, against the real server behind a TCP relay
// the test can cut (TcpProxy): a short cut within the server's grace period is invisible to
// the others and media keeps flowing; a server killed and restarted (new ports) ends in
// RECONNECTED with publishing and playing restored and audio arriving again.

#include "ServerProcess.h"
#include "TcpProxy.h"
#include "TestApp.h"
#include "TestClient.h"

#include <earshot/Engine.h>

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace earshot;
using namespace earshot::integration;

namespace {

constexpr int kTimeoutMs = 15000;

std::unique_ptr<Engine> makeEngine(const QUrl& server, bool tone)
{
    EngineProfile profile;
    profile.appID = kAppA.appId;
    profile.appSign = QString::fromLatin1(kAppA.appSignHex);
    profile.server = server;
    EngineOptions options;
    if (tone)
        options.inputToneHz = 440.0;
    else
        options.nullDevices = true;
    int code = -1;
    return Engine::create(profile, &code, options);
}

QUrl viaProxy(const TcpProxy& proxy)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(proxy.port()));
}

bool waitForState(Engine& engine, RoomState state)
{
    return QTest::qWaitFor([&] { return engine.roomState() == state; }, kTimeoutMs);
}

} // namespace

class EngineReconnectTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void shortCutIsInvisible();
    void serverRestartRestoresStreams();
};

void EngineReconnectTest::initTestCase()
{
    qRegisterMetaType<RoomStateChangedReason>();
    qRegisterMetaType<UpdateType>();
    qRegisterMetaType<PlayerState>();
    qRegisterMetaType<PublisherState>();
}

void EngineReconnectTest::shortCutIsInvisible()
{
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--grace-ms"), QStringLiteral("5000")}));
    TcpProxy proxy;
    QVERIFY(proxy.start(quint16(server.signallingUrl().port())));
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");

    auto speaker = makeEngine(viaProxy(proxy), true);
    auto listener = makeEngine(server.signallingUrl(), false);
    RoomConfig notify;
    notify.isUserStatusNotify = true;
    QCOMPARE(speaker->loginRoom(room, {uniqueId("speaker"), QStringLiteral("Speaker")}), 0);
    QCOMPARE(listener->loginRoom(room, {uniqueId("listener"), QStringLiteral("Listener")}, notify), 0);
    QVERIFY(waitForState(*speaker, RoomState::Connected));
    QVERIFY(waitForState(*listener, RoomState::Connected));
    QSignalSpy published(speaker.get(), &Engine::publisherStateUpdate);
    QCOMPARE(speaker->startPublishingStream(stream), 0);
    QCOMPARE(listener->startPlayingStream(stream), 0);
    QSignalSpy firstFrame(listener.get(), &Engine::playerRecvAudioFirstFrame);
    QVERIFY(firstFrame.wait(kTimeoutMs));

    QSignalSpy speakerRoom(speaker.get(), &Engine::roomStateChanged);
    QSignalSpy listenerStreams(listener.get(), &Engine::roomStreamUpdate);
    QSignalSpy listenerUsers(listener.get(), &Engine::roomUserUpdate);
    QSignalSpy levels(listener.get(), &Engine::remoteSoundLevelUpdate);
    QCOMPARE(listener->startSoundLevelMonitor(100), 0);
    proxy.cut();
    QVERIFY(QTest::qWaitFor([&] { return speaker->roomState() == RoomState::Connecting; }, kTimeoutMs));
    QTest::qWait(800);
    proxy.restore();
    QVERIFY(waitForState(*speaker, RoomState::Connected));
    QCOMPARE(speakerRoom.size(), 2);
    QCOMPARE(speakerRoom.at(0).at(1).value<RoomStateChangedReason>(), RoomStateChangedReason::Reconnecting);
    QCOMPARE(speakerRoom.at(0).at(2).toInt(), 1002051);
    QCOMPARE(speakerRoom.at(1).at(1).value<RoomStateChangedReason>(), RoomStateChangedReason::Reconnected);
    QVERIFY(QTest::qWaitFor([&] { return published.size() >= 2; }, kTimeoutMs));
    QCOMPARE(published.last().at(1).value<PublisherState>(), PublisherState::Publishing);

    // Nobody else noticed, and the tone kept arriving.
    QTest::qWait(500);
    QCOMPARE(listenerStreams.size(), 0);
    QCOMPARE(listenerUsers.size(), 0);
    levels.clear();
    QVERIFY(QTest::qWaitFor([&] {
        for (const QList<QVariant>& call : levels) {
            const auto map = call.at(0).value<QHash<QString, SoundLevelInfo>>();
            if (map.value(stream).soundLevel > 30.0f)
                return true;
        }
        return false;
    }, kTimeoutMs));
}

void EngineReconnectTest::serverRestartRestoresStreams()
{
    auto server = std::make_unique<ServerProcess>();
    QVERIFY(server->start({QStringLiteral("--grace-ms"), QStringLiteral("2000")}));
    TcpProxy proxy;
    QVERIFY(proxy.start(quint16(server->signallingUrl().port())));
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    auto speaker = makeEngine(viaProxy(proxy), true);
    auto listener = makeEngine(viaProxy(proxy), false);
    QCOMPARE(speaker->loginRoom(room, {uniqueId("speaker"), QStringLiteral("Speaker")}), 0);
    QCOMPARE(listener->loginRoom(room, {uniqueId("listener"), QStringLiteral("Listener")}), 0);
    QVERIFY(waitForState(*speaker, RoomState::Connected));
    QVERIFY(waitForState(*listener, RoomState::Connected));
    QCOMPARE(speaker->startPublishingStream(stream), 0);
    QCOMPARE(listener->startPlayingStream(stream), 0);
    QSignalSpy firstFrame(listener.get(), &Engine::playerRecvAudioFirstFrame);
    QVERIFY(firstFrame.wait(kTimeoutMs));

    QSignalSpy speakerRoom(speaker.get(), &Engine::roomStateChanged);
    QSignalSpy listenerRoom(listener.get(), &Engine::roomStateChanged);
    QSignalSpy published(speaker.get(), &Engine::publisherStateUpdate);
    QSignalSpy playing(listener.get(), &Engine::playerStateUpdate);
    // The server goes away for good; another one comes up on other ports.
    QVERIFY(::kill(pid_t(server->processId()), SIGKILL) == 0);
    QVERIFY(QTest::qWaitFor([&] { return !server->isRunning(); }, kTimeoutMs));
    QVERIFY(QTest::qWaitFor([&] { return speaker->roomState() == RoomState::Connecting; }, kTimeoutMs));
    auto restarted = std::make_unique<ServerProcess>();
    QVERIFY(restarted->start({QStringLiteral("--grace-ms"), QStringLiteral("2000")}));
    proxy.setTargetPort(quint16(restarted->signallingUrl().port()));
    QVERIFY(waitForState(*speaker, RoomState::Connected));
    QVERIFY(waitForState(*listener, RoomState::Connected));
    QCOMPARE(speakerRoom.last().at(1).value<RoomStateChangedReason>(), RoomStateChangedReason::Reconnected);
    QCOMPARE(listenerRoom.last().at(1).value<RoomStateChangedReason>(), RoomStateChangedReason::Reconnected);
    QVERIFY(QTest::qWaitFor([&] {
        return !published.isEmpty() && published.last().at(1).value<PublisherState>() == PublisherState::Publishing;
    }, kTimeoutMs));
    QVERIFY(QTest::qWaitFor([&] {
        return !playing.isEmpty() && playing.last().at(1).value<PlayerState>() == PlayerState::Playing;
    }, kTimeoutMs));
    // Audio arrives again through the new server.
    firstFrame.clear();
    QVERIFY(firstFrame.wait(kTimeoutMs));
}

QTEST_GUILESS_MAIN(EngineReconnectTest)
#include "EngineReconnectTest.moc"
