#include "audio/VirtualAudioDevice.h"

#include "audio/WavReader.h"
#include "dsp/ChannelMixer.h"
#include "dsp/Resampler.h"

#include <algorithm>
#include <chrono>

namespace earshot::audio {

namespace {

// How often the writer thread looks for playback to write when the ring was empty.
constexpr auto kWriterIdleSleep = std::chrono::milliseconds(5);
// How long the clock thread waits for ring space in AsFastAsPossible pacing before retrying.
constexpr auto kFullRingSleep = std::chrono::microseconds(200);

} // namespace

VirtualAudioDevice::VirtualAudioDevice(VirtualDeviceConfig config)
    : m_config(std::move(config))
{
}

VirtualAudioDevice::~VirtualAudioDevice()
{
    close();
}

AudioError VirtualAudioDevice::open(const AudioStreamConfig& config, AudioCallback& callback)
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
    m_wavError.store(WavError::None, std::memory_order_release);
    m_inputFinished.store(false, std::memory_order_release);
    m_droppedOutputFrames.store(0, std::memory_order_relaxed);

    error = loadInput();
    if (error == AudioError::None && !m_config.outputWavPath.empty()) {
        const WavError wavError = m_writer.open(m_config.outputWavPath, m_format.sampleRateHz, m_format.channels,
                                                m_config.outputSampleFormat);
        if (wavError != WavError::None) {
            m_wavError.store(wavError, std::memory_order_release);
            error = AudioError::Generic;
        }
    }
    if (error != AudioError::None) {
        m_inputSamples = {};
        m_lastError.store(error, std::memory_order_release);
        return error;
    }

    const auto periodSamples = static_cast<std::size_t>(m_format.framesPerPeriod * m_format.channels);
    m_inputPeriod.assign(periodSamples, 0.0f);
    m_outputPeriod.assign(periodSamples, 0.0f);
    if (m_writer.isOpen()) {
        const auto ringSamples = static_cast<std::size_t>(std::max(m_config.outputBufferMs, 100))
            * static_cast<std::size_t>(m_format.sampleRateHz / 1000 * m_format.channels);
        m_outputRing = std::make_unique<SpscRing<float>>(std::max(ringSamples, periodSamples * 4));
        // A whole number of frames, like everything in the ring, so no read splits a frame.
        m_writerBuffer.assign(periodSamples * 8, 0.0f);
    }
    m_callback = &callback;
    m_state.store(AudioDeviceState::Open, std::memory_order_release);
    return AudioError::None;
}

// The whole input WAV, converted once to the engine format, so the clock thread only copies.
AudioError VirtualAudioDevice::loadInput()
{
    m_inputSamples.clear();
    m_inputPosition = 0;
    if (m_config.inputWavPath.empty()) {
        m_generator = SignalGenerator(m_config.generator, m_format.sampleRateHz, m_format.channels);
        return AudioError::None;
    }

    WavReader reader;
    WavError wavError = reader.open(m_config.inputWavPath);
    std::vector<float> fileSamples;
    if (wavError == WavError::None)
        wavError = reader.readAll(fileSamples);
    if (wavError != WavError::None) {
        m_wavError.store(wavError, std::memory_order_release);
        return AudioError::InvalidDeviceId;
    }

    const WavInfo info = reader.info();
    const std::size_t frames = fileSamples.size() / static_cast<std::size_t>(info.channels);
    std::vector<float> mixed(frames * static_cast<std::size_t>(m_format.channels));
    dsp::ChannelMixer::mix(fileSamples, info.channels, mixed, m_format.channels, static_cast<int>(frames));

    dsp::Resampler resampler;
    if (resampler.init(m_format.channels, info.sampleRateHz, m_format.sampleRateHz) != dsp::ResamplerError::None)
        return AudioError::Generic;
    m_inputSamples = resampler.processAll(mixed);
    return AudioError::None;
}

AudioError VirtualAudioDevice::start()
{
    if (state() != AudioDeviceState::Open)
        return AudioError::Generic;
    if (m_outputRing) {
        m_writerStopRequested.store(false, std::memory_order_relaxed);
        m_writerThread = std::thread([this] { writerLoop(); });
    }
    const auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(m_format.framesPerPeriod) * 1'000'000'000
                                                 / m_format.sampleRateHz);
    m_clock.start(period, m_config.pacing, [this] { tick(); });
    m_state.store(AudioDeviceState::Running, std::memory_order_release);
    return AudioError::None;
}

// The clock thread, once per period: the real-time path. Copies, generates and hands over
// through the ring; no allocation, no I/O (the writer thread does that).
void VirtualAudioDevice::tick()
{
    fillInput();
    m_callback->process(m_inputPeriod.data(), m_outputPeriod.data(), m_format.framesPerPeriod);
    if (m_outputRing)
        pushOutput();
}

void VirtualAudioDevice::fillInput()
{
    if (m_config.inputWavPath.empty()) {
        m_generator.generate(m_inputPeriod);
        return;
    }
    std::size_t filled = 0;
    while (filled < m_inputPeriod.size()) {
        if (m_inputPosition >= m_inputSamples.size()) {
            m_inputFinished.store(true, std::memory_order_release);
            if (m_config.inputEnd == InputEnd::Silence || m_inputSamples.empty())
                break;
            m_inputPosition = 0;
        }
        const std::size_t count = std::min(m_inputPeriod.size() - filled, m_inputSamples.size() - m_inputPosition);
        std::copy_n(m_inputSamples.begin() + static_cast<std::ptrdiff_t>(m_inputPosition), count,
                    m_inputPeriod.begin() + static_cast<std::ptrdiff_t>(filled));
        m_inputPosition += count;
        filled += count;
    }
    std::fill(m_inputPeriod.begin() + static_cast<std::ptrdiff_t>(filled), m_inputPeriod.end(), 0.0f);
}

void VirtualAudioDevice::pushOutput()
{
    // The device clips, as AudioCallback promises.
    for (float& sample : m_outputPeriod)
        sample = std::clamp(sample, -1.0f, 1.0f);
    const auto channels = static_cast<std::size_t>(m_format.channels);
    std::span<const float> pending(m_outputPeriod);
    // Only whole frames enter the ring, so the writer never sees a channel-shifted stream.
    const auto writeWholeFrames = [&] {
        const std::size_t room = std::min(pending.size(), m_outputRing->freeToWrite());
        pending = pending.subspan(m_outputRing->write(pending.first(room - room % channels)));
    };
    writeWholeFrames();
    if (m_config.pacing == Pacing::RealTime) {
        m_droppedOutputFrames.fetch_add(pending.size() / channels, std::memory_order_relaxed);
        return;
    }
    // Not a real-time clock: waiting for the writer keeps every sample.
    while (!pending.empty()) {
        std::this_thread::sleep_for(kFullRingSleep);
        writeWholeFrames();
    }
}

void VirtualAudioDevice::writerLoop()
{
    for (;;) {
        // Read the stop flag before draining: whatever the clock wrote before stop() is then
        // in the ring and is written by this last pass.
        const bool stopping = m_writerStopRequested.load(std::memory_order_acquire);
        std::size_t read = 0;
        while ((read = m_outputRing->read(m_writerBuffer)) > 0) {
            const WavError error = m_writer.write(std::span<const float>(m_writerBuffer).first(read));
            if (error != WavError::None)
                m_wavError.store(error, std::memory_order_release);
        }
        if (stopping)
            return;
        std::this_thread::sleep_for(kWriterIdleSleep);
    }
}

void VirtualAudioDevice::stopWriter()
{
    if (!m_writerThread.joinable())
        return;
    m_writerStopRequested.store(true, std::memory_order_release);
    m_writerThread.join();
}

void VirtualAudioDevice::stop()
{
    if (state() != AudioDeviceState::Running)
        return;
    m_clock.stop();
    stopWriter();
    m_state.store(AudioDeviceState::Open, std::memory_order_release);
}

void VirtualAudioDevice::close()
{
    stop();
    if (m_writer.isOpen()) {
        const WavError error = m_writer.close();
        if (error != WavError::None)
            m_wavError.store(error, std::memory_order_release);
    }
    m_outputRing.reset();
    m_writerBuffer = {};
    m_inputSamples = {};
    m_inputPeriod = {};
    m_outputPeriod = {};
    m_callback = nullptr;
    m_format = {};
    m_state.store(AudioDeviceState::Closed, std::memory_order_release);
}

} // namespace earshot::audio
