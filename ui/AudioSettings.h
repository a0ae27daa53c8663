#pragma once

#include <earshot/EngineTypes.h>

#include <QString>

namespace earshot::ui {

// The audio choices of the settings dialog that the engine applies (AppSettings persists them).
struct AudioSettings {
    QString inputDeviceId;  // empty: the system default
    QString outputDeviceId; // empty: the system default
    bool echoCancellation = true;
    bool noiseSuppression = true;
    bool automaticGain = true;
    int captureVolume = 100; // 0..200, 100 = unity
    AudioConfigPreset qualityPreset = AudioConfigPreset::StandardQuality;
    int jitterMinMs = 0;     // adaptive jitter buffer bounds, 0 <= min <= max <= 4000
    int jitterMaxMs = 4000;
    bool operator==(const AudioSettings&) const = default;
};

// How the microphone is let through; the threshold applies to voice activation only.
struct TransmissionSettings {
    TransmissionMode mode = TransmissionMode::Continuous;
    int voiceThreshold = 20; // captured level 0..100 that opens the microphone
    bool operator==(const TransmissionSettings&) const = default;
};

} // namespace earshot::ui
