#pragma once

#include <string>

namespace earshot::audio {

// One input and/or output device as a backend enumerates it. Plain data; no Qt (the device layer
// is Qt-free).
struct AudioDeviceInfo {
    // Stable across enumerations and process runs while the device stays plugged in (PortAudio:
    // "host API name:device name", e.g. "ALSA:pulse"); what AudioStreamConfig names.
    std::string id;
    // Human-readable, for the settings panel.
    std::string name;
    // Whether this is the system's default input / output. One flag per direction, because a
    // device may be the default for one direction only.
    bool isDefaultInput = false;
    bool isDefaultOutput = false;
    int maxInputChannels = 0;
    int maxOutputChannels = 0;
    double defaultSampleRateHz = 0.0;

    bool operator==(const AudioDeviceInfo&) const = default;
};

} // namespace earshot::audio
