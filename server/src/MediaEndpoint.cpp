#include "MediaEndpoint.h"

#include "LogCategories.h"

namespace earshot::server {

MediaEndpoint::MediaEndpoint(ServerCounters& counters)
    : m_counters(counters)
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &MediaEndpoint::drain);
}

QString MediaEndpoint::bind(const QHostAddress& address, quint16 port)
{
    if (!m_socket.bind(address, port))
        return QStringLiteral("cannot bind the media port %1: %2").arg(port).arg(m_socket.errorString());
    return {};
}

void MediaEndpoint::drain()
{
    char buffer[2048];
    while (m_socket.hasPendingDatagrams()) {
        if (m_socket.readDatagram(buffer, sizeof buffer) < 0)
            break;
        ServerCounters::increment(m_counters.mediaDatagramsReceived);
        ServerCounters::increment(m_counters.mediaDatagramsDroppedUnknownSession);
    }
}

} // namespace earshot::server
