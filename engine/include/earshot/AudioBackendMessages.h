#pragma once

namespace earshot {

// Stops the sound libraries under PortAudio on Linux (ALSA's libasound and JACK's libjack)
// from printing their own diagnostics to stderr. While PortAudio looks for devices they report
// every card, plug-in and server that is not there ("Unknown PCM cards.pcm.rear", "jack server
// is not running"): dozens of lines on a machine without a sound card, none of them an error of
// the application's. Real failures still reach the caller through PortAudio's return codes and
// the engine's error codes and logs.
//
// Both handlers are process-wide, which is why the engine never installs them itself: an
// application that owns its process (earshot, earshot-cli) calls this once at start-up, an
// application that embeds the engine decides for itself. The libraries are looked up at run time
// (they are loaded with PortAudio); where one is missing, or on other systems, nothing happens.
// Thread: any, before the first engine is created. Never fails.
void silenceAudioBackendMessages() noexcept;

} // namespace earshot
