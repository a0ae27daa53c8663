#pragma once

#include <cstdint>

namespace earshot::audio {

// Sample encodings WavReader reads and WavWriter writes (RIFF WAVE, little-endian).
enum class WavSampleFormat { Pcm16, Pcm24, Pcm32, Float32 };

enum class WavError {
    None = 0,
    CannotOpen,  // the file cannot be opened or created
    NotWav,      // no RIFF/WAVE signature: not a WAV file at all
    Truncated,   // the file ends inside the header, before the fmt and data chunks
    Unsupported, // a valid WAV in an encoding not listed in WavSampleFormat (8-bit, A-law, …)
    Malformed,   // impossible header values (0 channels, 0 Hz, block size mismatch, …)
    IoFailed,    // reading or writing failed midway, or the 4 GiB RIFF limit was reached
    NotOpen,     // the operation needs an open file
};

// What a WAV file holds.
struct WavInfo {
    int sampleRateHz = 0;
    int channels = 0;
    WavSampleFormat sampleFormat = WavSampleFormat::Pcm16;
    std::int64_t frames = 0; // samples per channel in the data chunk
};

// A short English description of `error`. Thread: any.
inline const char* wavErrorText(WavError error)
{
    switch (error) {
    case WavError::None:
        return "success";
    case WavError::CannotOpen:
        return "cannot open the file";
    case WavError::NotWav:
        return "not a RIFF/WAVE file";
    case WavError::Truncated:
        return "the WAV header is truncated";
    case WavError::Unsupported:
        return "unsupported WAV encoding (16/24/32-bit PCM or 32-bit float only)";
    case WavError::Malformed:
        return "malformed WAV header";
    case WavError::IoFailed:
        return "WAV read or write failed";
    case WavError::NotOpen:
        return "no WAV file is open";
    }
    return "unknown WAV error";
}

} // namespace earshot::audio
