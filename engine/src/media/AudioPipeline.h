#pragma once

#include "apm/AudioProcessorTypes.h"
#include "dsp/PlaybackMixer.h"
#include "media/CaptureChain.h"
#include "media/DeviceBridge.h"
#include "media/PlayoutStream.h"
#include "media/ProcessedCaptureSink.h"
#include "record/CaptureRecorder.h"

#include <array>
#include <atomic>
#include <memory>
#include <span>
#include <vector>

namespace earshot::apm {
class AudioProcessor;
}

namespace earshot::media {

struct AudioPipelineConfig {
    int channels = 1;              // of the device's engine format, capture and playback, 1 or 2
    int devicePeriodFrames = 480;  // the period the device is opened with (AudioFormat)
    bool processing = true;        // 3A (webrtc-audio-processing); off: no AudioProcessor at all
    apm::AudioProcessorSettings processingSettings;
    CaptureChainConfig capture;    // channels overridden
    jitter::JitterBufferConfig jitter;
    // Audio queued for the speaker beyond one device period. It must cover the time between
    // two service() calls plus their scheduling jitter, or the device underruns; every
    // millisecond of it is a millisecond of mouth-to-ear latency.
    int playbackQueueMs = 10;
    // Ring capacities: how far the media thread may fall behind before capture is dropped.
    int ringMs = 500;
};

// Where the pipeline's time goes. Thread: media thread.
struct PipelineStatistics {
    std::int64_t capturedBlocks = 0;
    std::int64_t playedBlocks = 0;
    std::int64_t referenceErrors = 0; // playback blocks the echo canceller rejected
};

// The engine's sound path on the media thread, joined end to end (DESIGN.md §2):
//
//   device ─► DeviceBridge capture ring ─► CaptureChain (3A, volume, gate, Opus, RED) ─► sink
//   PlayoutStream × n (jitter buffer, decode) ─► PlaybackMixer ─► DeviceBridge playback ring ─► device
//                                                       └► AudioProcessor far-end reference (AEC)
//
// The playback device is the clock: service() renders blocks of one device period (10 ms for
// periods of 10 ms or more; a divisor of 10 ms otherwise) only while the playback ring holds
// less than one device period plus playbackQueueMs, so decoding follows what the device
// consumes and sender clock drift is absorbed by the jitter buffers, not by queues. Blocks of
// the period, not of 10 ms, keep both the queue and the jitter buffers' share of the delay
// small: each holds back up to one block. The mix is the echo canceller's reference exactly
// as it is queued for the speaker, gathered into the 10 ms blocks the canceller takes.
//
// Thread ownership: the media thread owns the pipeline and calls service(), the stream
// management and the accessors; deviceCallback() is handed to one AudioDevice, whose real-time
// thread calls it. Settings reached through the accessors that are documented as "any thread"
// (volumes, gate mode, mute, 3A switches, levels) may be changed from any thread. service() and
// insert/pull on the streams are real-time safe; addStream() allocates.
class AudioPipeline {
public:
    // Errors: the encoder's or decoder's (InvalidArgument: bad channels or encoder config).
    // `sink` must outlive the pipeline. Thread: any; allocates.
    [[nodiscard]] static std::unique_ptr<AudioPipeline> create(const AudioPipelineConfig& config,
                                                               EncodedPacketSink& sink,
                                                               codec::CodecError* error = nullptr);
    ~AudioPipeline();
    AudioPipeline(const AudioPipeline&) = delete;
    AudioPipeline& operator=(const AudioPipeline&) = delete;

    // What to open the device with. Thread: any.
    [[nodiscard]] audio::AudioCallback& deviceCallback() { return m_bridge; }

    // Does all the work that is due: renders playback until the queue is full again, then
    // processes every complete captured block. Call it at least every device period (a timer
    // on the media thread; tests call it in a loop). Thread: media thread; real-time safe.
    void service();

    // Whether the played streams detect voice activity for their levels' VAD flag (the
    // sound-level monitor); off by default, it saves a fifth of each stream's CPU. The
    // captured signal's flag comes from the gate and is always there. Thread: any.
    void setVoiceDetection(bool enabled) { m_voiceDetection.store(enabled, std::memory_order_relaxed); }

    // Gives a new played stream a mixer slot (volume 100, not muted). Returns the slot, or −1
    // when all PlaybackMixer::kMaxStreams are taken (API.md 1004010). Thread: media thread;
    // allocates.
    [[nodiscard]] int addStream();
    // Frees a slot (stopPlayingStream); unknown slots are ignored. Thread: media thread.
    void removeStream(int slot);
    // The stream in `slot`, or null. Thread: media thread.
    [[nodiscard]] PlayoutStream* stream(int slot);

    [[nodiscard]] CaptureChain& capture() { return *m_capture; }
    [[nodiscard]] dsp::PlaybackMixer& mixer() { return m_mixer; }
    // The 3A processor, or null when processing is off. Thread: see AudioProcessor.
    [[nodiscard]] apm::AudioProcessor* processor() { return m_processor.get(); }
    [[nodiscard]] DeviceBridge& bridge() { return m_bridge; }
    // Recording of what the capture chain sends (startRecordingCapturedData): start() and
    // stop() on the owner's thread while the media thread keeps feeding it (CaptureRecorder.h).
    [[nodiscard]] record::CaptureRecorder& recorder() { return m_recorder; }
    [[nodiscard]] const PipelineStatistics& statistics() const { return m_statistics; }
    [[nodiscard]] int channels() const { return m_channels; }
    // The playback queue target in frames: one device period plus playbackQueueMs.
    [[nodiscard]] int playbackTargetFrames() const { return m_playbackTargetFrames; }
    // Frames each playback render produces and each stream is pulled for.
    [[nodiscard]] int renderFrames() const { return m_renderFrames; }

private:
    AudioPipeline(const AudioPipelineConfig& config, std::unique_ptr<apm::AudioProcessor> processor);
    void renderBlock();
    void feedReference();

    // Hands the capture chain's output to the recorder (a no-op while it is not recording).
    class RecorderTap final : public ProcessedCaptureSink {
    public:
        explicit RecorderTap(record::CaptureRecorder& recorder) : m_recorder(recorder) {}
        void onProcessedCapture(std::span<const float> block) override { m_recorder.write(block); }

    private:
        record::CaptureRecorder& m_recorder;
    };

    const int m_channels;
    const int m_playbackTargetFrames;
    const int m_renderFrames; // per renderBlock(): the device period, or the 10 ms block
    std::unique_ptr<apm::AudioProcessor> m_processor; // before m_capture, which refers to it
    record::CaptureRecorder m_recorder;               // before m_capture, which writes to it
    RecorderTap m_recorderTap;
    std::unique_ptr<CaptureChain> m_capture;
    DeviceBridge m_bridge;
    dsp::PlaybackMixer m_mixer;
    PlayoutStreamConfig m_streamConfig;
    std::array<std::unique_ptr<PlayoutStream>, dsp::PlaybackMixer::kMaxStreams> m_streams;
    std::vector<float> m_streamBlocks;                 // kMaxStreams render blocks
    std::array<std::span<const float>, dsp::PlaybackMixer::kMaxStreams> m_mixInputs;
    std::vector<float> m_mixBlock;                     // one render block
    std::vector<float> m_referenceBlock;               // 10 ms for the echo canceller
    std::size_t m_referenceFill = 0;                   // samples of it filled
    std::vector<float> m_captureBlock;
    PipelineStatistics m_statistics;
    std::atomic<bool> m_voiceDetection {false};
};

} // namespace earshot::media
