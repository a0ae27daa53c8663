#pragma once

#include "codec/OpusAudioEncoder.h"
#include "codec/RedundancyPacker.h"
#include "codec/RedundancyPolicy.h"
#include "dsp/Gain.h"
#include "dsp/LevelMeter.h"
#include "vad/TransmissionGate.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace earshot::apm {
class AudioProcessor;
}

namespace earshot::media {

class EncodedPacketSink;
class ProcessedCaptureSink;

// The blocks everything on the media thread works in: 10 ms, what webrtc's 3A requires.
inline constexpr int kBlockFrames = 480;

struct CaptureChainConfig {
    // Channels of the captured blocks and of the published stream, 1 or 2. The encoder's own
    // channel field is overridden with this.
    int channels = 1;
    codec::EncoderConfig encoder;
    vad::TransmissionGateConfig gate; // rate, channels and block size are overridden
    vad::TransmissionMode mode = vad::TransmissionMode::Continuous;
    codec::RedundancyPolicyConfig redundancy;
    // The RTP timestamp of the first frame; a real stream starts at a random one (RFC 3550 §5.1).
    std::uint32_t initialTimestamp = 0;
};

// Counters of one chain since construction. Thread: read on the media thread.
struct CaptureStatistics {
    std::int64_t blocks = 0;          // 10 ms blocks processed
    std::int64_t framesEncoded = 0;   // Opus frames encoded (sent or skipped)
    std::int64_t packetsSent = 0;     // handed to the sink
    std::int64_t dtxFramesSkipped = 0;
    std::int64_t payloadBytesSent = 0;
    std::int64_t encodeErrors = 0;
    std::int64_t processingErrors = 0; // blocks the 3A library rejected (sent unprocessed)
};

// The publishing half of the media thread's work (DESIGN.md §2): captured 10 ms block →
// 3A (AudioProcessor) → capture volume → transmission gate (VAD / push-to-talk / mute) → level
// meter → Opus (FEC, DTX) → RED-style redundancy → EncodedPacketSink. The receiver reports drive
// the redundancy and the encoder's expected loss through RedundancyPolicy.
//
// While the gate is closed the encoder still runs on the silence, so its DTX keeps the far end's
// comfort noise going and timestamps stay continuous; its 1–2 byte DTX frames (closed gate or
// digital silence) are not sent.
//
// Thread ownership: the media thread owns the chain: process(), onLossReport(), setSending(),
// setProcessedCaptureSink() and statistics() are called there and are real-time safe (no
// allocation, locks or system calls; everything is allocated by create()). captureVolume(),
// gate() setters and level() may be used from any thread (they are atomics, see Gain,
// TransmissionGate and LevelMeter).
class CaptureChain {
public:
    // Creates the chain. `processor` (may be null: no 3A) must be configured for 48 kHz and
    // `config.channels` capture channels and outlive the chain, as must `sink`. Errors: the
    // encoder's (InvalidArgument for a bad encoder config or channel count). Thread: any; allocates.
    [[nodiscard]] static std::unique_ptr<CaptureChain> create(const CaptureChainConfig& config,
                                                              apm::AudioProcessor* processor,
                                                              EncodedPacketSink& sink,
                                                              codec::CodecError* error = nullptr);
    ~CaptureChain();
    CaptureChain(const CaptureChain&) = delete;
    CaptureChain& operator=(const CaptureChain&) = delete;

    // Processes one captured block of kBlockFrames × channels() interleaved samples (asserted)
    // in place: afterwards it holds what was sent. Packets go to the sink as frames complete.
    // Thread: media thread; real-time safe.
    void process(std::span<float> block);

    // Whether encoded packets go to the sink (publishing). When not sending, the block is still
    // processed (levels, recording) but nothing is encoded; sending again starts a new talk
    // spurt with a fresh encoder and no stale repeats. Thread: media thread.
    void setSending(bool sending);
    [[nodiscard]] bool isSending() const { return m_sending; }

    // A receiver report: the fraction of the stream lost, 0..1, at `nowMs` on a monotonic
    // clock. Adjusts the repeats and the encoder's expected loss. Thread: media thread.
    void onLossReport(double lossFraction, std::int64_t nowMs);

    // Forgets the frames remembered for repeating: the packet last handed to the sink was not
    // sent after all (it took no sequence number), so repeats would point at the wrong
    // packets. Thread: media thread.
    void clearRedundancyHistory() { m_packer.clearHistory(); }

    // A new target bitrate (6 000–510 000 bps). Errors: the encoder's. Thread: media thread.
    [[nodiscard]] codec::CodecError setBitrateBps(int bitrateBps);

    // Where each processed block also goes (recording); null to stop. Thread: media thread.
    void setProcessedCaptureSink(ProcessedCaptureSink* sink) { m_processedSink = sink; }

    // Capture volume 0–200 and mute are the gain's and the gate's (any thread).
    [[nodiscard]] dsp::Gain& captureVolume() { return m_volume; }
    [[nodiscard]] vad::TransmissionGate& gate() { return m_gate; }
    // Level 0–100 of what is sent (after the gate), with the detector's VAD flag. Any thread.
    [[nodiscard]] const dsp::LevelMeter& level() const { return m_level; }
    // True once a block with the gate open has been processed (publisherCapturedAudioFirstFrame).
    // Any thread.
    [[nodiscard]] bool hasCapturedAudio() const { return m_capturedAudio.load(std::memory_order_acquire); }

    [[nodiscard]] int channels() const { return m_channels; }
    [[nodiscard]] const codec::OpusAudioEncoder& encoder() const { return *m_encoder; }
    [[nodiscard]] codec::RedundancyDecision redundancy() const { return m_policy.decision(); }
    [[nodiscard]] const CaptureStatistics& statistics() const { return m_statistics; }
    // Delay from a sample entering process() to its frame being encoded, in 48 kHz frames: the
    // gate's current delay plus the frame being filled plus Opus's lookahead (not counting the
    // time the frame waits to be complete). Thread: media thread.
    [[nodiscard]] int algorithmicDelayFrames() const;

private:
    CaptureChain(const CaptureChainConfig& config, std::unique_ptr<codec::OpusAudioEncoder> encoder,
                 apm::AudioProcessor* processor, EncodedPacketSink& sink);
    void encodeFrame();

    const int m_channels;
    std::unique_ptr<codec::OpusAudioEncoder> m_encoder;
    apm::AudioProcessor* m_processor;
    EncodedPacketSink& m_sink;
    ProcessedCaptureSink* m_processedSink = nullptr;
    dsp::Gain m_volume;
    vad::TransmissionGate m_gate;
    dsp::LevelMeter m_level;
    codec::RedundancyPacker m_packer;
    codec::RedundancyPolicy m_policy;

    std::vector<float> m_frame;                // one encoder frame being filled
    std::size_t m_frameFill = 0;               // samples in m_frame
    std::vector<std::uint8_t> m_opusPacket;    // codec::kMaxPacketBytes
    std::vector<std::uint8_t> m_payload;       // codec::kMaxRedundancyPayloadBytes
    std::uint32_t m_timestamp;
    bool m_sending = true;
    bool m_skippedSinceLastSent = true;        // the next packet starts a talk spurt
    std::atomic<bool> m_capturedAudio {false};
    CaptureStatistics m_statistics;
};

} // namespace earshot::media
