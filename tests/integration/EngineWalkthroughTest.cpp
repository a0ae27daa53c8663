// The public engine (earshot::Engine) end to end against the real earshot-server: the seed's
// walkthrough with the exact signal sequences on both sides and audio that arrives and
// correlates with what was captured; a play that waits for a stream published later; the API's
// argument and state errors. Two engines live in this process, each with its own session and
// media threads and virtual devices (WAV in, WAV out).

#include "MediaTestSignals.h"
#include "ServerProcess.h"
#include "TestApp.h"
#include "TestClient.h"

#include "audio/WavReader.h"
#include "audio/WavWriter.h"

#include <earshot/Engine.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <thread>

using namespace earshot;
using namespace earshot::integration;
using earshot::media::test::align;
using earshot::media::test::Alignment;
using earshot::media::test::kRateHz;
using earshot::media::test::speechLike;

namespace {

constexpr int kTimeoutMs = 10000;

EngineProfile profileFor(const ServerProcess& server)
{
    EngineProfile profile;
    profile.appID = kAppA.appId;
    profile.appSign = QString::fromLatin1(kAppA.appSignHex);
    profile.server = server.signallingUrl();
    return profile;
}

// Records every state signal of an engine as one line, in order.
class EventLog : public QObject {
public:
    explicit EventLog(Engine& engine)
    {
        connect(&engine, &Engine::roomStateChanged, this,
                [this](const QString&, RoomStateChangedReason reason, int code, const QString&) {
                    lines << QStringLiteral("room %1 %2").arg(int(reason)).arg(code);
                });
        connect(&engine, &Engine::publisherStateUpdate, this,
                [this](const QString& id, PublisherState state, int code, const QString&) {
                    lines << QStringLiteral("publish %1 %2 %3").arg(id).arg(int(state)).arg(code);
                });
        connect(&engine, &Engine::playerStateUpdate, this,
                [this](const QString& id, PlayerState state, int code, const QString&) {
                    lines << QStringLiteral("play %1 %2 %3").arg(id).arg(int(state)).arg(code);
                });
        connect(&engine, &Engine::roomStreamUpdate, this,
                [this](const QString&, UpdateType type, const QList<Stream>& streams, const QString& extended) {
                    for (const Stream& stream : streams)
                        lines << QStringLiteral("stream %1 %2 %3").arg(int(type)).arg(stream.streamID, extended);
                });
        connect(&engine, &Engine::playerRecvAudioFirstFrame, this,
                [this](const QString& id) { lines << QStringLiteral("first frame %1").arg(id); });
        connect(&engine, &Engine::publisherCapturedAudioFirstFrame, this,
                [this] { lines << QStringLiteral("captured first frame"); });
    }
    bool waitFor(const QString& line, int timeoutMs = kTimeoutMs)
    {
        return QTest::qWaitFor([&] { return lines.contains(line); }, timeoutMs);
    }
    QStringList lines;
};

std::vector<float> readWav(const QString& path)
{
    std::vector<float> samples;
    audio::WavReader reader;
    if (reader.open(path.toStdString()) != audio::WavError::None || reader.readAll(samples) != audio::WavError::None)
        qWarning("cannot read %s", qPrintable(path));
    return samples;
}

} // namespace

class EngineWalkthroughTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void walkthrough();
    void argumentAndStateErrors();
    void loginFailsWithWrongAppSign();
    void defaultEngine();

private:
    ServerProcess m_server;
    QTemporaryDir m_directory;
};

void EngineWalkthroughTest::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_directory.isValid());
}

// The seed's walkthrough: create → login → publish → the other side sees the stream and plays
// it → audio arrives → stop → logout → destroy, with the exact signal sequence on both sides.
void EngineWalkthroughTest::walkthrough()
{
    const QString inputPath = m_directory.filePath("walkthrough-in.wav");
    const QString outputPath = m_directory.filePath("walkthrough-out.wav");
    const std::vector<float> input = speechLike(3.0);
    {
        audio::WavWriter writer;
        QVERIFY(writer.open(inputPath.toStdString(), kRateHz, 1, audio::WavSampleFormat::Float32) == audio::WavError::None);
        QVERIFY(writer.write(input) == audio::WavError::None);
        QVERIFY(writer.close() == audio::WavError::None);
    }
    EngineOptions speakerOptions;
    speakerOptions.inputWavPath = inputPath;
    speakerOptions.devicePeriodMs = 5;
    EngineOptions listenerOptions;
    listenerOptions.outputWavPath = outputPath;
    listenerOptions.devicePeriodMs = 5;
    int code = -1;
    std::unique_ptr<Engine> speaker = Engine::create(profileFor(m_server), &code, speakerOptions);
    QVERIFY(speaker);
    QCOMPARE(code, 0);
    std::unique_ptr<Engine> listener = Engine::create(profileFor(m_server), &code, listenerOptions);
    QVERIFY(listener);
    EventLog a(*speaker);
    EventLog b(*listener);
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");

    // B first, and B asks for the stream before it exists: it waits for it.
    QCOMPARE(listener->loginRoom(room, {uniqueId("listener"), QStringLiteral("Listener")}), 0);
    QVERIFY(b.waitFor(QStringLiteral("room 1 0")));
    QCOMPARE(listener->startPlayingStream(stream), 0);

    QCOMPARE(speaker->loginRoom(room, {uniqueId("speaker"), QStringLiteral("Speaker")}), 0);
    QVERIFY(a.waitFor(QStringLiteral("room 1 0")));
    QCOMPARE(speaker->startPublishingStream(stream), 0);
    QVERIFY(a.waitFor(QStringLiteral("publish %1 2 0").arg(stream)));
    QVERIFY(b.waitFor(QStringLiteral("stream 0 %1 ").arg(stream)));
    QVERIFY(b.waitFor(QStringLiteral("play %1 2 0").arg(stream)));
    QVERIFY(a.waitFor(QStringLiteral("captured first frame")));
    QVERIFY(b.waitFor(QStringLiteral("first frame %1").arg(stream)));
    QTest::qWait(3500);

    QCOMPARE(listener->stopPlayingStream(stream), 0);
    QCOMPARE(speaker->stopPublishingStream(), 0);
    QVERIFY(b.waitFor(QStringLiteral("stream 1 %1 {\"reason\":1}").arg(stream)));
    QCOMPARE(speaker->logoutRoom(room), 0);
    QCOMPARE(listener->logoutRoom(), 0);
    speaker.reset();
    listener.reset();

    QCOMPARE(a.lines, QStringList({QStringLiteral("room 0 0"), QStringLiteral("room 1 0"),
                                   QStringLiteral("publish %1 1 0").arg(stream),
                                   QStringLiteral("publish %1 2 0").arg(stream), QStringLiteral("captured first frame"),
                                   QStringLiteral("publish %1 0 0").arg(stream), QStringLiteral("room 7 0")}));
    QCOMPARE(b.lines, QStringList({QStringLiteral("room 0 0"), QStringLiteral("room 1 0"),
                                   QStringLiteral("play %1 1 0").arg(stream), QStringLiteral("stream 0 %1 ").arg(stream),
                                   QStringLiteral("play %1 2 0").arg(stream), QStringLiteral("first frame %1").arg(stream),
                                   QStringLiteral("play %1 0 0").arg(stream),
                                   QStringLiteral("stream 1 %1 {\"reason\":1}").arg(stream), QStringLiteral("room 7 0")}));

    const std::vector<float> output = readWav(outputPath);
    const Alignment alignment = align(input, output, kRateHz * 2);
    qInfo("delay %.1f ms (includes the time between the two devices opening), waveform r=%.3f, envelope r=%.3f",
          double(alignment.delayFrames) * 1000.0 / kRateHz, alignment.waveformCorrelation,
          alignment.envelopeCorrelation);
    QVERIFY2(alignment.envelopeCorrelation > 0.9, qPrintable(QString::number(alignment.envelopeCorrelation)));
}

void EngineWalkthroughTest::argumentAndStateErrors()
{
    int code = -1;
    EngineProfile profile = profileFor(m_server);
    profile.appID = 0;
    QVERIFY(!Engine::create(profile, &code));
    QCOMPARE(code, 1001000);
    profile = profileFor(m_server);
    profile.appSign = QStringLiteral("abc");
    QVERIFY(!Engine::create(profile, &code));
    QCOMPARE(code, 1001001);
    profile.appSign = QString(64, QLatin1Char('z'));
    QVERIFY(!Engine::create(profile, &code));
    QCOMPARE(code, 1001002);

    // Options out of range are refused; a fractional device period is not out of range.
    const auto optionsCode = [&](auto change) {
        EngineOptions bad;
        bad.nullDevices = true;
        change(bad);
        int result = -1;
        const bool made = Engine::create(profileFor(m_server), &result, bad) != nullptr;
        return made ? 0 : result;
    };
    QCOMPARE(optionsCode([](EngineOptions& o) { o.devicePeriodMs = 0.5; }), 1000017);
    QCOMPARE(optionsCode([](EngineOptions& o) { o.devicePeriodMs = std::nan(""); }), 1000017);
    QCOMPARE(optionsCode([](EngineOptions& o) { o.devicePeriodMs = 2.5; }), 0);
    QCOMPARE(optionsCode([](EngineOptions& o) { o.playbackQueueMs = -1; }), 1000017);
    QCOMPARE(optionsCode([](EngineOptions& o) { o.playbackQueueMs = 101; }), 1000017);
    QCOMPARE(optionsCode([](EngineOptions& o) { o.frameDurationMs = 15; }), 1000017);

    EngineOptions options;
    options.nullDevices = true;
    std::unique_ptr<Engine> engine = Engine::create(profileFor(m_server), &code, options);
    QVERIFY(engine);
    QCOMPARE(engine->enableCamera(true), 1000017);
    QCOMPARE(engine->enableCamera(false), 0);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("s")), 1000002);
    QCOMPARE(engine->startPlayingStream(QStringLiteral("s")), 1000002);
    QCOMPARE(engine->logoutRoom(QStringLiteral("nowhere")), 1002002);
    QCOMPARE(engine->sendBroadcastMessage(QStringLiteral("r"), QStringLiteral("hi")), -1000002);
    QCOMPARE(engine->loginRoom(QString(), {QStringLiteral("u"), QStringLiteral("U")}), 1002011);
    QCOMPARE(engine->loginRoom(QString(200, QLatin1Char('r')), {QStringLiteral("u"), QStringLiteral("U")}), 1002013);
    QCOMPARE(engine->loginRoom(QStringLiteral("r"), {QString(), QStringLiteral("U")}), 1002005);
    QCOMPARE(engine->loginRoom(QStringLiteral("r"), {QString(80, QLatin1Char('u')), QStringLiteral("U")}), 1002007);
    QCOMPARE(engine->loginRoom(QStringLiteral("r"), {QStringLiteral("u"), QString()}), 1002008);
    QCOMPARE(engine->setCaptureVolume(201), 1000017);
    QCOMPARE(engine->setCaptureVolume(-1), 1000017);
    QCOMPARE(engine->setCaptureVolume(150), 0);
    QCOMPARE(engine->setVoiceActivationThreshold(-1), 1000017);
    QCOMPARE(engine->setVoiceActivationThreshold(101), 1000017);
    QCOMPARE(engine->setVoiceActivationThreshold(40), 0);
    QCOMPARE(engine->setVoiceActivationThreshold(0), 0);
    QCOMPARE(engine->setAllPlayStreamVolume(300), 1000017);
    QCOMPARE(engine->startSoundLevelMonitor(50), 1000017);
    QCOMPARE(engine->startSoundLevelMonitor(100), 0);
    QCOMPARE(engine->stopSoundLevelMonitor(), 0);
    QCOMPARE(engine->startRecordingCapturedData(QStringLiteral("/tmp/x.mp3")), 1000017);
    QCOMPARE(engine->setAudioConfig({600, 1}), 1000017);
    QCOMPARE(engine->setAudioConfig(AudioConfig::fromPreset(AudioConfigPreset::HighQuality)), 0);

    EventLog log(*engine);
    const QString room = uniqueId("room");
    QCOMPARE(engine->loginRoom(room, {uniqueId("user"), QStringLiteral("User")}), 0);
    QCOMPARE(engine->loginRoom(room, {uniqueId("user"), QStringLiteral("User")}), 1002001);
    QVERIFY(log.waitFor(QStringLiteral("room 1 0")));
    QCOMPARE(engine->startPublishingStream(QString()), 1000015);
    QCOMPARE(engine->startPublishingStream(QString(300, QLatin1Char('s'))), 1000014);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("bad stream!")), 1000016);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("first")), 0);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("second")), 1003023);
    QCOMPARE(engine->sendBroadcastMessage(QStringLiteral("other-room"), QStringLiteral("hi")), -1009005);
    QCOMPARE(engine->sendBroadcastMessage(room, QString()), -1009001);
    QCOMPARE(engine->sendBroadcastMessage(room, QString(1025, QLatin1Char('m'))), -1009002);
    for (int i = 0; i < 12; ++i)
        QCOMPARE(engine->startPlayingStream(QStringLiteral("play%1").arg(i)), 0);
    QCOMPARE(engine->startPlayingStream(QStringLiteral("play12")), 1004010);
    QCOMPARE(engine->stopPlayingStream(QStringLiteral("never")), 1000017);
    QCOMPARE(engine->setPlayStreamBufferIntervalRange(QStringLiteral("play0"), 100, 50), 1000017);
    QCOMPARE(engine->setPlayStreamBufferIntervalRange(QStringLiteral("play0"), 0, 5000), 1000017);
    QCOMPARE(engine->setPlayStreamBufferIntervalRange(QStringLiteral("play0"), 20, 500), 0);
    // Calls from another thread are refused and change nothing.
    int fromOtherThread = 0;
    int messageFromOtherThread = 0;
    std::thread other([&] {
        fromOtherThread = engine->stopPublishingStream();
        messageFromOtherThread = engine->sendBroadcastMessage(room, QStringLiteral("hi"));
    });
    other.join();
    QCOMPARE(fromOtherThread, 1000017);
    QCOMPARE(messageFromOtherThread, -1000017);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("second")), 1003023); // still publishing "first"

    QCOMPARE(engine->logoutRoom(), 0);
    QVERIFY(log.waitFor(QStringLiteral("room 7 0")));
    QCOMPARE(engine->roomState(), RoomState::Disconnected);
}

void EngineWalkthroughTest::loginFailsWithWrongAppSign()
{
    EngineProfile profile = profileFor(m_server);
    profile.appSign = QString(64, QLatin1Char('0'));
    EngineOptions options;
    options.nullDevices = true;
    int code = -1;
    std::unique_ptr<Engine> engine = Engine::create(profile, &code, options);
    QVERIFY(engine);
    EventLog log(*engine);
    QCOMPARE(engine->loginRoom(uniqueId("room"), {uniqueId("user"), QStringLiteral("User")}), 0);
    QVERIFY(log.waitFor(QStringLiteral("room 2 1001005")));
    QCOMPARE(engine->roomState(), RoomState::Disconnected);
    QCOMPARE(engine->startPublishingStream(QStringLiteral("s")), 1000002);
}

// ZEGO's one-instance convenience: createEngine returns the one engine until destroyEngine.
void EngineWalkthroughTest::defaultEngine()
{
    QCOMPARE(Engine::getEngine(), nullptr);
    EngineOptions options;
    options.nullDevices = true;
    int code = -1;
    EngineProfile bad = profileFor(m_server);
    bad.appID = 0;
    QCOMPARE(Engine::createEngine(bad, &code, options), nullptr);
    QCOMPARE(code, 1001000);
    Engine* engine = Engine::createEngine(profileFor(m_server), &code, options);
    QVERIFY(engine != nullptr);
    QCOMPARE(code, 0);
    QCOMPARE(Engine::getEngine(), engine);
    QCOMPARE(Engine::createEngine(profileFor(m_server), &code, options), engine);
    QCOMPARE(engine->loginRoom(uniqueId("room"), {uniqueId("user"), QStringLiteral("User")}), 0);
    QVERIFY(QTest::qWaitFor([&] { return engine->roomState() == RoomState::Connected; }, kTimeoutMs));
    // Asynchronous: the engine is gone from getEngine() at once and says nothing more; the
    // callback comes from the event loop once the devices are closed.
    QSignalSpy roomStates(engine, &Engine::roomStateChanged);
    bool done = false;
    Engine::destroyEngine([&] { done = true; });
    QVERIFY(!done);
    QCOMPARE(Engine::getEngine(), nullptr);
    QVERIFY(QTest::qWaitFor([&] { return done; }, kTimeoutMs));
    QCOMPARE(roomStates.count(), 0);
    // A second default engine can be made right away, and destroying nothing calls back at once.
    Engine* second = Engine::createEngine(profileFor(m_server), &code, options);
    QVERIFY(second != nullptr && second != engine);
    bool secondDone = false;
    Engine::destroyEngine([&] { secondDone = true; });
    QVERIFY(QTest::qWaitFor([&] { return secondDone; }, kTimeoutMs));
    bool nothingDone = false;
    Engine::destroyEngine([&] { nothingDone = true; });
    QVERIFY(nothingDone);
}

QTEST_GUILESS_MAIN(EngineWalkthroughTest)
#include "EngineWalkthroughTest.moc"
