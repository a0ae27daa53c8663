#include "TokenCommand.h"

#include "ServerConfig.h"

#include <earshot/protocol/Identifiers.h>
#include <earshot/protocol/Token.h>

namespace earshot::server {
namespace {

constexpr auto kUsage =
    "Usage: earshot-server token (--app-id N --server-secret HEX64 | --config FILE [--app-id N])\n"
    "                            --user USER [--room ROOM] [--no-publish] [--stream ID]...\n"
    "                            [--ttl SECONDS]\n"
    "Prints a token that lets USER log in (to ROOM only, when given) until the TTL runs out\n"
    "(default 3600 s). --no-publish withholds the publish privilege; --stream limits publishing\n"
    "to the listed stream IDs. --config takes the AppID and ServerSecret from a server config\n"
    "file (the app with --app-id, or the first one), e.g. /etc/earshot/apps.json.\n";

int fail(QTextStream& err, const QString& message)
{
    err << "earshot-server token: " << message << "\n" << kUsage;
    err.flush();
    return 2;
}

} // namespace

int runTokenCommand(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    qulonglong appId = 0;
    QString secretHex;
    QString configPath;
    QString userId;
    qint64 ttlSeconds = 3600;
    protocol::TokenPayload payload;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& flag = arguments[i];
        if (flag == QLatin1String("--no-publish")) {
            payload.canPublish = false;
            continue;
        }
        if (flag == QLatin1String("--help") || flag == QLatin1String("-h")) {
            out << kUsage;
            out.flush();
            return 0;
        }
        if (i + 1 >= arguments.size())
            return fail(err, QStringLiteral("unknown option or missing value: %1").arg(flag));
        const QString value = arguments[++i];
        bool ok = true;
        if (flag == QLatin1String("--app-id")) {
            appId = value.toULongLong(&ok);
            if (!ok || appId == 0 || appId > 0xffffffffULL)
                return fail(err, QStringLiteral("--app-id needs a number from 1 to 4294967295"));
        } else if (flag == QLatin1String("--server-secret")) {
            secretHex = value;
        } else if (flag == QLatin1String("--config")) {
            configPath = value;
        } else if (flag == QLatin1String("--user")) {
            userId = value;
        } else if (flag == QLatin1String("--room")) {
            payload.roomId = value;
        } else if (flag == QLatin1String("--stream")) {
            payload.streamIdList.append(value);
        } else if (flag == QLatin1String("--ttl")) {
            ttlSeconds = value.toLongLong(&ok);
            if (!ok || ttlSeconds <= 0 || ttlSeconds > 10LL * 365 * 24 * 3600)
                return fail(err, QStringLiteral("--ttl needs a positive number of seconds"));
        } else {
            return fail(err, QStringLiteral("unknown option: %1").arg(flag));
        }
    }
    if (!configPath.isEmpty() && secretHex.isEmpty()) {
        ServerConfig config;
        if (const auto parsed = config.parseArguments({QStringLiteral("--config"), configPath});
            !parsed.ok)
            return fail(err, parsed.error);
        for (const QString& spec : std::as_const(config.appSpecs)) {
            const QStringList parts = spec.split(QLatin1Char(':')); // APPID:APPSIGN:SECRET
            const qulonglong specAppId = parts.value(0).toULongLong();
            if (parts.size() == 3 && (appId == 0 || appId == specAppId)) {
                appId = specAppId;
                secretHex = parts[2];
                break;
            }
        }
        if (secretHex.isEmpty())
            return fail(err, QStringLiteral("no matching app in %1").arg(configPath));
    }
    if (appId == 0 || secretHex.isEmpty() || userId.isEmpty())
        return fail(err, QStringLiteral("--app-id, --server-secret and --user are required"));
    const QByteArray userUtf8 = userId.toUtf8();
    if (protocol::validateUserId({userUtf8.constData(), std::size_t(userUtf8.size())})
        != protocol::ErrorCode::Success)
        return fail(err, QStringLiteral("the user ID is not valid (1-63 letters, digits or punctuation)"));
    if (!payload.roomId.isEmpty()) {
        const QByteArray roomUtf8 = payload.roomId.toUtf8();
        if (protocol::validateRoomId({roomUtf8.constData(), std::size_t(roomUtf8.size())})
            != protocol::ErrorCode::Success)
            return fail(err, QStringLiteral("the room ID is not valid"));
    }
    for (const QString& stream : std::as_const(payload.streamIdList)) {
        const QByteArray streamUtf8 = stream.toUtf8();
        if (protocol::validateStreamId({streamUtf8.constData(), std::size_t(streamUtf8.size())})
            != protocol::ErrorCode::Success)
            return fail(err, QStringLiteral("a stream ID is not valid (1-256 of A-Z a-z 0-9 _ -)"));
    }
    protocol::SecureKey secret;
    const QByteArray secretLatin1 = secretHex.toLatin1();
    if (!secret.setFromHex(secretLatin1.constData(), std::size_t(secretLatin1.size())))
        return fail(err, QStringLiteral("--server-secret needs 64 hexadecimal digits"));
    out << protocol::Token::generate(static_cast<std::uint32_t>(appId), userId, ttlSeconds, payload,
                                     secret)
        << "\n";
    out.flush();
    return 0;
}

} // namespace earshot::server
