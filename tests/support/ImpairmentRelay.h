#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>

namespace earshot::testsupport {

// A user-space UDP impairment relay for tests and benchmarks. The test machines have no netem
// (ENVIRONMENT.md), so loss, delay, jitter, reordering and outages are made here instead.
//
// Clients send to port(); the relay forwards to the one upstream address given at construction
// and carries the answers back. Every client source address gets its own upstream socket, so the
// upstream (earshot-server, which tells media sessions apart by source address) sees one distinct
// address per client, as through a NAT.
//
// Impairments are set per direction and drawn from one std::mt19937 seeded at construction, so a
// run with the same seed and the same packet order makes the same decisions. Loss and blocking
// act when a packet arrives at the relay; a packet already in flight (delayed) is still
// delivered when the relay is blocked, as on a real link that goes down behind it. Jitter adds a
// uniform extra delay in [0, jitter] per packet, which reorders packets closer together than the
// jitter. Delays have the resolution of a Qt precise timer (about a millisecond).
//
// Thread contract: a QObject used on the thread it lives on (the test thread); not thread-safe.
class ImpairmentRelay : public QObject {
    Q_OBJECT

public:
    enum class Direction : std::uint8_t { ToUpstream, ToClient, Both };

    struct Counters {
        std::uint64_t received = 0;       // datagrams that reached the relay in this direction
        std::uint64_t forwarded = 0;      // sent on (after any delay)
        std::uint64_t droppedLoss = 0;    // dropped by the random loss
        std::uint64_t droppedBlocked = 0; // dropped while blocked
        std::uint64_t sendFailures = 0;   // the kernel refused the datagram
    };

    ImpairmentRelay(QHostAddress upstreamAddress, quint16 upstreamPort, std::uint32_t seed,
                    QObject* parent = nullptr);
    ~ImpairmentRelay() override;

    // Binds the client-facing socket (port 0: an ephemeral port). False, with a warning, when
    // binding fails.
    [[nodiscard]] bool start(const QHostAddress& listenAddress = QHostAddress(QHostAddress::LocalHost),
                             quint16 listenPort = 0);
    // The client-facing port; 0 before start().
    quint16 port() const;

    // Probability in [0, 1] (clamped) that a datagram is dropped.
    void setLossProbability(double probability, Direction direction = Direction::Both);
    // Fixed one-way delay, and the upper bound of the uniform extra delay, in milliseconds (≥ 0).
    void setDelayMs(int delayMs, Direction direction = Direction::Both);
    void setJitterMs(int jitterMs, Direction direction = Direction::Both);
    // While blocked, every arriving datagram of that direction is dropped.
    void setBlocked(bool blocked, Direction direction = Direction::Both);

    // Counters of one direction (ToUpstream or ToClient; Both sums them).
    Counters counters(Direction direction) const;
    void resetCounters();
    // Datagrams waiting for their delay to pass.
    std::size_t queuedCount() const { return m_queue.size(); }
    // Clients seen so far (distinct source addresses).
    std::size_t clientCount() const { return m_clients.size(); }

private:
    using Clock = std::chrono::steady_clock;

    struct Impairment {
        std::uint32_t lossThreshold = 0; // drop when a 32-bit draw is below it
        bool lossAlways = false;         // probability 1 (not expressible as a threshold)
        std::chrono::microseconds delay{0};
        std::chrono::microseconds jitter{0};
        bool blocked = false;
    };
    struct Client {
        QHostAddress address;
        quint16 port = 0;
        std::unique_ptr<QUdpSocket> upstream; // the client's own address towards the upstream
    };
    struct Pending {
        Client* client = nullptr;
        Direction direction = Direction::ToUpstream;
        QByteArray payload;
    };

    static std::size_t indexOf(Direction direction) { return direction == Direction::ToClient ? 1 : 0; }
    template <typename Change>
    void change(Direction direction, Change&& apply);

    void readFromClients();
    void readFromUpstream(Client* client);
    Client* clientFor(const QHostAddress& address, quint16 port);
    void ingest(Client* client, Direction direction, QByteArray payload);
    void send(Client* client, Direction direction, const QByteArray& payload);
    void sendDue();
    void armTimer();

    QHostAddress m_upstreamAddress;
    quint16 m_upstreamPort = 0;
    std::mt19937 m_random;
    QUdpSocket m_listener;
    std::map<std::pair<QString, quint16>, std::unique_ptr<Client>> m_clients;
    std::array<Impairment, 2> m_impairments{};
    std::array<Counters, 2> m_counters{};
    // Release time → datagram; equal times keep arrival order (multimap inserts at the end).
    std::multimap<Clock::time_point, Pending> m_queue;
    QTimer m_timer;
};

} // namespace earshot::testsupport
