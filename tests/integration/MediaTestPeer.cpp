#include "MediaTestPeer.h"

#include "TestClient.h"

#include <earshot/protocol/MediaControl.h>

#include <QDebug>
#include <QHostAddress>
#include <QNetworkDatagram>
#include <QNetworkProxy>

#include <chrono>
#include <span>

namespace earshot::integration {

using namespace earshot::protocol;

namespace {

std::span<const std::uint8_t> bytesOf(const QByteArray& data)
{
    return {reinterpret_cast<const std::uint8_t*>(data.constData()), std::size_t(data.size())};
}

std::unique_ptr<QUdpSocket> openSocket()
{
    auto socket = std::make_unique<QUdpSocket>();
    socket->setProxy(QNetworkProxy::NoProxy);
    if (!socket->bind(QHostAddress::LocalHost, 0))
        qWarning().noquote() << "cannot bind a UDP socket:" << socket->errorString();
    return socket;
}

const char* viaName(MediaVia via)
{
    return via == MediaVia::Udp ? "UDP" : "WebSocket";
}

} // namespace

MediaTestPeer::MediaTestPeer(TestClient& client, quint16 mediaPort, MediaVia via)
    : m_client(client)
    , m_mediaPort(mediaPort != 0 ? mediaPort : client.hello().mediaPort)
    , m_sendVia(via)
    , m_mediaSessionId(client.mediaSessionId())
    , m_controlState(client.mediaSessionId())
{
    const QByteArray& serverKey = client.hello().serverPublicKey;
    KeyExchange::PublicKey serverPublicKey{};
    std::optional<MediaKeys> keys;
    if (serverKey.size() == qsizetype(serverPublicKey.size())) {
        std::copy(serverKey.begin(), serverKey.end(), serverPublicKey.begin());
        keys = client.keyExchange().clientKeys(serverPublicKey);
    }
    if (!keys || m_mediaSessionId == 0) {
        qWarning() << "media peer without keys or media session ID (logged in?)";
    } else {
        m_sealer = std::make_unique<MediaPacketSealer>(keys->transmit);
        m_opener = std::make_unique<MediaPacketOpener>(keys->receive);
    }
    m_socket = openSocket();
    connect(m_socket.get(), &QUdpSocket::readyRead, this, &MediaTestPeer::readDatagrams);
    client.setBinaryFrameHandler([this](const QByteArray& frame) { onBinaryFrame(frame); });
}

MediaTestPeer::~MediaTestPeer()
{
    m_client.setBinaryFrameHandler({});
}

std::int64_t MediaTestPeer::nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QByteArray MediaTestPeer::seal(const RtpHeader& header, std::uint64_t extendedSequence,
                               const QByteArray& payload) const
{
    if (!m_sealer)
        return {};
    QByteArray out(qsizetype(MediaPacketSealer::sealedSize(header, std::size_t(payload.size()))), '\0');
    const std::size_t size = m_sealer->seal(
        header, extendedSequence, bytesOf(payload),
        {reinterpret_cast<std::uint8_t*>(out.data()), std::size_t(out.size())});
    if (size == 0) {
        qWarning() << "seal failed for SSRC" << header.ssrc << "sequence" << extendedSequence;
        return {};
    }
    out.truncate(qsizetype(size));
    return out;
}

void MediaTestPeer::sendBind()
{
    RtpHeader header;
    header.payloadType = kMediaControlPayloadType;
    header.ssrc = m_mediaSessionId;
    header.sequence = std::uint16_t(m_controlSequence);
    QByteArray payload(qsizetype(kMediaControlPayloadBytes), '\0');
    [[maybe_unused]] const std::size_t written =
        MediaControlMessage{MediaControlType::Bind, std::uint64_t(nowUs())}.write(
            {reinterpret_cast<std::uint8_t*>(payload.data()), std::size_t(payload.size())});
    sendRaw(seal(header, m_controlSequence++, payload));
}

std::optional<std::int64_t> MediaTestPeer::bind(int timeoutMs)
{
    if (!isValid())
        return std::nullopt;
    const int before = m_bindAcks;
    for (int waited = 0; waited < timeoutMs; waited += kBindRetryMs) {
        sendBind();
        if (TestClient::waitUntil([&] { return m_bindAcks > before; }, kBindRetryMs))
            return m_lastRttUs;
    }
    qWarning() << "no BindAck within" << timeoutMs << "ms (sent via" << viaName(m_sendVia) << ")";
    return std::nullopt;
}

QByteArray MediaTestPeer::sealMedia(std::uint32_t ssrc, std::uint64_t extendedSequence,
                                    const QByteArray& payload, std::optional<std::uint8_t> audioLevel,
                                    bool voiceActivity) const
{
    RtpHeader header;
    header.payloadType = kOpusPayloadType;
    header.ssrc = ssrc;
    header.sequence = std::uint16_t(extendedSequence);
    header.timestamp = std::uint32_t(extendedSequence * 960);
    header.audioLevel = audioLevel;
    header.voiceActivity = voiceActivity;
    return seal(header, extendedSequence, payload);
}

QByteArray MediaTestPeer::sendMedia(std::uint32_t ssrc, std::uint64_t extendedSequence,
                                    const QByteArray& payload, std::optional<std::uint8_t> audioLevel,
                                    bool voiceActivity)
{
    QByteArray packet = sealMedia(ssrc, extendedSequence, payload, audioLevel, voiceActivity);
    sendRaw(packet);
    return packet;
}

void MediaTestPeer::sendRaw(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_sendVia == MediaVia::WebSocket) {
        m_client.sendRawBinary(bytes);
        return;
    }
    if (m_socket->writeDatagram(bytes, QHostAddress::LocalHost, m_mediaPort) != bytes.size())
        qWarning().noquote() << "UDP send of" << bytes.size() << "bytes failed:" << m_socket->errorString();
}

void MediaTestPeer::readDatagrams()
{
    while (m_socket->hasPendingDatagrams())
        onPacket(m_socket->receiveDatagram().data(), MediaVia::Udp);
}

void MediaTestPeer::onBinaryFrame(const QByteArray& frame)
{
    onPacket(frame, MediaVia::WebSocket);
}

void MediaTestPeer::onPacket(const QByteArray& packet, MediaVia via)
{
    const RtpParseResult parsed = RtpHeader::parse(bytesOf(packet));
    if (!parsed.ok()) {
        ++m_arrivals;
        ++m_openFailures;
        qWarning() << "unparsable packet of" << packet.size() << "bytes via" << viaName(via);
        return;
    }
    QByteArray plaintext(qsizetype(kMaxMediaPacketBytes), '\0');
    const std::span<std::uint8_t> out{reinterpret_cast<std::uint8_t*>(plaintext.data()),
                                      std::size_t(plaintext.size())};

    if (parsed.header.payloadType == kMediaControlPayloadType) {
        const MediaOpenResult opened = m_opener ? m_controlState.openAndCommit(*m_opener, parsed, out)
                                                : MediaOpenResult{};
        const auto message = opened.ok() ? MediaControlMessage::parse(out.first(opened.plaintextSize))
                                         : std::nullopt;
        if (!message || message->type != MediaControlType::BindAck) {
            qWarning() << "bad control packet via" << viaName(via) << ":" << errorName(opened.error);
            return;
        }
        ++m_bindAcks;
        m_lastBindAckVia = via;
        m_lastRttUs = nowUs() - std::int64_t(message->clientTimeUs);
        return;
    }

    ++m_arrivals;
    auto receiver = m_receivers.try_emplace(parsed.header.ssrc, parsed.header.ssrc).first;
    const MediaOpenResult opened = m_opener ? receiver->second.openAndCommit(*m_opener, parsed, out)
                                            : MediaOpenResult{};
    if (!opened.ok()) {
        ++m_openFailures;
        qWarning() << "media packet via" << viaName(via) << "SSRC" << parsed.header.ssrc << "sequence"
                   << parsed.header.sequence << "did not open:" << errorName(opened.error);
        return;
    }
    plaintext.truncate(qsizetype(opened.plaintextSize));
    m_media.push_back(ReceivedMedia{
        parsed.header,
        QByteArray(reinterpret_cast<const char*>(parsed.headerBytes.data()), qsizetype(parsed.headerBytes.size())),
        plaintext, opened.extendedSequence, via});
}

void MediaTestPeer::joinStream(std::uint32_t ssrc, std::uint64_t highestSequence)
{
    m_receivers.erase(ssrc);
    m_receivers.emplace(ssrc, MediaReceiverState::joiningNear(ssrc, highestSequence));
}

std::optional<ReceivedMedia> MediaTestPeer::waitForMedia(int timeoutMs)
{
    if (!TestClient::waitUntil([this] { return !m_media.empty(); }, timeoutMs)) {
        qWarning() << "no media within" << timeoutMs << "ms (arrivals" << m_arrivals << ", open failures"
                   << m_openFailures << ")";
        return std::nullopt;
    }
    ReceivedMedia media = std::move(m_media.front());
    m_media.pop_front();
    return media;
}

std::vector<ReceivedMedia> MediaTestPeer::waitForMedia(int count, int timeoutMs)
{
    std::vector<ReceivedMedia> received;
    while (int(received.size()) < count) {
        std::optional<ReceivedMedia> media = waitForMedia(timeoutMs);
        if (!media)
            break;
        received.push_back(std::move(*media));
    }
    return received;
}

bool MediaTestPeer::expectNoMedia(int durationMs)
{
    const int before = m_arrivals;
    if (!TestClient::waitUntil([&] { return m_arrivals != before; }, durationMs))
        return true;
    qWarning() << "unexpected media:" << m_arrivals - before << "arrival(s)," << m_media.size()
               << "opened packet(s) queued; first SSRC"
               << (m_media.empty() ? 0u : m_media.front().header.ssrc);
    return false;
}

void MediaTestPeer::clear()
{
    m_media.clear();
    m_arrivals = 0;
    m_openFailures = 0;
}

void MediaTestPeer::rebindSocket()
{
    std::unique_ptr<QUdpSocket> fresh = openSocket();
    connect(fresh.get(), &QUdpSocket::readyRead, this, &MediaTestPeer::readDatagrams);
    QUdpSocket* stale = m_socket.get();
    disconnect(stale, nullptr, this, nullptr);
    connect(stale, &QUdpSocket::readyRead, this, [this, stale] {
        while (stale->hasPendingDatagrams()) {
            stale->receiveDatagram();
            ++m_staleDatagrams;
        }
    });
    m_staleSockets.push_back(std::exchange(m_socket, std::move(fresh)));
}

QByteArray testPayload(std::uint64_t index)
{
    return QByteArray("frame-") + QByteArray::number(qulonglong(index)) + '-'
        + QByteArray(int(20 + index % 100), char('a' + index % 26));
}

bool deliverMedia(MediaTestPeer& from, std::uint32_t ssrc, std::uint64_t first, int count, MediaTestPeer& to,
                  MediaVia arrivalVia, std::optional<std::uint8_t> audioLevel)
{
    QList<QByteArray> sent;
    for (int i = 0; i < count; ++i)
        sent << from.sendMedia(ssrc, first + std::uint64_t(i), testPayload(first + std::uint64_t(i)), audioLevel);
    const std::vector<ReceivedMedia> received = to.waitForMedia(count, MediaTestPeer::kDefaultTimeoutMs);
    if (int(received.size()) != count) {
        qWarning() << "received" << received.size() << "of" << count << "packets";
        return false;
    }
    for (int i = 0; i < count; ++i) {
        const ReceivedMedia& packet = received[std::size_t(i)];
        const std::uint64_t sequence = first + std::uint64_t(i);
        const QByteArray& original = sent[i];
        const bool same = packet.header.ssrc == ssrc && packet.extendedSequence == sequence
            && packet.headerBytes == original.left(packet.headerBytes.size())
            && packet.plaintext == testPayload(sequence) && packet.via == arrivalVia
            && original.size() == packet.headerBytes.size() + packet.plaintext.size() + qsizetype(kAeadTagBytes);
        if (!same) {
            qWarning() << "packet" << i << "differs: SSRC" << packet.header.ssrc << "sequence"
                       << packet.extendedSequence << "header" << packet.headerBytes.toHex() << "sent"
                       << original.left(packet.headerBytes.size()).toHex() << "plaintext" << packet.plaintext
                       << "via" << viaName(packet.via);
            return false;
        }
    }
    return true;
}

} // namespace earshot::integration
