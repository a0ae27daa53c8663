#pragma once

#include "codec/OpusAudioDecoder.h"
#include "dsp/LevelMeter.h"
#include "jitter/JitterBuffer.h"
#include "vad/VoiceActivityDetector.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace earshot::media {

struct PlayoutStreamConfig {
    int channels = 1; // of the decoded output (the mix), 1 or 2, whatever the sender's
    jitter::JitterBufferConfig jitter;
};

// Counters of the stream's payloads, beside the jitter buffer's own. Thread: media thread.
struct PlayoutStatistics {
    std::int64_t malformedPayloads = 0;  // not in the redundancy format: dropped
    std::int64_t redundantBlocks = 0;    // repeated earlier frames seen (most are duplicates)
};

// One played stream on the receiving side (DESIGN.md §2): authenticated payloads in, 48 kHz PCM
// out. It unpacks the redundancy (each repeated earlier frame goes to the jitter buffer under
// its own sequence number and timestamp, oldest first, before the primary, so a lost packet is
// replaced by its exact bitstream), buffers and decodes with the adaptive JitterBuffer (FEC,
// PLC, time stretching), and meters the level and voice activity of what it plays.
//
// Thread ownership: the media thread owns it; insert(), pull(), setBufferIntervalRange() and
// the statistics are called there and are real-time safe (no allocation after create()).
// level() and hasPlayedAudio() may be read from any thread.
class PlayoutStream {
public:
    // Errors: the decoder's (InvalidArgument for a channel count other than 1 or 2).
    // Thread: any; allocates (about 800 KiB of jitter buffer slots by default).
    [[nodiscard]] static std::unique_ptr<PlayoutStream> create(const PlayoutStreamConfig& config,
                                                               codec::CodecError* error = nullptr);
    ~PlayoutStream();
    PlayoutStream(const PlayoutStream&) = delete;
    PlayoutStream& operator=(const PlayoutStream&) = delete;

    // One packet as authenticated by the transport: its 48-bit extended sequence, RTP
    // timestamp, decrypted payload and arrival time (µs, monotonic clock). Returns the
    // primary's outcome; a malformed payload is counted and dropped (SequenceJump is never
    // returned for it: it is reported as Oversized, "not taken"). Thread: media thread.
    jitter::InsertResult insert(std::uint64_t extendedSequence, std::uint32_t timestamp,
                                std::span<const std::uint8_t> payload, std::int64_t arrivalUs);

    // Plays the next `frames` frames into `out` (frames × channels() samples): decoded,
    // recovered, concealed or silence. Thread: media thread.
    void pull(std::span<float> out, int frames);

    // Whether pull() runs the voice-activity detector for level()'s VAD flag. It costs about a
    // fifth of a played stream's CPU, and only the sound-level monitor reads it, so the engine
    // switches it on with startSoundLevelMonitor. Off: the flag stays Silent. Thread: media thread.
    void setVoiceDetection(bool enabled) { m_voiceDetection = enabled; }

    // setPlayStreamBufferIntervalRange. Errors: the jitter buffer's. Thread: media thread.
    [[nodiscard]] jitter::JitterError setBufferIntervalRange(int minMs, int maxMs);

    [[nodiscard]] jitter::JitterStatistics jitterStatistics() const { return m_buffer.statistics(); }
    [[nodiscard]] const PlayoutStatistics& statistics() const { return m_statistics; }
    [[nodiscard]] int channels() const { return m_buffer.channels(); }
    // Level 0–100 and VAD of what is played (before the per-stream volume). Any thread.
    [[nodiscard]] const dsp::LevelMeter& level() const { return m_level; }
    // True once a pull() played a decoded packet (playerRecvAudioFirstFrame). Any thread.
    [[nodiscard]] bool hasPlayedAudio() const { return m_playedAudio.load(std::memory_order_acquire); }

private:
    PlayoutStream(const PlayoutStreamConfig& config, std::unique_ptr<codec::OpusAudioDecoder> decoder);
    void detectVoice(std::span<const float> played);

    std::unique_ptr<codec::OpusAudioDecoder> m_decoder; // before m_buffer, which refers to it
    jitter::JitterBuffer m_buffer;
    dsp::LevelMeter m_level;
    vad::VoiceActivityDetector m_detector;
    PlayoutStatistics m_statistics;
    std::vector<float> m_vadBlock; // 10 ms of played audio for the detector
    std::size_t m_vadFill = 0;
    bool m_speech = false;         // the detector's latest decision
    bool m_voiceDetection = true;
    std::atomic<bool> m_playedAudio {false};
};

} // namespace earshot::media
