#pragma once

#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <memory>

namespace earshot::server {
class EarshotServer;
}

namespace earshot::ui {

// "Host a room on this computer": an earshot-server running inside the app (the server library,
// on the GUI thread's event loop, as earshot-server's main runs it) with one app registered,
// so the app and others on the network can join without setting anything up.
//
// Thread: the GUI thread.
class EmbeddedHost : public QObject {
    Q_OBJECT

public:
    // The AppID the embedded host registers: one app per host, so any fixed number will do.
    static constexpr std::uint32_t kAppId = 1;

    struct Config {
        QHostAddress listenAddress = QHostAddress(QHostAddress::Any);
        quint16 port = 7400;     // signalling and HTTP; the media (UDP) port is the next one
        bool fallBackToAnyPort = true; // when the port is taken, let the system choose
        QString appSign;         // 64 hex digits
        QString serverSecret;    // 64 hex digits
    };

    explicit EmbeddedHost(QObject* parent = nullptr);
    ~EmbeddedHost() override;

    // Starts the server; empty on success, else why not (the server's own sentence, English).
    [[nodiscard]] QString start(const Config& config);
    // Tells connected clients and closes the server.
    void stop();
    [[nodiscard]] bool isRunning() const { return m_server != nullptr; }

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString appSign() const { return m_config.appSign; }
    // The address this app joins: ws://127.0.0.1:PORT/.
    [[nodiscard]] QUrl localUrl() const;
    // The addresses others on the network can join, one per non-loopback IPv4 interface
    // (the local URL when there is none).
    [[nodiscard]] QList<QUrl> networkUrls() const;

private:
    [[nodiscard]] QString tryStart(quint16 port, quint16 mediaPort);

    Config m_config;
    std::unique_ptr<server::EarshotServer> m_server;
    quint16 m_port = 0;
};

} // namespace earshot::ui
