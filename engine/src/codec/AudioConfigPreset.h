#pragma once

#include "codec/CodecTypes.h"
#include "codec/OpusAudioEncoder.h"

#include <cstdint>

namespace earshot::codec {

// The setAudioConfig presets of API.md §3. The public API will mirror this enum; the codec
// layer owns the mapping so the bitrates live in one place. What libopus 1.3.1 makes of them
// (measured with the codec tests' speech-like signal):
//   Basic     fullband hybrid on a clean link, wideband SILK once loss is expected; no room for
//             in-band FEC at any loss, so RED (RedundancyPolicy) is its only protection.
//   Standard  fullband hybrid; LBRR on the active frames once loss is expected.
//   High      CELT-only on a clean link without DTX (no in-band FEC); with FEC on and loss
//             expected, or with DTX on, libopus keeps it hybrid (1.3.1 does DTX only in SILK).
// Hence encoderConfigForPreset() turns DTX off for the music-grade presets.
enum class AudioConfigPreset : std::uint8_t {
    Basic,          // 16 kbps mono
    Standard,       // 48 kbps mono, the default
    StandardStereo, // 56 kbps stereo
    High,           // 128 kbps mono
    HighStereo,     // 192 kbps stereo
};

struct AudioConfig {
    int bitrateBps = 48'000;
    ChannelLayout channels = ChannelLayout::Mono;

    bool operator==(const AudioConfig&) const = default;
};

// The bitrate and channel layout of a preset. Thread-safe, constant time.
[[nodiscard]] constexpr AudioConfig audioConfigForPreset(AudioConfigPreset preset) noexcept
{
    switch (preset) {
    case AudioConfigPreset::Basic:
        return {16'000, ChannelLayout::Mono};
    case AudioConfigPreset::Standard:
        return {48'000, ChannelLayout::Mono};
    case AudioConfigPreset::StandardStereo:
        return {56'000, ChannelLayout::Stereo};
    case AudioConfigPreset::High:
        return {128'000, ChannelLayout::Mono};
    case AudioConfigPreset::HighStereo:
        return {192'000, ChannelLayout::Stereo};
    }
    return {}; // unreachable for valid enumerators; Standard for a forged value
}

inline constexpr AudioConfigPreset kDefaultAudioConfigPreset = AudioConfigPreset::Standard;

// An encoder configuration for a preset: its bitrate and channels, the other fields at their
// defaults, except DTX: on for the speech presets (silence then costs ~1 kbps instead of ~20),
// off for High and HighStereo, where it would keep libopus 1.3.1 out of CELT-only mode (the one
// meant for music) and its speech VAD could take a held note for silence. A muted microphone
// may still switch DTX on (OpusAudioEncoder::setDtx). Thread-safe, constant time.
[[nodiscard]] constexpr EncoderConfig encoderConfigForPreset(AudioConfigPreset preset) noexcept
{
    const AudioConfig audio = audioConfigForPreset(preset);
    EncoderConfig config;
    config.bitrateBps = audio.bitrateBps;
    config.channels = audio.channels;
    const bool musicGrade = preset == AudioConfigPreset::High || preset == AudioConfigPreset::HighStereo;
    config.dtx = musicGrade ? Dtx::Off : Dtx::On;
    return config;
}

} // namespace earshot::codec
