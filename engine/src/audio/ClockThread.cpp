#include "audio/ClockThread.h"

#include <cassert>

namespace earshot::audio {

ClockThread::~ClockThread()
{
    stop();
}

void ClockThread::start(std::chrono::nanoseconds period, Pacing pacing, std::function<void()> tick)
{
    if (m_thread.joinable())
        return;
    assert(period.count() > 0 && tick);
    m_tick = std::move(tick);
    m_stopRequested.store(false, std::memory_order_relaxed);
    m_thread = std::thread([this, period, pacing] { run(period, pacing); });
}

void ClockThread::stop()
{
    if (!m_thread.joinable())
        return;
    assert(m_thread.get_id() != std::this_thread::get_id());
    m_stopRequested.store(true, std::memory_order_relaxed);
    m_thread.join();
}

void ClockThread::run(std::chrono::nanoseconds period, Pacing pacing)
{
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now();
    while (!m_stopRequested.load(std::memory_order_relaxed)) {
        m_tick();
        m_ticks.fetch_add(1, std::memory_order_relaxed);
        if (pacing == Pacing::AsFastAsPossible)
            continue;
        deadline += period;
        const auto now = Clock::now();
        if (now - deadline > kMaxLatePeriods * period) {
            // Stalled (a debugger, an overloaded machine): drop the missed periods rather than
            // run them back to back.
            deadline = now;
            m_resynchronisations.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        std::this_thread::sleep_until(deadline);
    }
}

} // namespace earshot::audio
