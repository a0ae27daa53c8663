#include "MediaRouter.h"

#include <earshot/protocol/MediaControl.h>

#include <algorithm>

namespace earshot::server {

using protocol::MediaOpenError;

MediaRouter::Session::Session(std::uint32_t sessionId, const protocol::MediaKeys& keys)
    : id(sessionId)
    , opener(keys.receive)
    , sealer(keys.transmit)
    , controlState(sessionId)
{
}

MediaRouter::MediaRouter(ServerCounters& counters, Output& output)
    : m_counters(counters)
    , m_output(output)
{
}

void MediaRouter::addSession(std::uint32_t mediaSessionId, const protocol::MediaKeys& keys)
{
    removeSession(mediaSessionId);
    m_sessions.emplace(mediaSessionId, std::make_unique<Session>(mediaSessionId, keys));
}

void MediaRouter::removeSession(std::uint32_t mediaSessionId)
{
    const auto it = m_sessions.find(mediaSessionId);
    if (it == m_sessions.end())
        return;
    if (it->second->publishedSsrc != 0)
        removeStream(it->second->publishedSsrc);
    if (it->second->route.kind == MediaRoute::Kind::Udp)
        m_sessionByAddress.erase(it->second->route.address);
    for (auto& [ssrc, stream] : m_streams) {
        auto& subscribers = stream->subscribers;
        subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                         [&](const Subscriber& s) { return s.sessionId == mediaSessionId; }),
                          subscribers.end());
    }
    m_sessions.erase(it);
}

void MediaRouter::addStream(std::uint32_t ssrc, std::uint32_t publisherSessionId, StreamProgress progress)
{
    const auto publisher = m_sessions.find(publisherSessionId);
    if (publisher == m_sessions.end())
        return;
    removeStream(ssrc);
    if (publisher->second->publishedSsrc != 0)
        removeStream(publisher->second->publishedSsrc);
    publisher->second->publishedSsrc = ssrc;
    m_streams.emplace(ssrc, std::make_unique<Stream>(ssrc, publisherSessionId, std::move(progress)));
}

void MediaRouter::removeStream(std::uint32_t ssrc)
{
    const auto it = m_streams.find(ssrc);
    if (it == m_streams.end())
        return;
    if (const auto publisher = m_sessions.find(it->second->publisherSessionId); publisher != m_sessions.end())
        publisher->second->publishedSsrc = 0;
    m_streams.erase(it);
}

void MediaRouter::subscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId)
{
    const auto it = m_streams.find(ssrc);
    if (it == m_streams.end() || m_sessions.count(subscriberSessionId) == 0)
        return;
    auto& subscribers = it->second->subscribers;
    if (std::none_of(subscribers.begin(), subscribers.end(),
                     [&](const Subscriber& s) { return s.sessionId == subscriberSessionId; }))
        subscribers.push_back({subscriberSessionId, false});
}

void MediaRouter::unsubscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId)
{
    const auto it = m_streams.find(ssrc);
    if (it == m_streams.end())
        return;
    auto& subscribers = it->second->subscribers;
    subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                     [&](const Subscriber& s) { return s.sessionId == subscriberSessionId; }),
                      subscribers.end());
}

void MediaRouter::setMuted(std::uint32_t ssrc, std::uint32_t subscriberSessionId, bool muted)
{
    const auto it = m_streams.find(ssrc);
    if (it == m_streams.end())
        return;
    for (Subscriber& subscriber : it->second->subscribers) {
        if (subscriber.sessionId == subscriberSessionId)
            subscriber.muted = muted;
    }
}

std::uint8_t MediaRouter::audioLevel(std::uint32_t ssrc) const
{
    const auto it = m_streams.find(ssrc);
    return it == m_streams.end() ? protocol::kMaxAudioLevel : it->second->audioLevel;
}

void MediaRouter::onUdpPacket(const UdpAddress& source, std::span<const std::uint8_t> packet)
{
    onPacket(&source, 0, packet);
}

void MediaRouter::onWebSocketPacket(std::uint32_t mediaSessionId, std::span<const std::uint8_t> packet)
{
    onPacket(nullptr, mediaSessionId, packet);
}

void MediaRouter::onPacket(const UdpAddress* source, std::uint32_t webSocketSessionId,
                           std::span<const std::uint8_t> packet)
{
    ServerCounters::increment(m_counters.mediaPacketsReceived);
    if (packet.size() > protocol::kMaxMediaPacketBytes)
        return drop(m_counters.mediaDroppedOversized);
    const protocol::RtpParseResult parsed = protocol::RtpHeader::parse(packet);
    if (!parsed.ok() || parsed.payload.size() < protocol::kAeadTagBytes)
        return drop(m_counters.mediaDroppedMalformed);
    const std::uint32_t ssrc = parsed.header.ssrc;

    // Who sent it, as far as the path tells. A WebSocket belongs to the session that logged in
    // on it, so a packet on it for another session's SSRC is refused unopened (even an authentic
    // one relayed by that session must not steer the owner's route). A UDP address is only a
    // hint: ports and NAT mappings get reused, so there the key decides, and the hint only names
    // the reason of a packet that fails to authenticate.
    std::uint32_t knownSender = webSocketSessionId;
    if (source != nullptr) {
        const auto bound = m_sessionByAddress.find(*source);
        knownSender = bound == m_sessionByAddress.end() ? 0 : bound->second;
    }

    if (parsed.header.payloadType == protocol::kMediaControlPayloadType) {
        const auto session = m_sessions.find(ssrc);
        if (session == m_sessions.end())
            return drop(m_counters.mediaDroppedUnknownSsrc);
        if (source == nullptr && knownSender != ssrc)
            return drop(m_counters.mediaDroppedNotOwner);
        return onControlPacket(*session->second, source, parsed, knownSender);
    }

    const auto streamIt = m_streams.find(ssrc);
    if (streamIt == m_streams.end())
        return drop(m_counters.mediaDroppedUnknownSsrc);
    Stream& stream = *streamIt->second;
    if (source == nullptr && knownSender != stream.publisherSessionId)
        return drop(m_counters.mediaDroppedNotOwner);
    const auto publisher = m_sessions.find(stream.publisherSessionId);
    if (publisher == m_sessions.end())
        return drop(m_counters.mediaDroppedUnknownSsrc);

    const protocol::MediaOpenResult opened =
        stream.receiveState.openAndCommit(publisher->second->opener, parsed, m_plaintext);
    if (!opened.ok())
        return dropUnopened(opened.error, knownSender, stream.publisherSessionId);
    // Authenticated: the publisher may have moved (NAT rebinding, or back from the fallback).
    learnRoute(*publisher->second, source);
    if (parsed.header.audioLevel)
        stream.audioLevel = *parsed.header.audioLevel;
    if (stream.progress && opened.extendedSequence > stream.progress->load(std::memory_order_relaxed))
        stream.progress->store(opened.extendedSequence, std::memory_order_relaxed);
    forward(stream, parsed, opened.extendedSequence, {m_plaintext.data(), opened.plaintextSize});
}

void MediaRouter::dropUnopened(protocol::MediaOpenError error, std::uint32_t knownSender, std::uint32_t owner)
{
    if (error == MediaOpenError::Replayed || error == MediaOpenError::SequenceOutOfRange)
        return drop(m_counters.mediaDroppedReplay);
    // Another session's path, and not the owner's key: a peer sending under an SSRC it does
    // not own.
    if (knownSender != 0 && knownSender != owner)
        return drop(m_counters.mediaDroppedNotOwner);
    drop(m_counters.mediaDroppedAuthentication);
}

void MediaRouter::onControlPacket(Session& session, const UdpAddress* source, const protocol::RtpParseResult& parsed,
                                  std::uint32_t knownSender)
{
    const protocol::MediaOpenResult opened = session.controlState.openAndCommit(session.opener, parsed, m_plaintext);
    if (!opened.ok())
        return dropUnopened(opened.error, knownSender, session.id);
    const auto message = protocol::MediaControlMessage::parse({m_plaintext.data(), opened.plaintextSize});
    if (!message || message->type != protocol::MediaControlType::Bind)
        return drop(m_counters.mediaDroppedMalformed);
    ServerCounters::increment(m_counters.mediaBinds);
    learnRoute(session, source);

    // The answer goes back on the path the Bind came by, whatever the session's route, so a
    // client probing UDP while on the fallback learns that UDP works again.
    protocol::RtpHeader header;
    header.payloadType = protocol::kMediaControlPayloadType;
    header.ssrc = session.id;
    header.sequence = static_cast<std::uint16_t>(session.controlSequence);
    std::array<std::uint8_t, protocol::kMediaControlPayloadBytes> payload{};
    const std::size_t payloadBytes =
        protocol::MediaControlMessage{protocol::MediaControlType::BindAck, message->clientTimeUs}.write(payload);
    const std::size_t sealed =
        session.sealer.seal(header, session.controlSequence, {payload.data(), payloadBytes}, m_sealed);
    ++session.controlSequence;
    if (sealed == 0)
        return;
    if (source != nullptr)
        m_output.sendUdp(*source, {m_sealed.data(), sealed});
    else
        m_output.sendWebSocket(session.id, {m_sealed.data(), sealed});
}

void MediaRouter::learnRoute(Session& session, const UdpAddress* source)
{
    if (source == nullptr) {
        if (session.route.kind == MediaRoute::Kind::Udp)
            m_sessionByAddress.erase(session.route.address);
        session.route.kind = MediaRoute::Kind::WebSocket;
        return;
    }
    if (session.route.kind == MediaRoute::Kind::Udp && session.route.address == *source)
        return;
    if (session.route.kind == MediaRoute::Kind::Udp) {
        ServerCounters::increment(m_counters.mediaRebinds);
        m_sessionByAddress.erase(session.route.address);
    }
    // An address another session held (its NAT mapping was reused) now belongs to this one.
    if (const auto previous = m_sessionByAddress.find(*source); previous != m_sessionByAddress.end()) {
        if (const auto other = m_sessions.find(previous->second); other != m_sessions.end())
            other->second->route.kind = MediaRoute::Kind::None;
    }
    session.route.kind = MediaRoute::Kind::Udp;
    session.route.address = *source;
    m_sessionByAddress[*source] = session.id;
}

void MediaRouter::forward(Stream& stream, const protocol::RtpParseResult& parsed, std::uint64_t extendedSequence,
                          std::span<const std::uint8_t> plaintext)
{
    for (const Subscriber& subscriber : stream.subscribers) {
        if (subscriber.muted)
            continue;
        const auto session = m_sessions.find(subscriber.sessionId);
        if (session == m_sessions.end() || session->second->route.kind == MediaRoute::Kind::None) {
            drop(m_counters.mediaDroppedNoRoute);
            continue;
        }
        // Same header, same sequence: the nonce under the subscriber's key is (publisher SSRC,
        // extended sequence), which the replay window lets through at most once.
        const std::size_t sealed = session->second->sealer.seal(parsed.header, extendedSequence, plaintext, m_sealed);
        if (sealed == 0) {
            ServerCounters::increment(m_counters.mediaSendFailures);
            continue;
        }
        send(*session->second, {m_sealed.data(), sealed});
        ServerCounters::increment(m_counters.mediaPacketsForwarded);
    }
}

void MediaRouter::send(const Session& session, std::span<const std::uint8_t> packet)
{
    if (session.route.kind == MediaRoute::Kind::Udp)
        m_output.sendUdp(session.route.address, packet);
    else if (session.route.kind == MediaRoute::Kind::WebSocket)
        m_output.sendWebSocket(session.id, packet);
}

} // namespace earshot::server
