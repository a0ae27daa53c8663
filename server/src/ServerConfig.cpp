#include "ServerConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace earshot::server {
namespace {

bool parseHostPort(const QString& text, QHostAddress& address, quint16& port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    QHostAddress parsed;
    if (host == QLatin1String("localhost"))
        parsed = QHostAddress(QHostAddress::LocalHost);
    else if (!parsed.setAddress(host))
        return false;
    address = parsed;
    port = static_cast<quint16>(value);
    return true;
}

bool parsePort(const QString& text, quint16& port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    port = static_cast<quint16>(value);
    return true;
}

bool parseMilliseconds(const QString& text, int& out, int min)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min)
        return false;
    out = value;
    return true;
}

ServerConfig::ParseResult failure(const QString& error)
{
    return {false, false, error};
}

} // namespace

QString ServerConfig::usage()
{
    return QStringLiteral(
        "Usage: earshot-server [--config FILE]... [--listen HOST:PORT] [--media-port PORT]\n"
        "                      [--app APPID:APPSIGN_HEX:SERVER_SECRET_HEX]...\n"
        "                      [--cert PEM --key PEM] [--grace-ms N] [--heartbeat-interval-ms N]\n"
        "                      [--online-count-interval-ms N]\n"
        "       earshot-server token (--app-id N --server-secret HEX | --config FILE [--app-id N])\n"
        "                      --user USER [--room ROOM] [--no-publish] [--stream ID]... [--ttl SECONDS]\n"
        "       earshot-server --version\n"
        "\n"
        "Several --config files are read in order; their \"apps\" lists add up.\n"
        "Port 0 binds an ephemeral port. When ready, one line is printed on stdout:\n"
        "  earshot-server ready signalling=ws://HOST:PORT media=udp://HOST:PORT http=http://HOST:PORT\n");
}

QString ServerConfig::versionLine()
{
    return QStringLiteral("earshot-server " EARSHOT_VERSION);
}

ServerConfig::ParseResult ServerConfig::parseArguments(const QStringList& arguments)
{
    // The file first, so that flags override it regardless of their order.
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == QLatin1String("--config")) {
            if (i + 1 >= arguments.size())
                return failure(QStringLiteral("--config needs a file name"));
            if (ParseResult result = readConfigFile(arguments[i + 1]); !result.ok)
                return result;
        }
    }
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& flag = arguments[i];
        if (flag == QLatin1String("--help") || flag == QLatin1String("-h"))
            return {true, true, {}};
        if (flag == QLatin1String("--version"))
            return {true, false, {}, true};
        if (i + 1 >= arguments.size())
            return failure(QStringLiteral("unknown option or missing value: %1").arg(flag));
        const QString value = arguments[++i];
        if (flag == QLatin1String("--config")) {
            continue;
        } else if (flag == QLatin1String("--listen")) {
            if (!parseHostPort(value, listenAddress, listenPort))
                return failure(QStringLiteral("--listen needs HOST:PORT, got \"%1\"").arg(value));
        } else if (flag == QLatin1String("--media-port")) {
            if (!parsePort(value, mediaPort))
                return failure(QStringLiteral("--media-port needs a port from 0 to 65535"));
        } else if (flag == QLatin1String("--app")) {
            appSpecs.append(value);
        } else if (flag == QLatin1String("--cert")) {
            certificatePath = value;
        } else if (flag == QLatin1String("--key")) {
            privateKeyPath = value;
        } else if (flag == QLatin1String("--grace-ms")) {
            if (!parseMilliseconds(value, graceMs, 0))
                return failure(QStringLiteral("--grace-ms needs a number of milliseconds"));
        } else if (flag == QLatin1String("--heartbeat-interval-ms")) {
            if (!parseMilliseconds(value, heartbeatIntervalMs, 100))
                return failure(QStringLiteral("--heartbeat-interval-ms needs at least 100"));
        } else if (flag == QLatin1String("--online-count-interval-ms")) {
            if (!parseMilliseconds(value, onlineCountIntervalMs, 100))
                return failure(QStringLiteral("--online-count-interval-ms needs at least 100"));
        } else {
            return failure(QStringLiteral("unknown option: %1").arg(flag));
        }
    }
    if (certificatePath.isEmpty() != privateKeyPath.isEmpty())
        return failure(QStringLiteral("TLS needs both --cert and --key"));
    return {true, false, {}};
}

ServerConfig::ParseResult ServerConfig::readConfigFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read config file %1: %2").arg(path, file.errorString()));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.read(1 << 20), &parseError);
    if (!document.isObject())
        return failure(QStringLiteral("config file %1 is not a JSON object (%2)")
                           .arg(path, parseError.errorString()));
    const QJsonObject root = document.object();
    if (root.contains(QLatin1String("listen"))
        && !parseHostPort(root.value(QLatin1String("listen")).toString(), listenAddress, listenPort))
        return failure(QStringLiteral("config \"listen\" needs \"HOST:PORT\""));
    if (root.contains(QLatin1String("media_port"))) {
        const int port = root.value(QLatin1String("media_port")).toInt(-1);
        if (port < 0 || port > 65535)
            return failure(QStringLiteral("config \"media_port\" needs a port from 0 to 65535"));
        mediaPort = static_cast<quint16>(port);
    }
    const auto readMs = [&root](const char* key, int& out, int min) {
        const QJsonValue value = root.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        const int ms = value.toInt(-1);
        if (ms < min)
            return false;
        out = ms;
        return true;
    };
    if (!readMs("grace_ms", graceMs, 0) || !readMs("heartbeat_interval_ms", heartbeatIntervalMs, 100)
        || !readMs("online_count_interval_ms", onlineCountIntervalMs, 100))
        return failure(QStringLiteral("config durations must be whole milliseconds (at least 100)"));
    const QJsonObject tls = root.value(QLatin1String("tls")).toObject();
    certificatePath = tls.value(QLatin1String("certificate")).toString(certificatePath);
    privateKeyPath = tls.value(QLatin1String("key")).toString(privateKeyPath);
    for (const QJsonValue& app : root.value(QLatin1String("apps")).toArray()) {
        const QJsonObject object = app.toObject();
        const qint64 appId = object.value(QLatin1String("app_id")).toInteger(-1);
        appSpecs.append(QStringLiteral("%1:%2:%3").arg(appId).arg(
            object.value(QLatin1String("app_sign")).toString(),
            object.value(QLatin1String("server_secret")).toString()));
    }
    return {true, false, {}};
}

} // namespace earshot::server
