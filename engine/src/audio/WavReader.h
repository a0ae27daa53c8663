#pragma once

#include "audio/WavFormat.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace earshot::audio {

// Reads a RIFF WAVE file as interleaved float samples in [-1, 1]: 16-, 24- and 32-bit integer
// PCM and 32-bit IEEE float, plain or WAVE_FORMAT_EXTENSIBLE, any rate and channel count (the
// caller converts; VirtualAudioDevice does). Unknown chunks are skipped.
//
// Hostile or broken files are rejected with a WavError, never a crash: every header field is
// bounds-checked before use. A data chunk that claims more bytes than the file holds (a recording
// cut short) is accepted and read up to the last whole frame.
//
// Thread ownership: not thread-safe; used by one thread. File I/O: not for real-time threads.
class WavReader {
public:
    WavReader();
    ~WavReader();
    WavReader(const WavReader&) = delete;
    WavReader& operator=(const WavReader&) = delete;

    // Opens `path` and parses its header; positions at the first frame. Errors: CannotOpen,
    // NotWav, Truncated, Unsupported, Malformed (the reader is then closed).
    [[nodiscard]] WavError open(const std::string& path);

    void close();
    bool isOpen() const { return m_file != nullptr; }

    // The open file's format; zeroes when closed.
    const WavInfo& info() const { return m_info; }

    // Reads up to interleaved.size() / channels frames into `interleaved`. Returns the frames
    // read: 0 at the end of the data, -1 when not open or when reading fails (IoFailed).
    std::int64_t read(std::span<float> interleaved);

    // Reads every remaining frame. Errors as read(); on failure `samples` holds what was read
    // before it.
    [[nodiscard]] WavError readAll(std::vector<float>& samples);

private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };

    WavError parseHeader();

    std::unique_ptr<std::FILE, FileCloser> m_file;
    WavInfo m_info;
    int m_bytesPerSample = 0;
    std::int64_t m_framesLeft = 0;
};

} // namespace earshot::audio
