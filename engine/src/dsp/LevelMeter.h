#pragma once

#include <atomic>
#include <span>

namespace earshot::dsp {

// Whether a voice-activity detector found speech in the block (API.md: the sound level comes
// with the VAD flag).
enum class VoiceActivity {
    Silent,
    Speech,
};

// The sound level of one signal (the captured one, or one played stream) as API.md reports it:
// an integer 0–100, plus the latest VAD flag.
//
// The mapping: a block's level in dBFS is its RMS relative to a full-scale sine (AES17: RMS in
// dB + 3.01 dB, so a sine's level equals its peak level), and
//     −60 dBFS or less → 0,   0 dBFS → 100,   linear in dB in between
// (so a −30 dBFS sine reads 50). The reported value follows the block values with a fast attack
// (kAttackMs time constant) and a slower decay (kDecayMs), so that a UI polling every 100–3000 ms
// sees a steady level rather than one block's. The block's peak is kept as well.
//
// Thread ownership: process() and reset() belong to the audio thread that has the signal (the
// capture path or the playback mixer). level(), peak() and voiceActivity() may be called from
// any thread (atomics). All are real-time safe: no allocation, no locks, bounded time.
class LevelMeter {
public:
    static constexpr float kFloorDbfs = -60.0f;
    static constexpr int kMaxLevel = 100;
    static constexpr float kAttackMs = 10.0f;
    static constexpr float kDecayMs = 300.0f;

    // sampleRateHz ≥ 1 (asserted).
    explicit LevelMeter(int sampleRateHz);

    LevelMeter(const LevelMeter&) = delete;
    LevelMeter& operator=(const LevelMeter&) = delete;

    // Measures one block: `samples` holds frames × channels interleaved samples (all of them
    // count; channels ≥ 1, asserted), `voiceActivity` is the caller's VAD result for the block.
    // Thread: the audio thread.
    void process(std::span<const float> samples, int channels, VoiceActivity voiceActivity);

    // Back to silence (level 0, peak 0, no speech). Thread: the audio thread.
    void reset();

    // The smoothed sound level, 0–100 (rounded). Thread: any.
    [[nodiscard]] int level() const;
    // The same without rounding, for tests and meters with finer steps. Thread: any.
    [[nodiscard]] float exactLevel() const;
    // The absolute peak of the latest block, 0 … (linear, 1 = full scale). Thread: any.
    [[nodiscard]] float peak() const;
    // The VAD flag passed with the latest block. Thread: any.
    [[nodiscard]] VoiceActivity voiceActivity() const;

    // The unsmoothed level (0–100, not rounded) of a block whose mean square is meanSquare.
    // Thread: any.
    [[nodiscard]] static float levelOfMeanSquare(double meanSquare);

private:
    const float m_sampleRateHz;

    // Audio-thread state.
    float m_smoothedLevel = 0.0f;

    std::atomic<float> m_level { 0.0f };
    std::atomic<float> m_peak { 0.0f };
    std::atomic<VoiceActivity> m_voiceActivity { VoiceActivity::Silent };
};

} // namespace earshot::dsp
