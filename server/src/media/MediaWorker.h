#pragma once

#include "MediaRouter.h"
#include "ServerCounters.h"
#include "UdpSocket.h"

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QThread>

#include <memory>
#include <string>

namespace earshot::server {

// A media worker: one thread that owns the UDP socket and the MediaRouter, receiving in
// batches (recvmmsg) and sending each batch's copies in one go (sendmmsg).
//
// Thread contract: the public methods are called on the signalling thread and only post a
// message to the worker thread (queued invocation); the router and socket are touched only
// there. Packets for sessions on the WebSocket fallback come back to the signalling thread
// through the queued signal webSocketPacket. Keys travel inside the posted messages, so no
// state is shared between the threads except the atomic counters.
class MediaWorker : public QObject {
    Q_OBJECT

public:
    explicit MediaWorker(ServerCounters& counters);
    ~MediaWorker() override;

    // Binds the socket and starts the thread. Empty string on success, else why not.
    std::string start(const std::string& host, std::uint16_t port);
    std::uint16_t port() const { return m_port; }

    void addSession(std::uint32_t mediaSessionId, std::shared_ptr<const protocol::MediaKeys> keys);
    void removeSession(std::uint32_t mediaSessionId);
    void addStream(std::uint32_t ssrc, std::uint32_t publisherSessionId, MediaRouter::StreamProgress progress);
    void removeStream(std::uint32_t ssrc);
    void subscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId);
    void unsubscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId);
    void setMuted(std::uint32_t ssrc, std::uint32_t subscriberSessionId, bool muted);
    // A binary frame that arrived on the WebSocket of a logged-in session.
    void ingestWebSocketPacket(std::uint32_t mediaSessionId, const QByteArray& packet);

signals:
    // Emitted on the worker thread; connect with a queued connection.
    void webSocketPacket(quint32 mediaSessionId, const QByteArray& packet);

private:
    class Output;
    void post(std::function<void()> task);
    void drainSocket();

    ServerCounters& m_counters;
    std::unique_ptr<UdpSocket> m_socket;
    std::unique_ptr<Output> m_output;
    std::unique_ptr<MediaRouter> m_router;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QObject m_context; // lives on the worker thread; queued tasks run in its context
    QThread m_thread;
    std::uint16_t m_port = 0;
};

} // namespace earshot::server
