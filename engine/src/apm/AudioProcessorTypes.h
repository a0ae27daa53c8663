#pragma once

#include <cstdint>

namespace earshot::apm {

// How hard the echo canceller suppresses residual echo (API.md §3: setAECMode). A higher level
// removes more echo at the cost of double-talk (both sides speaking at once) being clipped.
enum class EchoCancellationMode : std::uint8_t { Soft, Medium, Aggressive };

// How hard the noise suppressor works (API.md §3: setANSMode). A higher level removes more
// steady noise at the cost of more speech distortion.
enum class NoiseSuppressionMode : std::uint8_t { Soft, Medium, Aggressive, VeryAggressive };

// The 3A switches. Defaults: echo cancellation, noise suppression, gain control and the high-pass
// filter on (the usual voice-chat setup); transient (keyboard click) suppression off.
struct AudioProcessorSettings {
    bool echoCancellation = true;
    EchoCancellationMode echoCancellationMode = EchoCancellationMode::Medium;
    bool noiseSuppression = true;
    NoiseSuppressionMode noiseSuppressionMode = NoiseSuppressionMode::Medium;
    bool transientSuppression = false;
    bool gainControl = true; // adaptive digital AGC (no analog microphone volume is touched)
    bool highPass = true;    // removes DC and rumble below about 80 Hz
};

// Errors of AudioProcessor's calls (tier 2 of STYLE.md: bad arguments or state).
enum class ProcessingError : std::uint8_t {
    None,
    BadBlockSize,    // the span is not exactly one 10 ms block of the configured channel count
    BadArgument,     // a value outside its documented range (e.g. a negative stream delay)
    LibraryFailure,  // webrtc-audio-processing returned an error for this block (block left as is)
};

// Stable English name of an error, for logs and counters. Thread-safe; never returns null.
[[nodiscard]] const char* errorText(ProcessingError error) noexcept;

} // namespace earshot::apm
