#pragma once

#include <optional>
#include <string_view>

namespace earshot::record {

// The file formats a recording can be written in (API.md startRecordingCapturedData).
enum class RecordingFormat {
    Wav,     // RIFF WAVE, 16-bit PCM
    OggOpus, // Ogg Opus (RFC 7845) at a voice bitrate
};

// The format a recording path asks for, from the end of its name, case-insensitively: ".wav" →
// Wav; ".ogg" or ".opus" → OggOpus; anything else (no extension, ".mp3", a trailing slash, …) →
// nullopt. Only the name is looked at; the file system is not touched. Thread: any.
std::optional<RecordingFormat> recordingFormatForPath(std::string_view path);

} // namespace earshot::record
