#pragma once

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SignalTypes.h>

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <memory>

namespace earshot::session {

// What a successful login or reconnect hands the engine: the session's identity, where and how
// to send media, and the room as it is now. Copyable, so it travels in queued signals; the media
// keys stay in guarded memory and are shared, not copied (MediaTransport wants its own copy:
// MediaKeys{keys->receive.clone(), keys->transmit.clone()}).
struct LoginResult {
    QString roomId;
    protocol::UserInfo user;              // this client, as it logged in
    QString roomSessionId;                // API.md extendedData "room_session_id"
    QString sessionId;                    // this user's session (not secret; the resume secret,
                                          // which is, stays inside SignallingClient)
    std::uint32_t mediaSessionId = 0;     // SSRC of the media transport's Bind packets
    QString mediaHost;                    // the signalling URL's host
    std::uint16_t mediaPort = 0;          // the server's UDP media port; 0: UDP unavailable
    std::shared_ptr<const protocol::MediaKeys> mediaKeys; // client side of this login's crypto_kx
    std::int64_t heartbeatIntervalMs = 0;
    std::int64_t tokenExpireSeconds = 0;  // the token's expiry, Unix seconds; 0 in AppSign mode
    QString serverVersion;
    // The room now. `users` only with isUserStatusNotify; `streams` are every live stream with
    // their SSRCs, this client's own included after a resume (its publish survived the drop).
    QList<protocol::UserInfo> users;
    QList<protocol::StreamInfo> streams;
    QList<protocol::RoomExtraInfoItem> roomExtraInfo;
};

} // namespace earshot::session

Q_DECLARE_METATYPE(earshot::session::LoginResult)
