#include "EarshotServer.h"

#include "LogCategories.h"

namespace earshot::server {
namespace {

constexpr std::int64_t kRetryAfterShutdownMs = 1000;

QString hostText(const QHostAddress& address)
{
    if (address == QHostAddress(QHostAddress::Any) || address == QHostAddress(QHostAddress::AnyIPv4))
        return QStringLiteral("0.0.0.0");
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QLatin1Char('[') + address.toString() + QLatin1Char(']');
    return address.toString();
}

} // namespace

EarshotServer::EarshotServer(ServerConfig config)
    : m_config(std::move(config))
{
}

EarshotServer::~EarshotServer()
{
    // Connections reference the room service: close the front first.
    m_signalling.reset();
    m_rooms.reset();
}

QString EarshotServer::start()
{
    for (const QString& spec : std::as_const(m_config.appSpecs)) {
        if (QString error = m_apps.addFromSpec(spec); !error.isEmpty())
            return error;
    }
    if (m_apps.size() == 0)
        qCWarning(lcServer) << "no apps configured (--app): every login will be refused";
    m_rooms = std::make_unique<RoomService>(m_config, m_apps, m_counters);
    ClientConnection::Limits limits;
    limits.heartbeatIntervalMs = m_config.heartbeatIntervalMs;
    m_signalling = std::make_unique<SignallingServer>(*m_rooms, m_counters, limits,
                                                      QStringLiteral(EARSHOT_VERSION));
    if (QString error = m_signalling->listen(m_config.listenAddress, m_config.listenPort,
                                             m_config.certificatePath, m_config.privateKeyPath);
        !error.isEmpty())
        return error;
    m_media = std::make_unique<MediaEndpoint>(m_counters);
    if (QString error = m_media->bind(m_config.listenAddress, m_config.mediaPort); !error.isEmpty())
        return error;
    qCInfo(lcServer) << "serving" << m_apps.size() << "app(s)";
    return {};
}

QString EarshotServer::readyLine() const
{
    const QString host = hostText(m_config.listenAddress);
    const bool tls = m_signalling->isSecure();
    return QStringLiteral("earshot-server ready signalling=%1://%2:%3 media=udp://%2:%4 http=%5://%2:%3")
        .arg(tls ? QStringLiteral("wss") : QStringLiteral("ws"), host)
        .arg(m_signalling->port())
        .arg(m_media->port())
        .arg(tls ? QStringLiteral("https") : QStringLiteral("http"));
}

void EarshotServer::shutdown()
{
    qCInfo(lcServer) << "shutting down";
    if (m_signalling)
        m_signalling->shutdown(kRetryAfterShutdownMs);
}

} // namespace earshot::server
