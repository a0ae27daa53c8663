#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

namespace earshot::audio {

enum class Pacing {
    RealTime,        // one tick per period of wall-clock (steady) time, like a sound card
    AsFastAsPossible // ticks back to back: for benchmarks and tests that need not wait
};

// The clock of the null and virtual devices: a thread that calls `tick` once per period, the
// way a sound card's interrupt drives a PortAudio callback. Deadlines are absolute (period k is
// due at start + k × period), so timing errors do not accumulate; after a stall of more than
// kMaxLatePeriods periods the clock resynchronises instead of firing a burst of late ticks.
//
// Thread ownership: start()/stop() from one owner thread; `tick` runs on the clock thread (the
// device's "real-time" thread, under the AudioCallback contract). ticks() from any thread.
class ClockThread {
public:
    static constexpr int kMaxLatePeriods = 5;

    ClockThread() = default;
    ~ClockThread();
    ClockThread(const ClockThread&) = delete;
    ClockThread& operator=(const ClockThread&) = delete;

    // Starts ticking; the first tick comes at once. No-op when already running. Thread: the
    // owner's; spawns a thread (allocates).
    void start(std::chrono::nanoseconds period, Pacing pacing, std::function<void()> tick);

    // Stops and joins: when it returns, `tick` is not running and will not run again. Thread:
    // the owner's, never the clock thread itself. No-op when not running.
    void stop();

    bool isRunning() const { return m_thread.joinable(); }
    std::uint64_t ticks() const { return m_ticks.load(std::memory_order_relaxed); }
    // Ticks that came later than kMaxLatePeriods periods (the clock resynchronised).
    std::uint64_t resynchronisations() const { return m_resynchronisations.load(std::memory_order_relaxed); }

private:
    void run(std::chrono::nanoseconds period, Pacing pacing);

    std::function<void()> m_tick;
    std::atomic<bool> m_stopRequested{false};
    std::atomic<std::uint64_t> m_ticks{0};
    std::atomic<std::uint64_t> m_resynchronisations{0};
    std::thread m_thread;
};

} // namespace earshot::audio
