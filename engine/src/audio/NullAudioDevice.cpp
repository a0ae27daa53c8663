#include "audio/NullAudioDevice.h"

#include <chrono>

namespace earshot::audio {

NullAudioDevice::~NullAudioDevice()
{
    close();
}

AudioError NullAudioDevice::open(const AudioStreamConfig& config, AudioCallback& callback)
{
    AudioError error = AudioError::None;
    if (state() != AudioDeviceState::Closed)
        error = AudioError::Generic;
    else if (!config.engineFormat.isValid())
        error = AudioError::InvalidDeviceId;
    m_lastError.store(error, std::memory_order_release);
    if (error != AudioError::None)
        return error;

    m_format = config.engineFormat;
    m_callback = &callback;
    const auto samples = static_cast<std::size_t>(m_format.framesPerPeriod * m_format.channels);
    m_input.assign(samples, 0.0f);
    m_output.assign(samples, 0.0f);
    m_state.store(AudioDeviceState::Open, std::memory_order_release);
    return AudioError::None;
}

AudioError NullAudioDevice::start()
{
    if (state() != AudioDeviceState::Open)
        return AudioError::Generic;
    const auto period = std::chrono::nanoseconds(
        static_cast<std::int64_t>(m_format.framesPerPeriod) * 1'000'000'000 / m_format.sampleRateHz);
    m_clock.start(period, Pacing::RealTime, [this] { tick(); });
    m_state.store(AudioDeviceState::Running, std::memory_order_release);
    return AudioError::None;
}

void NullAudioDevice::tick()
{
    m_callback->process(m_input.data(), m_output.data(), m_format.framesPerPeriod);
}

void NullAudioDevice::stop()
{
    if (state() != AudioDeviceState::Running)
        return;
    m_clock.stop();
    m_state.store(AudioDeviceState::Open, std::memory_order_release);
}

void NullAudioDevice::close()
{
    stop();
    m_callback = nullptr;
    m_input = {};
    m_output = {};
    m_format = {};
    m_state.store(AudioDeviceState::Closed, std::memory_order_release);
}

} // namespace earshot::audio
