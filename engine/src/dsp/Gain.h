#pragma once

#include <atomic>
#include <span>

namespace earshot::dsp {

// A volume (0–200, 100 = unity; the gain is volume / 100, so 200 is +6.02 dB) and a mute switch
// applied to interleaved float audio: the capture volume, each played stream's volume and the
// master playback volume (API.md: setCaptureVolume, setPlayVolume, setAllPlayStreamVolume).
//
// A change of volume or mute does not jump: the gain moves linearly to the new value over
// kRampMs, so that there is no click. While the gain is steady it is applied exactly (unity
// leaves the samples bit-exact, 0 and mute give exact silence).
//
// Thread ownership: setVolume()/setMuted() and the getters may be called from any thread (they
// only touch atomics). process(), addTo() and reset() belong to one audio thread (the capture
// or playback callback, or the media thread), which reads the settings once per block. All of
// them are real-time safe: no allocation, no locks, bounded time.
class Gain {
public:
    static constexpr int kMinVolume = 0;
    static constexpr int kUnityVolume = 100;
    static constexpr int kMaxVolume = 200;
    // Duration of the linear ramp that follows a change of volume or mute.
    static constexpr int kRampMs = 5;

    // channels ≥ 1 and sampleRateHz ≥ 1 (asserted). Starts at unity, not muted.
    Gain(int channels, int sampleRateHz);

    Gain(const Gain&) = delete;
    Gain& operator=(const Gain&) = delete;

    // Sets the volume, 0–200 (100 = unity). Values outside are clamped: the engine's API rejects
    // them with its own error code before they get here. Thread: any.
    void setVolume(int volume);
    [[nodiscard]] int volume() const;

    // Mutes (gain 0) or unmutes; the volume is kept. Thread: any.
    void setMuted(bool muted);
    [[nodiscard]] bool isMuted() const;

    // Frames a ramp lasts (kRampMs at the sample rate, at least 1).
    [[nodiscard]] int rampFrames() const { return m_rampFrames; }

    // Multiplies `frames` frames of `samples` (interleaved, channels() per frame) by the gain,
    // in place. `samples` must hold at least frames × channels samples (asserted).
    // Thread: the audio thread.
    void process(std::span<float> samples, int frames);

    // Adds `input` × gain to `accumulator`, `frames` frames of interleaved audio; both spans must
    // hold at least frames × channels samples and must not overlap (asserted).
    // Thread: the audio thread.
    void addTo(std::span<const float> input, std::span<float> accumulator, int frames);

    // Forgets the current gain: the next block starts directly at the set volume and mute,
    // without a ramp (for a stream that starts anew). Thread: the audio thread.
    void reset();

    [[nodiscard]] int channels() const { return m_channels; }

private:
    // Reads the settings (once per block) and starts a ramp when they changed.
    void beginBlock();
    // Calls apply(firstSample, sampleCount, gain) for runs of samples that share one gain:
    // one frame at a time during a ramp, then the rest of the block at once.
    template<typename Apply> void forEachRun(int frames, Apply&& apply);

    const int m_channels;
    const int m_rampFrames;

    std::atomic<int> m_volume { kUnityVolume };
    std::atomic<bool> m_muted { false };

    // Audio-thread state.
    bool m_started = false;
    float m_currentGain = 1.0f;
    float m_targetGain = 1.0f;
    float m_rampStartGain = 1.0f;
    int m_rampFramesDone = 0;
};

} // namespace earshot::dsp
