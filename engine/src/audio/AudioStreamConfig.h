#pragma once

#include "audio/AudioFormat.h"

#include <string>

namespace earshot::audio {

// Which directions a stream opens.
enum class StreamDirections { Input, Output, Duplex };

// What AudioDevice::open() is asked for.
struct AudioStreamConfig {
    // Device IDs from the backend's enumeration (AudioDeviceInfo::id); empty = the system default.
    // Ignored by the null and virtual devices.
    std::string inputDeviceId;
    std::string outputDeviceId;
    // The format the callback sees; devices convert to and from their own at the boundary.
    // framesPerPeriod sets the callback period (480 = 10 ms by default).
    AudioFormat engineFormat;
    StreamDirections directions = StreamDirections::Duplex;
    // The rate to run the device at; 0 = the engine's rate when the device supports it, else the
    // device's default rate. Conversion to and from the engine's rate is automatic.
    int deviceSampleRateHz = 0;
    // speexdsp resampler quality 0–10 for devices at another rate than the engine's.
    int resamplerQuality = 4;
    // Requested device latency; 0 = the backend's low-latency default (at least two periods).
    int suggestedLatencyMs = 0;
};

inline bool hasInput(StreamDirections directions)
{
    return directions != StreamDirections::Output;
}

inline bool hasOutput(StreamDirections directions)
{
    return directions != StreamDirections::Input;
}

} // namespace earshot::audio
