#pragma once

#include "audio/ClockThread.h"
#include "audio/SignalGenerator.h"
#include "audio/WavFormat.h"

#include <string>

namespace earshot::audio {

// What a VirtualAudioDevice plays into the engine when its WAV input has run out.
enum class InputEnd { Silence, Loop };

// The virtual "sound card": where its capture comes from and where its playback goes.
struct VirtualDeviceConfig {
    // Capture from this WAV (any rate/channels, converted to the engine format at open());
    // empty: from `generator`.
    std::string inputWavPath;
    SignalGeneratorConfig generator;
    InputEnd inputEnd = InputEnd::Silence;
    // Playback to this WAV (engine rate and channels); empty: discarded.
    std::string outputWavPath;
    WavSampleFormat outputSampleFormat = WavSampleFormat::Pcm16;
    Pacing pacing = Pacing::RealTime;
    // Playback buffered between the clock thread and the file writer thread.
    int outputBufferMs = 2000;
};

} // namespace earshot::audio
