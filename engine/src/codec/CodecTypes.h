#pragma once

#include <cstdint>

namespace earshot::codec {

// Opus runs at the engine's rate (audio::kEngineSampleRateHz); RTP timestamps count in the same
// unit, so "48 kHz units" below are samples per channel.
inline constexpr int kCodecSampleRateHz = 48'000;
// The longest packet Opus produces or accepts: 120 ms.
inline constexpr int kMaxFramesPerPacket = kCodecSampleRateHz * 120 / 1000;
// libopus's recommended output capacity for one packet; an encoder given this much is never
// forced to lower a frame's quality to fit.
inline constexpr int kMaxPacketBytes = 4000;

enum class ChannelLayout : std::uint8_t {
    Mono = 1,
    Stereo = 2,
};

[[nodiscard]] constexpr int channelCount(ChannelLayout layout) noexcept
{
    return static_cast<int>(layout);
}

// The packet durations Earshot sends. Shorter frames lower latency and raise the per-packet
// overhead (RTP + AEAD, ~36 bytes per packet); 20 ms is the usual VoIP compromise.
enum class FrameDuration : std::uint8_t {
    Ms10 = 10,
    Ms20 = 20,
    Ms40 = 40,
    Ms60 = 60,
};

[[nodiscard]] constexpr int durationMs(FrameDuration duration) noexcept
{
    return static_cast<int>(duration);
}

// Frames (samples per channel) in one packet of `duration` at 48 kHz.
[[nodiscard]] constexpr int framesPerPacket(FrameDuration duration) noexcept
{
    return kCodecSampleRateHz / 1000 * durationMs(duration);
}

enum class InbandFec : std::uint8_t { Off, On };

// The libopus application the encoder is created with. Voip (OPUS_APPLICATION_VOIP) uses SILK
// or hybrid for speech, with in-band FEC, and looks 6.5 ms ahead. LowDelay
// (OPUS_APPLICATION_RESTRICTED_LOWDELAY) is CELT only: 2.5 ms of lookahead, 4 ms less
// mouth-to-ear delay, but no SILK (speech below ~24 kbit/s sounds worse) and no in-band FEC
// (the sender's RED redundancy still protects against loss).
enum class OpusApplication : std::uint8_t { Voip, LowDelay };
enum class Dtx : std::uint8_t { Off, On };

// What the encoder is told about its input (OPUS_SET_SIGNAL). Auto lets libopus classify; at
// complexity >= 7 its classifier may take steady, tonal input for music and code it CELT-only,
// which has no in-band FEC. Voice keeps SILK/hybrid; Music prefers CELT.
enum class SignalHint : std::uint8_t { Auto, Voice, Music };

// Errors of the codec wrappers' own calls (tier 2 of STYLE.md: bad arguments or state). The
// AudioDecoder interface reports corrupt input as negative frame counts instead.
enum class CodecError : std::uint8_t {
    None,
    InvalidArgument, // a value outside its documented range, or a PCM span of the wrong size
    BufferTooSmall,  // the output span cannot hold the result
    OutOfMemory,     // libopus could not allocate its state (construction only)
    Internal,        // libopus failed in a way the wrapper does not expect
};

// Stable English name of an error, for logs and counters. Thread-safe; never returns null.
[[nodiscard]] const char* errorText(CodecError error) noexcept;

// The linked libopus's version string ("libopus 1.3.1"), for logs and benchmark headers.
// Thread-safe; never returns null.
[[nodiscard]] const char* opusVersion() noexcept;

} // namespace earshot::codec
