// earshot-bench-forwarding: what earshot-server's media forwarding costs and how long it takes,
// end to end through the real binary on loopback (docs/PERFORMANCE.md explains the figures).
//
//   earshot-bench-forwarding [--rooms R] [--publishers-per-room P] [--subscribers-per-room S]
//                            [--seconds T] [--packet-bytes B] [--server PATH] [--sweep]
//
// Every client logs in over the WebSocket (TestClient), binds its own UDP socket with a sealed
// Bind (MediaControl.h), and then publishers send one sealed Opus-sized RTP packet (with the
// audio-level extension) every 20 ms while every subscriber plays every publisher of its room.
// The plaintext carries the send time, so one-way latency needs no clock sync: sender and
// receiver are this process. The receive time is the kernel's (SO_TIMESTAMPNS), so a busy
// bench thread does not inflate the server's latency; how long the bench itself took to pick
// packets up is printed separately as a check that the client side was not the bottleneck.
//
// All clients run on this one thread: one epoll set over every UDP socket, watched by a single
// QSocketNotifier (one notifier per socket would make the event dispatcher poll hundreds of
// descriptors on every wake-up), and one 1 ms timer that sends whatever is due.
#include "BenchSupport.h"
#include "ForwardingReport.h"
#include "TestApp.h"
#include "TestClient.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaControl.h>
#include <earshot/protocol/MediaPacketCrypto.h>
#include <earshot/protocol/RtpHeader.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace {

using namespace earshot::protocol;
using namespace earshot::bench;
using earshot::integration::kAppA;
using earshot::integration::TestClient;

constexpr std::int64_t kPacketIntervalNs = 20'000'000; // 20 ms Opus frames: 50 packets/s
constexpr std::uint32_t kRtpTicksPerPacket = 960;       // 48 kHz × 20 ms
constexpr std::size_t kProbeBytes = 16;                 // send time (8), publisher (4), index (4)
constexpr int kWarmupMs = 1000;  // routes settle, caches warm; nothing sent in it is counted
constexpr int kDrainMs = 500;    // after the window, for copies still in flight
constexpr int kBindTimeoutMs = 5000;
constexpr int kReceiveBatch = 32;

struct Options {
    Load load;
    int seconds = 10;
    int packetBytes = 80;
    QString serverBinary = QStringLiteral(EARSHOT_SERVER_BINARY);
    bool sweep = false;
};

std::int64_t realtimeNs() // CLOCK_REALTIME: the clock SO_TIMESTAMPNS stamps with
{
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// ---- one load --------------------------------------------------------------------------------

// One logged-in client and its UDP socket.
struct Endpoint {
    std::unique_ptr<TestClient> signalling;
    int fd = -1;
    int room = 0;
    bool publisher = false;
    QString userId;
    std::uint32_t mediaSessionId = 0;
    std::unique_ptr<MediaPacketSealer> sealer;
    std::unique_ptr<MediaPacketOpener> opener;
    std::unique_ptr<MediaReceiverState> control;
    std::uint64_t controlSequence = 0;
    bool bound = false;
    QString streamId;             // publisher
    std::uint32_t ssrc = 0;       // publisher
    std::uint32_t publisherIndex = 0;
    std::uint64_t nextSequence = 0;
    std::int64_t nextSendNs = 0;
    std::vector<MediaReceiverState> streams; // subscriber: one per played SSRC

    ~Endpoint()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

class LoadRun {
public:
    LoadRun(const Options& options, const Load& load, int seconds)
        : m_options(options), m_load(load), m_seconds(seconds)
        , m_payload(std::size_t(std::max<int>(options.packetBytes, int(kProbeBytes))), std::uint8_t(0x5A))
    {
        m_sendTimer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_sendTimer, &QTimer::timeout, &m_sendTimer, [this] { sendDue(); });
    }

    ~LoadRun()
    {
        m_notifier.reset();
        if (m_epoll >= 0)
            ::close(m_epoll);
    }

    std::optional<ForwardingResult> run();

private:
    bool setUp();
    bool openSocket(Endpoint& endpoint);
    bool bindAll();
    void sendBind(Endpoint& endpoint);
    void sendMedia(Endpoint& publisher);
    void sendDue();
    void receiveReady();
    void drain(Endpoint& endpoint);
    void handle(Endpoint& endpoint, std::span<const std::uint8_t> datagram, std::int64_t kernelNs);

    const Options& m_options;
    Load m_load;
    int m_seconds;
    BenchServer m_server;
    std::vector<std::unique_ptr<Endpoint>> m_endpoints; // stable addresses: epoll data points at them
    std::vector<Endpoint*> m_publishers;
    int m_epoll = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_sendTimer;
    std::vector<std::uint8_t> m_payload;
    std::array<std::uint8_t, kMaxMediaPacketBytes> m_sealed{};
    std::array<std::uint8_t, kMaxMediaPacketBytes> m_plaintext{};
    std::int64_t m_windowStartNs = std::numeric_limits<std::int64_t>::max();
    std::int64_t m_windowEndNs = std::numeric_limits<std::int64_t>::max();
    ForwardingResult m_result;
    std::vector<std::uint32_t> m_latencyUs, m_pickupUs;
};

bool LoadRun::openSocket(Endpoint& endpoint)
{
    endpoint.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    // Room for a burst: the server sends each receive batch's copies in one sendmmsg.
    const int bufferBytes = 1 << 20;
    const int on = 1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sockaddr_in server = local;
    server.sin_port = htons(m_server.mediaPort());
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &endpoint;
    return endpoint.fd >= 0 && ::setsockopt(endpoint.fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes) == 0
        && ::setsockopt(endpoint.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0
        && ::bind(endpoint.fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0
        // Connected: send() needs no address and only the server's datagrams come in.
        && ::connect(endpoint.fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0
        && ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, endpoint.fd, &event) == 0;
}

bool LoadRun::setUp()
{
    if (!m_server.start(m_options.serverBinary))
        return false;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_notifier = std::make_unique<QSocketNotifier>(m_epoll, QSocketNotifier::Read);
    QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(), [this] { receiveReady(); });

    const auto failed = [](const char* step) {
        std::fprintf(stderr, "set-up: %s failed\n", step);
        return false;
    };
    // Connect everyone first, then pipeline each kind of request: every wait on a TestClient
    // costs at least one 10 ms sleep, which adds up over hundreds of clients.
    for (int room = 0; room < m_load.rooms; ++room) {
        for (int i = 0; i < m_load.publishersPerRoom + m_load.subscribersPerRoom; ++i) {
            auto endpoint = std::make_unique<Endpoint>();
            endpoint->room = room;
            endpoint->publisher = i < m_load.publishersPerRoom;
            endpoint->userId = QStringLiteral("%1_r%2_%3")
                                   .arg(QLatin1String(endpoint->publisher ? "pub" : "sub"))
                                   .arg(room)
                                   .arg(i);
            endpoint->signalling = std::make_unique<TestClient>(m_server.signallingUrl());
            if (!endpoint->signalling->connectToServer() || !openSocket(*endpoint))
                return failed("connecting a client or opening its UDP socket");
            if (endpoint->publisher) {
                endpoint->publisherIndex = std::uint32_t(m_publishers.size());
                endpoint->streamId = QStringLiteral("stream_r%1_%2").arg(room).arg(i);
                m_publishers.push_back(endpoint.get());
            }
            m_endpoints.push_back(std::move(endpoint));
        }
    }
    // Log in with a key pair of our own: TestClient keeps its own to itself, and the media keys
    // come from whichever public key the login request carried.
    std::vector<std::int64_t> ids;
    for (auto& endpoint : m_endpoints) {
        TestClient& client = *endpoint->signalling;
        const KeyExchange keyExchange;
        LoginRequest request = client.makeLoginRequest(kAppA.appId, QStringLiteral("bench_room_%1").arg(endpoint->room),
                                                       endpoint->userId, TestClient::userNameFor(endpoint->userId));
        request.clientPublicKey = QByteArray(reinterpret_cast<const char*>(keyExchange.publicKey().data()),
                                             qsizetype(keyExchange.publicKey().size()));
        request.authMode = AuthMode::AppSign;
        request.appSignMac = client.appSignMac(request, kAppA.appSignHex);
        KeyExchange::PublicKey serverKey{};
        std::memcpy(serverKey.data(), client.hello().serverPublicKey.constData(), serverKey.size());
        const std::optional<MediaKeys> keys = keyExchange.clientKeys(serverKey);
        if (!keys)
            return failed("key exchange");
        endpoint->sealer = std::make_unique<MediaPacketSealer>(keys->transmit);
        endpoint->opener = std::make_unique<MediaPacketOpener>(keys->receive);
        ids.push_back(client.send(request));
    }
    for (std::size_t i = 0; i < m_endpoints.size(); ++i) {
        Endpoint& endpoint = *m_endpoints[i];
        const auto reply = endpoint.signalling->waitForReply<LoginReply>(ids[i]);
        if (!reply || reply->code != 0 || reply->mediaSessionId == 0)
            return failed("login");
        endpoint.mediaSessionId = reply->mediaSessionId;
        endpoint.control = std::make_unique<MediaReceiverState>(reply->mediaSessionId);
    }
    ids.clear();
    for (Endpoint* publisher : m_publishers)
        ids.push_back(publisher->signalling->send(earshot::integration::publishRequest(publisher->streamId)));
    for (std::size_t i = 0; i < m_publishers.size(); ++i) {
        const auto reply = m_publishers[i]->signalling->waitForReply<PublishReply>(ids[i]);
        if (!reply || reply->code != 0)
            return failed("publish");
        m_publishers[i]->ssrc = reply->ssrc;
    }
    std::vector<std::pair<Endpoint*, std::int64_t>> plays;
    for (auto& endpoint : m_endpoints) {
        for (Endpoint* publisher : m_publishers) {
            if (endpoint->publisher || publisher->room != endpoint->room)
                continue;
            PlayRequest request;
            request.streamId = publisher->streamId;
            plays.emplace_back(endpoint.get(), endpoint->signalling->send(request));
        }
    }
    for (const auto& [endpoint, id] : plays) {
        const auto reply = endpoint->signalling->waitForReply<PlayReply>(id);
        if (!reply || reply->code != 0 || reply->ssrc == 0)
            return failed("play");
        endpoint->streams.emplace_back(reply->ssrc);
    }
    return bindAll();
}

bool LoadRun::bindAll()
{
    for (int waited = 0; waited < kBindTimeoutMs; waited += 50) {
        if (waited % 250 == 0) // resend to whoever has no answer yet (a Bind may be lost)
            for (auto& endpoint : m_endpoints)
                if (!endpoint->bound)
                    sendBind(*endpoint);
        runEventLoopFor(50);
        if (std::all_of(m_endpoints.begin(), m_endpoints.end(), [](auto& endpoint) { return endpoint->bound; }))
            return true;
    }
    std::fprintf(stderr, "not every client got a BindAck within %d ms\n", kBindTimeoutMs);
    return false;
}

void LoadRun::sendBind(Endpoint& endpoint)
{
    RtpHeader header;
    header.payloadType = kMediaControlPayloadType;
    header.ssrc = endpoint.mediaSessionId;
    header.sequence = std::uint16_t(endpoint.controlSequence);
    std::array<std::uint8_t, kMediaControlPayloadBytes> payload{};
    const MediaControlMessage bind{MediaControlType::Bind, std::uint64_t(realtimeNs() / 1000)};
    const std::size_t payloadBytes = bind.write(payload);
    const std::size_t sealed =
        endpoint.sealer->seal(header, endpoint.controlSequence++, {payload.data(), payloadBytes}, m_sealed);
    if (sealed == 0 || ::send(endpoint.fd, m_sealed.data(), sealed, 0) < 0)
        ++m_result.sendFailures;
}

void LoadRun::sendMedia(Endpoint& publisher)
{
    const std::uint64_t sequence = publisher.nextSequence++;
    RtpHeader header;
    header.payloadType = kOpusPayloadType;
    header.marker = sequence == 0;
    header.sequence = std::uint16_t(sequence);
    header.timestamp = std::uint32_t(sequence * kRtpTicksPerPacket);
    header.ssrc = publisher.ssrc;
    header.audioLevel = std::uint8_t(20 + sequence % 40); // some speech-like movement
    header.voiceActivity = true;
    const std::int64_t sentNs = realtimeNs();
    const auto index = std::uint32_t(sequence);
    std::memcpy(m_payload.data(), &sentNs, sizeof sentNs); // host order: only this process reads it
    std::memcpy(m_payload.data() + 8, &publisher.publisherIndex, 4);
    std::memcpy(m_payload.data() + 12, &index, 4);
    const std::size_t sealed = publisher.sealer->seal(header, sequence, m_payload, m_sealed);
    if (sealed == 0 || ::send(publisher.fd, m_sealed.data(), sealed, 0) < 0) {
        ++m_result.sendFailures;
        return;
    }
    if (sentNs >= m_windowStartNs && sentNs < m_windowEndNs) {
        ++m_result.sent;
        m_result.expected += std::uint64_t(m_load.subscribersPerRoom);
    }
}

void LoadRun::sendDue()
{
    const std::int64_t now = realtimeNs();
    for (Endpoint* publisher : m_publishers) {
        if (publisher->nextSendNs > now)
            continue;
        sendMedia(*publisher);
        publisher->nextSendNs += kPacketIntervalNs;
        // Fell a whole frame behind (the thread was descheduled): skip, never send a burst.
        if (publisher->nextSendNs <= now)
            publisher->nextSendNs = now + kPacketIntervalNs;
    }
}

void LoadRun::receiveReady()
{
    epoll_event events[64];
    for (int round = 0; round < 4; ++round) { // bounded, so the send timer is never starved
        const int ready = ::epoll_wait(m_epoll, events, 64, 0);
        for (int i = 0; i < ready; ++i)
            drain(*static_cast<Endpoint*>(events[i].data.ptr));
        if (ready < 64)
            break;
    }
}

void LoadRun::drain(Endpoint& endpoint)
{
    static constexpr std::size_t kControlBytes = CMSG_SPACE(sizeof(timespec));
    static std::uint8_t buffers[kReceiveBatch][kMaxMediaPacketBytes];
    alignas(cmsghdr) static std::uint8_t controls[kReceiveBatch][kControlBytes];
    for (;;) {
        mmsghdr headers[kReceiveBatch]{};
        iovec vectors[kReceiveBatch];
        for (int i = 0; i < kReceiveBatch; ++i) {
            vectors[i] = {buffers[i], sizeof buffers[i]};
            headers[i].msg_hdr.msg_iov = &vectors[i];
            headers[i].msg_hdr.msg_iovlen = 1;
            headers[i].msg_hdr.msg_control = controls[i];
            headers[i].msg_hdr.msg_controllen = kControlBytes;
        }
        const int count = ::recvmmsg(endpoint.fd, headers, kReceiveBatch, MSG_DONTWAIT, nullptr);
        if (count <= 0)
            return;
        for (int i = 0; i < count; ++i) {
            std::int64_t kernelNs = 0;
            msghdr& message = headers[i].msg_hdr;
            for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    timespec stamp{};
                    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
                    kernelNs = std::int64_t(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
                }
            }
            handle(endpoint, {buffers[i], headers[i].msg_len}, kernelNs);
        }
        if (count < kReceiveBatch)
            return;
    }
}

void LoadRun::handle(Endpoint& endpoint, std::span<const std::uint8_t> datagram, std::int64_t kernelNs)
{
    const std::int64_t nowNs = realtimeNs();
    if (kernelNs == 0)
        kernelNs = nowNs;
    const RtpParseResult parsed = RtpHeader::parse(datagram);
    if (!parsed.ok()) {
        ++m_result.unexpected;
        return;
    }
    if (parsed.header.payloadType == kMediaControlPayloadType) {
        const MediaOpenResult opened = endpoint.control->openAndCommit(*endpoint.opener, parsed, m_plaintext);
        const auto message = opened.ok() ? MediaControlMessage::parse({m_plaintext.data(), opened.plaintextSize})
                                         : std::nullopt;
        if (message && message->type == MediaControlType::BindAck)
            endpoint.bound = true;
        else
            ++m_result.openFailures;
        return;
    }
    const auto state = std::find_if(endpoint.streams.begin(), endpoint.streams.end(),
                                    [&](const MediaReceiverState& s) { return s.ssrc() == parsed.header.ssrc; });
    if (state == endpoint.streams.end()) {
        ++m_result.unexpected; // a stream this client does not play: a routing bug
        return;
    }
    const MediaOpenResult opened = state->openAndCommit(*endpoint.opener, parsed, m_plaintext);
    if (!opened.ok() || opened.plaintextSize < kProbeBytes) {
        ++m_result.openFailures;
        return;
    }
    std::int64_t sentNs = 0;
    std::memcpy(&sentNs, m_plaintext.data(), sizeof sentNs);
    if (sentNs < m_windowStartNs || sentNs >= m_windowEndNs)
        return;
    ++m_result.received;
    m_latencyUs.push_back(std::uint32_t(std::clamp<std::int64_t>((kernelNs - sentNs) / 1000, 0, UINT32_MAX)));
    m_pickupUs.push_back(std::uint32_t(std::clamp<std::int64_t>((nowNs - kernelNs) / 1000, 0, UINT32_MAX)));
}

double percentileMs(std::vector<std::uint32_t>& values, double fraction)
{
    if (values.empty())
        return 0;
    const auto rank = std::size_t(fraction * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank), values.end());
    return values[rank] / 1000.0;
}

std::optional<ForwardingResult> LoadRun::run()
{
    m_result.load = m_load;
    if (!setUp()) {
        std::fprintf(stderr, "set-up failed (server log: %s)\n", qPrintable(m_server.logPath()));
        return std::nullopt;
    }
    // Spread the publishers over the 20 ms frame, as independent clients would be.
    const std::int64_t start = realtimeNs();
    for (std::size_t i = 0; i < m_publishers.size(); ++i)
        m_publishers[i]->nextSendNs = start + kPacketIntervalNs * std::int64_t(i) / std::int64_t(m_publishers.size());
    m_sendTimer.start(1);
    runEventLoopFor(kWarmupMs);

    const qint64 self = QCoreApplication::applicationPid();
    const auto dropsBefore = udpDropsByPort();
    QNetworkReply* metricsBefore = m_server.requestMetrics();
    const CpuSample serverBefore = sampleCpu(m_server.pid());
    const CpuSample clientBefore = sampleCpu(self);
    m_latencyUs.reserve(std::size_t(m_seconds) * 50 * m_publishers.size()
                        * std::size_t(m_load.subscribersPerRoom) * 11 / 10);
    m_pickupUs.reserve(m_latencyUs.capacity());
    m_windowStartNs = realtimeNs();
    runEventLoopFor(m_seconds * 1000);
    m_windowEndNs = realtimeNs();
    m_sendTimer.stop();
    m_result.server = cpuBetween(serverBefore, sampleCpu(m_server.pid()));
    m_result.client = cpuBetween(clientBefore, sampleCpu(self));
    m_result.seconds = double(m_windowEndNs - m_windowStartNs) / 1e9;
    QNetworkReply* metricsAfter = m_server.requestMetrics();
    runEventLoopFor(kDrainMs);

    const auto dropsAfter = udpDropsByPort();
    const auto dropsAt = [&](quint16 port) {
        const auto after = dropsAfter.find(port);
        const auto before = dropsBefore.find(port);
        return (after == dropsAfter.end() ? 0 : after->second) - (before == dropsBefore.end() ? 0 : before->second);
    };
    m_result.serverSocketDrops = dropsAt(m_server.mediaPort());
    for (const auto& endpoint : m_endpoints) {
        sockaddr_in local{};
        socklen_t length = sizeof local;
        if (::getsockname(endpoint->fd, reinterpret_cast<sockaddr*>(&local), &length) == 0)
            m_result.clientSocketDrops += dropsAt(ntohs(local.sin_port));
    }
    const QByteArray forwardedName = "earshot_media_packets_forwarded_total";
    m_result.serverForwarded = BenchServer::metricsOf(metricsAfter)[forwardedName]
        - BenchServer::metricsOf(metricsBefore)[forwardedName];
    m_result.endMetrics = BenchServer::metricsOf(m_server.requestMetrics());
    m_result.lossPercent = m_result.expected == 0
        ? 0 : 100.0 * (double(m_result.expected) - double(m_result.received)) / double(m_result.expected);
    const double fractions[3] = {0.50, 0.95, 0.99};
    for (int i = 0; i < 3; ++i)
        m_result.latencyMs[i] = percentileMs(m_latencyUs, fractions[i]);
    m_result.latencyMs[3] = percentileMs(m_latencyUs, 1.0);
    m_result.pickupP99Ms = percentileMs(m_pickupUs, 0.99);
    m_result.pickupMaxMs = percentileMs(m_pickupUs, 1.0);
    m_endpoints.clear(); // closes the WebSockets before the server goes
    m_server.stop();
    m_server.discardLog();
    return m_result;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Media forwarding benchmark of earshot-server on loopback."));
    parser.addHelpOption();
    const QCommandLineOption rooms(QStringLiteral("rooms"), QStringLiteral("Rooms (10)."), QStringLiteral("R"),
                                   QStringLiteral("10"));
    const QCommandLineOption publishers(QStringLiteral("publishers-per-room"),
                                        QStringLiteral("Publishers per room (1, at most 12)."),
                                        QStringLiteral("P"), QStringLiteral("1"));
    const QCommandLineOption subscribers(QStringLiteral("subscribers-per-room"),
                                         QStringLiteral("Subscribers per room, each playing every publisher (4)."),
                                         QStringLiteral("S"), QStringLiteral("4"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
                                     QStringLiteral("Measured seconds per load (10; 5 with --sweep)."),
                                     QStringLiteral("T"));
    const QCommandLineOption bytes(QStringLiteral("packet-bytes"),
                                   QStringLiteral("Opus payload bytes (80; at least 16 are sent)."),
                                   QStringLiteral("B"), QStringLiteral("80"));
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("earshot-server binary to run."),
                                    QStringLiteral("PATH"), QStringLiteral(EARSHOT_SERVER_BINARY));
    const QCommandLineOption sweep(QStringLiteral("sweep"),
                                   QStringLiteral("Run 5, 20 and 50 rooms (with the per-room counts given; "
                                                  "--rooms is ignored) and compare."));
    parser.addOptions({rooms, publishers, subscribers, seconds, bytes, server, sweep});
    parser.process(app);

    Options options;
    options.load = {parser.value(rooms).toInt(), parser.value(publishers).toInt(), parser.value(subscribers).toInt()};
    options.sweep = parser.isSet(sweep);
    options.seconds = parser.isSet(seconds) ? parser.value(seconds).toInt() : (options.sweep ? 5 : 10);
    options.packetBytes = parser.value(bytes).toInt();
    options.serverBinary = parser.value(server);
    // 12: the server's limit of streams one session may play.
    if (options.load.rooms < 1 || options.load.publishersPerRoom < 1 || options.load.publishersPerRoom > 12
        || options.load.subscribersPerRoom < 1 || options.seconds < 1 || options.packetBytes < 1
        || options.packetBytes > 1200) {
        std::fprintf(stderr, "out of range: rooms ≥ 1, 1 ≤ P ≤ 12, S ≥ 1, T ≥ 1, 1 ≤ B ≤ 1200\n");
        return 2;
    }

    printHeader(options.serverBinary, std::max<int>(options.packetBytes, int(kProbeBytes)), kWarmupMs, kDrainMs);
    std::vector<Load> loads{options.load};
    if (options.sweep) {
        loads.clear();
        for (int sweepRooms : {5, 20, 50})
            loads.push_back({sweepRooms, options.load.publishersPerRoom, options.load.subscribersPerRoom});
    }
    std::vector<ForwardingResult> results;
    for (const Load& load : loads) {
        // A fresh server per load: clean counters, no sessions of the previous load in grace.
        std::optional<ForwardingResult> result = LoadRun(options, load, options.seconds).run();
        if (!result)
            return 1;
        printResult(*result);
        results.push_back(std::move(*result));
    }
    if (results.size() > 1)
        printSweep(results);
    return 0;
}
