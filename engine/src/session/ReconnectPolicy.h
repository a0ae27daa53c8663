#pragma once

#include <cstdint>

namespace earshot::session {

// When to try reconnecting, and when to stop: exponential back-off from initialDelayMs, doubling
// up to maxDelayMs, with up to 20 % random jitter added (so the clients of a restarted server
// do not all return in the same instant), and a give-up deadline giveUpMs after the loss.
// Times are milliseconds on a monotonic clock the caller passes in, so the policy is pure
// arithmetic and testable without waiting. Not thread-safe; owned by one thread.
class ReconnectPolicy {
public:
    ReconnectPolicy() = default;
    ReconnectPolicy(int initialDelayMs, int maxDelayMs, int giveUpMs);

    // The connection was lost at nowMs: back-off restarts and the give-up deadline is set.
    void start(std::int64_t nowMs);

    // The wait before the next attempt: at least minimumDelayMs (a server_closing event's
    // retry_after_ms), never past the give-up deadline. Each call doubles the base delay.
    [[nodiscard]] int nextDelayMs(std::int64_t nowMs, int minimumDelayMs = 0);

    // Milliseconds until the give-up deadline; 0 when it has passed.
    [[nodiscard]] int remainingMs(std::int64_t nowMs) const;

    // Attempts scheduled since start().
    [[nodiscard]] int attempts() const noexcept { return m_attempts; }

private:
    int m_initialDelayMs = 250;
    int m_maxDelayMs = 5000;
    int m_giveUpMs = 20 * 60 * 1000;
    int m_nextBaseMs = 250;
    int m_attempts = 0;
    std::int64_t m_deadlineMs = 0;
};

} // namespace earshot::session
