#pragma once

#include "audio/AudioDevice.h"
#include "audio/ClockThread.h"
#include "audio/SignalGenerator.h"
#include "audio/SpscRing.h"
#include "audio/VirtualDeviceConfig.h"
#include "audio/WavWriter.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace earshot::audio {

// The virtual backend (DESIGN.md §6): a sound card made of files and generators, for tests, the
// headless client and benchmarks. Capture comes from a WAV file (converted once, at open(), to
// the engine format with dsp::Resampler and dsp::ChannelMixer) or a SignalGenerator; playback
// goes to a WAV file or nowhere. The callback runs on a ClockThread once per period, in real
// time or as fast as possible, under the same contract as a real device.
//
// Thread ownership: as AudioDevice. While running, the clock thread owns the capture data, the
// generator and the period buffers, and is the producer of the playback ring; a writer thread
// (only with an output file) is its consumer and owns the WavWriter, so no file I/O happens on
// the clock thread. In RealTime pacing a full ring drops playback (counted); AsFastAsPossible
// waits for the writer instead, so no audio is lost.
class VirtualAudioDevice final : public AudioDevice {
public:
    explicit VirtualAudioDevice(VirtualDeviceConfig config);
    ~VirtualAudioDevice() override;

    // Reads and converts the input WAV, creates the output WAV. Errors: InvalidDeviceId (engine
    // format not AudioFormat::isValid(), or the input WAV missing or unreadable — see
    // wavError()), Generic (not Closed, or the output WAV cannot be created). Device IDs are
    // ignored. Allocates the whole converted input (about 11.5 MB per stereo minute).
    [[nodiscard]] AudioError open(const AudioStreamConfig& config, AudioCallback& callback) override;
    [[nodiscard]] AudioError start() override;
    // Stops the clock, then lets the writer thread write everything still buffered.
    void stop() override;
    // Finishes the output WAV (patches its header).
    void close() override;
    // Never fails (file errors show in wavError()).
    [[nodiscard]] AudioError checkHealth() override { return AudioError::None; }

    AudioDeviceState state() const override { return m_state.load(std::memory_order_acquire); }
    AudioError lastError() const override { return m_lastError.load(std::memory_order_acquire); }
    AudioFormat format() const override { return m_format; }

    // Thread: any. Whether all of the WAV input has been delivered at least once (false for a
    // generator).
    bool inputFinished() const { return m_inputFinished.load(std::memory_order_acquire); }
    // Thread: any. Periods delivered so far.
    std::uint64_t periods() const { return m_clock.ticks(); }
    // Thread: any. Playback frames lost because the writer fell behind (RealTime pacing only).
    std::uint64_t droppedOutputFrames() const { return m_droppedOutputFrames.load(std::memory_order_relaxed); }
    // Thread: any. The last WAV error (input at open(), output while writing or closing).
    WavError wavError() const { return m_wavError.load(std::memory_order_acquire); }

private:
    AudioError loadInput();
    void tick();
    void fillInput();
    void pushOutput();
    void writerLoop();
    void stopWriter();

    const VirtualDeviceConfig m_config;
    AudioFormat m_format;
    AudioCallback* m_callback = nullptr;

    // Owned by the clock thread while running.
    std::vector<float> m_inputSamples; // the whole converted input WAV
    std::size_t m_inputPosition = 0;   // in samples
    SignalGenerator m_generator;
    std::vector<float> m_inputPeriod;
    std::vector<float> m_outputPeriod;

    // Playback: clock thread → writer thread.
    std::unique_ptr<SpscRing<float>> m_outputRing;
    std::vector<float> m_writerBuffer; // the writer thread's
    WavWriter m_writer;                // the writer thread's while running, the owner's otherwise
    std::thread m_writerThread;
    std::atomic<bool> m_writerStopRequested{false};

    ClockThread m_clock;
    std::atomic<AudioDeviceState> m_state{AudioDeviceState::Closed};
    std::atomic<AudioError> m_lastError{AudioError::None};
    std::atomic<WavError> m_wavError{WavError::None};
    std::atomic<bool> m_inputFinished{false};
    std::atomic<std::uint64_t> m_droppedOutputFrames{0};
};

} // namespace earshot::audio
