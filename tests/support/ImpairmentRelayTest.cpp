// ImpairmentRelay between two plain UDP sockets on loopback: a client and an upstream "server"
// that records what arrives and can echo it back through the relay.
#include "ImpairmentRelay.h"

#include <QNetworkDatagram>
#include <QNetworkProxy>
#include <QTest>
#include <QUdpSocket>

#include <chrono>
#include <memory>
#include <set>
#include <vector>

using earshot::testsupport::ImpairmentRelay;
using Direction = ImpairmentRelay::Direction;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kSeed = 20240601;
const QHostAddress kLoopback(QHostAddress::LocalHost);

// Payload: packet index (4 bytes) and send time (8 bytes, steady clock, µs), host byte order:
// both ends are this process.
struct Probe {
    std::uint32_t index = 0;
    std::int64_t sentUs = 0;
};

std::int64_t nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

QByteArray encode(std::uint32_t index)
{
    Probe probe{index, nowUs()};
    return QByteArray(reinterpret_cast<const char*>(&probe), sizeof probe);
}

Probe decode(const QByteArray& bytes)
{
    Probe probe;
    if (bytes.size() == qsizetype(sizeof probe))
        std::memcpy(&probe, bytes.constData(), sizeof probe);
    return probe;
}

struct Arrival {
    Probe probe;
    std::int64_t arrivedUs = 0;
    quint16 senderPort = 0;
};

// A bound UDP socket that keeps everything it receives, optionally echoing it to the sender.
class Endpoint {
public:
    explicit Endpoint(bool echo = false)
    {
        m_socket.setProxy(QNetworkProxy::NoProxy);
        if (!m_socket.bind(kLoopback, 0))
            qFatal("cannot bind a test socket");
        QObject::connect(&m_socket, &QUdpSocket::readyRead, [this, echo] {
            while (m_socket.hasPendingDatagrams()) {
                const QNetworkDatagram datagram = m_socket.receiveDatagram();
                arrivals.push_back({decode(datagram.data()), nowUs(), quint16(datagram.senderPort())});
                if (echo)
                    m_socket.writeDatagram(datagram.data(), datagram.senderAddress(), quint16(datagram.senderPort()));
            }
        });
    }

    quint16 port() const { return m_socket.localPort(); }
    void send(quint16 port, std::uint32_t index) { m_socket.writeDatagram(encode(index), kLoopback, port); }

    std::vector<Arrival> arrivals;

private:
    QUdpSocket m_socket;
};

// Sends `count` probes numbered from `first`, in bursts small enough for the socket buffers,
// waiting after each burst until the relay has read them (so the kernel never drops one).
bool sendPaced(Endpoint& client, ImpairmentRelay& relay, std::uint32_t first, std::uint32_t count)
{
    constexpr std::uint32_t kBurst = 50;
    const std::uint64_t base = relay.counters(Direction::ToUpstream).received;
    for (std::uint32_t sent = 0; sent < count;) {
        const std::uint32_t burst = std::min(kBurst, count - sent);
        for (std::uint32_t i = 0; i < burst; ++i)
            client.send(relay.port(), first + sent + i);
        sent += burst;
        if (!QTest::qWaitFor([&] { return relay.counters(Direction::ToUpstream).received - base == sent; }, 5000))
            return false;
    }
    return true;
}

std::set<std::uint32_t> indicesOf(const std::vector<Arrival>& arrivals)
{
    std::set<std::uint32_t> indices;
    for (const Arrival& arrival : arrivals)
        indices.insert(arrival.probe.index);
    return indices;
}

} // namespace

class ImpairmentRelayTest : public QObject {
    Q_OBJECT

private slots:
    void forwardsBothWaysWithAnAddressPerClient();
    void lossRateIsWithinToleranceAndSeeded();
    void delayIsAtLeastConfigured();
    void jitterReorders();
    void blockedDropsAllAndUnblockedResumes();
};

void ImpairmentRelayTest::forwardsBothWaysWithAnAddressPerClient()
{
    Endpoint server(/*echo=*/true);
    ImpairmentRelay relay(kLoopback, server.port(), kSeed);
    QVERIFY(relay.start());
    QVERIFY(relay.port() != 0);
    Endpoint first;
    Endpoint second;
    first.send(relay.port(), 1);
    second.send(relay.port(), 2);
    QVERIFY(QTest::qWaitFor([&] { return first.arrivals.size() == 1 && second.arrivals.size() == 1; }, 5000));
    // Each client's answer came back to that client, not the other.
    QCOMPARE(first.arrivals[0].probe.index, 1u);
    QCOMPARE(second.arrivals[0].probe.index, 2u);
    // The upstream saw two distinct source ports, neither the clients' own.
    QCOMPARE(server.arrivals.size(), std::size_t(2));
    QVERIFY(server.arrivals[0].senderPort != server.arrivals[1].senderPort);
    QVERIFY(server.arrivals[0].senderPort != first.port() && server.arrivals[0].senderPort != second.port());
    QCOMPARE(relay.clientCount(), std::size_t(2));
    QCOMPARE(relay.counters(Direction::Both).forwarded, 4u);
}

void ImpairmentRelayTest::lossRateIsWithinToleranceAndSeeded()
{
    constexpr std::uint32_t kPackets = 2000;
    constexpr double kLoss = 0.25;
    std::set<std::uint32_t> delivered[2];
    for (auto& indices : delivered) {
        Endpoint server;
        ImpairmentRelay relay(kLoopback, server.port(), kSeed);
        QVERIFY(relay.start());
        relay.setLossProbability(kLoss, Direction::ToUpstream);
        Endpoint client;
        QVERIFY(sendPaced(client, relay, 0, kPackets));
        const auto counters = relay.counters(Direction::ToUpstream);
        QVERIFY(QTest::qWaitFor([&] { return server.arrivals.size() == counters.forwarded; }, 5000));
        QCOMPARE(counters.received, std::uint64_t(kPackets));
        QCOMPARE(counters.forwarded + counters.droppedLoss, std::uint64_t(kPackets));
        // σ of the loss fraction is sqrt(0.25 · 0.75 / 2000) ≈ 0.0097; ±0.04 is over 4σ.
        const double measured = double(counters.droppedLoss) / kPackets;
        QVERIFY2(measured > kLoss - 0.04 && measured < kLoss + 0.04, qPrintable(QString::number(measured)));
        indices = indicesOf(server.arrivals);
    }
    // The same seed and the same packet order drop the same packets.
    QCOMPARE(delivered[0], delivered[1]);
}

void ImpairmentRelayTest::delayIsAtLeastConfigured()
{
    constexpr int kDelayMs = 30;
    constexpr std::uint32_t kPackets = 20;
    Endpoint server(/*echo=*/true);
    ImpairmentRelay relay(kLoopback, server.port(), kSeed);
    QVERIFY(relay.start());
    relay.setDelayMs(kDelayMs);
    Endpoint client;
    for (std::uint32_t i = 0; i < kPackets; ++i)
        client.send(relay.port(), i);
    QVERIFY(QTest::qWaitFor([&] { return client.arrivals.size() == kPackets; }, 5000));
    for (const Arrival& arrival : server.arrivals)
        QVERIFY(arrival.arrivedUs - arrival.probe.sentUs >= kDelayMs * 1000);
    // Back at the client the delay was applied in both directions.
    for (const Arrival& arrival : client.arrivals)
        QVERIFY(arrival.arrivedUs - arrival.probe.sentUs >= 2 * kDelayMs * 1000);
    QCOMPARE(relay.queuedCount(), std::size_t(0));
}

void ImpairmentRelayTest::jitterReorders()
{
    constexpr int kDelayMs = 10;
    constexpr int kJitterMs = 40;
    constexpr std::uint32_t kPackets = 50;
    Endpoint server;
    ImpairmentRelay relay(kLoopback, server.port(), kSeed);
    QVERIFY(relay.start());
    relay.setDelayMs(kDelayMs, Direction::ToUpstream);
    relay.setJitterMs(kJitterMs, Direction::ToUpstream);
    Endpoint client;
    for (std::uint32_t i = 0; i < kPackets; ++i) {
        client.send(relay.port(), i);
        QTest::qWait(1);
    }
    QVERIFY(QTest::qWaitFor([&] { return server.arrivals.size() == kPackets; }, 5000));
    bool reordered = false;
    for (std::size_t i = 1; i < server.arrivals.size(); ++i)
        reordered = reordered || server.arrivals[i].probe.index < server.arrivals[i - 1].probe.index;
    QVERIFY(reordered);
    for (const Arrival& arrival : server.arrivals)
        QVERIFY(arrival.arrivedUs - arrival.probe.sentUs >= kDelayMs * 1000);
    QCOMPARE(indicesOf(server.arrivals).size(), std::size_t(kPackets)); // nothing lost or doubled
}

void ImpairmentRelayTest::blockedDropsAllAndUnblockedResumes()
{
    constexpr std::uint32_t kPackets = 100;
    Endpoint server(/*echo=*/true);
    ImpairmentRelay relay(kLoopback, server.port(), kSeed);
    QVERIFY(relay.start());
    Endpoint client;

    relay.setBlocked(true);
    QVERIFY(sendPaced(client, relay, 0, kPackets));
    QTest::qWait(100); // anything wrongly let through would arrive by now
    QCOMPARE(server.arrivals.size(), std::size_t(0));
    QCOMPARE(relay.counters(Direction::ToUpstream).droppedBlocked, std::uint64_t(kPackets));

    // Only the way back blocked: the upstream hears the client, the client hears nothing.
    relay.setBlocked(false, Direction::ToUpstream);
    QVERIFY(sendPaced(client, relay, kPackets, kPackets));
    QVERIFY(QTest::qWaitFor([&] { return server.arrivals.size() == kPackets; }, 5000));
    QVERIFY(QTest::qWaitFor([&] { return relay.counters(Direction::ToClient).droppedBlocked == kPackets; }, 5000));
    QCOMPARE(client.arrivals.size(), std::size_t(0));

    relay.setBlocked(false);
    QVERIFY(sendPaced(client, relay, 2 * kPackets, kPackets));
    QVERIFY(QTest::qWaitFor([&] { return client.arrivals.size() == kPackets; }, 5000));
    QCOMPARE(*indicesOf(client.arrivals).begin(), 2 * kPackets);
}

QTEST_GUILESS_MAIN(ImpairmentRelayTest)
#include "ImpairmentRelayTest.moc"
