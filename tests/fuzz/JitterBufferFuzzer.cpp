// libFuzzer target for the jitter buffer: the input is a program of inserts (sequence steps,
// timestamps, payloads, arrival times), pulls of any size and range changes, run against one
// JitterBuffer with a small slot ring (so wrap-around, flushes and resyncs are reachable) and a
// decoder stand-in whose behaviour the payload chooses. Beyond "never crashes" it checks what
// the playout path promises:
// - every pull fills exactly the frames asked for (no sample left unwritten, none beyond);
// - invalid arguments are refused with BadArgument, valid ones accepted;
// - the statistics stay finite and within their bounds.
// It links earshot::jitter only, never libopus: the decoder below is all it needs.
#include "codec/AudioDecoder.h"
#include "jitter/JitterBuffer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

using namespace earshot::jitter;

namespace {

// Payload byte 0 picks the packet's duration and fate, so the fuzzer can steer the decoder:
// bits 0-2 duration (2.5 ms .. 120 ms, or 0 = unknown), bit 3 corrupt, bit 4 has FEC.
// Output is a value derived from the payload, so stretching has something to work on.
class FuzzDecoder final : public earshot::codec::AudioDecoder {
public:
    explicit FuzzDecoder(int channels)
        : m_channels(channels)
    {
    }

    int sampleRateHz() const override { return 48'000; }
    int channels() const override { return m_channels; }

    int decode(std::span<const std::uint8_t> payload, std::span<float> out) override
    {
        const int frames = framesInPacket(payload);
        if (frames <= 0 || (payload[0] & 0x08) != 0 || out.size() < std::size_t(frames) * m_channels)
            return -1;
        fill(out, frames, payload.size() > 1 ? payload[1] : 0);
        return frames;
    }

    int decodeFec(std::span<const std::uint8_t> nextPayload, int frames, std::span<float> out) override
    {
        if (nextPayload.empty() || (nextPayload[0] & 0x10) == 0 || frames <= 0 || frames > 5760
            || out.size() < std::size_t(frames) * m_channels)
            return -1;
        fill(out, frames, 7);
        return frames;
    }

    int conceal(int frames, std::span<float> out) override
    {
        // As strict as Opus: 2.5 ms multiples up to 120 ms only.
        if (frames <= 0 || frames % 120 != 0 || frames > 5760 || out.size() < std::size_t(frames) * m_channels)
            __builtin_trap(); // the buffer must never ask for anything else
        fill(out, frames, 0);
        return frames;
    }

    int framesInPacket(std::span<const std::uint8_t> payload) const override
    {
        static constexpr std::array<int, 8> kFrames {0, 120, 240, 480, 960, 1920, 2880, 5760};
        return payload.empty() ? -1 : (kFrames[payload[0] & 0x07] > 0 ? kFrames[payload[0] & 0x07] : -1);
    }

private:
    void fill(std::span<float> out, int frames, std::uint8_t level)
    {
        // A tone whose loudness the payload sets: 0 is silence, so quiet blocks occur too.
        const float amplitude = static_cast<float>(level) / 255.0f;
        for (int i = 0; i < frames; ++i) {
            const float value = amplitude * ((m_phase++ & 64) != 0 ? 1.0f : -1.0f);
            for (int c = 0; c < m_channels; ++c)
                out[static_cast<std::size_t>(i * m_channels + c)] = value;
        }
    }

    int m_channels;
    unsigned m_phase = 0;
};

// Reads the program; past the end it yields zeros, so every input is a valid program.
class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> data)
        : m_data(data)
    {
    }
    [[nodiscard]] bool done() const { return m_position >= m_data.size(); }
    std::uint8_t byte() { return m_position < m_data.size() ? m_data[m_position++] : 0; }
    std::uint16_t word()
    {
        const std::uint8_t low = byte(); // two statements: the order of the reads is fixed
        return static_cast<std::uint16_t>(low | (byte() << 8));
    }
    std::span<const std::uint8_t> bytes(std::size_t count)
    {
        count = std::min(count, m_data.size() - std::min(m_position, m_data.size()));
        const auto result = m_data.subspan(m_position, count);
        m_position += count;
        return result;
    }

private:
    std::span<const std::uint8_t> m_data;
    std::size_t m_position = 0;
};

void checkStatistics(const JitterBuffer& buffer)
{
    const JitterStatistics statistics = buffer.statistics();
    if (!std::isfinite(statistics.currentDelayMs) || statistics.currentDelayMs < 0.0
        || statistics.currentDelayMs > 10'000.0 + 200.0)
        __builtin_trap();
    if (!std::isfinite(statistics.targetDelayMs) || statistics.targetDelayMs < 2.5 || statistics.targetDelayMs > 4000.0)
        __builtin_trap();
    if (!std::isfinite(statistics.jitterMs) || statistics.jitterMs < 0.0 || statistics.jitterMs > 10'000.0)
        __builtin_trap();
    if (statistics.duplicatePackets + statistics.latePackets + statistics.rejectedPackets > statistics.packetsReceived)
        __builtin_trap();
    if (statistics.concealedMs < 0 || statistics.lostPackets < 0 || statistics.expandedMs < 0
        || statistics.acceleratedMs < 0)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Reader reader(std::span(data, size));
    const int channels = (reader.byte() & 1) != 0 ? 2 : 1;
    FuzzDecoder decoder(channels);
    JitterBufferConfig config;
    config.slotCount = 64;
    config.maxPayloadBytes = 64;
    JitterBuffer buffer(decoder, config);

    constexpr int kMaxPullFrames = 6000;
    std::vector<float> out(static_cast<std::size_t>(kMaxPullFrames + 1) * channels);
    std::uint64_t sequence = 1u << 20;
    std::uint32_t timestamp = 0xFFFF'F000u; // wraps early
    std::int64_t nowUs = 0;

    for (int step = 0; step < 4096 && !reader.done(); ++step) {
        const std::uint8_t op = reader.byte();
        switch (op % 4) {
        case 0:
        case 1: { // insert: step the sender, maybe reorder, maybe lie
            const auto sequenceStep = static_cast<std::int8_t>(reader.byte());
            const auto timestampNoise = static_cast<std::int8_t>(reader.byte());
            const auto arrivalNoise = static_cast<std::int8_t>(reader.byte());
            const std::size_t payloadSize = reader.byte() % 80; // some beyond the 64-byte slots
            sequence += static_cast<std::uint64_t>(static_cast<std::int64_t>(sequenceStep));
            timestamp += static_cast<std::uint32_t>(static_cast<std::int32_t>(sequenceStep) * 960);
            std::uint64_t packetSequence = sequence;
            std::uint32_t packetTimestamp = timestamp + static_cast<std::uint32_t>(timestampNoise * 120);
            if ((op & 0x80) != 0) { // wild values
                packetSequence ^= std::uint64_t {reader.word()} << (reader.byte() % 48);
                packetTimestamp ^= std::uint32_t {reader.word()} << (reader.byte() % 32);
            }
            std::int64_t arrivalUs = nowUs + arrivalNoise * 1000;
            if ((op & 0x40) != 0)
                arrivalUs = (op & 0x20) != 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
            static_cast<void>(buffer.insert(packetSequence, packetTimestamp, reader.bytes(payloadSize), arrivalUs));
            break;
        }
        case 2: { // pull any number of frames, into a span of exactly that size
            const int frames = reader.word() % (kMaxPullFrames + 1);
            const auto samples = static_cast<std::size_t>(frames) * channels;
            std::fill(out.begin(), out.end(), std::numeric_limits<float>::quiet_NaN());
            if (buffer.pull(std::span(out).first(samples), frames) != JitterError::None)
                __builtin_trap();
            for (std::size_t i = 0; i < samples; ++i) {
                if (!std::isfinite(out[i]))
                    __builtin_trap();
            }
            for (std::size_t i = samples; i < out.size(); ++i) {
                if (!std::isnan(out[i]))
                    __builtin_trap();
            }
            nowUs += frames * 1000 / 48;
            break;
        }
        default: { // range changes, valid or not; and a too-small output
            const int minMs = static_cast<int>(reader.word() % 4200) - 50;
            const int maxMs = static_cast<int>(reader.word() % 4200) - 50;
            const bool valid = minMs >= 0 && maxMs >= minMs && maxMs <= kMaxBufferIntervalMs;
            if ((buffer.setBufferIntervalRange(minMs, maxMs) == JitterError::None) != valid)
                __builtin_trap();
            if (buffer.pull(std::span(out).first(3), 4) != JitterError::BadArgument)
                __builtin_trap();
            break;
        }
        }
        checkStatistics(buffer);
    }
    return 0;
}
