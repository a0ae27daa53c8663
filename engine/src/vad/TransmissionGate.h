#pragma once

#include "vad/VoiceActivityDetector.h"

#include <atomic>
#include <cstddef>
#include <limits>
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

    // How far back voice activation reaches when the detector declares speech: the output of a
    // spurt starts this long before the block that triggered it and lags the input by as much
    // until the spurt ends. 100 ms because the detector only decides after onsetBlocks (2) loud
    // blocks, so the loud onset is up to ~20 ms old by then, and a soft leading consonant (an
    // /f/, /s/ or /h/ below the detector's margin) adds some tens of ms before it; more would
    // only add latency to every spurt. It is the most delay the gate ever adds. Rounded to whole
    // blocks.
    int preRollMs = 100;
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
    int latencyFrames = 0;     // the delay from input to this block's output, in frames: 0 but in
                               // a voice-activation spurt (see TransmissionGate)
    VoiceActivity activity;    // the detector's decision on this (undelayed) input block; computed
                               // in every mode, for the level monitor's VAD flag
};

// The capture path's transmission gate, after 3A (DESIGN.md §2): continuous, voice activation
// or push-to-talk, plus microphone mute.
//
// Latency: every millisecond here is mouth-to-ear latency (the product's budget is 40 ms in
// total), so the gate adds none where it gains nothing from it. Continuous and push-to-talk pass
// the input through undelayed (times the fade gain). Only voice activation needs to look back:
// the detector decides on the newest block, after the onset, so the gate keeps the last preRollMs
// of input in a history ring at all times, and when speech is declared the output starts that far
// back in the history, faded in, so the first syllable goes out whole. For the rest of the spurt
// the output stays that far behind the input (a constant delay, so the stream never jumps while
// it is heard). When the detector's hangover runs out the output fades out over fadeMs, still
// delayed, and the delay collapses to zero while the gate is silent: the part of the history not
// yet sent is the quiet end of the hangover, and dropping it is what gives the latency back. The
// next spurt starts with the full pre-roll again. latencyFrames() and GateResult::latencyFrames
// say which delay applies.
//
// The delay changes only while the output is silent (gain 0, at a block boundary), so it never
// clicks; a change that finds the output open (switching from a voice-activation spurt to
// continuous or push-to-talk) fades out first and reopens, undelayed, a block later. The pre-roll
// never reaches back to audio already sent or captured while muted, so nothing is ever sent
// twice: a spurt that starts shortly after the output was open (e.g. after switching from
// continuous) or after an unmute gets only the fresh part of the history as pre-roll, and one
// already open when the mode switches to voice activation simply continues undelayed.
//
// Push-to-talk opens at the press (fading in) and stays open pushToTalkTailMs after the release,
// so the end of the last word is not cut by releasing the key a little early. A press and release
// between two blocks still opens it.
//
// Mute acts on the output at once: it fades out over fadeMs, then exact zeros, and audio captured
// while muted is never sent, not even after unmuting (the history is fed silence while muted).
// With no delay there is no pre-mute audio left to fade over, so the fade holds the last sample
// sent before the mute and ramps it to zero. A mute always completes its fade before the gate can
// reopen, so the output never resumes on the muted silence in the history.
//
// Edges (open, close, mute, mode switches) fade linearly over fadeMs, so they never click.
//
// Thread ownership: process(), reset() and config() are for one thread, the media thread's
// capture path, and are real-time safe (no allocation, locks or system calls; all memory is
// allocated by the constructor). setMode(), setPushToTalk() and setMicrophoneMute() may be called
// from any thread at any time (atomics); they take effect at the next process(). The other
// queries may be called from any thread.
class TransmissionGate {
public:
    // The configuration must be valid (rate, channels, block size > 0; the other durations ≥ 0;
    // asserted). Allocates the history ring.
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

    // Voice activation on the block's level instead of the detector: with a threshold set, a
    // block whose unsmoothed level on the sound-level scale (dsp::LevelMeter, 0–100) reaches
    // `level` opens the gate at once, and it stays open for the detector's hangover after the
    // last such block; the pre-roll works as with the detector. This is the amplitude threshold
    // users set by eye on a level meter; the detector instead follows the noise floor, which
    // also absorbs a steady sound. NaN (or clearVoiceThreshold()) returns to the detector.
    // Thread: any; takes effect at the next process().
    void setVoiceThreshold(float level);
    void clearVoiceThreshold() { setVoiceThreshold(std::numeric_limits<float>::quiet_NaN()); }

    // Thread: any.
    void setMicrophoneMute(MicrophoneMute mute);
    MicrophoneMute microphoneMute() const;

    // Gates one block of config().blockFrames interleaved frames (asserted for both spans) from
    // `input` to `output`, which may be the same buffer. Output is input delayed by
    // GateResult::latencyFrames, times the gate's gain. Thread: the owner's; real-time safe.
    GateResult process(std::span<const float> input, std::span<float> output);

    // The current delay from input to output, in frames: the delay of the latest block's output
    // (0 before the first). 0 except in a voice-activation spurt. Thread: any.
    int latencyFrames() const { return m_latencyFrames.load(std::memory_order_relaxed); }
    // The most latencyFrames() can be: the pre-roll, preRollMs in whole blocks. Thread: any.
    int maxLatencyFrames() const { return m_preRollFrames; }

    const TransmissionGateConfig& config() const { return m_config; }

    // Clears the history, the detector and the gate (closed, no delay), keeping mode and mute.
    // Thread: the owner's; real-time safe.
    void reset();

private:
    TransmissionGateConfig m_config;
    VoiceActivityDetector m_detector;
    int m_preRollFrames = 0;
    int m_pushToTalkTailBlocks = 0;
    float m_gainStep = 1.0f; // per frame

    std::atomic<TransmissionMode> m_mode;
    std::atomic<bool> m_pushToTalkHeld {false};
    std::atomic<bool> m_pushToTalkLatched {false};
    std::atomic<bool> m_microphoneMuted {false};
    std::atomic<float> m_voiceThreshold {std::numeric_limits<float>::quiet_NaN()};
    std::atomic<int> m_latencyFrames {0}; // a copy of m_delayFrames for latencyFrames()

    // Owned by the processing thread.
    std::vector<float> m_history;      // the last m_preRollFrames input frames (silence where
                                       // captured muted), a ring
    std::size_t m_historyFrame = 0;    // the oldest frame, where the next input frame goes
    std::vector<float> m_heldSource;   // per channel: the last sample sent before a mute, which
                                       // its fade ramps down when no pre-mute audio is left
    int m_delayFrames = 0;             // from input to output; changes only while gain is 0
    int m_freshFrames = 0;             // newest input frames neither sent nor captured muted
                                       // (≤ m_preRollFrames): how far a pre-roll may reach back
    int m_mutedFrames = 0;             // consecutive newest input frames captured muted
                                       // (≤ m_preRollFrames + 1)
    bool m_muting = false;             // muted, or unmuted but the mute's fade not finished
    int m_pushToTalkBlocksRemaining = 0; // output blocks still to be open, this one included
    int m_thresholdBlocksRemaining = 0;  // voice activation by threshold: blocks still to be open
    float m_gain = 0.0f;
};

} // namespace earshot::vad
