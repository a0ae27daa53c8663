// Two engines' media sessions talk through the real earshot-server: A captures speech from a
// virtual device and publishes it, B plays it into a virtual device's WAV. Logins and stream
// requests go through TestClient (the engine's signalling client is tested on its own); media
// goes through the engine's real MediaSession: AudioPipeline, Opus, MediaTransport, UDP or the
// WebSocket fallback, the server's forwarding, B's jitter buffer and mixer.

#include "MediaTestSignals.h"
#include "ServerProcess.h"
#include "TestClient.h"

#include "audio/VirtualAudioDevice.h"
#include "audio/WavReader.h"
#include "audio/WavWriter.h"
#include "mediasession/MediaSession.h"
#include "net/MediaTransport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace earshot;
using namespace earshot::integration;
using namespace earshot::protocol;
using earshot::media::test::align;
using earshot::media::test::Alignment;
using earshot::media::test::kRateHz;
using earshot::media::test::speechLike;

namespace {

constexpr int kTimeoutMs = 5000;

// One logged-in client with a MediaSession whose transport uses the client's keys and WebSocket.
struct Peer {
    std::unique_ptr<TestClient> client;
    std::unique_ptr<mediasession::MediaSession> session;

    ~Peer()
    {
        if (client)
            client->setBinaryFrameHandler({});
        session.reset();
    }

    bool create(const ServerProcess& server, const QString& roomId, const QString& userBase,
                audio::VirtualDeviceConfig device, net::UdpPolicy policy)
    {
        client = TestClient::joinRoom(server.signallingUrl(), kAppA, roomId, uniqueId(userBase));
        if (!client)
            return false;
        KeyExchange::PublicKey serverKey {};
        const QByteArray& helloKey = client->hello().serverPublicKey;
        if (helloKey.size() != qsizetype(serverKey.size()))
            return false;
        std::copy(helloKey.begin(), helloKey.end(), serverKey.begin());
        std::optional<MediaKeys> keys = client->keyExchange().clientKeys(serverKey);
        if (!keys)
            return false;

        mediasession::MediaSessionConfig config;
        config.pipeline.devicePeriodFrames = 240;
        config.pipeline.processing = false;
        config.device.engineFormat.framesPerPeriod = 240;
        config.makeDevice = [device] { return std::make_unique<audio::VirtualAudioDevice>(device); };
        session = mediasession::MediaSession::create(std::move(config));
        if (!session)
            return false;
        QObject::connect(session.get(), &mediasession::MediaSession::mediaFrameToSend, client.get(),
                         [this](const QByteArray& frame) { client->sendRawBinary(frame); });
        client->setBinaryFrameHandler([this](const QByteArray& frame) { session->onFallbackFrame(frame); });

        net::MediaTransportConfig transport;
        transport.serverHost = QStringLiteral("127.0.0.1");
        transport.mediaPort = client->hello().mediaPort;
        transport.mediaSessionId = client->mediaSessionId();
        transport.policy = policy;
        transport.bindRetryMs = 50;
        transport.udpGiveUpMs = 1000;
        transport.keepaliveIntervalMs = 200;
        transport.probeIntervalMs = 300;
        transport.statsReportIntervalMs = 500;
        session->connectTransport(transport, std::move(*keys));
        return true;
    }
};

std::vector<float> readWav(const std::string& path)
{
    std::vector<float> samples;
    audio::WavReader reader;
    if (reader.open(path) != audio::WavError::None || reader.readAll(samples) != audio::WavError::None)
        qWarning("cannot read %s", path.c_str());
    return samples;
}

} // namespace

class MediaSessionIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void speechFlowsThroughTheServer_data();
    void speechFlowsThroughTheServer();

private:
    ServerProcess m_server;
};

void MediaSessionIntegrationTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void MediaSessionIntegrationTest::speechFlowsThroughTheServer_data()
{
    QTest::addColumn<bool>("webSocketOnly");
    QTest::newRow("UDP") << false;
    QTest::newRow("WebSocket fallback") << true;
}

// The seed's walkthrough at the media level: A publishes, B plays, and what B's speaker gets
// is what A's microphone heard, delayed.
void MediaSessionIntegrationTest::speechFlowsThroughTheServer()
{
    QFETCH(bool, webSocketOnly);
    const net::UdpPolicy policy = webSocketOnly ? net::UdpPolicy::WebSocketOnly : net::UdpPolicy::Auto;
    QTemporaryDir directory;
    const std::string inputPath = directory.filePath("in.wav").toStdString();
    const std::string outputPath = directory.filePath("out.wav").toStdString();
    const std::vector<float> input = speechLike(3.0);
    {
        audio::WavWriter writer;
        QVERIFY(writer.open(inputPath, kRateHz, 1, audio::WavSampleFormat::Float32) == audio::WavError::None);
        QVERIFY(writer.write(input) == audio::WavError::None);
        QVERIFY(writer.close() == audio::WavError::None);
    }
    const QString room = uniqueId("room");
    const QString streamId = uniqueId("stream");

    Peer b;
    audio::VirtualDeviceConfig listener;
    listener.outputWavPath = outputPath;
    listener.outputSampleFormat = audio::WavSampleFormat::Float32;
    QVERIFY(b.create(m_server, room, "listener", listener, policy));
    const auto play = b.client->request<PlayReply>(PlayRequest {.streamId = streamId});
    QVERIFY(play && play->code == 0 && play->pending);

    Peer a;
    audio::VirtualDeviceConfig speaker;
    speaker.inputWavPath = inputPath;
    QVERIFY(a.create(m_server, room, "speaker", speaker, policy));
    const auto publish = a.client->request<PublishReply>(PublishRequest {.streamId = streamId, .extraInfo = {}});
    QVERIFY(publish && publish->code == 0 && publish->ssrc != 0);

    // The pending play becomes a stream ADD for B, with the SSRC to accept.
    const auto added = b.client->waitForEvent<StreamUpdateEvent>(kTimeoutMs);
    QVERIFY(added && !added->streams.isEmpty());
    const std::uint32_t ssrc = added->streams.first().ssrc;
    QCOMPARE(ssrc, publish->ssrc);

    QSignalSpy firstFrame(b.session.get(), &mediasession::MediaSession::playFirstFrame);
    QSignalSpy captured(a.session.get(), &mediasession::MediaSession::capturedAudioFirstFrame);
    QVERIFY(b.session->startPlaying(ssrc, streamId, 0));
    a.session->startPublishing(publish->ssrc);
    QVERIFY(captured.wait(kTimeoutMs));
    QVERIFY(firstFrame.wait(kTimeoutMs));
    QTest::qWait(3600); // the 3 s of speech and the pipeline's delay
    b.session->stopPlaying(ssrc);
    a.session->stopPublishing();
    QVERIFY(!b.session->isDeviceOpen());

    const std::vector<float> output = readWav(outputPath);
    const Alignment alignment = align(input, output, kRateHz);
    qInfo("delay %.1f ms, waveform r=%.3f, envelope r=%.3f", double(alignment.delayFrames) * 1000.0 / kRateHz,
          alignment.waveformCorrelation, alignment.envelopeCorrelation);
    // Over TCP a loaded machine delays whole bursts, and the jitter buffer's catching up (time
    // stretching) blurs the envelope a little more than on UDP.
    const double minimumEnvelope = webSocketOnly ? 0.9 : 0.95;
    QVERIFY2(alignment.envelopeCorrelation > minimumEnvelope,
             qPrintable(QString::number(alignment.envelopeCorrelation)));
    // On loopback UDP the waveform itself survives, segment by segment: the jitter buffer may
    // shorten a quiet block as it settles to its target, which moves the delay by a few
    // milliseconds, so each 250 ms is aligned on its own near the found delay. Over TCP the
    // arrival jitter makes it stretch often, which keeps the envelope but not the phase.
    if (!webSocketOnly) {
        const double waveform = media::test::segmentedWaveformCorrelation(input, output, alignment.delayFrames, kRateHz / 4,
                                                             kRateHz / 1000 * 30);
        QVERIFY2(waveform > 0.7, qPrintable(QString::number(waveform)));
    }
    QCOMPARE(a.session->transport()->path(),
             webSocketOnly ? net::MediaPath::WebSocket : net::MediaPath::Udp);
}

QTEST_GUILESS_MAIN(MediaSessionIntegrationTest)
#include "MediaSessionIntegrationTest.moc"
