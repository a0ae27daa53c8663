#pragma once

#include <atomic>
#include <cstdint>

namespace earshot::server {

// What the server dropped or refused, by cause, for /metrics. Atomic because the media side
// counts from its own thread; relaxed ordering suffices for monotonic counters.
struct ServerCounters {
    std::atomic<std::uint64_t> connectionsAccepted{0};
    std::atomic<std::uint64_t> signalFramesReceived{0};
    std::atomic<std::uint64_t> signalFramesMalformed{0};
    std::atomic<std::uint64_t> signalFramesRateLimited{0};
    std::atomic<std::uint64_t> signalBinaryFramesDropped{0};
    std::atomic<std::uint64_t> connectionsClosedForAbuse{0};
    std::atomic<std::uint64_t> loginsSucceeded{0};
    std::atomic<std::uint64_t> loginsFailed{0};
    std::atomic<std::uint64_t> mediaPacketsReceived{0};      // UDP datagrams and fallback frames
    std::atomic<std::uint64_t> mediaPacketsForwarded{0};     // copies sent to subscribers
    std::atomic<std::uint64_t> mediaBinds{0};                // authenticated Bind packets
    std::atomic<std::uint64_t> mediaRebinds{0};              // a session's address changed (NAT)
    std::atomic<std::uint64_t> mediaDroppedOversized{0};
    std::atomic<std::uint64_t> mediaDroppedMalformed{0};
    std::atomic<std::uint64_t> mediaDroppedUnknownSsrc{0};
    std::atomic<std::uint64_t> mediaDroppedNotOwner{0};     // a known peer sent another's SSRC
    std::atomic<std::uint64_t> mediaDroppedReplay{0};
    std::atomic<std::uint64_t> mediaDroppedAuthentication{0};
    std::atomic<std::uint64_t> mediaDroppedNoRoute{0};      // subscriber never bound its media
    std::atomic<std::uint64_t> mediaSendFailures{0};

    static void increment(std::atomic<std::uint64_t>& counter)
    {
        counter.fetch_add(1, std::memory_order_relaxed);
    }
};

} // namespace earshot::server
