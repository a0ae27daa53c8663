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
    std::atomic<std::uint64_t> mediaDatagramsReceived{0};
    std::atomic<std::uint64_t> mediaDatagramsDroppedUnknownSession{0};

    static void increment(std::atomic<std::uint64_t>& counter)
    {
        counter.fetch_add(1, std::memory_order_relaxed);
    }
};

} // namespace earshot::server
