#pragma once

#include "MediaRoute.h"
#include "ServerCounters.h"
#include "UdpAddress.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaPacketCrypto.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

namespace earshot::server {

// The forwarding table and the per-packet work of the server's media path, without sockets:
// it authenticates each incoming packet with its sender's key, checks replay and ownership,
// and re-seals it with each subscriber's key for the route that subscriber is reachable on.
//
// Ownership: one MediaRouter per media worker, used only on that worker's thread. Routing
// changes (sessions, streams, subscriptions) arrive as calls made on that thread by the worker,
// which receives them as queued messages from the signalling thread; nothing here is shared.
// The per-packet path allocates nothing once tables and buffers have grown to size.
class MediaRouter {
public:
    // Receives each outgoing packet; the span is valid only during the call.
    struct Output {
        virtual ~Output() = default;
        virtual void sendUdp(const UdpAddress& address, std::span<const std::uint8_t> packet) = 0;
        virtual void sendWebSocket(std::uint32_t mediaSessionId, std::span<const std::uint8_t> packet) = 0;
    };

    MediaRouter(ServerCounters& counters, Output& output);

    void addSession(std::uint32_t mediaSessionId, const protocol::MediaKeys& keys);
    void removeSession(std::uint32_t mediaSessionId); // also its stream and its subscriptions
    // `progress` receives the newest extended sequence forwarded; the signalling thread reads it
    // (relaxed) to tell late joiners where the stream is (PlayReply::highestSequence).
    using StreamProgress = std::shared_ptr<std::atomic<std::uint64_t>>;
    void addStream(std::uint32_t ssrc, std::uint32_t publisherSessionId, StreamProgress progress = {});
    void removeStream(std::uint32_t ssrc);
    void subscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId);
    void unsubscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId);
    void setMuted(std::uint32_t ssrc, std::uint32_t subscriberSessionId, bool muted);

    // One datagram from the UDP socket (hostile input).
    void onUdpPacket(const UdpAddress& source, std::span<const std::uint8_t> packet);
    // One binary frame from a logged-in session's WebSocket (hostile input).
    void onWebSocketPacket(std::uint32_t mediaSessionId, std::span<const std::uint8_t> packet);

    // The latest RFC 6464 level of a stream (0 loud .. 127 silent), read in the clear from the
    // header extension; 127 when unknown. For active-speaker selection.
    std::uint8_t audioLevel(std::uint32_t ssrc) const;
    std::size_t sessionCount() const { return m_sessions.size(); }
    std::size_t streamCount() const { return m_streams.size(); }

private:
    struct Session {
        std::uint32_t id = 0;
        protocol::MediaPacketOpener opener;
        protocol::MediaPacketSealer sealer;
        protocol::MediaReceiverState controlState;
        std::uint64_t controlSequence = 0; // our BindAcks, under this session's transmit key
        MediaRoute route;
        std::uint32_t publishedSsrc = 0;
        Session(std::uint32_t sessionId, const protocol::MediaKeys& keys);
    };
    struct Subscriber {
        std::uint32_t sessionId = 0;
        bool muted = false;
    };
    struct Stream {
        std::uint32_t ssrc = 0;
        std::uint32_t publisherSessionId = 0;
        protocol::MediaReceiverState receiveState;
        std::vector<Subscriber> subscribers;
        std::uint8_t audioLevel = 127;
        StreamProgress progress;
        Stream(std::uint32_t streamSsrc, std::uint32_t publisher, StreamProgress streamProgress)
            : ssrc(streamSsrc), publisherSessionId(publisher), receiveState(streamSsrc),
              progress(std::move(streamProgress)) {}
    };

    // `source` is the UDP address, or null for the WebSocket of `webSocketSessionId`.
    void onPacket(const UdpAddress* source, std::uint32_t webSocketSessionId,
                  std::span<const std::uint8_t> packet);
    void onControlPacket(Session& session, const UdpAddress* source, const protocol::RtpParseResult& parsed,
                         std::uint32_t knownSender);
    // Counts a packet that did not open under the reason that explains it best.
    void dropUnopened(protocol::MediaOpenError error, std::uint32_t knownSender, std::uint32_t owner);
    void forward(Stream& stream, const protocol::RtpParseResult& parsed, std::uint64_t extendedSequence,
                 std::span<const std::uint8_t> plaintext);
    void learnRoute(Session& session, const UdpAddress* source);
    void send(const Session& session, std::span<const std::uint8_t> packet);
    void drop(std::atomic<std::uint64_t>& counter) { ServerCounters::increment(counter); }

    ServerCounters& m_counters;
    Output& m_output;
    std::unordered_map<std::uint32_t, std::unique_ptr<Session>> m_sessions;
    std::unordered_map<std::uint32_t, std::unique_ptr<Stream>> m_streams;
    std::unordered_map<UdpAddress, std::uint32_t, UdpAddressHash> m_sessionByAddress;
    std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> m_plaintext{};
    std::array<std::uint8_t, protocol::kMaxMediaPacketBytes> m_sealed{};
};

} // namespace earshot::server
