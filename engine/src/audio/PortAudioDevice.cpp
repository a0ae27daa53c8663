#include "audio/PortAudioDevice.h"

#include "audio/PortAudioSystem.h"

#include <portaudio.h>

#include <algorithm>
#include <cerrno>
#include <cmath>

namespace earshot::audio {

// PortAudio's C callbacks, forwarding to the device's private real-time methods.
struct PortAudioCallbacks {
    static int capture(const void* input, void* /*output*/, unsigned long frames,
                       const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags, void* device)
    {
        static_cast<PortAudioDevice*>(device)->onCapture(static_cast<const float*>(input), frames, flags);
        return paContinue;
    }

    static int playback(const void* /*input*/, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags, void* device)
    {
        static_cast<PortAudioDevice*>(device)->onPlayback(static_cast<float*>(output), frames, flags);
        return paContinue;
    }

    // Called when a stream ends, by stop() or on its own (the device died). May run on the
    // callback thread: only an atomic store.
    static void captureFinished(void* device)
    {
        static_cast<PortAudioDevice*>(device)->m_input.finished.store(true, std::memory_order_release);
    }

    static void playbackFinished(void* device)
    {
        static_cast<PortAudioDevice*>(device)->m_output.finished.store(true, std::memory_order_release);
    }
};

namespace {

AudioError toAudioError(PaError error)
{
    switch (error) {
    case paNoError:
        return AudioError::None;
    case paInvalidDevice:
    case paInvalidChannelCount:
    case paInvalidSampleRate:
    case paSampleFormatNotSupported:
    case paBadIODeviceCombination:
        return AudioError::InvalidDeviceId;
    case paDeviceUnavailable:
        return AudioError::InUse;
    case paUnanticipatedHostError: {
        // ALSA reports negative errno values; other host APIs use their own codes.
        const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo();
        if (host == nullptr || host->hostApiType != paALSA)
            return AudioError::Generic;
        switch (-host->errorCode) {
        case EBUSY:
            return AudioError::InUse;
        case EACCES:
        case EPERM:
            return AudioError::NoPermission;
        case ENODEV:
        case ENOENT:
        case ENXIO:
            return AudioError::Unplugged;
        default:
            return AudioError::Generic;
        }
    }
    default:
        return AudioError::Generic;
    }
}

constexpr PaStreamCallbackFlags kXrunFlags = paInputUnderflow | paInputOverflow | paOutputUnderflow | paOutputOverflow;

} // namespace

PortAudioDevice::PortAudioDevice(PortAudioSystem& system)
    : m_system(system)
{
}

PortAudioDevice::~PortAudioDevice()
{
    close();
}

AudioError PortAudioDevice::open(const AudioStreamConfig& config, AudioCallback& callback)
{
    if (state() != AudioDeviceState::Closed) {
        m_lastError.store(AudioError::Generic, std::memory_order_release);
        return AudioError::Generic; // misuse: leave the open stream alone
    }
    AudioError error = AudioError::None;
    {
        auto lock = m_system.lock();
        if (!m_system.m_initialised)
            error = AudioError::Generic;
        else if (!config.engineFormat.isValid() || config.resamplerQuality < 0 || config.resamplerQuality > 10)
            error = AudioError::InvalidDeviceId;
        if (error == AudioError::None) {
            m_format = config.engineFormat;
            m_directions = config.directions;
            if (hasInput(m_directions))
                error = openSide(m_input, true, config);
            if (error == AudioError::None && hasOutput(m_directions))
                error = openSide(m_output, false, config);
        }
    }
    if (error == AudioError::None) {
        const int periodSamples = m_format.framesPerPeriod * m_format.channels;
        bool converted = true;
        std::size_t ringSamples = 0;
        if (hasInput(m_directions)) {
            converted = m_captureConverter.init(m_input.rateHz, m_input.channels, m_format, m_input.framesPerBuffer,
                                                config.resamplerQuality);
            const int blockSamples = m_captureConverter.maxEngineFrames() * m_format.channels;
            m_captureBlock.assign(static_cast<std::size_t>(blockSamples), 0.0f);
            // Room for the backlog limit plus a block arriving on top of it.
            ringSamples = static_cast<std::size_t>((kMaxCaptureBacklogPeriods + 1) * periodSamples + 2 * blockSamples);
        }
        if (converted && hasOutput(m_directions))
            converted = m_playbackConverter.init(m_output.rateHz, m_output.channels, m_format,
                                                 m_output.framesPerBuffer, config.resamplerQuality);
        if (!converted) {
            error = AudioError::InvalidDeviceId;
        } else {
            m_captureRing = ringSamples > 0 ? std::make_unique<SpscRing<float>>(ringSamples) : nullptr;
            m_inputPeriod.assign(static_cast<std::size_t>(periodSamples), 0.0f);
            m_scratchOutput.assign(static_cast<std::size_t>(periodSamples), 0.0f);
            m_callback = &callback;
        }
    }
    if (error != AudioError::None) {
        close();
        m_lastError.store(error, std::memory_order_release);
        return error;
    }
    m_periods.store(0, std::memory_order_relaxed);
    m_deviceXruns.store(0, std::memory_order_relaxed);
    m_captureUnderruns.store(0, std::memory_order_relaxed);
    m_droppedCaptureFrames.store(0, std::memory_order_relaxed);
    m_lastError.store(AudioError::None, std::memory_order_release);
    m_state.store(AudioDeviceState::Open, std::memory_order_release);
    return AudioError::None;
}

// System lock held. Picks a rate and channel count the device accepts (engine's first), then
// opens the stream with a buffer of one engine period at the device's rate.
AudioError PortAudioDevice::openSide(Side& side, bool isInput, const AudioStreamConfig& config)
{
    const DeviceDirection direction = isInput ? DeviceDirection::Input : DeviceDirection::Output;
    PortAudioSystem::ResolvedDevice device;
    if (!m_system.resolve(isInput ? config.inputDeviceId : config.outputDeviceId, direction, device)) {
        m_system.m_refreshWanted = true; // the list may be stale: look again at the next enumeration
        return AudioError::InvalidDeviceId;
    }
    const int maxChannels = isInput ? device.info.maxInputChannels : device.info.maxOutputChannels;

    std::vector<int> channelChoices{m_format.channels, std::min(maxChannels, 2), maxChannels};
    std::vector<double> rateChoices;
    if (config.deviceSampleRateHz > 0)
        rateChoices = {static_cast<double>(config.deviceSampleRateHz)};
    else
        rateChoices = {static_cast<double>(m_format.sampleRateHz), device.info.defaultSampleRateHz};

    const double periodSeconds = static_cast<double>(m_format.framesPerPeriod) / m_format.sampleRateHz;
    PaStreamParameters parameters{};
    parameters.device = device.index;
    parameters.sampleFormat = paFloat32;
    parameters.suggestedLatency = config.suggestedLatencyMs > 0
        ? config.suggestedLatencyMs / 1000.0
        : std::max(device.defaultLowLatencySeconds, 2 * periodSeconds);
    parameters.hostApiSpecificStreamInfo = nullptr;

    double rate = 0.0;
    for (const double candidateRate : rateChoices) {
        for (const int channels : channelChoices) {
            if (channels < 1 || channels > maxChannels || candidateRate <= 0.0)
                continue;
            parameters.channelCount = channels;
            if (Pa_IsFormatSupported(isInput ? &parameters : nullptr, isInput ? nullptr : &parameters, candidateRate)
                == paFormatIsSupported) {
                rate = candidateRate;
                break;
            }
        }
        if (rate > 0.0)
            break;
    }
    if (rate <= 0.0)
        return AudioError::InvalidDeviceId;

    const auto framesPerBuffer = static_cast<unsigned long>(std::max(1L, std::lround(periodSeconds * rate)));
    PaStream* stream = nullptr;
    const PaError error = Pa_OpenStream(&stream, isInput ? &parameters : nullptr, isInput ? nullptr : &parameters,
                                        rate, framesPerBuffer, paClipOff | paDitherOff,
                                        isInput ? &PortAudioCallbacks::capture : &PortAudioCallbacks::playback, this);
    if (error != paNoError) {
        m_system.m_refreshWanted = true; // a listed device that cannot open may be gone
        return toAudioError(error);
    }
    Pa_SetStreamFinishedCallback(stream, isInput ? &PortAudioCallbacks::captureFinished
                                                 : &PortAudioCallbacks::playbackFinished);
    m_system.streamOpened();
    side.stream = stream;
    side.rateHz = static_cast<int>(rate);
    side.channels = parameters.channelCount;
    side.framesPerBuffer = static_cast<int>(framesPerBuffer);
    return AudioError::None;
}

AudioError PortAudioDevice::start()
{
    auto lock = m_system.lock();
    if (state() != AudioDeviceState::Open)
        return AudioError::Generic;

    // No callback runs now: the owner may reset the real-time state. Starting a stream creates
    // its callback thread, which publishes these writes to it.
    m_captureConverter.reset();
    m_playbackConverter.reset();
    if (m_captureRing)
        m_captureRing->discard(m_captureRing->availableToRead());
    std::fill(m_inputPeriod.begin(), m_inputPeriod.end(), 0.0f);
    m_captureStarted = false;
    const auto now = std::chrono::steady_clock::now();
    m_startTime = now;
    for (Side* side : {&m_input, &m_output}) {
        side->finished.store(false, std::memory_order_release);
        side->lastSeenCallbacks = side->callbacks.load(std::memory_order_relaxed);
        side->lastProgress = now;
    }

    PaError error = paNoError;
    bool inputStarted = false;
    if (m_input.stream != nullptr) {
        error = Pa_StartStream(m_input.stream);
        inputStarted = error == paNoError;
    }
    if (error == paNoError && m_output.stream != nullptr)
        error = Pa_StartStream(m_output.stream);
    if (error != paNoError) {
        if (inputStarted)
            Pa_AbortStream(m_input.stream);
        const AudioError audioError = toAudioError(error);
        m_lastError.store(audioError, std::memory_order_release);
        return audioError;
    }
    m_state.store(AudioDeviceState::Running, std::memory_order_release);
    return AudioError::None;
}

void PortAudioDevice::stop()
{
    auto lock = m_system.lock();
    const AudioDeviceState current = state();
    if (current != AudioDeviceState::Running && current != AudioDeviceState::Failed)
        return;
    // Abort, never Pa_StopStream: stopping drains the output, and draining a stream whose
    // device died can block forever (seen with ALSA's pulse plugin: snd_pcm_drain on a stream
    // the server killed never returns). Abort drops the last buffered milliseconds instead.
    for (Side* side : {&m_input, &m_output}) {
        if (side->stream != nullptr)
            Pa_AbortStream(side->stream);
    }
    if (current == AudioDeviceState::Running)
        m_state.store(AudioDeviceState::Open, std::memory_order_release);
}

void PortAudioDevice::close()
{
    stop();
    closeStreams();
    m_captureRing.reset();
    m_captureBlock = {};
    m_inputPeriod = {};
    m_scratchOutput = {};
    m_callback = nullptr;
    m_format = {};
    m_state.store(AudioDeviceState::Closed, std::memory_order_release);
}

void PortAudioDevice::closeStreams()
{
    auto lock = m_system.lock();
    const bool failed = state() == AudioDeviceState::Failed;
    for (Side* side : {&m_input, &m_output}) {
        if (side->stream != nullptr) {
            Pa_CloseStream(side->stream);
            m_system.streamClosed(failed);
        }
        side->stream = nullptr;
        side->rateHz = 0;
        side->channels = 0;
        side->framesPerBuffer = 0;
    }
}

AudioError PortAudioDevice::checkHealth()
{
    if (state() == AudioDeviceState::Failed)
        return lastError();
    if (state() != AudioDeviceState::Running)
        return AudioError::None;
    auto lock = m_system.lock();
    const auto now = std::chrono::steady_clock::now();
    for (Side* side : {&m_input, &m_output}) {
        if (side->stream == nullptr)
            continue;
        const bool isInput = side == &m_input;
        const bool ended = side->finished.load(std::memory_order_acquire) || Pa_IsStreamActive(side->stream) != 1;
        const std::uint64_t callbacks = side->callbacks.load(std::memory_order_relaxed);
        if (callbacks != side->lastSeenCallbacks) {
            side->lastSeenCallbacks = callbacks;
            side->lastProgress = now;
        }
        // A stream may legitimately take a while to start (PulseAudio's null sink delivers its
        // first period ~2 s after start), so stalls count only after the start-up grace.
        const bool stalled = now - m_startTime > kStartupGrace && now - side->lastProgress > kStallTimeout;
        if (ended) {
            fail(AudioError::Unplugged);
        } else if (stalled) {
            // A capture side that stays "active" but delivers nothing: the device is silent.
            fail(isInput ? AudioError::ZeroCapture : AudioError::Unplugged);
        }
        if (state() == AudioDeviceState::Failed)
            return lastError();
    }
    return AudioError::None;
}

void PortAudioDevice::fail(AudioError error)
{
    m_lastError.store(error, std::memory_order_release);
    m_state.store(AudioDeviceState::Failed, std::memory_order_release);
}

// --- Real-time paths. No allocation, no locks, no PortAudio calls below this line. ---

void PortAudioDevice::onCapture(const float* input, unsigned long frames, unsigned long statusFlags)
{
    m_input.callbacks.fetch_add(1, std::memory_order_relaxed);
    if ((statusFlags & kXrunFlags) != 0)
        m_deviceXruns.fetch_add(1, std::memory_order_relaxed);

    const bool duplex = m_directions == StreamDirections::Duplex;
    const auto channels = static_cast<std::size_t>(m_input.channels);
    const auto engineChannels = static_cast<std::size_t>(m_format.channels);
    std::size_t done = 0;
    while (done < frames) {
        // PortAudio honours framesPerBuffer, but a host may hand over more; take it in pieces.
        const auto chunk = static_cast<int>(std::min<std::size_t>(frames - done, static_cast<std::size_t>(m_input.framesPerBuffer)));
        const int converted = m_captureConverter.convert(input != nullptr ? input + done * channels : nullptr, chunk,
                                                         m_captureBlock);
        const std::size_t samples = static_cast<std::size_t>(converted) * engineChannels;
        const std::size_t written = m_captureRing->write(std::span<const float>(m_captureBlock).first(samples));
        if (written < samples)
            m_droppedCaptureFrames.fetch_add((samples - written) / engineChannels, std::memory_order_relaxed);
        if (!duplex)
            runCallbackFromCapture();
        done += static_cast<std::size_t>(chunk);
    }
}

// Capture-only: this thread is both ends of the ring; each whole period goes to the callback.
void PortAudioDevice::runCallbackFromCapture()
{
    while (m_captureRing->availableToRead() >= m_inputPeriod.size()) {
        m_captureRing->read(m_inputPeriod);
        m_callback->process(m_inputPeriod.data(), m_scratchOutput.data(), m_format.framesPerPeriod);
        m_periods.fetch_add(1, std::memory_order_relaxed);
    }
}

void PortAudioDevice::onPlayback(float* output, unsigned long frames, unsigned long statusFlags)
{
    m_output.callbacks.fetch_add(1, std::memory_order_relaxed);
    if ((statusFlags & kXrunFlags) != 0)
        m_deviceXruns.fetch_add(1, std::memory_order_relaxed);

    const auto channels = static_cast<std::size_t>(m_output.channels);
    std::size_t done = 0;
    while (done < frames) {
        const auto chunk = static_cast<int>(std::min<std::size_t>(frames - done, static_cast<std::size_t>(m_output.framesPerBuffer)));
        m_playbackConverter.render(output + done * channels, chunk, *this);
        done += static_cast<std::size_t>(chunk);
    }
}

// The playback thread, once per engine period: the capture for this period (duplex), then the
// callback.
void PortAudioDevice::renderPeriod(float* engineOutput)
{
    if (m_captureRing) {
        const std::size_t periodSamples = m_inputPeriod.size();
        const std::size_t available = m_captureRing->availableToRead();
        // Capture running ahead of playback (start-up bursts, clock drift) would add latency
        // for good; drop the oldest audio down to two periods.
        if (available > kMaxCaptureBacklogPeriods * periodSamples) {
            const std::size_t dropped = m_captureRing->discard(available - 2 * periodSamples);
            m_droppedCaptureFrames.fetch_add(dropped / static_cast<std::size_t>(m_format.channels),
                                             std::memory_order_relaxed);
        }
        const std::size_t got = m_captureRing->read(m_inputPeriod);
        if (got > 0)
            m_captureStarted = true;
        if (got < periodSamples) {
            std::fill(m_inputPeriod.begin() + static_cast<std::ptrdiff_t>(got), m_inputPeriod.end(), 0.0f);
            if (m_captureStarted)
                m_captureUnderruns.fetch_add(1, std::memory_order_relaxed);
        }
    }
    m_callback->process(m_inputPeriod.data(), engineOutput, m_format.framesPerPeriod);
    m_periods.fetch_add(1, std::memory_order_relaxed);
}

} // namespace earshot::audio
