#include "net/MediaTransport.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaControl.h>
#include <earshot/protocol/MediaPacketCrypto.h>

#include <QElapsedTimer>
#include <QList>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

using namespace earshot;
using net::MediaPath;
using net::MediaTransport;

namespace {

constexpr std::uint32_t kSessionId = 0x5E550001;
constexpr std::uint32_t kOutgoingSsrc = 0x1000;
constexpr std::uint32_t kIncomingSsrc = 0x2000;
// Short, for the test that waits for the fallback; the others use a long one, so a loaded
// machine (sanitizers, two shared cores) cannot push them onto the WebSocket by accident.
constexpr int kShortGiveUpMs = 300;
constexpr int kLongGiveUpMs = 3000;

std::span<const std::uint8_t> bytes(const QByteArray& array)
{
    return {reinterpret_cast<const std::uint8_t*>(array.constData()), static_cast<std::size_t>(array.size())};
}

QByteArray toByteArray(std::span<const std::uint8_t> span)
{
    return QByteArray(reinterpret_cast<const char*>(span.data()), qsizetype(span.size()));
}

QByteArray pattern(int size, int seed)
{
    QByteArray payload(size, '\0');
    for (int i = 0; i < size; ++i)
        payload[i] = char((i * 31 + seed * 7) & 0xFF);
    return payload;
}

// The server's side of the media protocol, just enough of it: the server's keys from the same
// key exchange, Binds answered with BindAcks (on the path they came by), client media opened
// and recorded, and media sealed for the client. A stand-in for earshot-server's MediaRouter,
// so this test needs no server.
class FakeServer {
public:
    struct Received {
        protocol::RtpHeader header;
        std::uint64_t extendedSequence = 0;
        QByteArray payload;
    };

    explicit FakeServer(const protocol::MediaKeys& keys)
        : m_opener(keys.receive)
        , m_sealer(keys.transmit)
        , m_controlState(kSessionId)
    {
        QVERIFY(socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] { readDatagrams(); });
    }

    // One packet from the client. Returns the BindAck to answer a Bind with, if answering.
    std::optional<QByteArray> handle(std::span<const std::uint8_t> packet, bool answer)
    {
        const auto parsed = protocol::RtpHeader::parse(packet);
        if (!parsed.ok()) {
            ++malformed;
            return std::nullopt;
        }
        std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> plaintext{};
        if (parsed.header.payloadType == protocol::kMediaControlPayloadType) {
            const auto opened = m_controlState.openAndCommit(m_opener, parsed, plaintext);
            const auto message = protocol::MediaControlMessage::parse({plaintext.data(), opened.plaintextSize});
            if (!opened.ok() || parsed.header.ssrc != kSessionId || !message
                || message->type != protocol::MediaControlType::Bind) {
                ++malformed;
                return std::nullopt;
            }
            ++binds;
            if (!answer)
                return std::nullopt;
            return bindAck(message->clientTimeUs);
        }
        auto state = m_mediaStates.try_emplace(parsed.header.ssrc, parsed.header.ssrc).first;
        const auto opened = state->second.openAndCommit(m_opener, parsed, plaintext);
        if (!opened.ok()) {
            ++malformed;
            return std::nullopt;
        }
        media.append({parsed.header, opened.extendedSequence, toByteArray({plaintext.data(), opened.plaintextSize})});
        return std::nullopt;
    }

    QByteArray bindAck(std::uint64_t clientTimeUs)
    {
        protocol::RtpHeader header;
        header.payloadType = protocol::kMediaControlPayloadType;
        header.ssrc = kSessionId;
        std::array<std::uint8_t, protocol::kMediaControlPayloadBytes> payload{};
        const std::size_t size =
            protocol::MediaControlMessage{protocol::MediaControlType::BindAck, clientTimeUs}.write(payload);
        return seal(header, {payload.data(), size});
    }

    // Seals as the server does: the header's sequence from a per-SSRC counter.
    QByteArray seal(protocol::RtpHeader header, std::span<const std::uint8_t> payload)
    {
        std::uint64_t& next = m_nextSequence[header.ssrc];
        header.sequence = static_cast<std::uint16_t>(next);
        std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> out{};
        const std::size_t size = m_sealer.seal(header, next++, payload, out);
        [&] { QVERIFY(size > 0); }();
        return toByteArray({out.data(), size});
    }

    void sendToClient(const QByteArray& packet, QUdpSocket* from = nullptr)
    {
        QUdpSocket& sender = from != nullptr ? *from : socket;
        QCOMPARE(sender.writeDatagram(packet, QHostAddress::LocalHost, clientPort), qint64(packet.size()));
    }

    QUdpSocket socket;
    bool answerUdp = true;
    quint16 clientPort = 0; // learnt from the Binds, as the real server does
    int binds = 0;          // over either path
    int udpBinds = 0;
    int malformed = 0;
    QList<Received> media;

private:
    void readDatagrams()
    {
        while (socket.hasPendingDatagrams()) {
            QHostAddress address;
            quint16 port = 0;
            QByteArray datagram(int(socket.pendingDatagramSize()), '\0');
            socket.readDatagram(datagram.data(), datagram.size(), &address, &port);
            const int bindsBefore = binds;
            const auto answer = handle(bytes(datagram), answerUdp);
            if (binds != bindsBefore) {
                ++udpBinds;
                clientPort = port;
            }
            if (answer)
                socket.writeDatagram(*answer, address, port);
        }
    }

    protocol::MediaPacketOpener m_opener;
    protocol::MediaPacketSealer m_sealer;
    protocol::MediaReceiverState m_controlState;
    std::map<std::uint32_t, protocol::MediaReceiverState> m_mediaStates;
    std::map<std::uint32_t, std::uint64_t> m_nextSequence;
};

// The signalling WebSocket's side: records the frames and, like the real server, answers Binds
// on the same path (queued, as a network would deliver them).
class FallbackDouble : public net::FallbackChannel {
public:
    void sendMediaFrame(const QByteArray& packet) override
    {
        frames.append(packet);
        if (server == nullptr || transport == nullptr)
            return;
        if (const auto answer = server->handle(bytes(packet), answerWebSocket)) {
            QMetaObject::invokeMethod(
                transport, [target = transport, frame = *answer] { target->onFallbackFrame(frame); },
                Qt::QueuedConnection);
        }
    }

    QList<QByteArray> frames;
    FakeServer* server = nullptr;
    MediaTransport* transport = nullptr;
    bool answerWebSocket = true;
};

class SinkDouble : public net::MediaPacketSink {
public:
    void onMediaPacket(const protocol::RtpHeader& header, std::uint64_t extendedSequence,
                       std::span<const std::uint8_t> payload) override
    {
        packets.append({header, extendedSequence, toByteArray(payload)});
    }

    QList<FakeServer::Received> packets;
};

// One client transport wired to a fake server over loopback.
struct Rig {
    explicit Rig(net::UdpPolicy policy = net::UdpPolicy::Auto, int udpGiveUpMs = kLongGiveUpMs,
                 const QString& host = QStringLiteral("127.0.0.1"))
    {
        protocol::KeyExchange client;
        protocol::KeyExchange server;
        auto clientKeys = client.clientKeys(server.publicKey());
        const auto serverKeys = server.serverKeys(client.publicKey());
        fake = std::make_unique<FakeServer>(*serverKeys);

        net::MediaTransportConfig config;
        config.serverHost = host;
        config.mediaPort = fake->socket.localPort();
        config.mediaSessionId = kSessionId;
        config.policy = policy;
        config.bindRetryMs = 50;
        config.udpGiveUpMs = udpGiveUpMs;
        config.keepaliveIntervalMs = 100;
        config.probeIntervalMs = 150;
        config.statsReportIntervalMs = 100;
        transport = std::make_unique<MediaTransport>(config, std::move(*clientKeys), fallback, sink);
        fallback.server = fake.get();
        fallback.transport = transport.get();
        paths = std::make_unique<QSignalSpy>(transport.get(), &MediaTransport::pathChanged);
    }

    QList<MediaPath> pathHistory() const
    {
        QList<MediaPath> history;
        for (const auto& arguments : *paths)
            history.append(arguments.at(0).value<MediaPath>());
        return history;
    }

    std::unique_ptr<FakeServer> fake;
    FallbackDouble fallback;
    SinkDouble sink;
    std::unique_ptr<MediaTransport> transport;
    std::unique_ptr<QSignalSpy> paths;
};

// A plain RTP header (sequence 0) followed by `bodyBytes` bytes that are no valid ciphertext.
QByteArray rtpFrame(std::uint8_t payloadType, std::uint32_t ssrc, int bodyBytes)
{
    QByteArray frame(12 + bodyBytes, '\x11');
    frame[0] = char(0x80);
    frame[1] = char(payloadType);
    frame[2] = frame[3] = 0;
    for (int i = 0; i < 4; ++i)
        frame[8 + i] = char((ssrc >> (24 - 8 * i)) & 0xFF);
    return frame;
}

protocol::RtpHeader mediaHeader(std::uint32_t ssrc, std::uint32_t timestamp)
{
    protocol::RtpHeader header;
    header.ssrc = ssrc;
    header.timestamp = timestamp;
    header.audioLevel = 30;
    header.voiceActivity = true;
    return header;
}

} // namespace

class MediaTransportTest : public QObject {
    Q_OBJECT

private slots:
    void reachesUdpAndMeasuresRtt();
    void resolvesHostName();
    void sealedMediaArrivesAtServer();
    void serverMediaReachesSinkByteExact();
    void replayedDatagramIsDropped();
    void bitFlippedDatagramIsDropped();
    void datagramFromOtherPortIsDropped();
    void oversizedDatagramIsDropped();
    void unknownAndRemovedStreamsAreDropped();
    void hostileFramesAreCounted_data();
    void hostileFramesAreCounted();
    void sendingNeedsAPathAndValidHeader();
    void webSocketOnlyUsesFallback();
    void fallsBackWhenUdpIsSilentAndReturns();
    void reportsAreEmittedPeriodically();
    void stopCloses();
};

void MediaTransportTest::reachesUdpAndMeasuresRtt()
{
    Rig rig;
    QCOMPARE(rig.transport->path(), MediaPath::Closed);
    QCOMPARE(rig.transport->rttMs(), -1);
    rig.transport->start();
    QCOMPARE(rig.transport->path(), MediaPath::Connecting);
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    QTRY_VERIFY(rig.transport->rttMs() >= 0);
    QCOMPARE(rig.pathHistory(), (QList<MediaPath>{MediaPath::Connecting, MediaPath::Udp}));
    QVERIFY(rig.fallback.frames.isEmpty());
    QVERIFY(rig.transport->counters().controlPacketsReceived >= 1);
    // Keepalives go on while the path holds.
    const int binds = rig.fake->udpBinds;
    QTRY_VERIFY(rig.fake->udpBinds >= binds + 2);
    QCOMPARE(rig.transport->path(), MediaPath::Udp);
    QCOMPARE(rig.fake->malformed, 0);
}

void MediaTransportTest::resolvesHostName()
{
    // /etc/hosts has localhost; if it also resolves to ::1, IPv4 is preferred (the fake listens
    // on 127.0.0.1 only).
    Rig rig(net::UdpPolicy::Auto, kLongGiveUpMs, QStringLiteral("localhost"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    QVERIFY(rig.fallback.frames.isEmpty());
}

void MediaTransportTest::sealedMediaArrivesAtServer()
{
    Rig rig;
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    for (int i = 0; i < 3; ++i) {
        auto header = mediaHeader(kOutgoingSsrc, 960u * std::uint32_t(i));
        header.sequence = 999; // ignored: the transport numbers the stream itself
        const QByteArray payload = pattern(120 + i, i);
        QVERIFY(rig.transport->sendMedia(header, bytes(payload)));
    }
    QTRY_COMPARE(rig.fake->media.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const auto& received = rig.fake->media.at(i);
        QCOMPARE(received.extendedSequence, std::uint64_t(i));
        QCOMPARE(received.header.sequence, std::uint16_t(i));
        QCOMPARE(received.header.ssrc, kOutgoingSsrc);
        QCOMPARE(received.header.timestamp, 960u * std::uint32_t(i));
        QCOMPARE(received.header.audioLevel, std::optional<std::uint8_t>(30));
        QCOMPARE(received.payload, pattern(120 + i, i));
    }
    QCOMPARE(rig.transport->counters().mediaPacketsSent, 3u);
    QCOMPARE(rig.fake->malformed, 0);
}

void MediaTransportTest::serverMediaReachesSinkByteExact()
{
    Rig rig;
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("alice-main"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    auto header = mediaHeader(kIncomingSsrc, 48000);
    header.marker = true;
    const QByteArray payload = pattern(321, 5);
    rig.fake->sendToClient(rig.fake->seal(header, bytes(payload)));
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 48960), {}));
    QTRY_COMPARE(rig.sink.packets.size(), 2);

    const auto& first = rig.sink.packets.at(0);
    header.sequence = 0;
    QCOMPARE(first.header, header);
    QCOMPARE(first.extendedSequence, std::uint64_t(0));
    QCOMPARE(first.payload, payload);
    QCOMPARE(rig.sink.packets.at(1).extendedSequence, std::uint64_t(1));
    QVERIFY(rig.sink.packets.at(1).payload.isEmpty());
    QCOMPARE(rig.transport->counters().mediaPacketsReceived, 2u);

    const auto reports = rig.transport->takeReports();
    QCOMPARE(reports.size(), 1);
    QCOMPARE(reports.at(0).streamId, QStringLiteral("alice-main"));
    QCOMPARE(reports.at(0).ssrc, kIncomingSsrc);
    QCOMPARE(reports.at(0).packetsReceived, 2);
    QCOMPARE(reports.at(0).highestSequence, std::uint64_t(1));
    QCOMPARE(reports.at(0).rttMs, rig.transport->rttMs());
    QVERIFY(rig.transport->statistics(kIncomingSsrc) != nullptr);
    QCOMPARE(rig.transport->statistics(kIncomingSsrc)->packetsReceived(), 2);
}

void MediaTransportTest::replayedDatagramIsDropped()
{
    Rig rig;
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    const QByteArray packet = rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(50, 1)));
    rig.fake->sendToClient(packet);
    rig.fake->sendToClient(packet);
    // A fresh packet after the replay: once it is in, the replay has been handled.
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 960), bytes(pattern(50, 2))));
    QTRY_COMPARE(rig.transport->counters().mediaPacketsReceived, 2u);
    QTRY_COMPARE(rig.transport->counters().droppedReplayed, 1u);
    QCOMPARE(rig.sink.packets.size(), 2);
    QCOMPARE(rig.sink.packets.at(1).payload, pattern(50, 2));
}

void MediaTransportTest::bitFlippedDatagramIsDropped()
{
    Rig rig;
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    QByteArray corrupted = rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(80, 3)));
    corrupted[40] = char(corrupted.at(40) ^ 0x04); // inside the ciphertext
    rig.fake->sendToClient(corrupted);
    QByteArray badHeader = rig.fake->seal(mediaHeader(kIncomingSsrc, 960), bytes(pattern(80, 4)));
    badHeader[5] = char(badHeader.at(5) ^ 0x01); // the timestamp: additional data
    rig.fake->sendToClient(badHeader);
    QTRY_COMPARE(rig.transport->counters().droppedAuthentication, 2u);
    QVERIFY(rig.sink.packets.isEmpty());

    // The forgeries moved nothing: the genuine next packet still opens.
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 1920), bytes(pattern(80, 5))));
    QTRY_COMPARE(rig.sink.packets.size(), 1);
    QCOMPARE(rig.sink.packets.at(0).extendedSequence, std::uint64_t(2));
}

void MediaTransportTest::datagramFromOtherPortIsDropped()
{
    Rig rig;
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    QUdpSocket intruder;
    QVERIFY(intruder.bind(QHostAddress::LocalHost, 0));
    // Genuinely sealed, but not from the server's port: dropped before opening.
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(20, 1))), &intruder);
    rig.fake->sendToClient(rig.fake->bindAck(1), &intruder);
    QTRY_COMPARE(rig.transport->counters().droppedWrongSource, 2u);
    QVERIFY(rig.sink.packets.isEmpty());
    QCOMPARE(rig.transport->counters().droppedAuthentication, 0u);
}

void MediaTransportTest::oversizedDatagramIsDropped()
{
    Rig rig;
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    // A genuine header in front of more bytes than any media packet may have.
    QByteArray oversized = rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(100, 1)));
    oversized.append(pattern(int(protocol::kMaxMediaPacketBytes), 2));
    rig.fake->sendToClient(oversized);
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 960), bytes(pattern(100, 3))));
    QTRY_COMPARE(rig.sink.packets.size(), 1);
    QCOMPARE(rig.transport->counters().droppedOversized, 1u);
    QCOMPARE(rig.sink.packets.at(0).payload, pattern(100, 3));
}

void MediaTransportTest::unknownAndRemovedStreamsAreDropped()
{
    Rig rig;
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);

    const QByteArray first = rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(30, 1)));
    rig.fake->sendToClient(first); // not registered yet
    QTRY_COMPARE(rig.transport->counters().droppedUnknownSsrc, 1u);

    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.fake->sendToClient(first);
    QTRY_COMPARE(rig.sink.packets.size(), 1);

    rig.transport->removeIncomingStream(kIncomingSsrc);
    QCOMPARE(rig.transport->statistics(kIncomingSsrc), nullptr);
    QVERIFY(rig.transport->takeReports().isEmpty());
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 960), bytes(pattern(30, 2))));
    QTRY_COMPARE(rig.transport->counters().droppedUnknownSsrc, 2u);

    // Registered again: the old packet stays a replay.
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.fake->sendToClient(first);
    QTRY_COMPARE(rig.transport->counters().droppedReplayed, 1u);
    QCOMPARE(rig.sink.packets.size(), 1);
}

void MediaTransportTest::hostileFramesAreCounted_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("counter");
    QTest::newRow("empty") << QByteArray() << "malformed";
    QTest::newRow("one byte") << QByteArray(1, '\x80') << "malformed";
    QTest::newRow("RTP version 1") << QByteArray(40, '\x40') << "malformed";
    QTest::newRow("shorter than the tag") << rtpFrame(111, kIncomingSsrc, 15) << "malformed";
    QTest::newRow("unknown SSRC") << rtpFrame(111, 0x77000000, 16) << "unknownSsrc";
    QTest::newRow("control for another session")
        << rtpFrame(protocol::kMediaControlPayloadType, 0x77000000, 25) << "unknownSsrc";
    QTest::newRow("forged control") << rtpFrame(protocol::kMediaControlPayloadType, kSessionId, 25)
                                    << "authentication";
    QTest::newRow("forged media") << rtpFrame(111, kIncomingSsrc, 100) << "authentication";
    QTest::newRow("oversized") << rtpFrame(111, kIncomingSsrc, int(protocol::kMaxMediaPacketBytes) - 11)
                               << "oversized";
    QTest::newRow("huge") << QByteArray(1 << 20, '\xFF') << "oversized";
}

void MediaTransportTest::hostileFramesAreCounted()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, counter);
    Rig rig(net::UdpPolicy::WebSocketOnly);
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    rig.transport->onFallbackFrame(frame);

    const auto& counters = rig.transport->counters();
    const std::map<QString, std::uint64_t> dropped{
        {QStringLiteral("malformed"), counters.droppedMalformed},
        {QStringLiteral("unknownSsrc"), counters.droppedUnknownSsrc},
        {QStringLiteral("authentication"), counters.droppedAuthentication},
        {QStringLiteral("oversized"), counters.droppedOversized},
    };
    for (const auto& [name, value] : dropped)
        QCOMPARE(value, name == counter ? 1u : 0u);
    QVERIFY(rig.sink.packets.isEmpty());
    QCOMPARE(counters.controlPacketsReceived, 0u);
}

void MediaTransportTest::sendingNeedsAPathAndValidHeader()
{
    Rig rig;
    rig.fake->answerUdp = false;
    const QByteArray payload = pattern(10, 1);
    QVERIFY(!rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(payload))); // Closed
    rig.transport->start();
    QVERIFY(!rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(payload))); // Connecting
    QCOMPARE(rig.transport->counters().sendDroppedNoPath, 2u);

    rig.fake->answerUdp = true;
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    auto controlType = mediaHeader(kOutgoingSsrc, 0);
    controlType.payloadType = protocol::kMediaControlPayloadType;
    QVERIFY(!rig.transport->sendMedia(controlType, bytes(payload)));
    QVERIFY(!rig.transport->sendMedia(mediaHeader(kSessionId, 0), bytes(payload)));
    auto badLevel = mediaHeader(kOutgoingSsrc, 0);
    badLevel.audioLevel = 200;
    QVERIFY(!rig.transport->sendMedia(badLevel, bytes(payload)));
    const QByteArray tooBig(int(protocol::kMaxMediaPacketBytes), 'x');
    QVERIFY(!rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(tooBig)));
    QCOMPARE(rig.transport->counters().sendRejected, 4u);

    // Rejections used no sequence number: the stream still starts at 0.
    QVERIFY(rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(payload)));
    QTRY_COMPARE(rig.fake->media.size(), 1);
    QCOMPARE(rig.fake->media.at(0).extendedSequence, std::uint64_t(0));
}

void MediaTransportTest::webSocketOnlyUsesFallback()
{
    Rig rig(net::UdpPolicy::WebSocketOnly);
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("s"));
    rig.transport->start();
    QCOMPARE(rig.transport->path(), MediaPath::WebSocket);
    QCOMPARE(rig.transport->localPort(), quint16(0)); // no UDP socket at all
    QCOMPARE(rig.fake->binds, 1);                      // the first Bind went on the WebSocket
    QCOMPARE(rig.fallback.frames.size(), 1);
    QTRY_VERIFY(rig.transport->rttMs() >= 0);          // from the BindAck on the WebSocket
    QTRY_VERIFY(rig.fake->binds >= 3);                 // keepalives

    const QByteArray payload = pattern(70, 9);
    QVERIFY(rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(payload)));
    QCOMPARE(rig.fake->media.size(), 1);
    QCOMPARE(rig.fake->media.at(0).payload, payload);

    const QByteArray incoming = pattern(90, 4);
    rig.transport->onFallbackFrame(rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(incoming)));
    QCOMPARE(rig.sink.packets.size(), 1);
    QCOMPARE(rig.sink.packets.at(0).payload, incoming);

    QTest::qWait(kShortGiveUpMs);
    QCOMPARE(rig.fake->udpBinds, 0);
    QCOMPARE(rig.fake->malformed, 0);
    QCOMPARE(rig.pathHistory(), (QList<MediaPath>{MediaPath::Connecting, MediaPath::WebSocket}));
}

void MediaTransportTest::fallsBackWhenUdpIsSilentAndReturns()
{
    Rig rig(net::UdpPolicy::Auto, kShortGiveUpMs);
    rig.fake->answerUdp = false;
    QElapsedTimer elapsed;
    elapsed.start();
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::WebSocket);
    QVERIFY(elapsed.elapsed() >= kShortGiveUpMs - 20); // QTimer may fire a few ms early
    QVERIFY(rig.fake->udpBinds >= 3);              // retried every bindRetryMs meanwhile
    QVERIFY(!rig.fallback.frames.isEmpty());
    QTRY_VERIFY(rig.transport->rttMs() >= 0);

    // Media follows the path; UDP keeps being probed.
    const int framesBefore = int(rig.fallback.frames.size());
    QVERIFY(rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(pattern(40, 1))));
    QVERIFY(rig.fallback.frames.size() > framesBefore);
    QCOMPARE(rig.fake->media.size(), 1);
    const int udpBinds = rig.fake->udpBinds;
    QTRY_VERIFY(rig.fake->udpBinds > udpBinds);
    QCOMPARE(rig.transport->path(), MediaPath::WebSocket);

    // The server answers over UDP again: back to UDP.
    rig.fake->answerUdp = true;
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    QVERIFY(rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 960), bytes(pattern(40, 2))));
    QTRY_COMPARE(rig.fake->media.size(), 2);
    QCOMPARE(rig.fake->media.at(1).extendedSequence, std::uint64_t(1)); // one sequence across paths

    // UDP goes quiet while in use: back to the WebSocket.
    rig.fake->answerUdp = false;
    QTRY_COMPARE(rig.transport->path(), MediaPath::WebSocket);
    QCOMPARE(rig.pathHistory(), (QList<MediaPath>{MediaPath::Connecting, MediaPath::WebSocket, MediaPath::Udp,
                                                  MediaPath::WebSocket}));
    QCOMPARE(rig.fake->malformed, 0);
}

void MediaTransportTest::reportsAreEmittedPeriodically()
{
    Rig rig;
    QSignalSpy reports(rig.transport.get(), &MediaTransport::reportsReady);
    rig.transport->addIncomingStream(kIncomingSsrc, QStringLiteral("bob"));
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    rig.fake->sendToClient(rig.fake->seal(mediaHeader(kIncomingSsrc, 0), bytes(pattern(30, 1))));
    QTRY_VERIFY(!reports.isEmpty()
                && reports.last().at(0).value<QList<protocol::ReceiverReport>>().at(0).packetsReceived == 1);
    const auto list = reports.last().at(0).value<QList<protocol::ReceiverReport>>();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).streamId, QStringLiteral("bob"));
    QCOMPARE(list.at(0).ssrc, kIncomingSsrc);
}

void MediaTransportTest::stopCloses()
{
    Rig rig;
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    rig.transport->stop();
    QCOMPARE(rig.transport->path(), MediaPath::Closed);
    QCOMPARE(rig.transport->localPort(), quint16(0));
    QCOMPARE(rig.transport->rttMs(), -1);
    QVERIFY(!rig.transport->sendMedia(mediaHeader(kOutgoingSsrc, 0), bytes(pattern(10, 1))));
    const int binds = rig.fake->binds;
    QTest::qWait(250);
    QCOMPARE(rig.fake->binds, binds); // every timer stopped

    // Started again: the control sequence carries on, so the server's replay window accepts it.
    rig.transport->start();
    QTRY_COMPARE(rig.transport->path(), MediaPath::Udp);
    QCOMPARE(rig.fake->malformed, 0);
    QCOMPARE(rig.pathHistory(), (QList<MediaPath>{MediaPath::Connecting, MediaPath::Udp, MediaPath::Closed,
                                                  MediaPath::Connecting, MediaPath::Udp}));
}

QTEST_GUILESS_MAIN(MediaTransportTest)
#include "MediaTransportTest.moc"
