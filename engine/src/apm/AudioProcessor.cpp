#include "apm/AudioProcessor.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <vector>

#ifdef EARSHOT_HAVE_WEBRTC_APM
#include <webrtc/modules/audio_processing/include/audio_processing.h>
#endif

namespace earshot::apm {

namespace {

constexpr int kMaxChannels = 2;

[[maybe_unused]] bool isValidRate(int sampleRateHz)
{
    return sampleRateHz == 8000 || sampleRateHz == 16000 || sampleRateHz == 32000 || sampleRateHz == 48000;
}

[[maybe_unused]] bool isValidChannelCount(int channels)
{
    return channels >= 1 && channels <= kMaxChannels;
}

} // namespace

#ifdef EARSHOT_HAVE_WEBRTC_APM

namespace {

webrtc::EchoCancellation::SuppressionLevel toLibrary(EchoCancellationMode mode)
{
    switch (mode) {
    case EchoCancellationMode::Soft:
        return webrtc::EchoCancellation::kLowSuppression;
    case EchoCancellationMode::Medium:
        return webrtc::EchoCancellation::kModerateSuppression;
    case EchoCancellationMode::Aggressive:
        return webrtc::EchoCancellation::kHighSuppression;
    }
    return webrtc::EchoCancellation::kModerateSuppression;
}

webrtc::NoiseSuppression::Level toLibrary(NoiseSuppressionMode mode)
{
    switch (mode) {
    case NoiseSuppressionMode::Soft:
        return webrtc::NoiseSuppression::kLow;
    case NoiseSuppressionMode::Medium:
        return webrtc::NoiseSuppression::kModerate;
    case NoiseSuppressionMode::Aggressive:
        return webrtc::NoiseSuppression::kHigh;
    case NoiseSuppressionMode::VeryAggressive:
        return webrtc::NoiseSuppression::kVeryHigh;
    }
    return webrtc::NoiseSuppression::kModerate;
}

webrtc::AudioProcessing::ChannelLayout layoutFor(int channels)
{
    return channels == 2 ? webrtc::AudioProcessing::kStereo : webrtc::AudioProcessing::kMono;
}

// The options without their own setter. SetExtraOptions() replaces all of them at once, so the
// full set is rebuilt each time. Config takes ownership of the option objects.
void fillExtraOptions(webrtc::Config& options, bool transientSuppression)
{
    // The "experimental" AGC drives an analog microphone volume we do not control; the digital
    // adaptive AGC of GainControl is used instead.
    options.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
    // A longer echo tail and the canceller's own delay estimation: desktop devices report their
    // latency unreliably.
    options.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
    options.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
    // In this library version ExperimentalNs switches the transient (keyboard click) suppressor.
    options.Set<webrtc::ExperimentalNs>(new webrtc::ExperimentalNs(transientSuppression));
}

bool succeeded(int result)
{
    return result == webrtc::AudioProcessing::kNoError || result == webrtc::AudioProcessing::kBadStreamParameterWarning;
}

} // namespace

struct AudioProcessor::Impl {
    std::unique_ptr<webrtc::AudioProcessing> processor;
    webrtc::StreamConfig captureStream;
    webrtc::StreamConfig playbackStream;
    std::size_t frames = 0;
    // Deinterleaved channel buffers (stereo only; mono is processed in place in the caller's
    // block), preallocated so that no block allocates.
    std::vector<float> captureChannels;
    std::vector<float> playbackChannels;
    std::vector<float> playbackOutput; // the library's reverse output, unused but required
    std::array<float*, kMaxChannels> capturePointers{};
    std::array<float*, kMaxChannels> playbackPointers{};
    std::array<float*, kMaxChannels> playbackOutputPointers{};
    std::uint32_t appliedGeneration = 0; // capture thread only
    bool transientSuppressionApplied = false;
};

#else

struct AudioProcessor::Impl {};

#endif

AudioProcessor::AudioProcessor(const AudioProcessorConfig& config)
    : m_config(config)
    , m_echoCancellation(config.settings.echoCancellation)
    , m_echoCancellationMode(config.settings.echoCancellationMode)
    , m_noiseSuppression(config.settings.noiseSuppression)
    , m_noiseSuppressionMode(config.settings.noiseSuppressionMode)
    , m_transientSuppression(config.settings.transientSuppression)
    , m_gainControl(config.settings.gainControl)
    , m_highPass(config.settings.highPass)
    , m_streamDelayMs(std::clamp(config.streamDelayMs, 0, kMaxStreamDelayMs))
    , m_impl(std::make_unique<Impl>())
{
    assert(isValidRate(config.sampleRateHz));
    assert(isValidChannelCount(config.captureChannels));
    assert(isValidChannelCount(config.playbackChannels));

#ifdef EARSHOT_HAVE_WEBRTC_APM
    Impl& impl = *m_impl;
    webrtc::Config options;
    fillExtraOptions(options, config.settings.transientSuppression);
    impl.transientSuppressionApplied = config.settings.transientSuppression;
    impl.processor.reset(webrtc::AudioProcessing::Create(options));
    if (!impl.processor)
        return;

    impl.frames = static_cast<std::size_t>(blockFrames());
    impl.captureStream = webrtc::StreamConfig(config.sampleRateHz, config.captureChannels);
    impl.playbackStream = webrtc::StreamConfig(config.sampleRateHz, config.playbackChannels);
    const int initialised = impl.processor->Initialize(
        config.sampleRateHz, config.sampleRateHz, config.sampleRateHz, layoutFor(config.captureChannels),
        layoutFor(config.captureChannels), layoutFor(config.playbackChannels));
    if (initialised != webrtc::AudioProcessing::kNoError) {
        impl.processor.reset();
        return;
    }

    impl.captureChannels.assign(impl.frames * static_cast<std::size_t>(config.captureChannels), 0.0f);
    impl.playbackChannels.assign(impl.frames * static_cast<std::size_t>(config.playbackChannels), 0.0f);
    impl.playbackOutput.assign(impl.frames * static_cast<std::size_t>(config.playbackChannels), 0.0f);
    for (std::size_t channel = 0; channel < kMaxChannels; ++channel) {
        const std::size_t captureChannel = std::min<std::size_t>(channel, config.captureChannels - 1);
        const std::size_t playbackChannel = std::min<std::size_t>(channel, config.playbackChannels - 1);
        impl.capturePointers[channel] = impl.captureChannels.data() + captureChannel * impl.frames;
        impl.playbackPointers[channel] = impl.playbackChannels.data() + playbackChannel * impl.frames;
        impl.playbackOutputPointers[channel] = impl.playbackOutput.data() + playbackChannel * impl.frames;
    }

    // Fixed parts of the configuration; the switches follow at the first block.
    impl.processor->gain_control()->set_mode(webrtc::GainControl::kAdaptiveDigital);
    impl.processor->echo_cancellation()->enable_drift_compensation(false);
    impl.appliedGeneration = 0; // forces applying the settings at the first processCapture()
#endif
}

AudioProcessor::~AudioProcessor() = default;

bool AudioProcessor::isAvailable() const noexcept
{
#ifdef EARSHOT_HAVE_WEBRTC_APM
    return m_impl->processor != nullptr;
#else
    return false;
#endif
}

ProcessingError AudioProcessor::processCapture(std::span<float> block)
{
    const std::size_t channels = static_cast<std::size_t>(m_config.captureChannels);
    if (block.size() != static_cast<std::size_t>(blockFrames()) * channels)
        return ProcessingError::BadBlockSize;

#ifdef EARSHOT_HAVE_WEBRTC_APM
    Impl& impl = *m_impl;
    if (!impl.processor)
        return ProcessingError::None;
    webrtc::AudioProcessing& processor = *impl.processor;

    const std::uint32_t generation = m_settingsGeneration.load(std::memory_order_acquire);
    if (generation != impl.appliedGeneration) {
        impl.appliedGeneration = generation;
        const bool transient = m_transientSuppression.load(std::memory_order_relaxed);
        if (transient != impl.transientSuppressionApplied) {
            webrtc::Config options; // allocates, but only when the switch changes
            fillExtraOptions(options, transient);
            processor.SetExtraOptions(options);
            impl.transientSuppressionApplied = transient;
        }
        processor.echo_cancellation()->set_suppression_level(
            toLibrary(m_echoCancellationMode.load(std::memory_order_relaxed)));
        processor.echo_cancellation()->Enable(m_echoCancellation.load(std::memory_order_relaxed));
        processor.noise_suppression()->set_level(toLibrary(m_noiseSuppressionMode.load(std::memory_order_relaxed)));
        processor.noise_suppression()->Enable(m_noiseSuppression.load(std::memory_order_relaxed));
        processor.gain_control()->Enable(m_gainControl.load(std::memory_order_relaxed));
        processor.high_pass_filter()->Enable(m_highPass.load(std::memory_order_relaxed));
    }

    // Required before every block while echo cancellation is on.
    processor.set_stream_delay_ms(m_streamDelayMs.load(std::memory_order_relaxed));
    processor.set_stream_key_pressed(false);

    int result = 0;
    if (channels == 1) {
        float* const pointers[1] = {block.data()};
        result = processor.ProcessStream(pointers, impl.captureStream, impl.captureStream, pointers);
    } else {
        for (std::size_t frame = 0; frame < impl.frames; ++frame)
            for (std::size_t channel = 0; channel < channels; ++channel)
                impl.capturePointers[channel][frame] = block[frame * channels + channel];
        result = processor.ProcessStream(impl.capturePointers.data(), impl.captureStream, impl.captureStream,
                                         impl.capturePointers.data());
        for (std::size_t frame = 0; frame < impl.frames; ++frame)
            for (std::size_t channel = 0; channel < channels; ++channel)
                block[frame * channels + channel] = impl.capturePointers[channel][frame];
    }
    if (!succeeded(result)) {
        m_failedBlocks.fetch_add(1, std::memory_order_relaxed);
        return ProcessingError::LibraryFailure;
    }
#endif
    return ProcessingError::None;
}

ProcessingError AudioProcessor::processPlayback(std::span<const float> block)
{
    const std::size_t channels = static_cast<std::size_t>(m_config.playbackChannels);
    if (block.size() != static_cast<std::size_t>(blockFrames()) * channels)
        return ProcessingError::BadBlockSize;

#ifdef EARSHOT_HAVE_WEBRTC_APM
    Impl& impl = *m_impl;
    if (!impl.processor)
        return ProcessingError::None;
    // The library takes non-const channel pointers; copy (and deinterleave) into our buffer.
    for (std::size_t frame = 0; frame < impl.frames; ++frame)
        for (std::size_t channel = 0; channel < channels; ++channel)
            impl.playbackPointers[channel][frame] = block[frame * channels + channel];
    const int result = impl.processor->ProcessReverseStream(impl.playbackPointers.data(), impl.playbackStream,
                                                            impl.playbackStream, impl.playbackOutputPointers.data());
    if (!succeeded(result)) {
        m_failedBlocks.fetch_add(1, std::memory_order_relaxed);
        return ProcessingError::LibraryFailure;
    }
#endif
    return ProcessingError::None;
}

void AudioProcessor::markSettingsChanged()
{
    m_settingsGeneration.fetch_add(1, std::memory_order_release);
}

void AudioProcessor::setEchoCancellationEnabled(bool enabled)
{
    m_echoCancellation.store(enabled, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setEchoCancellationMode(EchoCancellationMode mode)
{
    m_echoCancellationMode.store(mode, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setNoiseSuppressionEnabled(bool enabled)
{
    m_noiseSuppression.store(enabled, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setNoiseSuppressionMode(NoiseSuppressionMode mode)
{
    m_noiseSuppressionMode.store(mode, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setTransientSuppressionEnabled(bool enabled)
{
    m_transientSuppression.store(enabled, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setGainControlEnabled(bool enabled)
{
    m_gainControl.store(enabled, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setHighPassEnabled(bool enabled)
{
    m_highPass.store(enabled, std::memory_order_relaxed);
    markSettingsChanged();
}

void AudioProcessor::setSettings(const AudioProcessorSettings& settings)
{
    m_echoCancellation.store(settings.echoCancellation, std::memory_order_relaxed);
    m_echoCancellationMode.store(settings.echoCancellationMode, std::memory_order_relaxed);
    m_noiseSuppression.store(settings.noiseSuppression, std::memory_order_relaxed);
    m_noiseSuppressionMode.store(settings.noiseSuppressionMode, std::memory_order_relaxed);
    m_transientSuppression.store(settings.transientSuppression, std::memory_order_relaxed);
    m_gainControl.store(settings.gainControl, std::memory_order_relaxed);
    m_highPass.store(settings.highPass, std::memory_order_relaxed);
    markSettingsChanged();
}

AudioProcessorSettings AudioProcessor::settings() const
{
    AudioProcessorSettings settings;
    settings.echoCancellation = m_echoCancellation.load(std::memory_order_relaxed);
    settings.echoCancellationMode = m_echoCancellationMode.load(std::memory_order_relaxed);
    settings.noiseSuppression = m_noiseSuppression.load(std::memory_order_relaxed);
    settings.noiseSuppressionMode = m_noiseSuppressionMode.load(std::memory_order_relaxed);
    settings.transientSuppression = m_transientSuppression.load(std::memory_order_relaxed);
    settings.gainControl = m_gainControl.load(std::memory_order_relaxed);
    settings.highPass = m_highPass.load(std::memory_order_relaxed);
    return settings;
}

ProcessingError AudioProcessor::setStreamDelayMs(int delayMs)
{
    if (delayMs < 0 || delayMs > kMaxStreamDelayMs)
        return ProcessingError::BadArgument;
    m_streamDelayMs.store(delayMs, std::memory_order_relaxed);
    return ProcessingError::None;
}

int AudioProcessor::streamDelayMs() const noexcept
{
    return m_streamDelayMs.load(std::memory_order_relaxed);
}

std::uint64_t AudioProcessor::failedBlocks() const noexcept
{
    return m_failedBlocks.load(std::memory_order_relaxed);
}

} // namespace earshot::apm
