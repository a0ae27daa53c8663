#pragma once

#include "audio/WavFormat.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace earshot::audio {

// Writes interleaved float samples to a RIFF WAVE file: 16/24/32-bit PCM (clipped to [-1, 1])
// or 32-bit IEEE float. The header's sizes are written as "unknown" (0xFFFFFFFF) at open() and
// patched at close(), so a file whose writer crashed still opens in WavReader (and most players)
// with everything that reached the disk.
//
// Thread ownership: not thread-safe; used by one thread. File I/O: not for real-time threads
// (VirtualAudioDevice writes from a separate writer thread for that reason).
class WavWriter {
public:
    WavWriter();
    // Closes the file (patching the header); errors are lost, call close() to see them.
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    // Creates (truncates) `path` for `channels` channels at sampleRateHz. Errors: CannotOpen,
    // Malformed (channels outside 1–64 or rate outside 1 Hz–1 MHz), IoFailed.
    [[nodiscard]] WavError open(const std::string& path, int sampleRateHz, int channels,
                                WavSampleFormat sampleFormat = WavSampleFormat::Pcm16);

    // Appends whole frames from `interleaved` (a trailing partial frame is ignored). Errors:
    // NotOpen, IoFailed (also when the file would pass the 4 GiB RIFF limit; nothing is written).
    [[nodiscard]] WavError write(std::span<const float> interleaved);

    // Patches the header and closes. Errors: NotOpen, IoFailed. The writer can be reopened.
    [[nodiscard]] WavError close();

    bool isOpen() const { return m_file != nullptr; }
    std::int64_t framesWritten() const { return m_framesWritten; }

private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };

    WavError writeHeader(bool sizesKnown);

    std::unique_ptr<std::FILE, FileCloser> m_file;
    WavInfo m_info;
    int m_bytesPerSample = 0;
    std::int64_t m_framesWritten = 0;
};

} // namespace earshot::audio
