#pragma once

#include "BenchSupport.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <map>
#include <vector>

// The figures of earshot-bench-forwarding (ForwardingBench.cpp) and how they are printed;
// docs/PERFORMANCE.md says how to read them. Main thread only, like the benchmark.
namespace earshot::bench {

// One load: rooms × (publishers + subscribers); every subscriber plays every publisher of its room.
struct Load {
    int rooms = 10;
    int publishersPerRoom = 1;
    int subscribersPerRoom = 4;
};

// What one load measured over its window.
struct ForwardingResult {
    Load load;
    double seconds = 0;
    std::uint64_t sent = 0, expected = 0, received = 0;
    std::uint64_t openFailures = 0, unexpected = 0, sendFailures = 0;
    double lossPercent = 0;
    double latencyMs[4] = {}; // p50, p95, p99, max
    double pickupP99Ms = 0, pickupMaxMs = 0;
    double serverForwarded = 0; // /metrics delta over the window
    CpuUse server, client;
    std::uint64_t serverSocketDrops = 0, clientSocketDrops = 0;
    std::map<QByteArray, double> endMetrics;

    double forwardedPerSecond() const { return double(received) / seconds; }
    double serverCpuPercent() const { return 100.0 * server.seconds / seconds; }
    double clientCpuPercent() const { return 100.0 * client.seconds / seconds; }
    // Server CPU over the copies it forwarded: the open of each incoming packet is shared by its
    // S copies, so this falls as S grows; compare like with like.
    double serverUsPerPacket() const
    {
        const double copies = serverForwarded > 0 ? serverForwarded : double(received);
        return copies > 0 ? 1e6 * server.seconds / copies : 0;
    }
};

// The header: machine, build, server binary, packet shape and timing of the run.
void printHeader(const QString& serverBinary, int payloadBytes, int warmupMs, int drainMs);
void printResult(const ForwardingResult& result);
// The --sweep table: each load against the first, by CPU µs per forwarded packet.
void printSweep(const std::vector<ForwardingResult>& results);

} // namespace earshot::bench
