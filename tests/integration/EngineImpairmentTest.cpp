// The engine under network impairment through the real server: the speaker's media goes
// through a user-space relay (tests/support/ImpairmentRelay: random loss, delay, jitter; the
// kernel here has no netem) to the server's media port. Speech still arrives and correlates;
// the listener's quality reports see the loss and the jitter; the receiver reports make the
// speaker repeat earlier frames (RED).

#include "ImpairmentRelay.h"
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

using namespace earshot;
using namespace earshot::integration;
using earshot::testsupport::ImpairmentRelay;
using earshot::media::test::align;
using earshot::media::test::Alignment;
using earshot::media::test::kRateHz;
using earshot::media::test::speechLike;

namespace {

constexpr int kTimeoutMs = 10000;

std::unique_ptr<Engine> makeEngine(const ServerProcess& server, const EngineOptions& options)
{
    EngineProfile profile;
    profile.appID = kAppA.appId;
    profile.appSign = QString::fromLatin1(kAppA.appSignHex);
    profile.server = server.signallingUrl();
    int code = -1;
    return Engine::create(profile, &code, options);
}

} // namespace

class EngineImpairmentTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void lossAndJitterAreSurvived();

private:
    ServerProcess m_server;
};

void EngineImpairmentTest::initTestCase()
{
    qRegisterMetaType<PublishStreamQuality>();
    qRegisterMetaType<PlayStreamQuality>();
    QVERIFY(m_server.start());
}

void EngineImpairmentTest::lossAndJitterAreSurvived()
{
    QTemporaryDir directory;
    const QString inputPath = directory.filePath("in.wav");
    const QString outputPath = directory.filePath("out.wav");
    const std::vector<float> input = speechLike(8.0);
    {
        audio::WavWriter writer;
        QVERIFY(writer.open(inputPath.toStdString(), kRateHz, 1, audio::WavSampleFormat::Float32) == audio::WavError::None);
        QVERIFY(writer.write(input) == audio::WavError::None);
        QVERIFY(writer.close() == audio::WavError::None);
    }
    ImpairmentRelay relay(QHostAddress::LocalHost, quint16(m_server.mediaUrl().port()), 7);
    QVERIFY(relay.start());
    relay.setLossProbability(0.10, ImpairmentRelay::Direction::ToUpstream);
    relay.setDelayMs(10);
    relay.setJitterMs(40, ImpairmentRelay::Direction::ToUpstream);

    EngineOptions speakerOptions;
    speakerOptions.inputWavPath = inputPath;
    speakerOptions.devicePeriodMs = 5;
    speakerOptions.mediaPortOverride = relay.port();
    speakerOptions.qualityIntervalMs = 1000;
    EngineOptions listenerOptions;
    listenerOptions.outputWavPath = outputPath;
    listenerOptions.devicePeriodMs = 5;
    listenerOptions.qualityIntervalMs = 1000;
    auto speaker = makeEngine(m_server, speakerOptions);
    auto listener = makeEngine(m_server, listenerOptions);
    QVERIFY(speaker && listener);
    // The speech is synthetic and clean: 3A would only change it.
    speaker->enableAEC(false);
    speaker->enableANS(false);
    speaker->enableAGC(false);

    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    QCOMPARE(listener->loginRoom(room, {uniqueId("listener"), QStringLiteral("Listener")}), 0);
    QVERIFY(QTest::qWaitFor([&] { return listener->roomState() == RoomState::Connected; }, kTimeoutMs));
    QCOMPARE(listener->startPlayingStream(stream), 0);
    QSignalSpy publishQuality(speaker.get(), &Engine::publisherQualityUpdate);
    QSignalSpy playQuality(listener.get(), &Engine::playerQualityUpdate);
    QCOMPARE(speaker->loginRoom(room, {uniqueId("speaker"), QStringLiteral("Speaker")}), 0);
    QVERIFY(QTest::qWaitFor([&] { return speaker->roomState() == RoomState::Connected; }, kTimeoutMs));
    QCOMPARE(speaker->startPublishingStream(stream), 0);
    QTest::qWait(9000);
    QCOMPARE(listener->stopPlayingStream(stream), 0);
    QCOMPARE(speaker->stopPublishingStream(), 0);

    const ImpairmentRelay::Counters upstream = relay.counters(ImpairmentRelay::Direction::ToUpstream);
    qInfo("relay: %llu received, %llu dropped", static_cast<unsigned long long>(upstream.received),
          static_cast<unsigned long long>(upstream.droppedLoss));
    QVERIFY(upstream.droppedLoss > 20);

    // The receiver measured the loss and the jitter, and the publisher reacted with repeats.
    double maxLoss = 0.0;
    double maxJitter = 0.0;
    for (const QList<QVariant>& call : playQuality) {
        const auto quality = call.at(1).value<PlayStreamQuality>();
        maxLoss = std::max(maxLoss, quality.packetLossRate);
        maxJitter = std::max(maxJitter, quality.jitterMs);
    }
    int maxRepeats = 0;
    for (const QList<QVariant>& call : publishQuality)
        maxRepeats = std::max(maxRepeats, call.at(1).value<PublishStreamQuality>().redundantFrames);
    qInfo("listener saw loss %.3f, jitter %.1f ms; speaker repeated up to %d frames", maxLoss, maxJitter, maxRepeats);
    QVERIFY(maxLoss > 0.04 && maxLoss < 0.2);
    QVERIFY(maxJitter > 5.0);
    QVERIFY(maxRepeats >= 1);

    listener.reset();
    speaker.reset();
    std::vector<float> output;
    audio::WavReader reader;
    QVERIFY(reader.open(outputPath.toStdString()) == audio::WavError::None);
    QVERIFY(reader.readAll(output) == audio::WavError::None);
    const Alignment alignment = align(input, output, kRateHz * 2);
    qInfo("delay %.1f ms, envelope r=%.3f", double(alignment.delayFrames) * 1000.0 / kRateHz,
          alignment.envelopeCorrelation);
    QVERIFY2(alignment.envelopeCorrelation > 0.85, qPrintable(QString::number(alignment.envelopeCorrelation)));
}

QTEST_GUILESS_MAIN(EngineImpairmentTest)
#include "EngineImpairmentTest.moc"
