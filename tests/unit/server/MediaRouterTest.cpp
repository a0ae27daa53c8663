#include "MediaRouter.h"

#include <earshot/protocol/MediaControl.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <QTest>

#include <vector>

using namespace earshot;
using server::MediaRouter;
using server::UdpAddress;

namespace {

UdpAddress loopback(std::uint16_t port)
{
    UdpAddress result;
    auto& v4 = reinterpret_cast<sockaddr_in&>(result.storage);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    result.length = sizeof v4;
    return result;
}

// Records what the router sends, in order.
struct RecordingOutput final : MediaRouter::Output {
    struct Sent {
        bool webSocket = false;
        UdpAddress address;
        std::uint32_t sessionId = 0;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Sent> sent;

    void sendUdp(const UdpAddress& to, std::span<const std::uint8_t> packet) override
    {
        sent.push_back({false, to, 0, {packet.begin(), packet.end()}});
    }
    void sendWebSocket(std::uint32_t sessionId, std::span<const std::uint8_t> packet) override
    {
        sent.push_back({true, {}, sessionId, {packet.begin(), packet.end()}});
    }
};

// One client as the router sees it: its media session ID, its keys and a bound address.
struct Peer {
    std::uint32_t sessionId;
    protocol::MediaKeys clientKeys;
    protocol::MediaKeys serverKeys;
    UdpAddress address;
    std::uint64_t controlSequence = 0;

    Peer(std::uint32_t id, std::uint16_t port)
        : sessionId(id)
        , address(loopback(port))
    {
        protocol::KeyExchange client;
        protocol::KeyExchange server;
        clientKeys = std::move(*client.clientKeys(server.publicKey()));
        serverKeys = std::move(*server.serverKeys(client.publicKey()));
    }

    std::vector<std::uint8_t> seal(const protocol::RtpHeader& header, std::uint64_t extended,
                                   std::span<const std::uint8_t> payload) const
    {
        std::vector<std::uint8_t> out(protocol::kMaxMediaPacketBytes);
        const std::size_t size = protocol::MediaPacketSealer(clientKeys.transmit).seal(header, extended, payload, out);
        out.resize(size);
        return out;
    }

    std::vector<std::uint8_t> bind(std::uint64_t timeUs)
    {
        protocol::RtpHeader header;
        header.payloadType = protocol::kMediaControlPayloadType;
        header.ssrc = sessionId;
        header.sequence = static_cast<std::uint16_t>(controlSequence);
        std::uint8_t payload[protocol::kMediaControlPayloadBytes];
        [[maybe_unused]] const auto bytes = protocol::MediaControlMessage{protocol::MediaControlType::Bind, timeUs}.write(payload);
        return seal(header, controlSequence++, payload);
    }

    // Opens a packet the router sent to this peer; nullopt when it does not authenticate.
    std::optional<std::vector<std::uint8_t>> open(const std::vector<std::uint8_t>& packet, std::uint64_t extended) const
    {
        std::vector<std::uint8_t> plain(protocol::kMaxMediaPacketBytes);
        const auto result = protocol::MediaPacketOpener(clientKeys.receive).open(packet, extended, plain);
        if (!result.ok())
            return std::nullopt;
        plain.resize(result.plaintextSize);
        return plain;
    }
};

constexpr std::uint32_t kStream = 0x5151;
const std::vector<std::uint8_t> kPayload{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

protocol::RtpHeader mediaHeader(std::uint16_t sequence)
{
    protocol::RtpHeader header;
    header.ssrc = kStream;
    header.sequence = sequence;
    header.timestamp = 960u * sequence;
    header.audioLevel = 30;
    header.voiceActivity = true;
    return header;
}

} // namespace

class MediaRouterTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void bindIsAnsweredOnItsPath();
    void forwardsResealedToSubscribers();
    void mutedAndUnsubscribedGetNothing();
    void replayAndTamperAreDropped();
    void anotherPeersSsrcIsNotOwner();
    void unknownAndMalformedAreDropped();
    void rebindingMovesTheRoute();
    void webSocketRoute();
    void removingTheSessionRemovesItsStream();
    void reusedAddressBindsTheNewSession();

private:
    server::ServerCounters m_counters;
    RecordingOutput m_output;
    std::unique_ptr<MediaRouter> m_router;
    std::unique_ptr<Peer> m_alice;
    std::unique_ptr<Peer> m_bob;
    std::unique_ptr<Peer> m_carol;
};

void MediaRouterTest::init()
{
    m_output.sent.clear();
    for (auto* counter : {&m_counters.mediaPacketsForwarded, &m_counters.mediaDroppedReplay,
                          &m_counters.mediaDroppedAuthentication, &m_counters.mediaDroppedNotOwner,
                          &m_counters.mediaDroppedUnknownSsrc, &m_counters.mediaDroppedMalformed,
                          &m_counters.mediaDroppedOversized, &m_counters.mediaRebinds, &m_counters.mediaBinds,
                          &m_counters.mediaDroppedNoRoute})
        counter->store(0);
    m_router = std::make_unique<MediaRouter>(m_counters, m_output);
    m_alice = std::make_unique<Peer>(11, 40001);
    m_bob = std::make_unique<Peer>(22, 40002);
    m_carol = std::make_unique<Peer>(33, 40003);
    for (Peer* peer : {m_alice.get(), m_bob.get(), m_carol.get()}) {
        m_router->addSession(peer->sessionId, peer->serverKeys);
        m_router->onUdpPacket(peer->address, peer->bind(1000));
    }
    m_router->addStream(kStream, m_alice->sessionId);
    m_router->subscribe(kStream, m_bob->sessionId);
    m_output.sent.clear();
}

void MediaRouterTest::bindIsAnsweredOnItsPath()
{
    const auto bind = m_alice->bind(123456789);
    m_router->onUdpPacket(m_alice->address, bind);
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QVERIFY(m_output.sent[0].address == m_alice->address);
    // The first answer of this test's bind sequence is the router's second for alice.
    const auto plain = m_alice->open(m_output.sent[0].bytes, 1);
    QVERIFY(plain);
    const auto message = protocol::MediaControlMessage::parse(*plain);
    QVERIFY(message);
    QCOMPARE(message->type, protocol::MediaControlType::BindAck);
    QCOMPARE(message->clientTimeUs, std::uint64_t(123456789));
}

void MediaRouterTest::forwardsResealedToSubscribers()
{
    m_router->subscribe(kStream, m_carol->sessionId);
    const auto packet = m_alice->seal(mediaHeader(0), 0, kPayload);
    m_router->onUdpPacket(m_alice->address, packet);
    QCOMPARE(m_output.sent.size(), std::size_t(2));
    for (const auto& [peer, sent] : {std::pair{m_bob.get(), m_output.sent[0]}, std::pair{m_carol.get(), m_output.sent[1]}}) {
        QVERIFY(sent.address == peer->address);
        const auto plain = peer->open(sent.bytes, 0);
        QVERIFY(plain);
        QCOMPARE(*plain, kPayload);
        // Same header bytes: the ciphertext differs (other key), the clear part does not.
        const auto header = protocol::RtpHeader::parse(sent.bytes);
        QVERIFY(header.ok());
        QCOMPARE(header.header, mediaHeader(0));
        QVERIFY(sent.bytes != packet);
    }
    QCOMPARE(m_router->audioLevel(kStream), std::uint8_t(30));
    QCOMPARE(m_counters.mediaPacketsForwarded.load(), std::uint64_t(2));
}

void MediaRouterTest::mutedAndUnsubscribedGetNothing()
{
    m_router->setMuted(kStream, m_bob->sessionId, true);
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(0), 0, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(0));
    m_router->setMuted(kStream, m_bob->sessionId, false);
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(1), 1, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    m_router->unsubscribe(kStream, m_bob->sessionId);
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(2), 2, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
}

void MediaRouterTest::replayAndTamperAreDropped()
{
    const auto packet = m_alice->seal(mediaHeader(0), 0, kPayload);
    m_router->onUdpPacket(m_alice->address, packet);
    m_router->onUdpPacket(m_alice->address, packet);
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QCOMPARE(m_counters.mediaDroppedReplay.load(), std::uint64_t(1));

    auto tampered = m_alice->seal(mediaHeader(1), 1, kPayload);
    tampered.back() ^= 0x01;
    m_router->onUdpPacket(m_alice->address, tampered);
    auto headerFlip = m_alice->seal(mediaHeader(2), 2, kPayload);
    headerFlip[5] ^= 0x80; // timestamp
    m_router->onUdpPacket(m_alice->address, headerFlip);
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QCOMPARE(m_counters.mediaDroppedAuthentication.load(), std::uint64_t(2));

    // A forged packet did not use up its sequence number: the genuine one still goes through.
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(1), 1, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(2));
}

void MediaRouterTest::anotherPeersSsrcIsNotOwner()
{
    // Carol seals correctly with her own key but claims alice's stream.
    m_router->onUdpPacket(m_carol->address, m_carol->seal(mediaHeader(0), 0, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(0));
    QCOMPARE(m_counters.mediaDroppedNotOwner.load(), std::uint64_t(1));
}

void MediaRouterTest::unknownAndMalformedAreDropped()
{
    auto header = mediaHeader(0);
    header.ssrc = 0x7777;
    m_router->onUdpPacket(loopback(50000), m_alice->seal(header, 0, kPayload));
    QCOMPARE(m_counters.mediaDroppedUnknownSsrc.load(), std::uint64_t(1));
    const std::vector<std::uint8_t> junk{0xde, 0xad, 0xbe, 0xef};
    m_router->onUdpPacket(loopback(50000), junk);
    QCOMPARE(m_counters.mediaDroppedMalformed.load(), std::uint64_t(1));
    m_router->onUdpPacket(loopback(50000), std::vector<std::uint8_t>(1600, 0x80));
    QCOMPARE(m_counters.mediaDroppedOversized.load(), std::uint64_t(1));
    QCOMPARE(m_output.sent.size(), std::size_t(0));
}

void MediaRouterTest::rebindingMovesTheRoute()
{
    const UdpAddress moved = loopback(45000);
    m_router->onUdpPacket(moved, m_alice->seal(mediaHeader(0), 0, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1)); // authenticated: forwarded, alice rebound
    QCOMPARE(m_counters.mediaRebinds.load(), std::uint64_t(1));

    const UdpAddress bobMoved = loopback(46000);
    m_router->onUdpPacket(bobMoved, m_bob->bind(5));
    m_output.sent.clear();
    m_router->onUdpPacket(moved, m_alice->seal(mediaHeader(1), 1, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QVERIFY(m_output.sent[0].address == bobMoved);
}

void MediaRouterTest::webSocketRoute()
{
    m_router->onWebSocketPacket(m_bob->sessionId, m_bob->bind(7));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QVERIFY(m_output.sent[0].webSocket);
    m_output.sent.clear();
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(0), 0, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QVERIFY(m_output.sent[0].webSocket);
    QCOMPARE(m_output.sent[0].sessionId, m_bob->sessionId);
    QVERIFY(m_bob->open(m_output.sent[0].bytes, 0));

    // Media published on the WebSocket is forwarded too; a session may only send its own.
    m_output.sent.clear();
    m_router->onWebSocketPacket(m_alice->sessionId, m_alice->seal(mediaHeader(1), 1, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    m_router->onWebSocketPacket(m_carol->sessionId, m_alice->seal(mediaHeader(2), 2, kPayload));
    QCOMPARE(m_counters.mediaDroppedNotOwner.load(), std::uint64_t(1));
}

void MediaRouterTest::removingTheSessionRemovesItsStream()
{
    m_router->removeSession(m_alice->sessionId);
    QCOMPARE(m_router->streamCount(), std::size_t(0));
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(0), 0, kPayload));
    QCOMPARE(m_output.sent.size(), std::size_t(0));
    QCOMPARE(m_counters.mediaDroppedUnknownSsrc.load(), std::uint64_t(1));
}

void MediaRouterTest::reusedAddressBindsTheNewSession()
{
    // Carol's port is reused by a new client (a NAT mapping or ephemeral port handed on): the key,
    // not the address, decides who is speaking.
    Peer dave(44, 0);
    dave.address = m_carol->address;
    m_router->addSession(dave.sessionId, dave.serverKeys);
    m_router->onUdpPacket(dave.address, dave.bind(1));
    QCOMPARE(m_output.sent.size(), std::size_t(1));
    QVERIFY(dave.open(m_output.sent[0].bytes, 0));
    QCOMPARE(m_counters.mediaDroppedNotOwner.load(), std::uint64_t(0));

    m_router->subscribe(kStream, dave.sessionId);
    m_router->subscribe(kStream, m_carol->sessionId);
    m_output.sent.clear();
    m_router->onUdpPacket(m_alice->address, m_alice->seal(mediaHeader(0), 0, kPayload));
    // Dave gets it at the address; carol lost the address and has no route until she binds.
    QCOMPARE(m_output.sent.size(), std::size_t(2));
    QVERIFY(dave.open(m_output.sent[1].bytes, 0));
    QCOMPARE(m_counters.mediaDroppedNoRoute.load(), std::uint64_t(1));
}

QTEST_APPLESS_MAIN(MediaRouterTest)
#include "MediaRouterTest.moc"
