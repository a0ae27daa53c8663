#pragma once

#include "jitter/DelayEstimator.h"
#include "jitter/JitterStatistics.h"
#include "jitter/PacketSlots.h"
#include "jitter/PcmFifo.h"
#include "jitter/TimeStretcher.h"

#include <cstdint>
#include <span>
#include <vector>

namespace earshot::codec {
class AudioDecoder;
}

namespace earshot::jitter {

// Bounds of setBufferIntervalRange (API.md §3, setPlayStreamBufferIntervalRange).
inline constexpr int kMaxBufferIntervalMs = 4000;

struct JitterBufferConfig {
    // Packet slots (rounded up to a power of two) and bytes per slot: the memory is
    // slotCount * maxPayloadBytes (768 KiB by default). 512 slots hold 5 s of 10 ms packets,
    // more than the 4 s maximum delay, plus room for reordering.
    int slotCount = 512;
    int maxPayloadBytes = 1500; // protocol::kMaxMediaPacketBytes: no payload can be larger
    // Initial setBufferIntervalRange.
    int minDelayMs = 0;
    int maxDelayMs = kMaxBufferIntervalMs;
    // Spare delay on top of what the target is built from (jitter + one packet + the largest
    // recent pull + the expand dead band, see the class comment): scheduling noise of the
    // consumer that the jitter estimate does not see.
    double marginMs = 2.0;
    DelayEstimatorConfig estimator;
};

enum class InsertResult {
    Accepted,
    Duplicate,    // already buffered, or played within the last 64 packets
    Late,         // its playout time has passed (played out or concealed)
    SequenceJump, // far outside the window (either way); taken when the next packet confirms it
    Oversized,    // payload larger than maxPayloadBytes
};

// Where a packet given to insert() came from. A redundant copy (RED, RedundancyPacker.h) arrives
// with the packet after it, so its arrival time says nothing about the network's jitter: it
// fills a gap if there is one, and is otherwise dropped without a trace in the statistics.
enum class PacketOrigin {
    Primary,   // the packet itself, as the sender sent it
    Redundant, // an earlier packet's copy carried inside a later one
};

enum class JitterError {
    None,
    BadArgument, // a negative frame count, an output span too small, a range outside 0..4000
};

// Stable English text of an error, for logs. Thread-safe; never returns null.
[[nodiscard]] const char* errorText(JitterError error) noexcept;

// The adaptive jitter buffer of one played stream (DESIGN.md §2): packets go in as they arrive,
// PCM comes out as the playback device consumes it. The device is the clock: every pull() plays
// exactly the frames asked for, so a sender clock that runs fast or slow shows up as a buffer
// that slowly fills or drains, which the delay control below corrects.
//
// Playout follows a cursor (the next sequence number and its media time). When the PCM FIFO is
// empty the next block is made from, in order of preference:
//   1. the packet at the cursor, decoded;
//   2. if it is missing but a later packet is buffered, it is lost: the frame is rebuilt from
//      the next packet's in-band FEC when that packet directly follows, otherwise concealed;
//   3. if nothing later is buffered (underrun), concealment that advances the media time but
//      not the sequence, so a packet that was only late still plays when it comes (the delay
//      grows by the wait, which is how the buffer grows on a spike). After 300 ms of this the
//      buffer stops concealing, plays silence and buffers up to its target again.
// A timestamp gap without a sequence gap (the sender's DTX) is filled with the decoder's own
// continuation and not counted as loss.
//
// Delay control: DelayEstimator measures jitter; target = jitter + one packet + pull + 3 ms +
// margin, clamped to [max(minMs, one packet), maxMs]. Every part is measured or fixed by the
// consumer, not guessed: a packet arrives whole, pull is the largest block the consumer took in
// the last second (the level drains in such steps; the audio pipeline pulls one device period,
// at most 10 ms), 3 ms is the expand dead band below, margin (2 ms) is spare. On a clean link
// that is 30 ms for 20 ms packets and 5 ms pulls (35 ms with 10 ms pulls), against 40 ms when
// the target was jitter + packet + a fixed 20 ms. The controlled value is the base level: the
// buffer level just after each in-order arrival plus that packet's relative delay, i.e. what
// the level would be had the packet taken the fastest path, which jitter does not move, so it
// is smoothed lightly and compared with the target directly. Above the target (+6 ms) blocks
// are shortened ("accelerate", and then on down to +1 ms), below it (-3 ms) lengthened
// ("expand"), both by TimeStretcher and only in low-energy blocks, unless the level is far
// off (+80 ms / -12 ms) or no quiet block came for 2 s / 0.5 s: then latency or an underrun
// would be worse than splicing a pitch period of speech. Never by dropping audio.
//
// Thread ownership: the stream's playout (media) thread owns the buffer and the decoder it was
// given; every method is called on that thread and nothing is synchronised. Everything is
// allocated in the constructor; insert() and pull() never allocate, lock, throw or log.
// Hostile input (any sequence, timestamp, payload or arrival time) is dropped and counted, and
// never breaks the invariants: pull() always fills its output.
class JitterBuffer {
public:
    // `decoder` must outlive the buffer and run at 48 kHz (the RTP clock of Opus, in which
    // timestamps are read); its channel count (1 or 2) is the output's. Thread: any; allocates.
    explicit JitterBuffer(codec::AudioDecoder& decoder, const JitterBufferConfig& config = {});

    JitterBuffer(const JitterBuffer&) = delete;
    JitterBuffer& operator=(const JitterBuffer&) = delete;

    // Buffers one authenticated packet: its extended (48-bit) sequence number, its RTP timestamp
    // (48 kHz), its payload (copied into a slot) and its arrival time in microseconds on a
    // monotonic clock (the same for every call). The outcome is also counted in statistics(),
    // so callers may ignore it. A Redundant packet neither feeds the delay estimate nor moves
    // the delay control, and is counted only when it fills a gap (redundancyRecovered); it
    // never restarts the stream (a sequence jump) on its own. Thread: playout thread. Never
    // allocates.
    InsertResult insert(std::uint64_t extendedSequence, std::uint32_t rtpTimestamp48k,
                        std::span<const std::uint8_t> payload, std::int64_t arrivalTimeUs,
                        PacketOrigin origin = PacketOrigin::Primary) noexcept;

    // Writes exactly `frames` frames of interleaved float PCM (channels() per frame) into
    // `out`: decoded audio, FEC, concealment, or silence before the first packet. Errors:
    // BadArgument when `frames` < 0 or `out` holds fewer than frames * channels() samples (then
    // `out` is zeroed and nothing is consumed). Thread: playout thread. Never allocates.
    [[nodiscard]] JitterError pull(std::span<float> out, int frames) noexcept;

    // Bounds of the target delay in milliseconds, 0 <= minMs <= maxMs <= 4000 (defaults 0, 4000).
    // The target never goes below one packet (even with maxMs 0) nor above what the slots hold.
    // Takes effect gradually, by the same stretching. The delay itself can exceed maxMs for a
    // few seconds after a network stall (late packets are played, not dropped) until it is shed.
    // Errors: BadArgument (nothing changed). Thread: playout thread.
    [[nodiscard]] JitterError setBufferIntervalRange(int minMs, int maxMs) noexcept;

    // A snapshot of the counters and the current delay, target and jitter (JitterStatistics).
    // Thread: playout thread. Never allocates.
    [[nodiscard]] JitterStatistics statistics() const noexcept;

    // Channels per output frame: the decoder's, 1 or 2. Thread: any.
    [[nodiscard]] int channels() const noexcept { return m_channels; }

private:
    enum class State {
        Buffering, // silence until the target delay is buffered
        Playing,
    };

    void produce() noexcept;
    void playPacket(const BufferedPacket& packet) noexcept;
    [[nodiscard]] bool playLoss(std::uint64_t nextSequence) noexcept;
    void underrun() noexcept;
    void finishBlock(int frames, bool mayStretch) noexcept;
    void adaptDelay(int& frames, bool lowEnergy) noexcept;
    [[nodiscard]] int conceal(int frames) noexcept;

    [[nodiscard]] bool readyToStart() const noexcept;
    void startPlaying() noexcept;
    void resync(std::uint64_t sequence) noexcept;
    void advanceCursor(std::uint64_t count, bool played) noexcept;
    [[nodiscard]] bool wasPlayed(std::uint64_t sequence) const noexcept;
    [[nodiscard]] bool confirmsJump(std::uint64_t sequence) noexcept;

    [[nodiscard]] std::int64_t unwrapTimestamp(std::uint32_t timestamp) const noexcept;
    [[nodiscard]] std::int64_t levelFrames() const noexcept;
    [[nodiscard]] double targetMs() const noexcept;
    [[nodiscard]] double packetMs() const noexcept;
    [[nodiscard]] double pullMs() const noexcept;
    void notePull(int frames) noexcept;
    void updateBaseLevel(double sampleMs) noexcept;

    codec::AudioDecoder& m_decoder;
    int m_channels;
    PacketSlots m_slots;
    DelayEstimator m_estimator;
    TimeStretcher m_stretcher;
    PcmFifo m_fifo;
    std::vector<float> m_block; // one decoded packet, with room to lengthen it by half
    double m_marginMs;
    int m_minDelayMs;
    int m_maxDelayMs;

    State m_state = State::Buffering;
    bool m_haveCursor = false;   // a packet has been seen
    bool m_cursorLocked = false; // playout started: nothing before the cursor is accepted again
    std::uint64_t m_nextSequence = 0;
    std::int64_t m_nextTimestamp = 0;  // media time at the cursor, unwrapped 48 kHz frames
    std::uint64_t m_playedHistory = 0; // bit i: sequence m_nextSequence - 1 - i was played
    bool m_haveHighest = false;
    std::uint64_t m_highestSequence = 0;
    std::int64_t m_highestEnd = 0;         // media time at the end of the highest packet
    std::int64_t m_timestampReference = 0; // unwrapped timestamp of the highest packet
    int m_packetFrames;                    // duration of the latest packet
    int m_underrunFrames = 0;              // concealed in the current underrun
    bool m_haveProbation = false;          // an absurd jump waiting for confirmation
    std::uint64_t m_probationSequence = 0;
    double m_lastRelativeDelayMs = 0.0;
    bool m_haveBaseLevel = false;
    double m_baseLevelMs = 0.0;
    int m_offTargetFrames = 0;             // played outside the dead band without a stretch
    bool m_accelerating = false;           // above the band: shorten down to near the target
    int m_pullFrames = 0;                  // largest pull of the current second
    int m_previousPullFrames = 0;          // largest pull of the second before
    int m_pullWindowFrames = 0;            // frames pulled in the current second

    JitterStatistics m_counters; // the cumulative fields; current values are filled on demand
    std::int64_t m_concealedFrames = 0;
    std::int64_t m_pauseFilledFrames = 0;
    std::int64_t m_acceleratedFrames = 0;
    std::int64_t m_expandedFrames = 0;
};

} // namespace earshot::jitter
