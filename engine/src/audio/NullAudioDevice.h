#pragma once

#include "audio/AudioDevice.h"
#include "audio/ClockThread.h"

#include <atomic>
#include <vector>

namespace earshot::audio {

// The null backend: the callback gets silence as input and its output is discarded, once per
// period of real (steady-clock) time, so everything above the device runs at its real pace
// without a sound card or a file.
//
// Thread ownership: as AudioDevice. The callback runs on this device's ClockThread, which owns
// the two period buffers while running.
class NullAudioDevice final : public AudioDevice {
public:
    NullAudioDevice() = default;
    ~NullAudioDevice() override;

    // Errors: InvalidDeviceId when the engine format is not AudioFormat::isValid(); Generic when
    // not Closed. Device IDs are ignored.
    [[nodiscard]] AudioError open(const AudioStreamConfig& config, AudioCallback& callback) override;
    [[nodiscard]] AudioError start() override;
    void stop() override;
    void close() override;
    // Never fails.
    [[nodiscard]] AudioError checkHealth() override { return AudioError::None; }

    AudioDeviceState state() const override { return m_state.load(std::memory_order_acquire); }
    AudioError lastError() const override { return m_lastError.load(std::memory_order_acquire); }
    AudioFormat format() const override { return m_format; }

    // Periods delivered by this device so far. Thread: any.
    std::uint64_t periods() const { return m_clock.ticks(); }

private:
    void tick();

    AudioFormat m_format;
    AudioCallback* m_callback = nullptr;
    std::vector<float> m_input;  // silence, never written after open()
    std::vector<float> m_output; // discarded
    ClockThread m_clock;
    std::atomic<AudioDeviceState> m_state{AudioDeviceState::Closed};
    std::atomic<AudioError> m_lastError{AudioError::None};
};

} // namespace earshot::audio
