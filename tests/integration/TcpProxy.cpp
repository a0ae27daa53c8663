#include "TcpProxy.h"

#include <QNetworkProxy>
#include <QTimer>

#include <algorithm>

namespace earshot::integration {

TcpProxy::TcpProxy(QObject* parent)
    : QObject(parent)
{
    m_server.setProxy(QNetworkProxy::NoProxy);
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

TcpProxy::~TcpProxy()
{
    cut();
    m_server.close();
}

bool TcpProxy::start(quint16 targetPort)
{
    m_targetPort = targetPort;
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket* accepted = m_server.nextPendingConnection()) {
        ++m_accepted;
        if (m_cut) {
            accepted->abort();
            accepted->deleteLater();
            continue;
        }
        auto link = std::make_unique<Link>();
        link->id = m_accepted;
        link->client.reset(accepted);
        accepted->setParent(nullptr);
        link->upstream = std::make_unique<QTcpSocket>();
        link->upstream->setProxy(QNetworkProxy::NoProxy);
        Link* raw = link.get();
        QTcpSocket* client = raw->client.get();
        QTcpSocket* upstream = raw->upstream.get();
        connect(client, &QTcpSocket::readyRead, this, [this, raw, client, upstream] { relay(*raw, *client, *upstream); });
        connect(upstream, &QTcpSocket::readyRead, this, [this, raw, client, upstream] { relay(*raw, *upstream, *client); });
        // Bytes the client sends before the upstream connects wait in the client socket's buffer.
        connect(upstream, &QTcpSocket::connected, this, [this, raw, client, upstream] { relay(*raw, *client, *upstream); });
        connect(client, &QTcpSocket::disconnected, this, [this, raw, client, upstream] { onSideClosed(*raw, *client, *upstream); });
        connect(client, &QTcpSocket::errorOccurred, this, [this, raw, client, upstream] { onSideClosed(*raw, *client, *upstream); });
        connect(upstream, &QTcpSocket::disconnected, this, [this, raw, client, upstream] { onSideClosed(*raw, *upstream, *client); });
        connect(upstream, &QTcpSocket::errorOccurred, this, [this, raw, client, upstream] { onSideClosed(*raw, *upstream, *client); });
        m_links.push_back(std::move(link));
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpProxy::relay(Link& link, QTcpSocket& from, QTcpSocket& to)
{
    if (link.frozen || to.state() != QAbstractSocket::ConnectedState || from.bytesAvailable() == 0)
        return;
    const QByteArray bytes = from.readAll();
    if (!bytes.isEmpty())
        to.write(bytes);
}

void TcpProxy::onSideClosed(Link& link, QTcpSocket& from, QTcpSocket& to)
{
    if (!link.frozen) {
        // What arrived before the close still goes through, then the close itself.
        relay(link, from, to);
        if (to.state() != QAbstractSocket::UnconnectedState)
            to.disconnectFromHost();
    }
    if (from.state() == QAbstractSocket::UnconnectedState && to.state() == QAbstractSocket::UnconnectedState) {
        // Later: this runs inside one of the link's sockets' signals.
        QTimer::singleShot(0, this, [this, id = link.id] { closeLink(id); });
    }
}

void TcpProxy::closeLink(int id)
{
    const auto found = std::find_if(m_links.begin(), m_links.end(), [id](const auto& l) { return l->id == id; });
    if (found == m_links.end())
        return;
    std::unique_ptr<Link> owned = std::move(*found);
    m_links.erase(found);
    for (QTcpSocket* socket : {owned->client.get(), owned->upstream.get()}) {
        socket->disconnect(this);
        socket->abort();
    }
    // Deleted later: this may run inside one of the sockets' own signals.
    owned->client.release()->deleteLater();
    owned->upstream.release()->deleteLater();
}

void TcpProxy::cut()
{
    m_cut = true;
    while (!m_links.empty())
        closeLink(m_links.front()->id);
}

void TcpProxy::restore()
{
    m_cut = false;
}

void TcpProxy::freeze()
{
    for (const auto& link : m_links)
        link->frozen = true;
}

int TcpProxy::openConnectionCount() const
{
    return int(m_links.size());
}

} // namespace earshot::integration
