#pragma once

#include <QString>
#include <QUrl>

#include <cstdint>

namespace earshot::ui {

// How the user proves the right to enter: the app's AppSign, or a token from the app's back end.
enum class AuthMethod { AppSign, Token };

// Everything a login needs, as the login panel (or the command line) collected it.
struct LoginRequest {
    QUrl server;
    std::uint32_t appId = 0;
    AuthMethod authMethod = AuthMethod::AppSign;
    QString secret; // the AppSign (64 hex digits) or the token, by authMethod
    QString roomId;
    QString userId;
    QString userName;
};

} // namespace earshot::ui
