#pragma once

#include "dsp/Gain.h"

#include <memory>
#include <span>
#include <vector>

namespace earshot::dsp {

// Mixes the decoded blocks of the played streams into the block handed to the playback device
// (DESIGN.md §2, the receive path): each stream through its own Gain (setPlayVolume, mute), the
// sum through a master Gain (setAllPlayStreamVolume), then a clipping-safe stage.
//
// The clipping-safe stage is a memoryless soft limiter: samples within ±kLimiterKnee (−1 dBFS)
// pass bit-exact; above the knee the magnitude follows
//     knee + (1 − knee) · tanh((|x| − knee) / (1 − knee)),
// which continues the straight line with slope 1 at the knee and approaches, but never passes,
// full scale. So quiet sums are untouched and no sum of any number of streams leaves [−1, 1].
// Being memoryless it adds no delay and no pumping, at the price of some distortion of the
// loudest peaks, which only a sum already near clipping has.
//
// Streams live in slots 0 … capacity − 1, fixed at construction; the caller maps its StreamIds
// to slots and calls resetStream() when a slot is given to a new stream.
//
// Thread ownership: the setters and getters (volumes, mutes) may be called from any thread
// (atomics). mix() and resetStream() belong to the playback thread (the device callback or the
// thread that feeds it). Everything except the constructor is real-time safe: no allocation,
// no locks, bounded time.
class PlaybackMixer {
public:
    // API.md: at most 12 streams are played at once (error 1004010).
    static constexpr int kMaxStreams = 12;
    // −1 dBFS: where the soft limiter starts to act.
    static constexpr float kLimiterKnee = 0.891250938f;

    // capacity in 1 … kMaxStreams, channels ≥ 1, sampleRateHz ≥ 1 (asserted). Allocates here
    // and nowhere else. Every slot and the master start at unity, not muted.
    PlaybackMixer(int capacity, int channels, int sampleRateHz);
    ~PlaybackMixer();

    PlaybackMixer(const PlaybackMixer&) = delete;
    PlaybackMixer& operator=(const PlaybackMixer&) = delete;

    [[nodiscard]] int capacity() const { return static_cast<int>(m_streams.size()); }
    [[nodiscard]] int channels() const { return m_channels; }

    // Per-stream volume 0–200 (100 = unity; clamped) and mute. slot < capacity (asserted).
    // Thread: any.
    void setStreamVolume(int slot, int volume);
    [[nodiscard]] int streamVolume(int slot) const;
    void setStreamMuted(int slot, bool muted);
    [[nodiscard]] bool isStreamMuted(int slot) const;

    // Volume of the whole mix, 0–200 (setAllPlayStreamVolume; clamped), and its mute.
    // Thread: any.
    void setMasterVolume(int volume);
    [[nodiscard]] int masterVolume() const;
    void setMasterMuted(bool muted);
    [[nodiscard]] bool isMasterMuted() const;

    // Gives a slot to a new stream: its gain starts directly at the slot's settings, without a
    // ramp from the previous stream's. Does not change the settings (the caller sets them, e.g.
    // back to 100 and unmuted as stopPlayingStream requires). Thread: the playback thread.
    void resetStream(int slot);

    // Writes `frames` frames (interleaved, channels() per frame) of the mix into `output`.
    // streams[i] is slot i's block: frames × channels samples, or empty when the slot has
    // nothing this block (silence). streams.size() ≤ capacity; every non-empty block and
    // `output` hold at least frames × channels samples; no block overlaps `output` (asserted).
    // The whole of output's first frames × channels samples is always written, within [−1, 1].
    // Thread: the playback thread.
    void mix(std::span<const std::span<const float>> streams, std::span<float> output, int frames);

    // The soft limiter on one sample (see the class comment): bit-exact within ±kLimiterKnee,
    // never outside [−1, 1]. NaN becomes 0. Thread: any.
    [[nodiscard]] static float limit(float sample);

private:
    [[nodiscard]] Gain& stream(int slot) const;

    const int m_channels;
    // One Gain per slot. Gain holds atomics and cannot move, hence the pointers; allocated once
    // in the constructor.
    std::vector<std::unique_ptr<Gain>> m_streams;
    Gain m_master;
};

} // namespace earshot::dsp
