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
    // Connections reference the room service, which references the media worker: tear down
    // from the front.
    m_signalling.reset();
    m_rooms.reset();
    m_media.reset();
}

QString EarshotServer::start()
{
    for (const QString& spec : std::as_const(m_config.appSpecs)) {
        if (QString error = m_apps.addFromSpec(spec); !error.isEmpty())
            return error;
    }
    if (m_apps.size() == 0)
        qCWarning(lcServer) << "no apps configured (--app): every login will be refused";
    m_media = std::make_unique<MediaWorker>(m_counters);
    const QHostAddress& address = m_config.listenAddress;
    const std::string mediaHost = address == QHostAddress(QHostAddress::Any) ? std::string("0.0.0.0")
        : address == QHostAddress(QHostAddress::AnyIPv6)                     ? std::string("::")
                                                                             : address.toString().toStdString();
    if (std::string error = m_media->start(mediaHost, m_config.mediaPort); !error.empty())
        return QStringLiteral("cannot open the media port %1: %2").arg(m_config.mediaPort).arg(QString::fromStdString(error));
    m_rooms = std::make_unique<RoomService>(m_config, m_apps, m_counters, *m_media);
    QObject::connect(m_media.get(), &MediaWorker::webSocketPacket, m_rooms.get(),
                     [rooms = m_rooms.get()](quint32 mediaSessionId, const QByteArray& packet) {
                         rooms->sendMediaFrame(mediaSessionId, packet);
                     });
    ClientConnection::Limits limits;
    limits.heartbeatIntervalMs = m_config.heartbeatIntervalMs;
    limits.mediaPort = m_media->port();
    m_signalling = std::make_unique<SignallingServer>(*m_rooms, m_counters, limits,
                                                      QStringLiteral(EARSHOT_VERSION));
    if (QString error = m_signalling->listen(m_config.listenAddress, m_config.listenPort,
                                             m_config.certificatePath, m_config.privateKeyPath);
        !error.isEmpty())
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
