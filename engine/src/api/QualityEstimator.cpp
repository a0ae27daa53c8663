#include "api/QualityEstimator.h"

#include <algorithm>

namespace earshot::api {

namespace {

// Equipment impairment of Opus speech at a bitrate (kbit/s), interpolated between points.
double opusImpairment(double kbps)
{
    struct Point {
        double kbps;
        double ie;
    };
    constexpr Point points[] = {{6.0, 20.0}, {12.0, 11.0}, {20.0, 5.0}, {32.0, 0.0}};
    if (kbps <= points[0].kbps)
        return points[0].ie;
    for (std::size_t i = 1; i < std::size(points); ++i) {
        if (kbps <= points[i].kbps) {
            const double t = (kbps - points[i - 1].kbps) / (points[i].kbps - points[i - 1].kbps);
            return points[i - 1].ie + t * (points[i].ie - points[i - 1].ie);
        }
    }
    return 0.0;
}

constexpr double kPacketLossRobustness = 20.0; // Bpl

} // namespace

double QualityEstimator::rFactor(const QualityInputs& inputs)
{
    const double d = std::max(0.0, inputs.oneWayDelayMs);
    const double delayImpairment = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
    const double ie = opusImpairment(inputs.bitrateKbps);
    const double lossPercent = 100.0 * std::clamp(inputs.residualLossRate, 0.0, 1.0);
    const double effective = ie + (95.0 - ie) * lossPercent / (lossPercent + kPacketLossRobustness);
    return std::clamp(93.2 - delayImpairment - effective, 0.0, 100.0);
}

double QualityEstimator::mos(const QualityInputs& inputs)
{
    if (!inputs.haveData)
        return 0.0;
    const double r = rFactor(inputs);
    if (r <= 0.0)
        return 1.0;
    const double value = 1.0 + 0.035 * r + 7.0e-6 * r * (r - 60.0) * (100.0 - r);
    return std::clamp(value, 1.0, 4.5);
}

StreamQualityLevel QualityEstimator::level(const QualityInputs& inputs)
{
    if (!inputs.haveData)
        return StreamQualityLevel::Unknown;
    const double value = mos(inputs);
    if (value >= 4.0)
        return StreamQualityLevel::Excellent;
    if (value >= 3.6)
        return StreamQualityLevel::Good;
    if (value >= 3.1)
        return StreamQualityLevel::Medium;
    if (value >= 2.6)
        return StreamQualityLevel::Bad;
    return StreamQualityLevel::Die;
}

} // namespace earshot::api
