#include "net/MediaTransport.h"

#include <earshot/protocol/MediaControl.h>
#include <earshot/protocol/SequenceUnwrapper.h>

#include <QHostInfo>
#include <QLoggingCategory>
#include <QMetaType>

#include <algorithm>
#include <utility>

namespace earshot::net {

namespace {

Q_LOGGING_CATEGORY(lcTransport, "earshot.net.transport")

using protocol::MediaOpenError;

// Sane RTT samples only: an echo from the future or older than this is not a round trip.
constexpr std::int64_t kMaxRttSampleUs = std::int64_t{protocol::kMaxReportedRttMs} * 1000;

} // namespace

MediaTransport::MediaTransport(MediaTransportConfig config, protocol::MediaKeys keys, FallbackChannel& fallback,
                               MediaPacketSink& sink, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_sealer(keys.transmit)
    , m_opener(keys.receive)
    , m_fallback(fallback)
    , m_sink(sink)
    , m_socket(this)
    , m_bindTimer(this)
    , m_probeTimer(this)
    , m_udpSilence(this)
    , m_reportTimer(this)
    , m_controlState(m_config.mediaSessionId)
{
    // For queued connections by type name (the owner may live on another thread).
    qRegisterMetaType<earshot::net::MediaPath>("earshot::net::MediaPath");
    qRegisterMetaType<QList<earshot::protocol::ReceiverReport>>("QList<earshot::protocol::ReceiverReport>");

    // std::max: a zero or negative interval from a bad config would spin the event loop.
    m_udpSilence.setSingleShot(true);
    m_udpSilence.setInterval(std::max(1, m_config.udpGiveUpMs));
    m_probeTimer.setInterval(std::max(1, m_config.probeIntervalMs));
    m_reportTimer.setInterval(std::max(1, m_config.statsReportIntervalMs));

    connect(&m_socket, &QUdpSocket::readyRead, this, &MediaTransport::onReadyRead);
    connect(&m_bindTimer, &QTimer::timeout, this, &MediaTransport::onBindTimer);
    connect(&m_probeTimer, &QTimer::timeout, this, &MediaTransport::onProbeTimer);
    connect(&m_udpSilence, &QTimer::timeout, this, &MediaTransport::onUdpSilence);
    connect(&m_reportTimer, &QTimer::timeout, this, &MediaTransport::onReportTimer);
    m_clock.start();
}

MediaTransport::~MediaTransport()
{
    if (m_hostLookupId != -1)
        QHostInfo::abortHostLookup(m_hostLookupId);
}

void MediaTransport::start()
{
    if (m_path != MediaPath::Closed)
        return;
    setPath(MediaPath::Connecting);
    if (m_path != MediaPath::Connecting)
        return; // a slot connected to pathChanged stopped us again
    m_reportTimer.start();
    if (m_config.policy == UdpPolicy::WebSocketOnly) {
        enterWebSocket();
        return;
    }

    m_bindTimer.start(std::max(1, m_config.bindRetryMs));
    m_udpSilence.start();
    if (m_serverAddress.setAddress(m_config.serverHost)) {
        openSocket();
        return;
    }
    m_serverAddress.clear();
    resolveServer();
}

void MediaTransport::resolveServer()
{
    if (m_hostLookupId == -1)
        m_hostLookupId = QHostInfo::lookupHost(m_config.serverHost, this, &MediaTransport::onHostResolved);
}

void MediaTransport::stop()
{
    if (m_path == MediaPath::Closed)
        return;
    if (m_hostLookupId != -1) {
        QHostInfo::abortHostLookup(m_hostLookupId);
        m_hostLookupId = -1;
    }
    m_bindTimer.stop();
    m_probeTimer.stop();
    m_udpSilence.stop();
    m_reportTimer.stop();
    m_socket.close();
    m_smoothedRttUs = -1;
    setPath(MediaPath::Closed);
}

void MediaTransport::onHostResolved(const QHostInfo& info)
{
    // A lookup aborted by stop() may still report; only the current one counts.
    if (info.lookupId() != m_hostLookupId)
        return;
    m_hostLookupId = -1;
    const QList<QHostAddress> addresses = info.addresses();
    if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
        // UDP stays silent, so the silence timer moves media to the WebSocket; the probe timer
        // asks again, since a failed lookup may be transient.
        qCWarning(lcTransport) << "cannot resolve media host" << m_config.serverHost << info.errorString();
        return;
    }
    // IPv4 first when the name has both: a server listening on 0.0.0.0 is the common setup, and
    // an unanswered IPv6 address would keep us on the fallback for good.
    const auto ipv4 = std::find_if(addresses.begin(), addresses.end(), [](const QHostAddress& address) {
        return address.protocol() == QAbstractSocket::IPv4Protocol;
    });
    m_serverAddress = ipv4 != addresses.end() ? *ipv4 : addresses.constFirst();
    openSocket();
}

void MediaTransport::openSocket()
{
    if (m_socket.state() == QAbstractSocket::BoundState)
        return;
    // Bound to the server address's family, so sender addresses compare without v4-mapped forms.
    const QHostAddress any = m_serverAddress.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress::AnyIPv6
                                                                                          : QHostAddress::AnyIPv4;
    if (!m_socket.bind(any, 0)) {
        qCWarning(lcTransport) << "cannot open a UDP socket:" << m_socket.errorString();
        m_socket.close();
        if (m_path == MediaPath::Connecting)
            enterWebSocket();
        return;
    }
    if (m_path == MediaPath::Connecting)
        sendBind(Via::Udp);
}

bool MediaTransport::udpReady() const
{
    return m_socket.state() == QAbstractSocket::BoundState && !m_serverAddress.isNull();
}

quint16 MediaTransport::localPort() const
{
    return m_socket.state() == QAbstractSocket::BoundState ? m_socket.localPort() : 0;
}

// Emits, so callers call it last: a slot may call stop() and must find nothing left to undo.
void MediaTransport::setPath(MediaPath path)
{
    if (m_path == path)
        return;
    m_path = path;
    emit pathChanged(path);
}

void MediaTransport::enterUdp()
{
    m_probeTimer.stop();
    m_bindTimer.start(std::max(1, m_config.keepaliveIntervalMs));
    m_udpSilence.start();
    m_smoothedRttUs = -1; // the RTT of the new path, not a mix of both
    setPath(MediaPath::Udp);
}

void MediaTransport::enterWebSocket()
{
    m_udpSilence.stop();
    m_smoothedRttUs = -1;
    // At once, so the server routes our media down the WebSocket without waiting a keepalive.
    sendBind(Via::WebSocket);
    m_bindTimer.start(std::max(1, m_config.keepaliveIntervalMs));
    if (m_config.policy == UdpPolicy::Auto)
        m_probeTimer.start();
    setPath(MediaPath::WebSocket);
}

void MediaTransport::onBindTimer()
{
    switch (m_path) {
    case MediaPath::Connecting:
    case MediaPath::Udp:
        sendBind(Via::Udp);
        break;
    case MediaPath::WebSocket:
        sendBind(Via::WebSocket);
        break;
    case MediaPath::Closed:
        break;
    }
}

void MediaTransport::onProbeTimer()
{
    if (m_path != MediaPath::WebSocket)
        return;
    if (m_serverAddress.isNull()) {
        resolveServer();
        return;
    }
    if (!udpReady())
        return; // the socket could not be opened: nothing to probe with
    sendBind(Via::Udp);
    // The server routes our media down whichever path its latest Bind came by. If UDP only
    // works outwards, the probe alone would send our media into the void until the next
    // keepalive; a Bind on the WebSocket right behind it turns the route back at once. If UDP
    // works, its BindAck moves us to Udp and our next UDP packet moves the route again.
    sendBind(Via::WebSocket);
}

void MediaTransport::onUdpSilence()
{
    if (m_path == MediaPath::Connecting || m_path == MediaPath::Udp) {
        qCInfo(lcTransport) << "no answer over UDP for" << m_config.udpGiveUpMs << "ms; media over the WebSocket";
        enterWebSocket();
    }
}

void MediaTransport::onReportTimer()
{
    if (!m_incoming.empty())
        emit reportsReady(takeReports());
}

void MediaTransport::sendBind(Via via)
{
    if (via == Via::Udp && !udpReady())
        return;
    if (m_controlSequence > protocol::SequenceUnwrapper::kMaxExtendedSequence)
        return; // 2^48 Binds: unreachable, but a nonce must never repeat

    protocol::RtpHeader header;
    header.payloadType = protocol::kMediaControlPayloadType;
    header.ssrc = m_config.mediaSessionId;
    header.sequence = static_cast<std::uint16_t>(m_controlSequence);
    std::array<std::uint8_t, protocol::kMediaControlPayloadBytes> payload{};
    const protocol::MediaControlMessage bind{protocol::MediaControlType::Bind, static_cast<std::uint64_t>(nowUs())};
    const std::size_t payloadBytes = bind.write(payload);
    const std::size_t sealed =
        m_sealer.seal(header, m_controlSequence, {payload.data(), payloadBytes}, m_sendBuffer);
    // Counted even when sealing failed: a sequence number is never offered twice.
    ++m_controlSequence;
    if (sealed == 0)
        return; // all-zero key: nothing can be sealed (documented on the constructor)
    if (transmit(sealed, via))
        ++m_counters.controlPacketsSent;
}

bool MediaTransport::sendMedia(const protocol::RtpHeader& header, std::span<const std::uint8_t> payload)
{
    if (m_path != MediaPath::Udp && m_path != MediaPath::WebSocket) {
        ++m_counters.sendDroppedNoPath;
        return false;
    }
    // The session ID is the control packets' SSRC; media under it would reuse their nonces.
    if (header.payloadType == protocol::kMediaControlPayloadType || header.ssrc == m_config.mediaSessionId
        || payload.size() > protocol::kMaxMediaPacketBytes) {
        ++m_counters.sendRejected;
        return false;
    }
    auto counter = m_outgoingSequences.find(header.ssrc);
    if (counter == m_outgoingSequences.end())
        counter = m_outgoingSequences.emplace(header.ssrc, 0).first;
    const std::uint64_t extendedSequence = counter->second;
    if (extendedSequence > protocol::SequenceUnwrapper::kMaxExtendedSequence) {
        ++m_counters.sendRejected;
        return false;
    }

    protocol::RtpHeader sealedHeader = header;
    sealedHeader.sequence = static_cast<std::uint16_t>(extendedSequence);
    const std::size_t sealed = m_sealer.seal(sealedHeader, extendedSequence, payload, m_sendBuffer);
    if (sealed == 0) {
        // Nothing was encrypted, so the number is still unused: the stream stays gap-free.
        ++m_counters.sendRejected;
        return false;
    }
    ++counter->second;
    if (!transmit(sealed, m_path == MediaPath::Udp ? Via::Udp : Via::WebSocket))
        return false;
    ++m_counters.mediaPacketsSent;
    return true;
}

bool MediaTransport::transmit(std::size_t sealedBytes, Via via)
{
    const auto* data = reinterpret_cast<const char*>(m_sendBuffer.data());
    const auto size = static_cast<qsizetype>(sealedBytes);
    if (via == Via::WebSocket) {
        m_fallback.sendMediaFrame(QByteArray(data, size));
        return true;
    }
    if (!udpReady() || m_socket.writeDatagram(data, size, m_serverAddress, m_config.mediaPort) != size) {
        ++m_counters.sendFailures;
        return false;
    }
    return true;
}

void MediaTransport::onReadyRead()
{
    // Drain everything that is queued: readyRead is not emitted again for datagrams already
    // waiting. The state check stops the loop if the sink called stop() meanwhile.
    while (m_socket.state() == QAbstractSocket::BoundState && m_socket.hasPendingDatagrams()) {
        quint16 senderPort = 0;
        const qint64 size = m_socket.readDatagram(reinterpret_cast<char*>(m_receiveBuffer.data()),
                                                  qint64(m_receiveBuffer.size()), &m_datagramSender, &senderPort);
        if (size < 0)
            break;
        if (senderPort != m_config.mediaPort || m_serverAddress.isNull() || m_datagramSender != m_serverAddress) {
            ++m_counters.droppedWrongSource;
            continue;
        }
        processPacket({m_receiveBuffer.data(), static_cast<std::size_t>(size)}, Via::Udp);
    }
}

void MediaTransport::onFallbackFrame(const QByteArray& frame)
{
    processPacket({reinterpret_cast<const std::uint8_t*>(frame.constData()), static_cast<std::size_t>(frame.size())},
                  Via::WebSocket);
}

void MediaTransport::processPacket(std::span<const std::uint8_t> packet, Via via)
{
    if (packet.size() > protocol::kMaxMediaPacketBytes) {
        ++m_counters.droppedOversized;
        return;
    }
    const protocol::RtpParseResult parsed = protocol::RtpHeader::parse(packet);
    if (!parsed.ok() || parsed.payload.size() < protocol::kAeadTagBytes) {
        ++m_counters.droppedMalformed;
        return;
    }
    if (parsed.header.payloadType == protocol::kMediaControlPayloadType) {
        processControl(parsed, via);
        return;
    }

    const auto it = m_incoming.find(parsed.header.ssrc);
    if (it == m_incoming.end()) {
        ++m_counters.droppedUnknownSsrc;
        return;
    }
    IncomingStream& stream = it->second;
    const protocol::MediaOpenResult opened = stream.receiverState.openAndCommit(m_opener, parsed, m_plaintext);
    if (!opened.ok()) {
        countOpenFailure(opened.error);
        return;
    }
    stream.statistics.onPacket(opened.extendedSequence, parsed.header.timestamp, nowUs());
    ++m_counters.mediaPacketsReceived;
    // Last: the sink may add or remove streams, which would invalidate `stream`.
    m_sink.onMediaPacket(parsed.header, opened.extendedSequence, {m_plaintext.data(), opened.plaintextSize});
}

void MediaTransport::processControl(const protocol::RtpParseResult& parsed, Via via)
{
    if (parsed.header.ssrc != m_config.mediaSessionId) {
        ++m_counters.droppedUnknownSsrc;
        return;
    }
    const protocol::MediaOpenResult opened = m_controlState.openAndCommit(m_opener, parsed, m_plaintext);
    if (!opened.ok()) {
        countOpenFailure(opened.error);
        return;
    }
    const auto message = protocol::MediaControlMessage::parse({m_plaintext.data(), opened.plaintextSize});
    if (!message || message->type != protocol::MediaControlType::BindAck) {
        ++m_counters.droppedMalformed;
        return;
    }
    onBindAck(message->clientTimeUs, via);
}

void MediaTransport::countOpenFailure(MediaOpenError error)
{
    switch (error) {
    case MediaOpenError::Replayed:
    case MediaOpenError::SequenceOutOfRange:
        ++m_counters.droppedReplayed;
        break;
    case MediaOpenError::MalformedHeader:
    case MediaOpenError::MissingTag:
        ++m_counters.droppedMalformed;
        break;
    case MediaOpenError::TooLarge:
        ++m_counters.droppedOversized;
        break;
    default:
        ++m_counters.droppedAuthentication;
        break;
    }
}

void MediaTransport::onBindAck(std::uint64_t echoedTimeUs, Via via)
{
    ++m_counters.controlPacketsReceived;
    if (via == Via::Udp) {
        if (m_path == MediaPath::Connecting
            || (m_path == MediaPath::WebSocket && m_config.policy == UdpPolicy::Auto)) {
            qCInfo(lcTransport) << "UDP answered; media over UDP";
            enterUdp();
        } else if (m_path == MediaPath::Udp) {
            m_udpSilence.start(); // restart: UDP is alive
        }
    }

    // Only the current path's round trips: the RTT reported is the one media experiences.
    const bool currentPath = (via == Via::Udp && m_path == MediaPath::Udp)
        || (via == Via::WebSocket && m_path == MediaPath::WebSocket);
    const std::int64_t now = nowUs();
    if (!currentPath || echoedTimeUs > static_cast<std::uint64_t>(now))
        return;
    const std::int64_t sampleUs = now - static_cast<std::int64_t>(echoedTimeUs);
    if (sampleUs > kMaxRttSampleUs)
        return;
    // RFC 6298's SRTT: the first sample as is, then a gain of 1/8.
    if (m_smoothedRttUs < 0)
        m_smoothedRttUs = sampleUs;
    else
        m_smoothedRttUs += (sampleUs - m_smoothedRttUs) / 8;
}

std::int32_t MediaTransport::rttMs() const noexcept
{
    if (m_smoothedRttUs < 0)
        return -1;
    return static_cast<std::int32_t>(std::min<std::int64_t>((m_smoothedRttUs + 500) / 1000, protocol::kMaxReportedRttMs));
}

void MediaTransport::addIncomingStream(std::uint32_t ssrc, const QString& streamId, std::uint64_t highestSequence)
{
    if (ssrc == 0 || ssrc == m_config.mediaSessionId)
        return;
    if (const auto it = m_incoming.find(ssrc); it != m_incoming.end()) {
        it->second.streamId = streamId;
        return;
    }
    protocol::MediaReceiverState state = highestSequence == 0
        ? protocol::MediaReceiverState(ssrc)
        : protocol::MediaReceiverState::joiningNear(ssrc, highestSequence);
    if (const auto retired = m_retiredStates.find(ssrc); retired != m_retiredStates.end()) {
        state = retired->second;
        m_retiredStates.erase(retired);
    }
    m_incoming.emplace(ssrc, IncomingStream{streamId, state, ReceiverStatistics(ssrc)});
}

void MediaTransport::removeIncomingStream(std::uint32_t ssrc)
{
    const auto it = m_incoming.find(ssrc);
    if (it == m_incoming.end())
        return;
    m_retiredStates.insert_or_assign(ssrc, it->second.receiverState);
    m_incoming.erase(it);
}

const ReceiverStatistics* MediaTransport::statistics(std::uint32_t ssrc) const
{
    const auto it = m_incoming.find(ssrc);
    return it == m_incoming.end() ? nullptr : &it->second.statistics;
}

QList<protocol::ReceiverReport> MediaTransport::takeReports()
{
    QList<protocol::ReceiverReport> reports;
    reports.reserve(qsizetype(m_incoming.size()));
    const std::int32_t rtt = rttMs();
    for (auto& [ssrc, stream] : m_incoming)
        reports.append(stream.statistics.makeReport(stream.streamId, rtt));
    return reports;
}

} // namespace earshot::net
