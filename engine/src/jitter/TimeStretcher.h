#pragma once

#include <span>

namespace earshot::jitter {

// Where a stretch may cut or repeat: in a low-energy block any segment will do (a pause or
// background noise hides the seam); in any other block only a whole pitch period found by
// correlation, which keeps the waveform continuous (what NetEQ's accelerate/expand do).
enum class StretchRegion {
    LowEnergy,
    Periodic,
};

// Changes the length of one decoded block of interleaved PCM in place, by overlap-add: to
// shorten, a segment of L frames is cross-faded into the L frames after it (L frames fewer);
// to lengthen, a segment of L frames is repeated with a cross-fade back to its own start
// (L frames more). Also classifies blocks as low energy against a slowly tracked speech level,
// so the jitter buffer changes its delay where nobody hears it.
//
// Pure logic, not thread-safe: one per JitterBuffer, on the stream's playout thread. Never
// allocates (the correlation search works on the block itself).
class TimeStretcher {
public:
    // `sampleRateHz` > 0 and `channels` >= 1 (clamped). Thread: any (construction only).
    TimeStretcher(int sampleRateHz, int channels) noexcept;

    // Whether the first `frames` frames of `block` are quiet: below -50 dBFS RMS, or 20 dB below
    // the speech level tracked over the louder blocks seen so far (unvoiced sounds, pauses with
    // background noise). Call once per decoded block: it updates that level.
    [[nodiscard]] bool isLowEnergy(std::span<const float> block, int frames) noexcept;

    // Removes up to `maxFrames` frames from the first `frames` frames of `block`. Returns the
    // frames removed, 0 when the block is too short (a segment needs 2 * L frames, L >= 1 ms) or
    // `maxFrames` is below 1 ms. Periodic: L is the best pitch lag in 2.5..15 ms (it may exceed
    // `maxFrames` when that is shorter than one period, by less than a period).
    int shorten(std::span<float> block, int frames, int maxFrames, StretchRegion region) noexcept;

    // Inserts up to `maxFrames` frames into the first `frames` frames of `block`, which must
    // have room for the result (`frames` + the returned count, at most frames / 2 more). Returns
    // the frames inserted, 0 when the block is too short or has no room.
    int lengthen(std::span<float> block, int frames, int maxFrames, StretchRegion region) noexcept;

private:
    // The segment length for this block: for LowEnergy the wanted length bounded by the block,
    // for Periodic the lag in [2.5 ms, 15 ms] whose two adjacent segments correlate best.
    [[nodiscard]] int segmentFrames(std::span<const float> block, int frames, int wantFrames,
                                    StretchRegion region) const noexcept;

    int m_sampleRateHz;
    int m_channels;
    double m_speechRms = 0.0; // long-term RMS of the blocks that were not quiet
};

} // namespace earshot::jitter
