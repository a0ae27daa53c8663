#include "session/ReconnectPolicy.h"

#include <QRandomGenerator>

#include <algorithm>

namespace earshot::session {

ReconnectPolicy::ReconnectPolicy(int initialDelayMs, int maxDelayMs, int giveUpMs)
    : m_initialDelayMs(std::max(initialDelayMs, 1))
    , m_maxDelayMs(std::max(maxDelayMs, m_initialDelayMs))
    , m_giveUpMs(std::max(giveUpMs, 0))
    , m_nextBaseMs(m_initialDelayMs)
{
}

void ReconnectPolicy::start(std::int64_t nowMs)
{
    m_nextBaseMs = m_initialDelayMs;
    m_attempts = 0;
    m_deadlineMs = nowMs + m_giveUpMs;
}

int ReconnectPolicy::nextDelayMs(std::int64_t nowMs, int minimumDelayMs)
{
    const int base = m_nextBaseMs;
    m_nextBaseMs = std::min(m_maxDelayMs, base > m_maxDelayMs / 2 ? m_maxDelayMs : base * 2);
    ++m_attempts;
    const int jitter = base >= 5 ? int(QRandomGenerator::global()->bounded(base / 5 + 1)) : 0;
    const int delay = std::max(base + jitter, minimumDelayMs);
    return std::min(delay, remainingMs(nowMs));
}

int ReconnectPolicy::remainingMs(std::int64_t nowMs) const
{
    return int(std::clamp<std::int64_t>(m_deadlineMs - nowMs, 0, m_giveUpMs));
}

} // namespace earshot::session
