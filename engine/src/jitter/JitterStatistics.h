#pragma once

#include <cstdint>

namespace earshot::jitter {

// A snapshot of one JitterBuffer, for playerQualityUpdate (API.md §3) and the benchmarks.
// Counters are cumulative since construction; the first three fields are current values.
struct JitterStatistics {
    double currentDelayMs = 0.0; // audio buffered ahead of playout now: PCM plus packets
    double targetDelayMs = 0.0;  // what the buffer steers towards (jitter + packet + margin, clamped)
    double jitterMs = 0.0;       // the network jitter estimate the target comes from

    std::int64_t packetsReceived = 0;    // every insert() of a primary packet, whatever became of it
    std::int64_t redundancyRecovered = 0; // redundant copies that filled a gap (PacketOrigin::Redundant)
    std::int64_t decodedPackets = 0;     // packets decoded and played (redundant copies included)
    std::int64_t duplicatePackets = 0;   // already buffered or already played
    std::int64_t latePackets = 0;        // arrived after their playout time had passed
    std::int64_t rejectedPackets = 0;    // oversized payloads and absurd sequence jumps
    std::int64_t lostPackets = 0;        // never played: missing at their playout time or flushed
    std::int64_t fecRecoveredFrames = 0; // lost packets rebuilt from the next packet's FEC
    std::int64_t decodeErrors = 0;       // payloads the decoder refused (concealed instead)

    std::int64_t concealedMs = 0;  // packet loss concealment played (losses, underruns, bad payloads)
    std::int64_t underrunCount = 0; // times the buffer ran dry with nothing after the cursor
                                    // (pauses of the sender, found out afterwards, are not counted)
    std::int64_t pauseCount = 0;    // the sender paused (DTX): the buffer ran dry, nothing was lost
    std::int64_t pauseFilledMs = 0; // continuation played in those pauses (not in concealedMs)
    std::int64_t resyncCount = 0;   // restarts after a long outage or a confirmed sequence jump

    std::int64_t accelerateCount = 0; // shortening operations (delay reduced)
    std::int64_t acceleratedMs = 0;   // audio removed by them
    std::int64_t expandCount = 0;     // lengthening operations (delay increased)
    std::int64_t expandedMs = 0;      // audio added by them
};

} // namespace earshot::jitter
