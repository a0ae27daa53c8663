#include "media/AudioPipeline.h"

#include "apm/AudioProcessor.h"
#include "audio/AudioFormat.h"

#include <algorithm>

namespace earshot::media {

namespace {

constexpr int framesForMs(int ms)
{
    return audio::kEngineSampleRateHz / 1000 * ms;
}

// The largest divisor of the 10 ms block that fits in one device period, at least 1 ms: the
// stream and the echo canceller's reference then still line up with whole 10 ms blocks.
int renderFramesFor(int devicePeriodFrames)
{
    constexpr int kMinRenderFrames = audio::kEngineSampleRateHz / 1000;
    for (int frames = std::min(devicePeriodFrames, kBlockFrames); frames > kMinRenderFrames; --frames) {
        if (kBlockFrames % frames == 0)
            return frames;
    }
    return kMinRenderFrames;
}

} // namespace

std::unique_ptr<AudioPipeline> AudioPipeline::create(const AudioPipelineConfig& config, EncodedPacketSink& sink,
                                                     codec::CodecError* error)
{
    if ((config.channels != 1 && config.channels != 2) || config.devicePeriodFrames <= 0) {
        if (error != nullptr)
            *error = codec::CodecError::InvalidArgument;
        return nullptr;
    }
    std::unique_ptr<apm::AudioProcessor> processor;
    if (config.processing) {
        apm::AudioProcessorConfig processorConfig;
        processorConfig.sampleRateHz = audio::kEngineSampleRateHz;
        processorConfig.captureChannels = config.channels;
        processorConfig.playbackChannels = config.channels;
        processorConfig.settings = config.processingSettings;
        // Echo path: the queue ahead of the speaker plus a period of device buffering each way.
        processorConfig.streamDelayMs = std::min(
            apm::AudioProcessor::kMaxStreamDelayMs,
            config.playbackQueueMs + 3 * config.devicePeriodFrames * 1000 / audio::kEngineSampleRateHz);
        processor = std::make_unique<apm::AudioProcessor>(processorConfig);
    }
    std::unique_ptr<AudioPipeline> pipeline(new AudioPipeline(config, std::move(processor)));
    CaptureChainConfig captureConfig = config.capture;
    captureConfig.channels = config.channels;
    pipeline->m_capture = CaptureChain::create(captureConfig, pipeline->m_processor.get(), sink, error);
    if (!pipeline->m_capture)
        return nullptr;
    pipeline->m_capture->setProcessedCaptureSink(&pipeline->m_recorderTap);
    return pipeline;
}

AudioPipeline::AudioPipeline(const AudioPipelineConfig& config, std::unique_ptr<apm::AudioProcessor> processor)
    : m_channels(config.channels)
    , m_playbackTargetFrames(config.devicePeriodFrames + framesForMs(std::max(config.playbackQueueMs, 0)))
    , m_renderFrames(renderFramesFor(config.devicePeriodFrames))
    , m_processor(std::move(processor))
    , m_recorder(audio::kEngineSampleRateHz, config.channels)
    , m_recorderTap(m_recorder)
    , m_bridge(config.channels, std::max(framesForMs(config.ringMs), 4 * config.devicePeriodFrames),
               std::max(framesForMs(config.ringMs), m_playbackTargetFrames + kBlockFrames))
    , m_mixer(dsp::PlaybackMixer::kMaxStreams, config.channels, audio::kEngineSampleRateHz)
    , m_streamConfig {config.channels, config.jitter}
    , m_streamBlocks(static_cast<std::size_t>(dsp::PlaybackMixer::kMaxStreams * m_renderFrames * config.channels))
    , m_mixBlock(static_cast<std::size_t>(m_renderFrames * config.channels))
    , m_referenceBlock(static_cast<std::size_t>(kBlockFrames * config.channels))
    , m_captureBlock(static_cast<std::size_t>(kBlockFrames * config.channels))
{
}

AudioPipeline::~AudioPipeline() = default;

void AudioPipeline::service()
{
    // Playback first: the device is waiting for it, and the echo canceller prefers to see the
    // far end before the capture that contains its echo.
    const auto target = static_cast<std::size_t>(m_playbackTargetFrames * m_channels);
    while (m_bridge.playbackQueued() < target)
        renderBlock();

    while (m_bridge.captureAvailable() >= m_captureBlock.size()) {
        m_bridge.readCapture(m_captureBlock);
        m_capture->process(m_captureBlock);
        ++m_statistics.capturedBlocks;
    }
}

void AudioPipeline::renderBlock()
{
    const std::size_t blockSamples = m_mixBlock.size();
    const bool voiceDetection = m_voiceDetection.load(std::memory_order_relaxed);
    for (std::size_t slot = 0; slot < m_streams.size(); ++slot) {
        if (!m_streams[slot]) {
            m_mixInputs[slot] = {};
            continue;
        }
        const std::span<float> block(m_streamBlocks.data() + slot * blockSamples, blockSamples);
        m_streams[slot]->setVoiceDetection(voiceDetection);
        m_streams[slot]->pull(block, m_renderFrames);
        m_mixInputs[slot] = block;
    }
    m_mixer.mix(m_mixInputs, m_mixBlock, m_renderFrames);
    m_bridge.writePlayback(m_mixBlock);
    ++m_statistics.playedBlocks;
    if (m_processor != nullptr)
        feedReference();
}

void AudioPipeline::feedReference()
{
    // The echo canceller takes 10 ms blocks; a shorter render block waits here for the rest.
    // The reference then reaches it up to one render block after the audio was queued, well
    // before its echo can come back through the speaker, the room and the microphone.
    std::copy(m_mixBlock.begin(), m_mixBlock.end(),
              m_referenceBlock.begin() + static_cast<std::ptrdiff_t>(m_referenceFill));
    m_referenceFill += m_mixBlock.size();
    if (m_referenceFill < m_referenceBlock.size())
        return;
    m_referenceFill = 0;
    if (m_processor->processPlayback(m_referenceBlock) != apm::ProcessingError::None)
        ++m_statistics.referenceErrors;
}

int AudioPipeline::addStream()
{
    const auto free = std::find(m_streams.begin(), m_streams.end(), nullptr);
    if (free == m_streams.end())
        return -1;
    std::unique_ptr<PlayoutStream> stream = PlayoutStream::create(m_streamConfig);
    if (!stream)
        return -1;
    const int slot = static_cast<int>(free - m_streams.begin());
    *free = std::move(stream);
    m_mixer.setStreamVolume(slot, dsp::Gain::kUnityVolume);
    m_mixer.setStreamMuted(slot, false);
    m_mixer.resetStream(slot);
    return slot;
}

void AudioPipeline::removeStream(int slot)
{
    if (slot >= 0 && slot < static_cast<int>(m_streams.size()))
        m_streams[static_cast<std::size_t>(slot)].reset();
}

PlayoutStream* AudioPipeline::stream(int slot)
{
    if (slot < 0 || slot >= static_cast<int>(m_streams.size()))
        return nullptr;
    return m_streams[static_cast<std::size_t>(slot)].get();
}

} // namespace earshot::media
