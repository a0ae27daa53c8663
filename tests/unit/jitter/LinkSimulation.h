#pragma once

#include "FakeDecoder.h"

#include "jitter/JitterBuffer.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace earshot::jitter::test {

// One packet as the network delivers it: which, when (receiver clock) and what kind.
struct SimPacket {
    std::uint64_t sequence = 0;
    std::int64_t arrivalUs = 0;
    std::uint8_t flags = 0; // FakeDecoder::Flag
};

// A playout trace entry per run of equal output: the id of a decoded packet, kFecBase + id for
// a packet rebuilt from FEC, kConcealed for concealment, kSilence for silence, kUnknown for
// anything else (samples mixed from different blocks, which the buffer must never produce).
inline constexpr int kFecBase = 1000;
inline constexpr int kConcealed = -1;
inline constexpr int kSilence = -2;
inline constexpr int kUnknown = -3;

// Drives a JitterBuffer with a FakeDecoder on a simulated clock (no sleeping): before each pull
// of `pullFrames` at its tick of the receiver's clock, every packet whose arrival time has come
// is inserted. Packet `sequence` has RTP timestamp firstTimestamp + sequence * packetFrames
// (32-bit, so long runs cross the wrap). Records the playout trace and the delay seen after
// every pull.
class LinkSimulation {
public:
    struct Options {
        int packetFrames = 960; // 20 ms
        int pullFrames = 480;   // 10 ms, the device period
        std::uint32_t firstTimestamp = 0xFFFF'0000u; // wraps after 1.4 s
        JitterBufferConfig config;
        bool recordTrace = true;
    };

    explicit LinkSimulation(const Options& options);

    // A steady sender: `count` packets, the first sent at 0, one every packet duration of the
    // *sender's* clock, which runs `senderClockRatio` times as fast as the receiver's (1.001 is
    // +0.1 %). Arrival = send + `delayUs(sequence, sendUs)`; `flags(sequence)` marks packets.
    static std::vector<SimPacket> steadyStream(std::int64_t count, int packetFrames, double senderClockRatio,
                                               const std::function<std::int64_t(std::uint64_t, std::int64_t)>& delayUs,
                                               const std::function<std::uint8_t(std::uint64_t)>& flags);

    // Queues packets for delivery at their arrival times (any order; arrival times already
    // passed are delivered at the next pull).
    void send(const std::vector<SimPacket>& packets);

    // Runs until the receiver clock reaches `endUs`, or, with endUs < 0, until every queued
    // packet was delivered and less than one pull is left in the buffer (so no tail underrun is
    // counted). `onPull` (optional) runs after each pull with the clock after it. Packets not
    // yet due stay queued for the next run().
    void run(std::int64_t endUs = -1, const std::function<void(std::int64_t nowUs)>& onPull = {});

    // send(packets), then run(endUs, onPull).
    void run(const std::vector<SimPacket>& packets, std::int64_t endUs = -1,
             const std::function<void(std::int64_t nowUs)>& onPull = {});

    JitterBuffer& buffer() { return m_buffer; }
    FakeDecoder& decoder() { return m_decoder; }
    [[nodiscard]] const std::vector<int>& trace() const { return m_trace; }
    [[nodiscard]] std::int64_t nowUs() const { return m_nowUs; }
    [[nodiscard]] std::int64_t framesOut() const { return m_framesOut; }
    [[nodiscard]] std::int64_t concealedFramesInTrace() const { return m_concealedFrames; }
    [[nodiscard]] std::int64_t silentFramesInTrace() const { return m_silentFrames; }

    // currentDelayMs after each pull since `fromUs` (receiver clock), for bounds.
    void resetDelayRange(std::int64_t fromUs);
    [[nodiscard]] double minDelayMs() const { return m_minDelayMs; }
    [[nodiscard]] double maxDelayMs() const { return m_maxDelayMs; }

private:
    void record(float sample, int frames);

    Options m_options;
    FakeDecoder m_decoder;
    JitterBuffer m_buffer;
    std::vector<SimPacket> m_pending; // sorted by arrival from m_nextPending on
    std::size_t m_nextPending = 0;
    std::vector<float> m_out;
    std::vector<int> m_trace;
    int m_lastKind = 0;
    bool m_haveLast = false;
    std::int64_t m_nowUs = 0;
    std::int64_t m_framesOut = 0;
    std::int64_t m_concealedFrames = 0;
    std::int64_t m_silentFrames = 0;
    std::int64_t m_delayFromUs = 0;
    double m_minDelayMs = 1e9;
    double m_maxDelayMs = -1.0;
};

} // namespace earshot::jitter::test
