#include "AppRegistry.h"

#include <QStringList>

namespace earshot::server {

QString AppRegistry::addFromSpec(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char(':'));
    if (parts.size() != 3)
        return QStringLiteral("an app must be given as APPID:APPSIGN_HEX:SERVER_SECRET_HEX");
    bool ok = false;
    const qulonglong appId = parts[0].toULongLong(&ok);
    if (!ok || appId == 0 || appId > 0xffffffffULL)
        return QStringLiteral("the AppID must be a number from 1 to 4294967295");
    return add(static_cast<std::uint32_t>(appId), parts[1], parts[2]);
}

QString AppRegistry::add(std::uint32_t appId, const QString& appSignHex, const QString& serverSecretHex)
{
    if (appId == 0)
        return QStringLiteral("the AppID must not be 0");
    if (m_apps.count(appId) != 0)
        return QStringLiteral("AppID %1 is configured twice").arg(appId);
    auto app = std::make_unique<AppCredentials>();
    app->appId = appId;
    const QByteArray sign = appSignHex.toLatin1();
    if (!app->appSign.setFromHex(sign.constData(), std::size_t(sign.size())))
        return QStringLiteral("the AppSign of AppID %1 must be 64 hexadecimal digits").arg(appId);
    const QByteArray secret = serverSecretHex.toLatin1();
    if (!app->serverSecret.setFromHex(secret.constData(), std::size_t(secret.size())))
        return QStringLiteral("the ServerSecret of AppID %1 must be 64 hexadecimal digits").arg(appId);
    m_apps.emplace(appId, std::move(app));
    return {};
}

const AppCredentials* AppRegistry::find(std::uint32_t appId) const
{
    const auto it = m_apps.find(appId);
    return it == m_apps.end() ? nullptr : it->second.get();
}

} // namespace earshot::server
