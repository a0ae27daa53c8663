#include "RateLimiter.h"

#include <algorithm>

namespace earshot::server {

RateLimiter::RateLimiter(int burst, int perSecond)
    : m_capacity(std::max(1, burst))
    , m_perMs(std::max(0, perSecond) / 1000.0)
    , m_tokens(m_capacity)
{
}

bool RateLimiter::tryAcquire(std::int64_t nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_capacity, m_tokens + double(nowMs - m_lastMs) * m_perMs);
    m_lastMs = std::max(m_lastMs, nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

} // namespace earshot::server
