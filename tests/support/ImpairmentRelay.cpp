#include "ImpairmentRelay.h"

#include <QDebug>
#include <QNetworkDatagram>
#include <QNetworkProxy>

#include <algorithm>
#include <cmath>

namespace earshot::testsupport {

namespace {

// A client's datagrams larger than this are cut by the relay's read; media packets stay far
// below it (kMaxMediaPacketBytes is 1500).
constexpr qint64 kMaxDatagramBytes = 65536;

} // namespace

ImpairmentRelay::ImpairmentRelay(QHostAddress upstreamAddress, quint16 upstreamPort, std::uint32_t seed,
                                 QObject* parent)
    : QObject(parent)
    , m_upstreamAddress(std::move(upstreamAddress))
    , m_upstreamPort(upstreamPort)
    , m_random(seed)
{
    m_listener.setProxy(QNetworkProxy::NoProxy);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_listener, &QUdpSocket::readyRead, this, &ImpairmentRelay::readFromClients);
    connect(&m_timer, &QTimer::timeout, this, &ImpairmentRelay::sendDue);
}

ImpairmentRelay::~ImpairmentRelay() = default;

bool ImpairmentRelay::start(const QHostAddress& listenAddress, quint16 listenPort)
{
    if (!m_listener.bind(listenAddress, listenPort)) {
        qWarning().noquote() << "ImpairmentRelay cannot bind" << listenAddress.toString() << listenPort << ":"
                             << m_listener.errorString();
        return false;
    }
    return true;
}

quint16 ImpairmentRelay::port() const
{
    return m_listener.localPort();
}

template <typename Change>
void ImpairmentRelay::change(Direction direction, Change&& apply)
{
    if (direction != Direction::ToClient)
        apply(m_impairments[indexOf(Direction::ToUpstream)]);
    if (direction != Direction::ToUpstream)
        apply(m_impairments[indexOf(Direction::ToClient)]);
}

void ImpairmentRelay::setLossProbability(double probability, Direction direction)
{
    const double clamped = std::clamp(std::isnan(probability) ? 0.0 : probability, 0.0, 1.0);
    // A 32-bit draw below the threshold is a loss: exact and the same on every standard library
    // (std::bernoulli_distribution's algorithm is implementation-defined).
    const auto threshold = static_cast<std::uint32_t>(std::min(clamped * 4294967296.0, 4294967295.0));
    change(direction, [&](Impairment& impairment) {
        impairment.lossThreshold = threshold;
        impairment.lossAlways = clamped >= 1.0;
    });
}

void ImpairmentRelay::setDelayMs(int delayMs, Direction direction)
{
    const std::chrono::milliseconds delay(std::max(delayMs, 0));
    change(direction, [&](Impairment& impairment) { impairment.delay = delay; });
}

void ImpairmentRelay::setJitterMs(int jitterMs, Direction direction)
{
    const std::chrono::milliseconds jitter(std::max(jitterMs, 0));
    change(direction, [&](Impairment& impairment) { impairment.jitter = jitter; });
}

void ImpairmentRelay::setBlocked(bool blocked, Direction direction)
{
    change(direction, [&](Impairment& impairment) { impairment.blocked = blocked; });
}

ImpairmentRelay::Counters ImpairmentRelay::counters(Direction direction) const
{
    if (direction != Direction::Both)
        return m_counters[indexOf(direction)];
    Counters sum;
    for (const Counters& one : m_counters) {
        sum.received += one.received;
        sum.forwarded += one.forwarded;
        sum.droppedLoss += one.droppedLoss;
        sum.droppedBlocked += one.droppedBlocked;
        sum.sendFailures += one.sendFailures;
    }
    return sum;
}

void ImpairmentRelay::resetCounters()
{
    m_counters = {};
}

void ImpairmentRelay::readFromClients()
{
    while (m_listener.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_listener.receiveDatagram(kMaxDatagramBytes);
        if (!datagram.isValid())
            break;
        if (Client* client = clientFor(datagram.senderAddress(), quint16(datagram.senderPort())))
            ingest(client, Direction::ToUpstream, datagram.data());
    }
}

void ImpairmentRelay::readFromUpstream(Client* client)
{
    while (client->upstream->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = client->upstream->receiveDatagram(kMaxDatagramBytes);
        if (!datagram.isValid())
            break;
        // Only the upstream's answers go back; anything else reaching this port is not ours.
        if (datagram.senderAddress().isEqual(m_upstreamAddress, QHostAddress::TolerantConversion)
            && datagram.senderPort() == m_upstreamPort)
            ingest(client, Direction::ToClient, datagram.data());
    }
}

ImpairmentRelay::Client* ImpairmentRelay::clientFor(const QHostAddress& address, quint16 port)
{
    const auto key = std::make_pair(address.toString(), port);
    if (const auto found = m_clients.find(key); found != m_clients.end())
        return found->second.get();
    auto client = std::make_unique<Client>();
    client->address = address;
    client->port = port;
    client->upstream = std::make_unique<QUdpSocket>();
    client->upstream->setProxy(QNetworkProxy::NoProxy);
    const QHostAddress any = m_upstreamAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? QHostAddress(QHostAddress::AnyIPv6)
        : QHostAddress(QHostAddress::AnyIPv4);
    if (!client->upstream->bind(any, 0)) {
        qWarning().noquote() << "ImpairmentRelay cannot open an upstream socket:" << client->upstream->errorString();
        return nullptr;
    }
    Client* raw = client.get();
    connect(raw->upstream.get(), &QUdpSocket::readyRead, this, [this, raw] { readFromUpstream(raw); });
    m_clients.emplace(key, std::move(client));
    return raw;
}

void ImpairmentRelay::ingest(Client* client, Direction direction, QByteArray payload)
{
    Counters& counters = m_counters[indexOf(direction)];
    const Impairment& impairment = m_impairments[indexOf(direction)];
    ++counters.received;
    if (impairment.blocked) {
        ++counters.droppedBlocked;
        return;
    }
    // One draw per unblocked packet, even at zero loss: the decisions then follow from the seed,
    // the settings and the packet order alone.
    const std::uint32_t lossDraw = m_random();
    if (impairment.lossAlways || lossDraw < impairment.lossThreshold) {
        ++counters.droppedLoss;
        return;
    }
    auto delay = impairment.delay;
    if (impairment.jitter.count() > 0) {
        // Uniform in [0, jitter] by multiply-shift: no modulo bias, same on every library.
        const auto range = std::uint64_t(impairment.jitter.count()) + 1;
        delay += std::chrono::microseconds((std::uint64_t(m_random()) * range) >> 32);
    }
    if (delay.count() == 0) {
        send(client, direction, payload);
        return;
    }
    m_queue.emplace(Clock::now() + delay, Pending{client, direction, std::move(payload)});
    armTimer();
}

void ImpairmentRelay::send(Client* client, Direction direction, const QByteArray& payload)
{
    Counters& counters = m_counters[indexOf(direction)];
    const qint64 written = direction == Direction::ToUpstream
        ? client->upstream->writeDatagram(payload, m_upstreamAddress, m_upstreamPort)
        : m_listener.writeDatagram(payload, client->address, client->port);
    if (written == payload.size())
        ++counters.forwarded;
    else
        ++counters.sendFailures;
}

void ImpairmentRelay::sendDue()
{
    const auto now = Clock::now();
    while (!m_queue.empty() && m_queue.begin()->first <= now) {
        auto node = m_queue.extract(m_queue.begin());
        send(node.mapped().client, node.mapped().direction, node.mapped().payload);
    }
    armTimer();
}

void ImpairmentRelay::armTimer()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const auto wait = m_queue.begin()->first - Clock::now();
    // Round up: a timer that fires early would find nothing due and spin once more.
    const auto waitMs = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
    m_timer.start(int(std::max<std::int64_t>(waitMs, 0)));
}

} // namespace earshot::testsupport
