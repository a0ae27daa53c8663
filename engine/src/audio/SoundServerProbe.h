#pragma once

#include <string>

namespace earshot::audio {

// What identifies the desktop sound server PortAudio reaches through ALSA's pulse plugin
// (PulseAudio, or PipeWire's pulse server): for each socket it may listen on, whether it accepts
// a connection now and which socket file it is (inode). The string changes when the server
// stops, crashes or starts again — events that change no ALSA card, so /proc/asound cannot show
// them, yet they make PortAudio's "pulse" and "default" devices vanish and return.
//
// Sockets looked at, as libpulse finds them: every "unix:" entry of $PULSE_SERVER, else
// $PULSE_RUNTIME_PATH/native, else $XDG_RUNTIME_DIR/pulse/native; plus PipeWire's own
// $XDG_RUNTIME_DIR/pipewire-0. The probe is a non-blocking connect() that is closed at once
// (the server sees a client come and go before saying anything; PulseAudio does not log it at
// its default level). Cost: a few system calls per socket.
//
// Thread: any non-real-time thread. Empty on platforms without Unix sockets.
std::string soundServerFingerprint();

} // namespace earshot::audio
