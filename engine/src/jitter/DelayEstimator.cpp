#include "jitter/DelayEstimator.h"

#include <algorithm>
#include <cmath>

namespace earshot::jitter {

namespace {

constexpr double kFramesPerMs = 48.0;           // RTP clock of Opus, 48 kHz
constexpr double kMaxRelativeDelayMs = 10'000.0; // beyond any buffer; keeps hostile input finite
// Arrival times are clamped to +-2^60 us (36,000 years), so differences of them cannot overflow.
constexpr std::int64_t kMaxArrivalUs = std::int64_t {1} << 60;

} // namespace

DelayEstimator::DelayEstimator(const DelayEstimatorConfig& config)
    : m_config(config)
{
    m_config.windowMs = std::clamp(m_config.windowMs, 100, 60'000);
    m_config.percentile = std::clamp(m_config.percentile, 0.0, 1.0);
    m_config.historyCapacity = std::clamp(m_config.historyCapacity, 8, 65'536);
    m_config.peakRank = std::clamp(m_config.peakRank, 1, m_config.historyCapacity);
    m_config.startupJitterMs = std::clamp(m_config.startupJitterMs, 0.0, kMaxRelativeDelayMs);
    m_history.resize(static_cast<std::size_t>(m_config.historyCapacity));
    m_scratch.resize(m_history.size());
}

void DelayEstimator::reset() noexcept
{
    m_next = 0;
    m_count = 0;
    m_started = false;
    m_jitterMs = 0.0;
}

double DelayEstimator::onPacket(std::int64_t timestampFrames, std::int64_t arrivalUs) noexcept
{
    arrivalUs = std::clamp(arrivalUs, -kMaxArrivalUs, kMaxArrivalUs);
    if (!m_started) {
        m_started = true;
        m_firstArrivalUs = arrivalUs;
        m_latestArrivalUs = arrivalUs;
    }
    // The window ends at the latest arrival seen, so an arrival time that goes backwards (a
    // caller bug) cannot make the window swallow or forget everything.
    m_latestArrivalUs = std::max(m_latestArrivalUs, arrivalUs);
    // In doubles: int64 arithmetic on hostile timestamps could overflow, doubles only lose
    // precision far outside any real stream.
    const double transitMs = static_cast<double>(arrivalUs) / 1000.0 - static_cast<double>(timestampFrames) / kFramesPerMs;

    m_history[m_next] = Sample {arrivalUs, transitMs, 0.0};
    m_next = (m_next + 1) % m_history.size();
    m_count = std::min(m_count + 1, m_history.size());

    const std::int64_t windowStartUs = m_latestArrivalUs - std::int64_t {m_config.windowMs} * 1000;
    const auto inWindow = [&](const Sample& sample) { return sample.arrivalUs >= windowStartUs; };
    const auto at = [&](std::size_t age) -> Sample& {
        return m_history[(m_next + m_history.size() - 1 - age) % m_history.size()];
    };

    double minTransitMs = transitMs;
    for (std::size_t age = 0; age < m_count; ++age) {
        if (inWindow(at(age)))
            minTransitMs = std::min(minTransitMs, at(age).transitMs);
    }
    const double relativeMs = std::clamp(transitMs - minTransitMs, 0.0, kMaxRelativeDelayMs);
    at(0).relativeMs = relativeMs;

    std::size_t n = 0;
    for (std::size_t age = 0; age < m_count; ++age) {
        if (inWindow(at(age)))
            m_scratch[n++] = at(age).relativeMs;
    }
    // An arrival time from before the window (out of order; a caller bug) leaves it empty.
    if (n == 0)
        return relativeMs;
    // The higher of the two ranks (ascending order) is the larger value.
    const auto percentileRank = static_cast<std::size_t>(std::floor(m_config.percentile * static_cast<double>(n - 1)));
    const auto peakRank = static_cast<std::size_t>(m_config.peakRank);
    const std::size_t rank = std::max(percentileRank, n > peakRank ? n - peakRank : std::size_t {0});
    const auto first = m_scratch.begin();
    std::nth_element(first, first + static_cast<std::ptrdiff_t>(rank), first + static_cast<std::ptrdiff_t>(n));
    m_jitterMs = m_scratch[rank];
    if (m_latestArrivalUs - m_firstArrivalUs < std::int64_t {m_config.windowMs} * 1000)
        m_jitterMs = std::max(m_jitterMs, m_config.startupJitterMs);
    return relativeMs;
}

} // namespace earshot::jitter
