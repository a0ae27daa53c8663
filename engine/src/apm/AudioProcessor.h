#pragma once

#include "apm/AudioProcessorTypes.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

namespace earshot::apm {

// Format of both streams. The webrtc processor works in 10 ms chunks, so every block handed to
// processCapture()/processPlayback() is exactly sampleRateHz / 100 interleaved frames.
struct AudioProcessorConfig {
    int sampleRateHz = 48000;  // 8000, 16000, 32000 or 48000 (the library's native rates)
    int captureChannels = 1;   // 1 or 2, interleaved
    int playbackChannels = 1;  // 1 or 2, interleaved (the far-end reference)
    AudioProcessorSettings settings{};
    int streamDelayMs = 0;     // initial echo-path delay hint, see setStreamDelayMs()
};

// "3A" for the capture path: echo cancellation, noise suppression (+ transient suppression),
// automatic gain control and high-pass filtering, backed by webrtc-audio-processing 0.3.
// Built without the library (see CMakeLists.txt), it is a pass-through: isAvailable() is false,
// blocks are still size-checked, and the capture signal is left untouched.
//
// The echo canceller needs the far-end reference: call processPlayback() with every block that is
// actually written to the speaker (the mixer's output after volume), and processCapture() with
// every captured block, in the order they happen; setStreamDelayMs() hints the delay between a
// block reaching processPlayback() and its echo reaching processCapture() (the canceller also
// estimates it itself, delay-agnostic mode, and covers a long echo tail, extended filter).
//
// Thread ownership:
//   - processCapture() belongs to one thread (the media thread's capture path); it also applies
//     pending settings, at the start of the next block.
//   - processPlayback() belongs to one thread (the playback path; may be the same one).
//     The library serialises the two internally with its own short, uncontended locks.
//   - The setters and getters of settings may be called from any thread: they only store atomics.
// Real-time: no allocation per block (the deinterleave buffers are preallocated in the
// constructor). Applying a changed setting reconfigures the library on the capture thread, which
// may allocate (e.g. switching transient suppression on); that happens only on a change.
class AudioProcessor {
public:
    // The configuration must be valid (rate and channels as documented; asserted). Creating the
    // library's processor allocates.
    explicit AudioProcessor(const AudioProcessorConfig& config = {});
    ~AudioProcessor();

    AudioProcessor(const AudioProcessor&) = delete;
    AudioProcessor& operator=(const AudioProcessor&) = delete;

    // True when built with webrtc-audio-processing and its processor was created; false for the
    // pass-through build. Thread: any.
    [[nodiscard]] bool isAvailable() const noexcept;

    const AudioProcessorConfig& config() const noexcept { return m_config; }

    // Frames per block (10 ms): sampleRateHz / 100. Thread: any.
    [[nodiscard]] int blockFrames() const noexcept { return m_config.sampleRateHz / 100; }

    // Processes one captured (near-end) block in place: blockFrames() × captureChannels
    // interleaved floats in [−1, 1]. BadBlockSize for any other size (block untouched);
    // LibraryFailure if the library rejects the block (block left as the library left it; counted
    // in failedBlocks()). Thread: the capture thread; real-time safe (see above).
    [[nodiscard]] ProcessingError processCapture(std::span<float> block);

    // Feeds one far-end (playback) block — what is written to the speaker — as the echo reference:
    // blockFrames() × playbackChannels interleaved floats. Not modified. BadBlockSize for any other
    // size. Thread: the playback thread; real-time safe.
    [[nodiscard]] ProcessingError processPlayback(std::span<const float> block);

    // Switches and modes (API.md §3: enableAEC, setAECMode, enableANS, setANSMode,
    // enableTransientANS, enableAGC). Thread: any; applied at the next processCapture().
    void setEchoCancellationEnabled(bool enabled);
    void setEchoCancellationMode(EchoCancellationMode mode);
    void setNoiseSuppressionEnabled(bool enabled);
    void setNoiseSuppressionMode(NoiseSuppressionMode mode);
    void setTransientSuppressionEnabled(bool enabled);
    void setGainControlEnabled(bool enabled);
    void setHighPassEnabled(bool enabled);
    // All switches at once. Thread: any.
    void setSettings(const AudioProcessorSettings& settings);
    // The settings as last set (not necessarily applied yet). Thread: any.
    [[nodiscard]] AudioProcessorSettings settings() const;

    // Delay hint between processPlayback() receiving a block and processCapture() receiving its
    // echo, in ms: playback buffering + capture buffering. 0–500; BadArgument otherwise.
    // Thread: any; used from the next processCapture().
    [[nodiscard]] ProcessingError setStreamDelayMs(int delayMs);
    [[nodiscard]] int streamDelayMs() const noexcept;

    // Blocks the library rejected since construction. Thread: any.
    [[nodiscard]] std::uint64_t failedBlocks() const noexcept;

    static constexpr int kMaxStreamDelayMs = 500;

private:
    struct Impl;

    void markSettingsChanged();

    AudioProcessorConfig m_config;
    // Settings written by any thread; m_settingsGeneration is bumped (release) after every change
    // and compared (acquire) by processCapture() against the generation it last applied.
    std::atomic<bool> m_echoCancellation;
    std::atomic<EchoCancellationMode> m_echoCancellationMode;
    std::atomic<bool> m_noiseSuppression;
    std::atomic<NoiseSuppressionMode> m_noiseSuppressionMode;
    std::atomic<bool> m_transientSuppression;
    std::atomic<bool> m_gainControl;
    std::atomic<bool> m_highPass;
    std::atomic<std::uint32_t> m_settingsGeneration{1};
    std::atomic<int> m_streamDelayMs;
    std::atomic<std::uint64_t> m_failedBlocks{0};
    std::unique_ptr<Impl> m_impl; // the library state and buffers; owned by the capture thread
};

} // namespace earshot::apm
