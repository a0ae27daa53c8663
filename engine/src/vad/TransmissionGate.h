#pragma once

#include "vad/VoiceActivityDetector.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace earshot::vad {

enum class TransmissionMode {
    Continuous,      // always transmitting
    VoiceActivation, // transmitting while the detector hears speech, with pre-roll and hangover
    PushToTalk,      // transmitting while the key is held, plus a short release tail
};

enum class MicrophoneMute {
    Off,
    On, // the gate outputs exact silence; the device stays open (API.md muteMicrophone)
};

enum class PushToTalkKey {
    Released,
    Pressed,
};

struct TransmissionGateConfig {
    int sampleRateHz = 48000;
    int channels = 1;      // interleaved
    int blockFrames = 480; // frames per process() call (10 ms at 48 kHz)

    // The constant delay of the gate's output. It is the look-ahead of voice activation: when
    // speech is detected, the audio of up to this long before the detection is still in the delay
    // line and goes out first, so first syllables are not cut. Rounded to whole blocks.
    int preRollMs = 200;
    // How long push-to-talk keeps transmitting after the key is released.
    int pushToTalkTailMs = 150;
    // Length of the linear fade at every gate edge (open, close, mute), so edges never click.
    int fadeMs = 5;

    // The detector; its hangover is voice activation's hangover. Its rate, channels and block
    // size are overridden with the gate's.
    VoiceActivityDetectorConfig detector;
};

// The result of one block.
struct GateResult {
    bool transmitting = false; // some of the output block is open (gain > 0); when false the
                               // output is exact silence and the encoder sends DTX / nothing
    VoiceActivity activity;    // the detector's decision on this (undelayed) input block; computed
                               // in every mode, for the level monitor's VAD flag
};

// The capture path's transmission gate, after 3A (DESIGN.md §2): continuous, voice activation
// or push-to-talk, plus microphone mute.
//
// Latency: the output is always the input delayed by latencyFrames() (preRollMs, 200 ms by
// default), in every mode, so that switching modes or opening the gate never makes the stream
// jump. This constant delay is what makes the pre-roll possible: voice activation decides on the
// newest (undelayed) block but applies the decision to the delayed one, so it opens up to
// preRollMs before the detected onset and the first syllable goes out whole. The delay adds to
// the end-to-end latency of the capture path (a simpler design than delaying only after an onset
// and catching up later, and the latency never changes).
//
// Push-to-talk is applied in the delayed time: what was captured while the key was held, plus
// pushToTalkTailMs, is sent (the output opens preRollMs after the press, with the audio of the
// press moment).
//
// Edges fade linearly over fadeMs. Mute applies at once to the output (fading out over fadeMs,
// then exact zeros) and audio captured while muted is never sent, not even after unmuting: the
// delay line is fed silence while muted.
//
// Thread ownership: process(), reset() and the queries are for one thread, the media thread's
// capture path, and are real-time safe (no allocation, locks or system calls; all memory is
// allocated by the constructor). setMode(), setPushToTalk() and setMicrophoneMute() may be called
// from any thread at any time (atomics); they take effect at the next process().
class TransmissionGate {
public:
    // The configuration must be valid (rate, channels, block size > 0; the other durations ≥ 0;
    // asserted). Allocates the delay line.
    explicit TransmissionGate(const TransmissionGateConfig& config = {},
                              TransmissionMode mode = TransmissionMode::VoiceActivation);

    TransmissionGate(const TransmissionGate&) = delete;
    TransmissionGate& operator=(const TransmissionGate&) = delete;

    // Thread: any.
    void setMode(TransmissionMode mode);
    TransmissionMode mode() const;

    // Pressed opens the gate in PushToTalk mode; ignored in the other modes. A press and
    // release between two blocks still opens it (the press is latched until the next block).
    // Thread: any (e.g. the GUI's key handler).
    void setPushToTalk(PushToTalkKey key);

    // Thread: any.
    void setMicrophoneMute(MicrophoneMute mute);
    MicrophoneMute microphoneMute() const;

    // Gates one block of config().blockFrames interleaved frames (asserted for both spans) from
    // `input` to `output`, which may be the same buffer. Output is input delayed by
    // latencyFrames(), times the gate's gain. Thread: the owner's; real-time safe.
    GateResult process(std::span<const float> input, std::span<float> output);

    // The constant delay from input to output, in frames. Thread: any.
    int latencyFrames() const { return m_delayBlocks * m_config.blockFrames; }

    const TransmissionGateConfig& config() const { return m_config; }

    // Clears the delay line, the detector and the gate (closed), keeping mode and mute.
    // Thread: the owner's; real-time safe.
    void reset();

private:
    TransmissionGateConfig m_config;
    VoiceActivityDetector m_detector;
    int m_delayBlocks = 0;
    int m_pushToTalkTailBlocks = 0;
    float m_gainStep = 1.0f; // per frame

    std::atomic<TransmissionMode> m_mode;
    std::atomic<bool> m_pushToTalkHeld {false};
    std::atomic<bool> m_pushToTalkLatched {false};
    std::atomic<bool> m_microphoneMuted {false};

    // Owned by the processing thread.
    std::vector<float> m_delayLine; // latencyFrames() × channels samples, a ring
    std::size_t m_delayPosition = 0;
    std::vector<std::uint8_t> m_pushToTalkHistory; // key of the last m_delayBlocks + 1 input blocks, a ring
    std::size_t m_historyPosition = 0;
    int m_openBlocksRemaining = 0; // output blocks still to be open, this one included
    float m_gain = 0.0f;
};

} // namespace earshot::vad
