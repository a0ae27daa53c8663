#include "RedundancyPolicy.h"

#include <algorithm>
#include <cmath>

namespace earshot::codec {

int RedundancyPolicy::levelFor(double loss) const noexcept
{
    if (loss >= m_config.twoFramesAtLoss)
        return 2;
    if (loss >= m_config.oneFrameAtLoss)
        return 1;
    return 0;
}

double RedundancyPolicy::lowerThreshold(int level) const noexcept
{
    return level >= 2 ? m_config.backToOneBelowLoss : m_config.backToNoneBelowLoss;
}

int RedundancyPolicy::expectedLossPercent() const noexcept
{
    const double residual = std::pow(m_smoothedLoss, m_decision.redundantFrames + 1);
    // Round up (a tiny residual still deserves a little FEC), with a hair of slack so that
    // exact fractions like 0.05 do not become 6 % through floating-point noise.
    const int percent = static_cast<int>(std::ceil(residual * 100.0 - 1e-9));
    return std::clamp(percent, 0, std::clamp(m_config.maxExpectedLossPercent, 0, 100));
}

RedundancyDecision RedundancyPolicy::onLossReport(double lossFraction, std::int64_t nowMs) noexcept
{
    if (std::isnan(lossFraction))
        return m_decision;
    const double loss = std::clamp(lossFraction, 0.0, 1.0);
    nowMs = std::max(nowMs, m_lastMs);
    m_lastMs = nowMs;

    m_smoothedLoss = loss >= m_smoothedLoss ? loss : (m_smoothedLoss + loss) / 2.0;

    int level = m_decision.redundantFrames;
    if (const int wanted = levelFor(loss); wanted > level) {
        // Loss hurts now; bitrate can wait. Go straight up, possibly two steps.
        level = wanted;
        m_below = false;
    } else if (level > 0 && loss < lowerThreshold(level)) {
        if (!m_below) {
            m_below = true;
            m_belowSinceMs = nowMs;
        }
        if (nowMs - m_belowSinceMs >= m_config.holdMs) {
            // One step at a time; the next step needs its own quiet hold from here.
            --level;
            m_below = false;
            if (level > 0 && loss < lowerThreshold(level)) {
                m_below = true;
                m_belowSinceMs = nowMs;
            }
        }
    } else {
        m_below = false;
    }

    m_decision.redundantFrames = level;
    m_decision.expectedLossPercent = expectedLossPercent();
    return m_decision;
}

void RedundancyPolicy::reset() noexcept
{
    m_decision = {};
    m_smoothedLoss = 0.0;
    m_below = false;
    m_belowSinceMs = 0;
    m_lastMs = std::numeric_limits<std::int64_t>::min();
}

} // namespace earshot::codec
