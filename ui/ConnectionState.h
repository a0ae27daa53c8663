#pragma once

namespace earshot::ui {

// The room's state as the user reads it, finer than the engine's RoomState: it tells a first
// connection from a reconnection and keeps why the room was left.
enum class ConnectionState {
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
    Failed,   // the login was refused or reconnecting gave up
    KickedOut,
};

} // namespace earshot::ui
