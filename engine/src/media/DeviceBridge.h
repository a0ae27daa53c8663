#pragma once

#include "audio/AudioCallback.h"
#include "audio/SpscRing.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace earshot::media {

// The device end of the media thread (DESIGN.md §3): the AudioCallback a device drives, which
// only moves samples between the device and two lock-free rings. Captured samples go into the
// capture ring for the media thread; the playback ring, which the media thread keeps filled,
// goes to the speaker. Everything else (3A, coding, mixing) happens on the media thread, so a
// slow decode never makes the device miss a deadline.
//
// Thread ownership: process() runs on the device's real-time thread and follows the real-time
// contract (AudioCallback.h): ring ends and relaxed atomics only. The media-side calls
// (readCapture(), captureAvailable(), writePlayback(), playbackQueued()) belong to one media
// thread. The counters may be read from any thread. All memory is allocated by the constructor.
class DeviceBridge final : public audio::AudioCallback {
public:
    // `channels` of both directions (the device's engine format); ring capacities in frames.
    DeviceBridge(int channels, int captureCapacityFrames, int playbackCapacityFrames);

    // AudioCallback: captured → capture ring (what does not fit is dropped and counted);
    // playback ring → output, the missing part silence (counted as underrun).
    void process(const float* input, float* output, int frames) override;

    // Media thread: interleaved samples captured and not yet read.
    [[nodiscard]] std::size_t captureAvailable() { return m_capture.availableToRead(); }
    // Media thread: reads up to out.size() samples, oldest first; returns how many.
    std::size_t readCapture(std::span<float> out) { return m_capture.read(out); }
    // Media thread: samples queued for the speaker (at least this many are left).
    [[nodiscard]] std::size_t playbackQueued() { return m_playback.capacity() - m_playback.freeToWrite(); }
    // Media thread: appends samples for the speaker; returns how many fitted.
    std::size_t writePlayback(std::span<const float> samples) { return m_playback.write(samples); }

    [[nodiscard]] int channels() const { return m_channels; }
    // Any thread: samples the capture ring had no room for (the media thread fell behind).
    [[nodiscard]] std::int64_t captureOverflowSamples() const { return m_captureOverflow.load(std::memory_order_relaxed); }
    // Any thread: output samples played as silence because the playback ring ran dry, counted
    // only after the first samples were queued (the start is not an underrun).
    [[nodiscard]] std::int64_t playbackUnderrunSamples() const { return m_playbackUnderrun.load(std::memory_order_relaxed); }
    // Any thread: device callbacks so far.
    [[nodiscard]] std::int64_t callbacks() const { return m_callbacks.load(std::memory_order_relaxed); }

private:
    const int m_channels;
    audio::SpscRing<float> m_capture;
    audio::SpscRing<float> m_playback;
    bool m_playbackStarted = false; // device thread only
    std::atomic<std::int64_t> m_captureOverflow {0};
    std::atomic<std::int64_t> m_playbackUnderrun {0};
    std::atomic<std::int64_t> m_callbacks {0};
};

} // namespace earshot::media
