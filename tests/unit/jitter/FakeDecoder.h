#pragma once

#include "codec/AudioDecoder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace earshot::jitter::test {

// A deterministic stand-in for the Opus decoder whose output says where it came from, so tests
// can read the order of playout and what was recovered or concealed straight from the PCM:
//   decoded packet `id`      -> every sample is markerValue(id), in [0.25, 0.5)
//   FEC for packet `id`      -> every sample is -markerValue(id)
//   concealment              -> every sample is kConcealValue
//   a Silent packet          -> zeros (a low-energy block the buffer may stretch)
// Time-stretching a constant block keeps it constant, so markers survive accelerate/expand.
//
// Payload: id (4 bytes LE), flags (1 byte), frames (2 bytes LE), anything after is ignored.
class FakeDecoder final : public codec::AudioDecoder {
public:
    enum Flag : std::uint8_t {
        Silent = 1,  // decodes to zeros
        HasFec = 2,  // decodeFec() recovers the packet before it
        Corrupt = 4, // decode() fails
    };
    static constexpr float kConcealValue = -0.9f;
    static constexpr std::size_t kPayloadBytes = 7;
    static constexpr int kMarkerIds = 512; // ids wrap here in the markers

    explicit FakeDecoder(int channels = 1) noexcept
        : m_channels(channels)
    {
    }

    static float markerValue(std::uint32_t id) noexcept
    {
        return 0.25f + static_cast<float>(id % kMarkerIds) / 2048.0f;
    }
    // The id a marker sample stands for, or -1 when it is none.
    static int markerId(float value) noexcept
    {
        if (value < 0.2499f || value >= 0.5f)
            return -1;
        return static_cast<int>(std::lround((double(value) - 0.25) * 2048.0));
    }

    static std::array<std::uint8_t, kPayloadBytes> makePayload(std::uint32_t id, int frames, std::uint8_t flags = 0) noexcept
    {
        return {static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id >> 16),
                static_cast<std::uint8_t>(id >> 24), flags, static_cast<std::uint8_t>(frames),
                static_cast<std::uint8_t>(frames >> 8)};
    }

    int sampleRateHz() const override { return 48'000; }
    int channels() const override { return m_channels; }

    int decode(std::span<const std::uint8_t> payload, std::span<float> out) override
    {
        ++decodeCalls;
        const int frames = framesInPacket(payload);
        if (frames <= 0 || (payload[4] & Corrupt) != 0 || out.size() < std::size_t(frames) * m_channels)
            return -1;
        const float value = (payload[4] & Silent) != 0 ? 0.0f : markerValue(id(payload));
        std::fill_n(out.begin(), std::size_t(frames) * m_channels, value);
        return frames;
    }

    int decodeFec(std::span<const std::uint8_t> nextPayload, int frames, std::span<float> out) override
    {
        ++fecCalls;
        if (framesInPacket(nextPayload) <= 0 || (nextPayload[4] & HasFec) == 0 || frames <= 0
            || out.size() < std::size_t(frames) * m_channels)
            return -1;
        std::fill_n(out.begin(), std::size_t(frames) * m_channels, -markerValue(id(nextPayload) - 1));
        return frames;
    }

    int conceal(int frames, std::span<float> out) override
    {
        ++concealCalls;
        // Opus only conceals 2.5 ms multiples up to 120 ms; so does this, to catch a buffer that
        // asks for anything else.
        if (frames <= 0 || frames % 120 != 0 || frames > 5760 || out.size() < std::size_t(frames) * m_channels)
            return -1;
        std::fill_n(out.begin(), std::size_t(frames) * m_channels, kConcealValue);
        return frames;
    }

    int framesInPacket(std::span<const std::uint8_t> payload) const override
    {
        if (payload.size() < kPayloadBytes)
            return -1;
        const int frames = payload[5] | (payload[6] << 8);
        return frames > 0 && frames <= 5760 ? frames : -1;
    }

    int decodeCalls = 0;
    int fecCalls = 0;
    int concealCalls = 0;

private:
    static std::uint32_t id(std::span<const std::uint8_t> payload) noexcept
    {
        return std::uint32_t(payload[0]) | (std::uint32_t(payload[1]) << 8) | (std::uint32_t(payload[2]) << 16)
            | (std::uint32_t(payload[3]) << 24);
    }

    int m_channels;
};

} // namespace earshot::jitter::test
