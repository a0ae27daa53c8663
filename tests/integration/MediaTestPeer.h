#pragma once

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaPacketCrypto.h>
#include <earshot/protocol/RtpHeader.h>

#include <QByteArray>
#include <QObject>
#include <QUdpSocket>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace earshot::integration {

class TestClient;

// How a media packet travelled: a UDP datagram or a binary frame on the signalling WebSocket.
enum class MediaVia { Udp, WebSocket };

// One packet the peer received and opened with its receive key.
struct ReceivedMedia {
    protocol::RtpHeader header;
    QByteArray headerBytes; // the RTP header exactly as received (the AEAD's additional data)
    QByteArray plaintext;
    std::uint64_t extendedSequence = 0;
    MediaVia via = MediaVia::Udp;
};

// A protocol-level media client for the integration tests: it speaks the media path of
// DESIGN.md §4 with the keys of a logged-in TestClient (KeyExchange::clientKeys), without the
// engine. It binds (MediaControl.h), seals and sends RTP packets, and opens what the server
// forwards, by UDP from its own socket or as binary frames on the TestClient's WebSocket.
//
// It keeps the sender's state a real client keeps (its control sequence, one replay window per
// received SSRC), so replacing the socket (rebindSocket) plays a NAT rebinding of one client.
// Every datagram or frame that arrives is counted, opened or not, so expectNoMedia() also
// catches a forwarded packet that the peer's own replay window would have dropped.
// Test thread only; must not outlive its TestClient.
class MediaTestPeer : public QObject {
    Q_OBJECT

public:
    static constexpr int kDefaultTimeoutMs = 5000;
    static constexpr int kBindRetryMs = 200;

    // `client` must be logged in. Media goes to udp://127.0.0.1:mediaPort (the hello's
    // mediaPort when 0). `via` is the path Binds and media are sent on (setSendVia changes it).
    explicit MediaTestPeer(TestClient& client, quint16 mediaPort = 0, MediaVia via = MediaVia::Udp);
    ~MediaTestPeer() override;

    // False (after a warning) when the client had no usable keys; every other call then fails.
    bool isValid() const { return m_sealer != nullptr; }

    void setSendVia(MediaVia via) { m_sendVia = via; }
    MediaVia sendVia() const { return m_sendVia; }
    quint16 localPort() const { return m_socket ? m_socket->localPort() : 0; }

    // Sends Binds every kBindRetryMs on the send path until a BindAck arrives (on any path);
    // returns the round-trip time in microseconds, nullopt (with a warning) on timeout.
    std::optional<std::int64_t> bind(int timeoutMs = kDefaultTimeoutMs);
    // Sends one Bind without waiting.
    void sendBind();
    int bindAckCount() const { return m_bindAcks; }
    MediaVia lastBindAckVia() const { return m_lastBindAckVia; }

    // Seals one Opus-typed packet without sending it. `extendedSequence` is the packet's index in
    // its stream (the header carries its low 16 bits); timestamp = 960 × index.
    QByteArray sealMedia(std::uint32_t ssrc, std::uint64_t extendedSequence, const QByteArray& payload,
                         std::optional<std::uint8_t> audioLevel = std::nullopt, bool voiceActivity = false) const;
    // Seals and sends it on the send path; returns the datagram as sent (to replay or corrupt).
    QByteArray sendMedia(std::uint32_t ssrc, std::uint64_t extendedSequence, const QByteArray& payload,
                         std::optional<std::uint8_t> audioLevel = std::nullopt, bool voiceActivity = false);
    // Sends bytes exactly as given on the send path.
    void sendRaw(const QByteArray& bytes);

    // Takes the oldest opened media packet, waiting up to timeoutMs; nullopt (with a warning)
    // when none came.
    std::optional<ReceivedMedia> waitForMedia(int timeoutMs = kDefaultTimeoutMs);
    // Takes `count` packets in arrival order; fewer when they stop coming within timeoutMs each.
    std::vector<ReceivedMedia> waitForMedia(int count, int timeoutMs);
    // Runs the event loop for durationMs (returning early on arrival) and says whether no
    // media-typed datagram or frame arrived in that time, whether or not it opened (packets
    // queued before are not looked at). Prints what came.
    [[nodiscard]] bool expectNoMedia(int durationMs);
    // Forgets queued packets and arrival counts.
    void clear();
    // Opens `ssrc` as a player that joined a running stream: packets are placed nearest to
    // `highestSequence` (PlayReply::highestSequence), as the engine's transport does.
    void joinStream(std::uint32_t ssrc, std::uint64_t highestSequence);

    // Replaces the UDP socket with a fresh one on a new port (a NAT rebinding); the old socket
    // stays open and what still arrives on it is counted in staleSocketDatagrams().
    void rebindSocket();
    int staleSocketDatagrams() const { return m_staleDatagrams; }
    // Packets that arrived but did not open (any reason).
    int openFailures() const { return m_openFailures; }

private:
    void readDatagrams();
    void onPacket(const QByteArray& packet, MediaVia via);
    void onBinaryFrame(const QByteArray& frame);
    QByteArray seal(const protocol::RtpHeader& header, std::uint64_t extendedSequence,
                    const QByteArray& payload) const;
    static std::int64_t nowUs();

    TestClient& m_client;
    quint16 m_mediaPort = 0;
    MediaVia m_sendVia = MediaVia::Udp;
    std::uint32_t m_mediaSessionId = 0;
    std::unique_ptr<protocol::MediaPacketSealer> m_sealer;
    std::unique_ptr<protocol::MediaPacketOpener> m_opener;
    std::unique_ptr<QUdpSocket> m_socket;
    std::vector<std::unique_ptr<QUdpSocket>> m_staleSockets;
    int m_staleDatagrams = 0;

    protocol::MediaReceiverState m_controlState{0};
    std::uint64_t m_controlSequence = 0;
    std::map<std::uint32_t, protocol::MediaReceiverState> m_receivers;
    std::deque<ReceivedMedia> m_media;
    int m_arrivals = 0; // media-typed packets since clear(), opened or not
    int m_openFailures = 0;
    int m_bindAcks = 0;
    MediaVia m_lastBindAckVia = MediaVia::Udp;
    std::optional<std::int64_t> m_lastRttUs;
};

// A distinct payload per packet index, of varying size, like Opus frames.
QByteArray testPayload(std::uint64_t index);

// `from` sends `count` packets of stream `ssrc` with extended sequences first.. and
// testPayload(); `to` must take exactly those next, in order, by `arrivalVia`, with the RTP
// header bytes as sent and the same plaintext. Warns about the first difference and returns
// false otherwise.
[[nodiscard]] bool deliverMedia(MediaTestPeer& from, std::uint32_t ssrc, std::uint64_t first, int count,
                                MediaTestPeer& to, MediaVia arrivalVia = MediaVia::Udp,
                                std::optional<std::uint8_t> audioLevel = std::nullopt);

} // namespace earshot::integration
