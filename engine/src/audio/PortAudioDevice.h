#pragma once

#include "audio/AudioDevice.h"
#include "audio/CaptureConverter.h"
#include "audio/PlaybackConverter.h"
#include "audio/SpscRing.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace earshot::audio {

class PortAudioSystem;

// The real backend: one PortAudio stream per direction, opened on the chosen or default device,
// at the engine's rate when the device supports it (else at the device's default rate, or the
// rate AudioStreamConfig asks for) and with the engine's channel count when possible.
// CaptureConverter and PlaybackConverter convert at the boundary, so the AudioCallback always
// sees the engine format in fixed periods.
//
// Why two streams, not one duplex stream: input and output may be different devices with
// different clocks and rates, and one of them may vanish while the other carries on. In a duplex
// stream the playback callback is the clock (DESIGN.md §3): the capture callback converts and
// pushes into an SpscRing, and each engine period the playback side pops one period of capture
// (silence when it underruns; the oldest audio is dropped when capture runs ahead, so the added
// latency stays under kMaxCaptureBacklogPeriods periods). Capture-only streams run the callback
// from the capture side.
//
// Vanished devices: a stream whose device goes away either ends (PortAudio's finished callback,
// Pa_IsStreamActive() false — e.g. a USB device unplugged, the sound server gone) or stops
// calling back. checkHealth() detects both (kStallTimeout without a callback, after
// kStartupGrace) and moves the device to Failed with Unplugged (ZeroCapture for a stalled
// capture side). stop() and close() abort streams rather than drain them, so they never hang on
// a dead device — with one exception outside our reach: PortAudio 19.6's ALSA capture thread
// can loop forever when the sound server dies mid-poll (pa_linux_alsa.c:3958), and then the
// abort waits on it for good. Seen on every run under ASan/TSan, never in optimised builds
// (MediaSessionHotPlugTest says more). Not detectable: a stream that the PulseAudio server
// killed on its side keeps calling back through ALSA's pulse plugin as if it were fine (its
// audio goes nowhere).
//
// Thread ownership: as AudioDevice. The PortAudio callback threads own the converters, the
// period buffers and their ring end while running; they call no PortAudio function and only
// touch atomics and preallocated memory. Every other PortAudio call holds PortAudioSystem's lock.
class PortAudioDevice final : public AudioDevice, private PlaybackConverter::Source {
public:
    // This long without a callback means the stream is dead…
    static constexpr std::chrono::milliseconds kStallTimeout{1500};
    // …once the stream has had this long to start.
    static constexpr std::chrono::milliseconds kStartupGrace{5000};
    static constexpr int kMaxCaptureBacklogPeriods = 4;

    // `system` must outlive the device.
    explicit PortAudioDevice(PortAudioSystem& system);
    ~PortAudioDevice() override;
    PortAudioDevice(const PortAudioDevice&) = delete;
    PortAudioDevice& operator=(const PortAudioDevice&) = delete;

    // Errors: InvalidDeviceId (unknown ID, no channels for a requested direction, no supported
    // rate/channel combination, invalid engine format), InUse, NoPermission, Generic (not Closed,
    // PortAudio not initialised, other backend errors).
    [[nodiscard]] AudioError open(const AudioStreamConfig& config, AudioCallback& callback) override;
    [[nodiscard]] AudioError start() override;
    void stop() override;
    void close() override;
    [[nodiscard]] AudioError checkHealth() override;

    AudioDeviceState state() const override { return m_state.load(std::memory_order_acquire); }
    AudioError lastError() const override { return m_lastError.load(std::memory_order_acquire); }
    AudioFormat format() const override { return m_format; }

    // What the device side was opened with (0 when that direction is not open). Thread: owner.
    int inputDeviceRateHz() const { return m_input.rateHz; }
    int outputDeviceRateHz() const { return m_output.rateHz; }
    int inputDeviceChannels() const { return m_input.channels; }
    int outputDeviceChannels() const { return m_output.channels; }

    // Counters since open(). Thread: any.
    std::uint64_t periods() const { return m_periods.load(std::memory_order_relaxed); }
    // Device over/underflows PortAudio reported (glitches heard or lost).
    std::uint64_t deviceXruns() const { return m_deviceXruns.load(std::memory_order_relaxed); }
    // Duplex: engine periods that found less than a period of capture (padded with silence), and
    // capture frames dropped to bound latency or because the ring was full.
    std::uint64_t captureUnderruns() const { return m_captureUnderruns.load(std::memory_order_relaxed); }
    std::uint64_t droppedCaptureFrames() const { return m_droppedCaptureFrames.load(std::memory_order_relaxed); }

private:
    friend struct PortAudioCallbacks;

    // One PortAudio stream and what the owner thread knows about it.
    struct Side {
        void* stream = nullptr; // PaStream*
        int rateHz = 0;
        int channels = 0;
        int framesPerBuffer = 0;
        std::atomic<std::uint64_t> callbacks{0};
        std::atomic<bool> finished{false};
        // Owner thread only: stall detection.
        std::uint64_t lastSeenCallbacks = 0;
        std::chrono::steady_clock::time_point lastProgress{};
    };

    AudioError openSide(Side& side, bool isInput, const AudioStreamConfig& config);
    void closeStreams();
    void fail(AudioError error);

    // Real-time callbacks (PortAudioCallbacks forwards to these).
    void onCapture(const float* input, unsigned long frames, unsigned long statusFlags);
    void onPlayback(float* output, unsigned long frames, unsigned long statusFlags);
    void renderPeriod(float* engineOutput) override; // PlaybackConverter::Source
    void runCallbackFromCapture();

    PortAudioSystem& m_system;
    AudioFormat m_format;
    StreamDirections m_directions = StreamDirections::Duplex;
    AudioCallback* m_callback = nullptr;
    Side m_input;
    Side m_output;

    // Real-time state, allocated in open().
    CaptureConverter m_captureConverter;
    PlaybackConverter m_playbackConverter;
    std::vector<float> m_captureBlock;                // one converted capture block
    std::unique_ptr<SpscRing<float>> m_captureRing;   // engine-format capture, in samples
    std::vector<float> m_inputPeriod;
    std::vector<float> m_scratchOutput;               // capture-only: the discarded output
    bool m_captureStarted = false;                    // playback thread: capture has begun
    std::chrono::steady_clock::time_point m_startTime{}; // owner thread

    std::atomic<AudioDeviceState> m_state{AudioDeviceState::Closed};
    std::atomic<AudioError> m_lastError{AudioError::None};
    std::atomic<std::uint64_t> m_periods{0};
    std::atomic<std::uint64_t> m_deviceXruns{0};
    std::atomic<std::uint64_t> m_captureUnderruns{0};
    std::atomic<std::uint64_t> m_droppedCaptureFrames{0};
};

} // namespace earshot::audio
