#pragma once

#include <earshot/protocol/SecureKey.h>
#include <earshot/protocol/Token.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace earshot::integration {

// An application registered with the test server (`--app APPID:APPSIGN:SERVER_SECRET`). The keys
// are fixed test values, never real secrets.
struct TestApp {
    std::uint32_t appId = 0;
    QByteArray appSignHex;       // 64 hex digits
    QByteArray serverSecretHex;  // 64 hex digits

    QString commandLineValue() const
    {
        return QStringLiteral("%1:%2:%3")
            .arg(appId)
            .arg(QString::fromLatin1(appSignHex), QString::fromLatin1(serverSecretHex));
    }

    protocol::SecureKey appSign() const { return keyFromHex(appSignHex); }
    protocol::SecureKey serverSecret() const { return keyFromHex(serverSecretHex); }

    static protocol::SecureKey keyFromHex(const QByteArray& hex)
    {
        protocol::SecureKey key;
        [[maybe_unused]] const bool parsed = key.setFromHex(hex.constData(), std::size_t(hex.size()));
        Q_ASSERT(parsed);
        return key;
    }
};

// Every server the tests start knows both apps, so AppID isolation can be checked anywhere.
inline const TestApp kAppA{3000001, "35400f9046c65ffd734effb244687b7142da117cc99e710b30ce886d625a1608",
                           "5e5d78624f7943f75472d3fde3ffde951bdf188d18715c4aa403ac97ce0e8dcf"};
inline const TestApp kAppB{3000002, "5b92ff1ef292c694c7b09d621c0704cf5992c055483c1adeffc9a5f4e1e78538",
                           "93378a37df3a8cedbb85dad7e45f4dc70cba743740463759744747af2aa3ce36"};
// Known to nobody: for "unknown AppID" and "wrong AppSign" cases.
inline const QByteArray kUnregisteredKeyHex =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// Token payloads the tests use (a designated initialiser would have to spell out every field).
inline protocol::TokenPayload payloadForRoom(const QString& roomId)
{
    protocol::TokenPayload payload;
    payload.roomId = roomId;
    return payload;
}

inline protocol::TokenPayload payloadWithoutLogin(const QString& roomId)
{
    protocol::TokenPayload payload = payloadForRoom(roomId);
    payload.canLogin = false;
    return payload;
}

inline protocol::TokenPayload payloadWithoutPublish()
{
    protocol::TokenPayload payload;
    payload.canPublish = false;
    return payload;
}

inline protocol::TokenPayload payloadForStreams(const QStringList& streamIds)
{
    protocol::TokenPayload payload;
    payload.streamIdList = streamIds;
    return payload;
}

// A token for `userId` of `app`, valid for ttlSeconds from now, as an app's back end makes it.
inline QString makeToken(const TestApp& app, const QString& userId, std::int64_t ttlSeconds,
                         const protocol::TokenPayload& payload = {})
{
    return protocol::Token::generate(app.appId, userId, ttlSeconds, payload, app.serverSecret());
}

} // namespace earshot::integration
