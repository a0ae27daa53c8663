#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace earshot::integration {

// A loopback TCP relay between a client and a server that a test can break on purpose, like a
// network cable: cut() drops every connection and refuses new ones until restore(); freeze()
// keeps the connections open but stops carrying bytes on them (a half-dead path only a heartbeat
// notices), while new connections work. setTargetPort() points later connections at another
// server (a restarted one). Test thread only.
class TcpProxy : public QObject {
    Q_OBJECT

public:
    explicit TcpProxy(QObject* parent = nullptr);
    ~TcpProxy() override;

    // Listens on 127.0.0.1 with an ephemeral port and relays to 127.0.0.1:targetPort.
    [[nodiscard]] bool start(quint16 targetPort);
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    void setTargetPort(quint16 targetPort) { m_targetPort = targetPort; }

    // Aborts every relayed connection; new ones are accepted and closed at once until restore().
    void cut();
    void restore();
    // Relayed connections stop carrying bytes (both ways) and stay open; new ones relay normally.
    void freeze();

    // Connections currently relayed, and all ever accepted.
    [[nodiscard]] int openConnectionCount() const;
    [[nodiscard]] int acceptedConnectionCount() const { return m_accepted; }

private:
    struct Link {
        int id = 0;
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> upstream;
        bool frozen = false;
    };

    void onNewConnection();
    void relay(Link& link, QTcpSocket& from, QTcpSocket& to);
    void onSideClosed(Link& link, QTcpSocket& from, QTcpSocket& to);
    void closeLink(int id);

    QTcpServer m_server;
    quint16 m_targetPort = 0;
    bool m_cut = false;
    int m_accepted = 0;
    std::vector<std::unique_ptr<Link>> m_links;
};

} // namespace earshot::integration
