#pragma once
// A network between a CaptureChain and a PlayoutStream, inside one process: each packet gets
// the next sequence number (as the transport would), is lost with probability `lossFraction`,
// and arrives after `baseDelayUs` plus a uniform jitter of up to `jitterUs` (so jitter also
// reorders). Deterministic for a seed. Used on one thread: the media thread of the test.

#include "media/EncodedPacketSink.h"
#include "media/PlayoutStream.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace earshot::media::test {

struct LinkConfig {
    double lossFraction = 0.0;
    std::int64_t baseDelayUs = 5'000;
    std::int64_t jitterUs = 0;
    std::uint32_t seed = 1;
};

class SimulatedLink final : public EncodedPacketSink {
public:
    // `nowUs` tells the time on the clock the arrivals are scheduled in.
    SimulatedLink(const LinkConfig& config, std::function<std::int64_t()> nowUs)
        : m_config(config)
        , m_nowUs(std::move(nowUs))
        , m_random(config.seed)
    {
    }

    void onEncodedPacket(const EncodedPacket& packet) override
    {
        const std::uint64_t sequence = m_nextSequence++;
        ++m_sent;
        if (m_unit(m_random) < m_config.lossFraction) {
            ++m_dropped;
            return;
        }
        const auto jitter = m_config.jitterUs > 0
            ? static_cast<std::int64_t>(m_unit(m_random) * static_cast<double>(m_config.jitterUs))
            : 0;
        m_inFlight.push_back({m_nowUs() + m_config.baseDelayUs + jitter, sequence, packet.timestamp,
                              std::vector<std::uint8_t>(packet.payload.begin(), packet.payload.end())});
    }

    // Hands every packet due by now to `stream`, in arrival order.
    void deliver(PlayoutStream& stream)
    {
        const std::int64_t now = m_nowUs();
        std::stable_sort(m_inFlight.begin(), m_inFlight.end(),
                         [](const Flight& a, const Flight& b) { return a.arrivalUs < b.arrivalUs; });
        std::size_t due = 0;
        while (due < m_inFlight.size() && m_inFlight[due].arrivalUs <= now) {
            const Flight& flight = m_inFlight[due];
            static_cast<void>(stream.insert(flight.sequence, flight.timestamp, flight.payload, flight.arrivalUs));
            ++due;
        }
        m_inFlight.erase(m_inFlight.begin(), m_inFlight.begin() + static_cast<std::ptrdiff_t>(due));
    }

    [[nodiscard]] std::int64_t sent() const { return m_sent; }
    [[nodiscard]] std::int64_t dropped() const { return m_dropped; }

private:
    struct Flight {
        std::int64_t arrivalUs;
        std::uint64_t sequence;
        std::uint32_t timestamp;
        std::vector<std::uint8_t> payload;
    };

    LinkConfig m_config;
    std::function<std::int64_t()> m_nowUs;
    std::mt19937 m_random;
    std::uniform_real_distribution<double> m_unit {0.0, 1.0};
    std::vector<Flight> m_inFlight;
    std::uint64_t m_nextSequence = 0;
    std::int64_t m_sent = 0;
    std::int64_t m_dropped = 0;
};

} // namespace earshot::media::test
