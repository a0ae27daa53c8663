#pragma once

#include "net/FallbackChannel.h"
#include "net/MediaPacketSink.h"
#include "net/MediaPath.h"
#include "net/MediaTransportConfig.h"
#include "net/ReceiverStatistics.h"
#include "net/TransportCounters.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaPacketCrypto.h>
#include <earshot/protocol/SignalTypes.h>

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUdpSocket>

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>

class QHostInfo;

namespace earshot::net {

// The client's media transport (DESIGN.md §2, §4): carries sealed media packets between this
// client and the server, over UDP when it gets through and as binary frames on the signalling
// WebSocket (FallbackChannel) when it does not.
//
// Binding: after login the transport sends Bind control packets (MediaControl.h), sealed under
// the session's transmit key, to the server's media port. An authenticated Bind is what proves
// the session, and the server learns the client's address from it, so the next keepalive Bind
// after a NAT rebinding moves the route. The first BindAck over UDP makes the path Udp; if none
// comes within udpGiveUpMs (or UDP is disallowed, or a working path stops answering for that
// long) the path becomes WebSocket: Binds then go on the WebSocket, which tells the server to
// route media there, while a UDP probe goes out every probeIntervalMs and the first BindAck
// over UDP moves the path back. RTT is measured from the time each BindAck echoes.
//
// Receiving: packets are accepted from both paths at any time (UDP datagrams only from the
// server's address and port). Control packets must carry our media session ID as SSRC; media
// packets only an SSRC registered with addIncomingStream(). Everything is authenticated and
// replay-checked before anything is recorded; whatever fails is dropped and counted, never
// thrown or asserted (hostile input).
//
// Thread ownership: owned by the media thread; every method is called on that thread (the one
// this QObject lives on), and the signals are emitted there. The per-packet paths use the
// preallocated buffers below and allocate nothing themselves, except the QByteArray of a
// fallback frame (and whatever QUdpSocket does inside).
class MediaTransport : public QObject {
    Q_OBJECT

public:
    // `keys`: the media keys of this login (KeyExchange::clientKeys); copied into guarded memory
    // and zeroed with the argument. All-zero keys make every seal and open fail (counted).
    // `fallback` and `sink` must outlive the transport. Thread: the media thread. Does not start.
    MediaTransport(MediaTransportConfig config, protocol::MediaKeys keys, FallbackChannel& fallback,
                   MediaPacketSink& sink, QObject* parent = nullptr);
    ~MediaTransport() override;

    MediaTransport(const MediaTransport&) = delete;
    MediaTransport& operator=(const MediaTransport&) = delete;

    // Starts binding: path Connecting (or WebSocket at once under UdpPolicy::WebSocketOnly, or
    // when no UDP socket can be opened). A host name is resolved first, asynchronously (IPv4
    // preferred); a name that does not resolve leaves UDP silent, so the fallback takes over
    // after udpGiveUpMs and the lookup is retried every probeIntervalMs.
    // No-op unless Closed. May be called again after stop(): sequence counters and replay
    // windows carry on (the keys are the same, so no nonce is ever reused). Thread: media thread.
    void start();

    // Closes the UDP socket, stops every timer, path Closed. Registered streams and their
    // statistics are kept. No-op when already Closed. Thread: media thread.
    void stop();

    // Seals and sends one media packet on the current path. The transport owns the sequence:
    // `header.sequence` is replaced by the low 16 bits of a 48-bit counter kept per SSRC, from 0.
    // Returns false, and counts why in counters(), when the packet was not sent: path Connecting
    // or Closed; payload type kMediaControlPayloadType or the session's own SSRC (reserved for
    // control packets); header invalid or packet above kMaxMediaPacketBytes; the UDP socket
    // refused it. Never throws; allocates only the first time an SSRC is seen (and the frame on
    // the WebSocket path). Thread: media thread.
    bool sendMedia(const protocol::RtpHeader& header, std::span<const std::uint8_t> payload);

    // One binary frame that arrived on the signalling WebSocket (hostile input: anything is
    // dropped and counted). Thread: media thread (the WebSocket owner forwards it there).
    void onFallbackFrame(const QByteArray& frame);

    // Accepts media with this SSRC from now on, reported as `streamId`.
    // `highestSequence`: the play reply's PlayReply::highestSequence, the newest extended
    // sequence the server forwarded (0 when playing from the stream's first packet); packets
    // are placed nearest to it, so joining a stream that already wrapped its 16-bit sequence
    // works (SequenceUnwrapper::startingNear). Registering a
    // registered SSRC only renames it. SSRC 0 and the session's own ID are refused (ignored).
    // A stream removed and registered again keeps its replay window, so packets captured before
    // cannot be replayed into the new registration. Thread: media thread.
    void addIncomingStream(std::uint32_t ssrc, const QString& streamId, std::uint64_t highestSequence = 0);
    // Drops media with this SSRC from now on (counted as unknown). Unknown SSRCs are ignored.
    // Thread: media thread.
    void removeIncomingStream(std::uint32_t ssrc);

    // One receiver report per registered stream, with the current RTT; starts a new interval
    // for each stream's fraction lost, so use either this or reportsReady(), not both.
    // The owner sends them in a MediaReportEvent. Thread: media thread.
    [[nodiscard]] QList<protocol::ReceiverReport> takeReports();

    // The statistics of a registered stream, for quality callbacks; null when not registered.
    // Valid until the stream is removed. Thread: media thread.
    [[nodiscard]] const ReceiverStatistics* statistics(std::uint32_t ssrc) const;

    // Accessors, media thread only; none can fail.
    [[nodiscard]] MediaPath path() const noexcept { return m_path; }
    // Smoothed round-trip time of the current path in milliseconds, -1 while unknown (reset
    // when the path changes).
    [[nodiscard]] std::int32_t rttMs() const noexcept;
    [[nodiscard]] const TransportCounters& counters() const noexcept { return m_counters; }
    // The local UDP port, 0 while no socket is open (diagnostics and tests).
    [[nodiscard]] quint16 localPort() const;

signals:
    // The path changed (including to Connecting on start() and Closed on stop()).
    void pathChanged(earshot::net::MediaPath path);
    // Every statsReportIntervalMs while started, when streams are registered: as takeReports().
    void reportsReady(const QList<earshot::protocol::ReceiverReport>& reports);

private:
    enum class Via { Udp, WebSocket };

    struct IncomingStream {
        QString streamId;
        protocol::MediaReceiverState receiverState;
        ReceiverStatistics statistics;
    };

    void resolveServer();
    void onHostResolved(const QHostInfo& info);
    void openSocket();
    void onReadyRead();
    void onBindTimer();
    void onProbeTimer();
    void onUdpSilence();
    void onReportTimer();

    void enterUdp();
    void enterWebSocket();
    void setPath(MediaPath path);

    void processPacket(std::span<const std::uint8_t> packet, Via via);
    void processControl(const protocol::RtpParseResult& parsed, Via via);
    void onBindAck(std::uint64_t echoedTimeUs, Via via);
    void countOpenFailure(protocol::MediaOpenError error);
    void sendBind(Via via);
    bool transmit(std::size_t sealedBytes, Via via);
    [[nodiscard]] bool udpReady() const;
    [[nodiscard]] std::int64_t nowUs() const { return m_clock.nsecsElapsed() / 1000; }

    MediaTransportConfig m_config;
    protocol::MediaPacketSealer m_sealer;
    protocol::MediaPacketOpener m_opener;
    FallbackChannel& m_fallback;
    MediaPacketSink& m_sink;

    // Children of this object (parent set in the constructor), so moveToThread() takes them along.
    QUdpSocket m_socket;
    QTimer m_bindTimer;   // Binds on the current path: bindRetryMs while Connecting, else keepalive
    QTimer m_probeTimer;  // UDP probes while on the WebSocket
    QTimer m_udpSilence;  // single shot: no BindAck over UDP for udpGiveUpMs
    QTimer m_reportTimer;
    QElapsedTimer m_clock;

    QHostAddress m_serverAddress;  // null until known
    QHostAddress m_datagramSender; // reused for every datagram: a QHostAddress allocates when made
    int m_hostLookupId = -1;
    MediaPath m_path = MediaPath::Closed;

    protocol::MediaReceiverState m_controlState; // the server's BindAcks
    std::uint64_t m_controlSequence = 0;          // our Binds, under the transmit key
    std::unordered_map<std::uint32_t, std::uint64_t> m_outgoingSequences; // next per SSRC
    std::unordered_map<std::uint32_t, IncomingStream> m_incoming;
    // Receiver states of removed streams, so a re-registered SSRC cannot be replayed into.
    std::unordered_map<std::uint32_t, protocol::MediaReceiverState> m_retiredStates;

    std::int64_t m_smoothedRttUs = -1;
    TransportCounters m_counters;

    // One byte more than the largest packet, so an oversized datagram shows in its length.
    std::array<std::uint8_t, protocol::kMaxMediaPacketBytes + 1> m_receiveBuffer{};
    std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> m_plaintext{};
    std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> m_sendBuffer{};
};

} // namespace earshot::net
