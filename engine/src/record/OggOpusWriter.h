#pragma once

#include "record/RecordingError.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

// libopusenc's encoder handle (opusenc.h: typedef struct OggOpusEnc OggOpusEnc).
struct OggOpusEnc;

namespace earshot::record {

// Writes interleaved float samples to an Ogg Opus file (RFC 7845) with libopusenc: the one
// wrapper of that library. Mono or stereo, any input rate (libopusenc resamples to 48 kHz),
// kBitrateBps, and an "ENCODER=Earshot" comment. The pre-skip and the end trimming are in the
// stream, so a decoder (opusfile) returns exactly the frames that were written.
//
// libopusenc buffers up to two seconds of audio before it encodes, and writes pages as they
// fill; close() encodes the rest and finishes the stream. A file whose writer never called
// close() is cut at its last written page.
//
// Thread ownership: not thread-safe; used by one thread. Encoding and file I/O: not for
// real-time threads (CaptureRecorder calls it from its writer thread).
class OggOpusWriter {
public:
    // A voice bitrate: transparent for speech, about 480 kB a minute.
    static constexpr int kBitrateBps = 64'000;

    OggOpusWriter();
    // Closes the file without finishing the stream (the last pages are lost); call close().
    ~OggOpusWriter();
    OggOpusWriter(const OggOpusWriter&) = delete;
    OggOpusWriter& operator=(const OggOpusWriter&) = delete;

    // Creates (truncates) `path` for `channels` (1 or 2) channels at sampleRateHz (8 kHz–
    // 192 kHz) and bitrateBps (6 kbps–510 kbps). Closes a file that was open. Errors: OpenFailed
    // (the file cannot be created, or bad arguments; nothing is left open, but a file that was
    // created before the encoder refused its settings stays, empty).
    [[nodiscard]] RecordingError open(const std::string& path, int sampleRateHz, int channels,
                                      int bitrateBps = kBitrateBps);

    // Encodes whole frames of `interleaved` (a trailing partial frame is ignored). Errors:
    // WriteFailed (also when not open); after a failure the stream cannot continue: close() it.
    [[nodiscard]] RecordingError write(std::span<const float> interleaved);

    // Encodes what is buffered, ends the stream and closes the file; the writer can be reopened.
    // Errors: WriteFailed (writing or closing failed, an earlier write() failed, or not open).
    [[nodiscard]] RecordingError close();

    bool isOpen() const { return m_encoder != nullptr; }
    // Frames (samples per channel) accepted since open().
    std::int64_t framesWritten() const { return m_framesWritten; }

private:
    struct EncoderDestroyer {
        void operator()(OggOpusEnc* encoder) const;
    };

    std::unique_ptr<OggOpusEnc, EncoderDestroyer> m_encoder;
    int m_channels = 0;
    std::int64_t m_framesWritten = 0;
};

} // namespace earshot::record
