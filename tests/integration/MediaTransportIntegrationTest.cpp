// The client's real MediaTransport (engine/src/net) against a real earshot-server: UDP with an
// RTT, the WebSocket-only policy, and the automatic fallback when UDP goes unanswered. Each
// client logs in with TestClient, whose WebSocket doubles as the transport's FallbackChannel.

#include "ServerProcess.h"
#include "TestClient.h"

#include "net/MediaTransport.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QNetworkProxy>
#include <QTest>
#include <QUdpSocket>

#include <deque>

using namespace earshot;
using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

constexpr int kTimeoutMs = 5000;
constexpr int kUdpGiveUpMs = 1000;

QByteArray payloadFor(int index)
{
    return QByteArray("opus-") + QByteArray::number(index) + QByteArray(30 + index % 50, char('A' + index % 26));
}

std::span<const std::uint8_t> bytesOf(const QByteArray& data)
{
    return {reinterpret_cast<const std::uint8_t*>(data.constData()), std::size_t(data.size())};
}

// One logged-in client whose media goes through a MediaTransport.
class TransportClient final : public net::FallbackChannel, public net::MediaPacketSink {
public:
    struct Packet {
        RtpHeader header;
        std::uint64_t extendedSequence = 0;
        QByteArray payload;
    };

    std::unique_ptr<TestClient> client;
    std::unique_ptr<net::MediaTransport> transport;
    std::deque<Packet> received;
    int framesIn = 0;  // binary frames from the server
    int framesOut = 0; // binary frames to the server

    ~TransportClient() override
    {
        if (client)
            client->setBinaryFrameHandler({});
        transport.reset(); // before the client it sends through
    }

    // Logs in to `roomId` and creates (does not start) the transport.
    bool create(const ServerProcess& server, const QString& roomId, const QString& userBase,
                net::UdpPolicy policy, quint16 mediaPortOverride = 0)
    {
        client = TestClient::joinRoom(server.signallingUrl(), kAppA, roomId, uniqueId(userBase));
        if (!client)
            return false;
        KeyExchange::PublicKey serverKey{};
        const QByteArray& helloKey = client->hello().serverPublicKey;
        if (helloKey.size() != qsizetype(serverKey.size()))
            return false;
        std::copy(helloKey.begin(), helloKey.end(), serverKey.begin());
        std::optional<MediaKeys> keys = client->keyExchange().clientKeys(serverKey);
        if (!keys)
            return false;

        net::MediaTransportConfig config;
        config.serverHost = QStringLiteral("127.0.0.1");
        config.mediaPort = mediaPortOverride != 0 ? mediaPortOverride : client->hello().mediaPort;
        config.mediaSessionId = client->mediaSessionId();
        config.policy = policy;
        config.bindRetryMs = 50;
        config.udpGiveUpMs = kUdpGiveUpMs;
        config.keepaliveIntervalMs = 200;
        config.probeIntervalMs = 300;
        config.statsReportIntervalMs = 500;
        transport = std::make_unique<net::MediaTransport>(config, std::move(*keys), *this, *this);
        client->setBinaryFrameHandler([this](const QByteArray& frame) {
            ++framesIn;
            transport->onFallbackFrame(frame);
        });
        return true;
    }

    void sendMediaFrame(const QByteArray& packet) override
    {
        ++framesOut;
        client->sendRawBinary(packet);
    }

    void onMediaPacket(const RtpHeader& header, std::uint64_t extendedSequence,
                       std::span<const std::uint8_t> payload) override
    {
        received.push_back({header, extendedSequence,
                            QByteArray(reinterpret_cast<const char*>(payload.data()), qsizetype(payload.size()))});
    }

    bool waitForPath(net::MediaPath path, int timeoutMs = kTimeoutMs)
    {
        if (TestClient::waitUntil([&] { return transport->path() == path; }, timeoutMs))
            return true;
        qWarning() << "transport path is" << int(transport->path()) << ", expected" << int(path);
        return false;
    }
};

} // namespace

class MediaTransportIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void autoPolicyReachesUdpWithRtt();
    void webSocketOnlyCarriesMedia();
    void fallsBackWhenUdpIsUnanswered();

private:
    // A publishes a new stream, B plays it and registers its SSRC with its transport.
    bool publishAndPlay(TransportClient& a, TransportClient& b, std::uint32_t* ssrc);
    // A sends `count` packets through its transport; B's sink must get them in order, intact.
    bool exchange(TransportClient& a, TransportClient& b, std::uint32_t ssrc, int count);

    ServerProcess m_server;
};

void MediaTransportIntegrationTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void MediaTransportIntegrationTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void MediaTransportIntegrationTest::cleanup()
{
    m_server.printLogIfFailed();
}

bool MediaTransportIntegrationTest::publishAndPlay(TransportClient& a, TransportClient& b, std::uint32_t* ssrc)
{
    const QString streamId = uniqueId("stream");
    const auto published = a.client->request<PublishReply>(publishRequest(streamId));
    if (!published || published->code != 0 || published->ssrc == 0)
        return false;
    const auto played = b.client->request<PlayReply>(PlayRequest{.streamId = streamId});
    if (!played || played->code != 0 || played->ssrc != published->ssrc) {
        qWarning() << "play failed with code" << codeOf(played);
        return false;
    }
    b.transport->addIncomingStream(played->ssrc, streamId);
    *ssrc = published->ssrc;
    return true;
}

bool MediaTransportIntegrationTest::exchange(TransportClient& a, TransportClient& b, std::uint32_t ssrc, int count)
{
    const std::uint64_t first = a.transport->counters().mediaPacketsSent;
    b.received.clear();
    for (int i = 0; i < count; ++i) {
        RtpHeader header;
        header.ssrc = ssrc;
        header.timestamp = std::uint32_t(960 * i);
        header.audioLevel = std::uint8_t(i % 128);
        const QByteArray payload = payloadFor(i);
        if (!a.transport->sendMedia(header, bytesOf(payload))) {
            qWarning() << "sendMedia refused packet" << i;
            return false;
        }
    }
    if (!TestClient::waitUntil([&] { return int(b.received.size()) >= count; }, kTimeoutMs)) {
        qWarning() << "B received" << b.received.size() << "of" << count << "packets";
        return false;
    }
    for (int i = 0; i < count; ++i) {
        const TransportClient::Packet& packet = b.received[std::size_t(i)];
        if (packet.header.ssrc != ssrc || packet.extendedSequence != first + std::uint64_t(i)
            || packet.header.timestamp != std::uint32_t(960 * i) || packet.header.audioLevel != std::uint8_t(i % 128)
            || packet.payload != payloadFor(i)) {
            qWarning() << "packet" << i << "differs: SSRC" << packet.header.ssrc << "sequence"
                       << packet.extendedSequence << "payload" << packet.payload;
            return false;
        }
    }
    return true;
}

void MediaTransportIntegrationTest::autoPolicyReachesUdpWithRtt()
{
    const QString room = uniqueId("room");
    TransportClient a;
    TransportClient b;
    QVERIFY(a.create(m_server, room, "alice", net::UdpPolicy::Auto));
    QVERIFY(b.create(m_server, room, "bob", net::UdpPolicy::Auto));
    a.transport->start();
    b.transport->start();
    QVERIFY(a.waitForPath(net::MediaPath::Udp));
    QVERIFY(b.waitForPath(net::MediaPath::Udp));
    QVERIFY(TestClient::waitUntil([&] { return b.transport->rttMs() >= 0; }, kTimeoutMs));
    QVERIFY(b.transport->rttMs() < 1000);

    std::uint32_t ssrc = 0;
    QVERIFY(publishAndPlay(a, b, &ssrc));
    QVERIFY(exchange(a, b, ssrc, 30));
    // All of it by UDP: nothing crossed the WebSockets as binary frames.
    QCOMPARE(a.framesOut + a.framesIn + b.framesOut + b.framesIn, 0);
    QCOMPARE(b.transport->path(), net::MediaPath::Udp);
    QCOMPARE(b.transport->counters().droppedAuthentication + b.transport->counters().droppedReplayed, 0u);
}

void MediaTransportIntegrationTest::webSocketOnlyCarriesMedia()
{
    const QString room = uniqueId("room");
    TransportClient a;
    TransportClient b;
    QVERIFY(a.create(m_server, room, "alice", net::UdpPolicy::WebSocketOnly));
    QVERIFY(b.create(m_server, room, "bob", net::UdpPolicy::WebSocketOnly));
    a.transport->start();
    b.transport->start();
    QVERIFY(a.waitForPath(net::MediaPath::WebSocket));
    QVERIFY(b.waitForPath(net::MediaPath::WebSocket));
    QCOMPARE(b.transport->localPort(), quint16(0)); // no UDP socket at all
    // The Binds went on the WebSocket and were answered there.
    QVERIFY(TestClient::waitUntil([&] { return b.transport->rttMs() >= 0; }, kTimeoutMs));

    std::uint32_t ssrc = 0;
    QVERIFY(publishAndPlay(a, b, &ssrc));
    const int framesBefore = b.framesIn;
    const int aFramesBefore = a.framesOut;
    QVERIFY(exchange(a, b, ssrc, 30));
    QVERIFY(a.framesOut - aFramesBefore >= 30);
    QVERIFY(b.framesIn - framesBefore >= 30);
}

void MediaTransportIntegrationTest::fallsBackWhenUdpIsUnanswered()
{
    // UDP "gets through" to a socket that never answers: a firewall that drops it.
    QUdpSocket blackhole;
    blackhole.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(blackhole.bind(QHostAddress::LocalHost, 0));

    const QString room = uniqueId("room");
    TransportClient a;
    TransportClient b;
    QVERIFY(a.create(m_server, room, "alice", net::UdpPolicy::Auto, blackhole.localPort()));
    QVERIFY(b.create(m_server, room, "bob", net::UdpPolicy::Auto, blackhole.localPort()));
    QElapsedTimer clock;
    clock.start();
    a.transport->start();
    b.transport->start();
    QCOMPARE(b.transport->path(), net::MediaPath::Connecting);
    QVERIFY(b.waitForPath(net::MediaPath::WebSocket, kUdpGiveUpMs + 1000));
    QVERIFY(a.waitForPath(net::MediaPath::WebSocket, 1000));
    QVERIFY2(clock.elapsed() >= kUdpGiveUpMs - 100, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(blackhole.hasPendingDatagrams()); // UDP was tried first

    std::uint32_t ssrc = 0;
    QVERIFY(publishAndPlay(a, b, &ssrc));
    QVERIFY(exchange(a, b, ssrc, 30));
    QVERIFY(TestClient::waitUntil([&] { return b.transport->rttMs() >= 0; }, kTimeoutMs));
    // Probes keep going to the dead port without pulling the path back.
    int probes = 0;
    const auto drain = [&] {
        while (blackhole.hasPendingDatagrams()) {
            blackhole.receiveDatagram();
            ++probes;
        }
    };
    drain(); // what queued before the connection
    QObject::connect(&blackhole, &QUdpSocket::readyRead, &blackhole, drain);
    const int probesBefore = probes;
    QVERIFY(TestClient::waitUntil([&] { return probes >= probesBefore + 4; }, kTimeoutMs));
    QCOMPARE(b.transport->path(), net::MediaPath::WebSocket);
    QVERIFY(exchange(a, b, ssrc, 5));
}

QTEST_GUILESS_MAIN(MediaTransportIntegrationTest)
#include "MediaTransportIntegrationTest.moc"
