#include "LinkSimulation.h"

#include <algorithm>
#include <cmath>

namespace earshot::jitter::test {

namespace {

int classify(float sample)
{
    if (sample == FakeDecoder::kConcealValue)
        return kConcealed;
    if (sample == 0.0f)
        return kSilence;
    if (const int id = FakeDecoder::markerId(sample); id >= 0)
        return id;
    if (const int id = FakeDecoder::markerId(-sample); id >= 0)
        return kFecBase + id;
    return kUnknown; // a cross-fade between different blocks: a bug
}

} // namespace

LinkSimulation::LinkSimulation(const Options& options)
    : m_options(options)
    , m_buffer(m_decoder, options.config)
    , m_out(static_cast<std::size_t>(options.pullFrames))
{
}

std::vector<SimPacket> LinkSimulation::steadyStream(std::int64_t count, int packetFrames, double senderClockRatio,
                                                    const std::function<std::int64_t(std::uint64_t, std::int64_t)>& delayUs,
                                                    const std::function<std::uint8_t(std::uint64_t)>& flags)
{
    std::vector<SimPacket> packets;
    packets.reserve(static_cast<std::size_t>(count));
    const double intervalUs = packetFrames * 1e6 / 48'000.0 / senderClockRatio;
    for (std::int64_t i = 0; i < count; ++i) {
        const auto sequence = static_cast<std::uint64_t>(i);
        const auto sendUs = static_cast<std::int64_t>(std::llround(static_cast<double>(i) * intervalUs));
        packets.push_back({sequence, sendUs + (delayUs ? delayUs(sequence, sendUs) : 0),
                           flags ? flags(sequence) : std::uint8_t {0}});
    }
    return packets;
}

void LinkSimulation::send(const std::vector<SimPacket>& packets)
{
    m_pending.erase(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(m_nextPending));
    m_nextPending = 0;
    m_pending.insert(m_pending.end(), packets.begin(), packets.end());
    std::stable_sort(m_pending.begin(), m_pending.end(),
                     [](const SimPacket& a, const SimPacket& b) { return a.arrivalUs < b.arrivalUs; });
}

void LinkSimulation::run(const std::vector<SimPacket>& packets, std::int64_t endUs,
                         const std::function<void(std::int64_t nowUs)>& onPull)
{
    send(packets);
    run(endUs, onPull);
}

void LinkSimulation::run(std::int64_t endUs, const std::function<void(std::int64_t nowUs)>& onPull)
{
    const std::int64_t pullUs = std::int64_t {m_options.pullFrames} * 1'000'000 / 48'000;
    for (;;) {
        if (endUs >= 0 && m_nowUs >= endUs)
            break;
        while (m_nextPending < m_pending.size() && m_pending[m_nextPending].arrivalUs <= m_nowUs) {
            const SimPacket& packet = m_pending[m_nextPending++];
            const auto timestamp = static_cast<std::uint32_t>(
                m_options.firstTimestamp + static_cast<std::uint32_t>(packet.sequence * std::uint64_t(m_options.packetFrames)));
            const auto payload = FakeDecoder::makePayload(static_cast<std::uint32_t>(packet.sequence),
                                                          m_options.packetFrames, packet.flags);
            static_cast<void>(m_buffer.insert(packet.sequence, timestamp, payload, packet.arrivalUs));
        }
        if (endUs < 0 && m_nextPending == m_pending.size()
            && m_buffer.statistics().currentDelayMs * 48.0 < m_options.pullFrames)
            break;
        if (m_buffer.pull(m_out, m_options.pullFrames) != JitterError::None)
            return;
        m_framesOut += m_options.pullFrames;
        for (const float sample : m_out)
            record(sample, 1);
        m_nowUs += pullUs;
        if (m_nowUs >= m_delayFromUs) {
            const double delayMs = m_buffer.statistics().currentDelayMs;
            m_minDelayMs = std::min(m_minDelayMs, delayMs);
            m_maxDelayMs = std::max(m_maxDelayMs, delayMs);
        }
        if (onPull)
            onPull(m_nowUs);
    }
}

void LinkSimulation::record(float sample, int frames)
{
    const int kind = classify(sample);
    if (kind == kConcealed)
        m_concealedFrames += frames;
    if (kind == kSilence)
        m_silentFrames += frames;
    // By kind, not value: a cross-fade of a constant block may differ from it in the last bit.
    if (m_haveLast && kind == m_lastKind)
        return;
    m_haveLast = true;
    m_lastKind = kind;
    if (m_options.recordTrace)
        m_trace.push_back(kind);
}

void LinkSimulation::resetDelayRange(std::int64_t fromUs)
{
    m_delayFromUs = fromUs;
    m_minDelayMs = 1e9;
    m_maxDelayMs = -1.0;
}

} // namespace earshot::jitter::test
