#pragma once

#include "record/CaptureRecorder.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <thread>
#include <vector>

// The recorder tests' signal and "media thread": a steady tone, one frequency and amplitude per
// channel, written to a CaptureRecorder in 10 ms blocks.
namespace earshot::record::test {

inline constexpr int kSampleRateHz = 48'000;
inline constexpr int kBlockFrames = 480; // 10 ms

struct Tone {
    double frequencyHz = 440.0;
    double amplitude = 0.5;
};

// Channel 0 (and mono) is 440 Hz at 0.5; channel 1 is 660 Hz at 0.3, so a swapped or mixed pair
// of channels shows in both frequency and level.
inline Tone toneOfChannel(int channel)
{
    return channel == 0 ? Tone{440.0, 0.5} : Tone{660.0, 0.3};
}

// Both tones repeat exactly every 2400 frames (22 and 33 periods): every 5 blocks.
inline constexpr std::int64_t kTonePeriodBlocks = 5;

// Sample `frame` (counted from the source's first frame) of `channel`.
inline float toneSample(std::int64_t frame, int channel)
{
    const Tone tone = toneOfChannel(channel);
    return static_cast<float>(tone.amplitude
                              * std::sin(2.0 * std::numbers::pi * tone.frequencyHz * static_cast<double>(frame)
                                         / kSampleRateHz));
}

// Fills `block` (interleaved, whole frames) with the tone from `firstFrame` on.
inline void fillToneBlock(std::span<float> block, int channels, std::int64_t firstFrame)
{
    const auto step = static_cast<std::size_t>(channels);
    for (std::size_t frame = 0; frame < block.size() / step; ++frame)
        for (int channel = 0; channel < channels; ++channel)
            block[frame * step + static_cast<std::size_t>(channel)]
                = toneSample(firstFrame + static_cast<std::int64_t>(frame), channel);
}

// How the media thread paces its blocks.
enum class Pacing {
    Sleep,           // one block per millisecond: ten times real time, far below the writer's pace
    AsFastAsPossible // back to back (yielding between blocks): for overflow and stress
};

// A separate "media thread" that writes the tone to `recorder` block after block, whether the
// recorder records or not, until stop(). Block k holds frames [k × 480, (k + 1) × 480).
class ToneSource {
public:
    ToneSource(CaptureRecorder& recorder, Pacing pacing)
        : m_recorder(recorder)
        , m_pacing(pacing)
    {
    }
    ~ToneSource() { stop(); }
    ToneSource(const ToneSource&) = delete;
    ToneSource& operator=(const ToneSource&) = delete;

    void start()
    {
        m_thread = std::thread([this] { run(); });
    }

    void stop()
    {
        if (!m_thread.joinable())
            return;
        m_stopRequested.store(true, std::memory_order_relaxed);
        m_thread.join();
    }

    std::int64_t blocksWritten() const { return m_blocksWritten.load(std::memory_order_acquire); }

    // Returns once at least `blocks` blocks were written (or after ten seconds).
    void waitForBlocks(std::int64_t blocks) const
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (blocksWritten() < blocks && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

private:
    void run()
    {
        const int channels = m_recorder.channels();
        std::vector<float> block(static_cast<std::size_t>(kBlockFrames * channels));
        for (std::int64_t index = 0; !m_stopRequested.load(std::memory_order_relaxed); ++index) {
            fillToneBlock(block, channels, index * kBlockFrames);
            m_recorder.write(block);
            m_blocksWritten.store(index + 1, std::memory_order_release);
            if (m_pacing == Pacing::Sleep)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            else
                std::this_thread::yield();
        }
    }

    CaptureRecorder& m_recorder;
    const Pacing m_pacing;
    std::atomic<bool> m_stopRequested{false};
    std::atomic<std::int64_t> m_blocksWritten{0};
    std::thread m_thread;
};

} // namespace earshot::record::test
