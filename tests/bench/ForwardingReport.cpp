#include "ForwardingReport.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace earshot::bench {

namespace {

unsigned long long ull(std::uint64_t value) // for %llu, whatever uint64_t is
{
    return static_cast<unsigned long long>(value);
}

} // namespace

void printHeader(const QString& serverBinary, int payloadBytes, int warmupMs, int drainMs)
{
    double load[3] = {};
    getloadavg(load, 3);
    std::printf("earshot-bench-forwarding: media forwarding through earshot-server on loopback\n"
                "machine:  %ld CPUs online, %s, load average %.2f %.2f %.2f at start\n"
                "build:    %s (bench and, unless --server is given, the server from the same tree)\n"
                "server:   %s\n"
                "packets:  %d-byte payload (+20 RTP header with audio level, +16 tag), one per 20 ms per publisher\n"
                "window:   %d ms warm-up (not counted), then the measured seconds, then %d ms drain\n",
                sysconf(_SC_NPROCESSORS_ONLN), cpuModel().constData(), load[0], load[1], load[2],
                EARSHOT_BENCH_BUILD_TYPE, qPrintable(serverBinary), payloadBytes, warmupMs, drainMs);
    if (QByteArray(EARSHOT_BENCH_BUILD_TYPE) != "Release" && QByteArray(EARSHOT_BENCH_BUILD_TYPE) != "RelWithDebInfo")
        std::printf("WARNING:  not an optimised build; the figures say little (scripts/bench builds Release)\n");
    std::fflush(stdout);
}

void printResult(const ForwardingResult& r)
{
    const Load& l = r.load;
    std::printf("\n== %d rooms x (%d publishers + %d subscribers) = %d clients, %d streams, %.2f s measured\n",
                l.rooms, l.publishersPerRoom, l.subscribersPerRoom,
                l.rooms * (l.publishersPerRoom + l.subscribersPerRoom), l.rooms * l.publishersPerRoom, r.seconds);
    std::printf("  packets sent            %10llu  (%.1f/s per publisher)\n", ull(r.sent),
                double(r.sent) / r.seconds / (l.rooms * l.publishersPerRoom));
    std::printf("  expected copies         %10llu\n", ull(r.expected));
    std::printf("  received copies         %10llu  loss %.3f %%\n", ull(r.received), r.lossPercent);
    std::printf("  one-way latency ms      p50 %.3f  p95 %.3f  p99 %.3f  max %.3f\n", r.latencyMs[0], r.latencyMs[1],
                r.latencyMs[2], r.latencyMs[3]);
    std::printf("  forwarded packets/s     %10.0f  (server counted %.0f in the window)\n", r.forwardedPerSecond(),
                r.serverForwarded);
    std::printf("  server CPU              %9.1f %% of one core; %.2f us per forwarded packet\n"
                "                          (ticks: %.1f %%, of which %.0f %% in the kernel)\n",
                r.serverCpuPercent(), r.serverUsPerPacket(), 100.0 * r.server.statSeconds / r.seconds,
                r.server.statSeconds > 0 ? 100.0 * r.server.statSystemSeconds / r.server.statSeconds : 0.0);
    std::printf("  server threads         ");
    for (const auto& [name, seconds] : r.server.threads)
        std::printf(" %s %.1f %%", name.constData(), 100.0 * seconds / r.seconds);
    std::printf("\n  client (this process)   %9.1f %% of one core; kernel-to-bench pickup p99 %.3f ms, max %.3f ms\n",
                r.clientCpuPercent(), r.pickupP99Ms, r.pickupMaxMs);
    std::printf("  kernel UDP drops        server socket %llu, client sockets %llu\n",
                ull(r.serverSocketDrops), ull(r.clientSocketDrops));
    if (r.openFailures + r.unexpected + r.sendFailures > 0)
        std::printf("  ERRORS                  %llu failed to open, %llu unexpected, %llu sends failed\n",
                    ull(r.openFailures), ull(r.unexpected),
                    ull(r.sendFailures));
    std::printf("  /metrics at the end:\n");
    for (const auto& [name, value] : r.endMetrics)
        if (name.startsWith("earshot_media_"))
            std::printf("    %-60s %.0f\n", name.constData(), value);
    std::fflush(stdout);
}

void printSweep(const std::vector<ForwardingResult>& results)
{
    std::printf("\n== sweep summary (compare the ratio column: same machine, same minute)\n"
                "%6s %8s %8s %10s %8s %9s %9s %9s %9s %7s %9s\n",
                "rooms", "streams", "clients", "fwd pkt/s", "loss %", "p50 ms", "p99 ms", "server %", "us/pkt",
                "ratio", "client %");
    for (const ForwardingResult& r : results) {
        const Load& l = r.load;
        std::printf("%6d %8d %8d %10.0f %8.3f %9.3f %9.3f %9.1f %9.2f %7.2f %9.1f\n", l.rooms,
                    l.rooms * l.publishersPerRoom, l.rooms * (l.publishersPerRoom + l.subscribersPerRoom),
                    r.forwardedPerSecond(), r.lossPercent, r.latencyMs[0], r.latencyMs[2], r.serverCpuPercent(),
                    r.serverUsPerPacket(), r.serverUsPerPacket() / results.front().serverUsPerPacket(),
                    r.clientCpuPercent());
    }
    std::fflush(stdout);
}

} // namespace earshot::bench
