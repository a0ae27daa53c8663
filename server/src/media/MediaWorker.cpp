#include "MediaWorker.h"

#include "LogCategories.h"

#include <QMetaObject>

namespace earshot::server {

// Sends through the worker's socket, or hands fallback packets to the signalling thread.
class MediaWorker::Output final : public MediaRouter::Output {
public:
    Output(MediaWorker& worker, UdpSocket& socket)
        : m_worker(worker)
        , m_socket(socket)
    {
    }

    void sendUdp(const UdpAddress& address, std::span<const std::uint8_t> packet) override
    {
        m_socket.queue(address, packet);
    }

    void sendWebSocket(std::uint32_t mediaSessionId, std::span<const std::uint8_t> packet) override
    {
        emit m_worker.webSocketPacket(mediaSessionId, QByteArray(reinterpret_cast<const char*>(packet.data()),
                                                                 qsizetype(packet.size())));
    }

private:
    MediaWorker& m_worker;
    UdpSocket& m_socket;
};

MediaWorker::MediaWorker(ServerCounters& counters)
    : m_counters(counters)
    , m_socket(std::make_unique<UdpSocket>())
{
    m_output = std::make_unique<Output>(*this, *m_socket);
    m_router = std::make_unique<MediaRouter>(m_counters, *m_output);
    m_thread.setObjectName(QStringLiteral("earshot-media"));
}

MediaWorker::~MediaWorker()
{
    if (m_thread.isRunning()) {
        // The notifier belongs to the worker thread: delete it there before the thread ends.
        QMetaObject::invokeMethod(&m_context, [this] { m_notifier.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
}

std::string MediaWorker::start(const std::string& host, std::uint16_t port)
{
    if (std::string error = m_socket->bind(host, port); !error.empty())
        return error;
    m_port = m_socket->localPort();
    if (m_socket->receiveBufferBytes() < UdpSocket::kSocketBufferBytes)
        qCWarning(lcMedia) << "the media socket's receive buffer is" << m_socket->receiveBufferBytes()
                           << "bytes; raise net.core.rmem_max to ride out bursts";
    m_context.moveToThread(&m_thread);
    m_thread.start();
    post([this] {
        m_notifier = std::make_unique<QSocketNotifier>(m_socket->fd(), QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(), [this] { drainSocket(); });
    });
    return {};
}

void MediaWorker::post(std::function<void()> task)
{
    QMetaObject::invokeMethod(&m_context, std::move(task), Qt::QueuedConnection);
}

void MediaWorker::drainSocket()
{
    // Bounded per wake-up so routing messages queued meanwhile are not starved.
    for (int round = 0; round < 16; ++round) {
        const auto batch = m_socket->receiveBatch();
        if (const std::size_t oversized = m_socket->takeOversizedCount(); oversized != 0) {
            m_counters.mediaPacketsReceived.fetch_add(oversized, std::memory_order_relaxed);
            m_counters.mediaDroppedOversized.fetch_add(oversized, std::memory_order_relaxed);
        }
        if (batch.empty())
            break;
        for (const UdpSocket::Datagram& datagram : batch)
            m_router->onUdpPacket(datagram.address, datagram.bytes);
        const std::size_t failed = m_socket->flush();
        if (failed != 0)
            m_counters.mediaSendFailures.fetch_add(failed, std::memory_order_relaxed);
        // A short batch emptied the queue: another recvmmsg would only find nothing.
        if (batch.size() < UdpSocket::kBatchSize)
            break;
    }
}

void MediaWorker::addSession(std::uint32_t mediaSessionId, std::shared_ptr<const protocol::MediaKeys> keys)
{
    post([this, mediaSessionId, keys = std::move(keys)] { m_router->addSession(mediaSessionId, *keys); });
}

void MediaWorker::removeSession(std::uint32_t mediaSessionId)
{
    post([this, mediaSessionId] { m_router->removeSession(mediaSessionId); });
}

void MediaWorker::addStream(std::uint32_t ssrc, std::uint32_t publisherSessionId,
                            MediaRouter::StreamProgress progress)
{
    post([this, ssrc, publisherSessionId, progress = std::move(progress)] {
        m_router->addStream(ssrc, publisherSessionId, progress);
    });
}

void MediaWorker::removeStream(std::uint32_t ssrc)
{
    post([this, ssrc] { m_router->removeStream(ssrc); });
}

void MediaWorker::subscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId)
{
    post([this, ssrc, subscriberSessionId] { m_router->subscribe(ssrc, subscriberSessionId); });
}

void MediaWorker::unsubscribe(std::uint32_t ssrc, std::uint32_t subscriberSessionId)
{
    post([this, ssrc, subscriberSessionId] { m_router->unsubscribe(ssrc, subscriberSessionId); });
}

void MediaWorker::setMuted(std::uint32_t ssrc, std::uint32_t subscriberSessionId, bool muted)
{
    post([this, ssrc, subscriberSessionId, muted] { m_router->setMuted(ssrc, subscriberSessionId, muted); });
}

void MediaWorker::ingestWebSocketPacket(std::uint32_t mediaSessionId, const QByteArray& packet)
{
    post([this, mediaSessionId, packet] {
        m_router->onWebSocketPacket(mediaSessionId, {reinterpret_cast<const std::uint8_t*>(packet.constData()),
                                                     std::size_t(packet.size())});
        const std::size_t failed = m_socket->flush();
        if (failed != 0)
            m_counters.mediaSendFailures.fetch_add(failed, std::memory_order_relaxed);
    });
}

} // namespace earshot::server
