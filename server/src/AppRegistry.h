#pragma once

#include <earshot/protocol/SecureKey.h>

#include <QString>

#include <cstdint>
#include <map>
#include <memory>

namespace earshot::server {

// One application's credentials: its AppSign (for AppSign-mode logins) and its ServerSecret
// (for tokens and the server API). Both live in SecureKey memory and are never logged.
struct AppCredentials {
    std::uint32_t appId = 0;
    protocol::SecureKey appSign;
    protocol::SecureKey serverSecret;
};

// The apps this server serves, by AppID. Filled at start-up, read-only afterwards; owned by the
// signalling thread.
class AppRegistry {
public:
    // Parses "APPID:APPSIGN_HEX:SERVER_SECRET_HEX" (both 64 hex digits). Returns an empty
    // string on success, else a sentence saying what is wrong (without echoing the secrets).
    QString addFromSpec(const QString& spec);
    QString add(std::uint32_t appId, const QString& appSignHex, const QString& serverSecretHex);

    [[nodiscard]] const AppCredentials* find(std::uint32_t appId) const;
    [[nodiscard]] std::size_t size() const { return m_apps.size(); }

private:
    std::map<std::uint32_t, std::unique_ptr<AppCredentials>> m_apps;
};

} // namespace earshot::server
