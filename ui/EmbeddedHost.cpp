#include "EmbeddedHost.h"

#include <EarshotServer.h>
#include <ServerConfig.h>

#include <QNetworkInterface>
#include <QRegularExpression>

namespace earshot::ui {

EmbeddedHost::EmbeddedHost(QObject* parent)
    : QObject(parent)
{
}

EmbeddedHost::~EmbeddedHost()
{
    stop();
}

QString EmbeddedHost::start(const Config& config)
{
    stop();
    m_config = config;
    QString error = tryStart(config.port, config.port == 0 ? 0 : quint16(config.port + 1));
    if (!error.isEmpty() && config.fallBackToAnyPort && config.port != 0)
        error = tryStart(0, 0); // another host (or a second instance) has the usual ports
    return error;
}

QString EmbeddedHost::tryStart(quint16 port, quint16 mediaPort)
{
    server::ServerConfig serverConfig;
    serverConfig.listenAddress = m_config.listenAddress;
    serverConfig.listenPort = port;
    serverConfig.mediaPort = mediaPort;
    serverConfig.appSpecs
        = QStringList { QStringLiteral("%1:%2:%3").arg(kAppId).arg(m_config.appSign, m_config.serverSecret) };
    auto server = std::make_unique<server::EarshotServer>(serverConfig);
    if (QString error = server->start(); !error.isEmpty())
        return error;
    // The ready line is the server's one statement of the ports it bound (0 asks for any).
    static const QRegularExpression kSignalling(QStringLiteral("signalling=wss?://[^ ]*:(\\d+)"));
    const QRegularExpressionMatch match = kSignalling.match(server->readyLine());
    m_port = match.hasMatch() ? quint16(match.captured(1).toUInt()) : port;
    m_server = std::move(server);
    return {};
}

void EmbeddedHost::stop()
{
    if (!m_server)
        return;
    m_server->shutdown();
    m_server.reset();
    m_port = 0;
}

QUrl EmbeddedHost::localUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_port));
}

QList<QUrl> EmbeddedHost::networkUrls() const
{
    QList<QUrl> urls;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface& interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry& entry : interface.addressEntries()) {
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol)
                urls.append(QUrl(QStringLiteral("ws://%1:%2/").arg(entry.ip().toString()).arg(m_port)));
        }
    }
    if (urls.isEmpty())
        urls.append(localUrl());
    return urls;
}

} // namespace earshot::ui
