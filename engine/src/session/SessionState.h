#pragma once

namespace earshot::session {

// Where a SignallingClient stands.
//   Idle          no session: before login, after logout, a failed login, a kickout, or giving up
//   LoggingIn     the first login: connecting, waiting for hello, or for the login reply
//   LoggedIn      in the room; requests are sent
//   Reconnecting  the connection was lost; attempts run with back-off (requests fail at once)
enum class SessionState { Idle, LoggingIn, LoggedIn, Reconnecting };

// How a reconnect ended.
//   Resumed        the server still had the session (within its grace period): same session,
//                  streams, plays and media keys; nobody else noticed
//   LoggedInAgain  the session was gone: a fresh login with new session, media session ID and
//                  keys; the engine must publish and play again
enum class ReconnectKind { Resumed, LoggedInAgain };

} // namespace earshot::session
