#pragma once

#include <span>
#include <vector>

namespace earshot::jitter {

// Decoded PCM waiting to be pulled: a ring of interleaved float samples with a fixed capacity,
// so the playout path only copies. Counts are frames (samples per channel).
//
// Pure logic, not thread-safe: owned by the JitterBuffer, on the stream's playout thread.
class PcmFifo {
public:
    // Allocates capacityFrames * channels samples. Thread: any (construction only).
    PcmFifo(int capacityFrames, int channels);

    [[nodiscard]] int frames() const noexcept { return m_frames; }
    [[nodiscard]] int capacityFrames() const noexcept { return m_capacityFrames; }

    // Appends the first `frames` frames of `samples`; returns the frames appended, fewer when
    // the FIFO is full (a caller bug; JitterBuffer only refills an empty FIFO).
    int push(std::span<const float> samples, int frames) noexcept;

    // Moves up to `frames` frames into `out` (which holds at least frames * channels samples);
    // returns the frames moved.
    int pop(std::span<float> out, int frames) noexcept;

    void clear() noexcept;

private:
    std::vector<float> m_samples;
    int m_channels;
    int m_capacityFrames;
    int m_readFrame = 0;
    int m_frames = 0;
};

} // namespace earshot::jitter
