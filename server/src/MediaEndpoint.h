#pragma once

#include "ServerCounters.h"

#include <QHostAddress>
#include <QObject>
#include <QUdpSocket>

namespace earshot::server {

// The server's UDP media port. It is bound at start-up so that clients learn it from the ready
// line and the login; every datagram is counted, and, since media sessions do not exist until
// the media transport binds them, every datagram is dropped as from an unknown session.
// Signalling thread for now; media workers take it over with the media transport.
class MediaEndpoint : public QObject {
    Q_OBJECT

public:
    explicit MediaEndpoint(ServerCounters& counters);

    // Binds address:port (port 0: ephemeral). Returns an empty string on success, else why not.
    QString bind(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_socket.localPort(); }

private:
    void drain();

    ServerCounters& m_counters;
    QUdpSocket m_socket;
};

} // namespace earshot::server
