#pragma once

#include <cstdint>

namespace earshot::audio {

// The engine's internal audio format: 48 kHz, interleaved float samples in [-1, 1], mono or
// stereo. Devices at other rates or channel counts are converted at the device boundary.
inline constexpr int kEngineSampleRateHz = 48'000;

struct AudioFormat {
    int sampleRateHz = kEngineSampleRateHz;
    int channels = 1;
    // Frames (samples per channel) per device callback; 10 ms at 48 kHz by default.
    int framesPerPeriod = 480;

    bool operator==(const AudioFormat&) const = default;
    int periodMs() const { return framesPerPeriod * 1000 / sampleRateHz; }
    // What the device layer accepts: 8–192 kHz, 1–8 channels, periods from 1 ms up to 1 s.
    bool isValid() const
    {
        return sampleRateHz >= 8'000 && sampleRateHz <= 192'000 && channels >= 1 && channels <= 8
            && framesPerPeriod >= sampleRateHz / 1000 && framesPerPeriod <= sampleRateHz;
    }
};

} // namespace earshot::audio
