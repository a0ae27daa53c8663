#pragma once

#include <cstdint>

namespace earshot::server {

// A token bucket: `burst` events at once, refilled at `perSecond`. Time comes from the caller
// (milliseconds on a monotonic clock), so tests drive it without sleeping. Not thread-safe.
class RateLimiter {
public:
    RateLimiter(int burst, int perSecond);

    // Takes one token if there is one; false means the event is over the limit.
    [[nodiscard]] bool tryAcquire(std::int64_t nowMs);

private:
    double m_capacity;
    double m_perMs;
    double m_tokens;
    std::int64_t m_lastMs = -1;
};

} // namespace earshot::server
