#include "record/OggOpusWriter.h"

#include <opusenc.h>

#include <algorithm>
#include <limits>

namespace earshot::record {

namespace {

struct CommentsDestroyer {
    void operator()(OggOpusComments* comments) const { ope_comments_destroy(comments); }
};

} // namespace

void OggOpusWriter::EncoderDestroyer::operator()(OggOpusEnc* encoder) const
{
    ope_encoder_destroy(encoder);
}

OggOpusWriter::OggOpusWriter() = default;

OggOpusWriter::~OggOpusWriter() = default;

RecordingError OggOpusWriter::open(const std::string& path, int sampleRateHz, int channels, int bitrateBps)
{
    if (m_encoder)
        static_cast<void>(close());
    if (channels < 1 || channels > 2 || sampleRateHz < 8'000 || sampleRateHz > 192'000 || bitrateBps < 6'000
        || bitrateBps > 510'000)
        return RecordingError::OpenFailed;

    const std::unique_ptr<OggOpusComments, CommentsDestroyer> comments(ope_comments_create());
    if (!comments || ope_comments_add(comments.get(), "ENCODER", "Earshot") != OPE_OK)
        return RecordingError::OpenFailed;
    int error = OPE_OK;
    // Mapping family 0: mono or stereo in one Opus stream. The encoder copies the comments.
    std::unique_ptr<OggOpusEnc, EncoderDestroyer> encoder(
        ope_encoder_create_file(path.c_str(), comments.get(), sampleRateHz, channels, 0, &error));
    if (!encoder || error != OPE_OK)
        return RecordingError::OpenFailed;
    if (ope_encoder_ctl(encoder.get(), OPUS_SET_BITRATE(bitrateBps)) != OPE_OK)
        return RecordingError::OpenFailed; // the caller removes the empty file it created
    m_encoder = std::move(encoder);
    m_channels = channels;
    m_framesWritten = 0;
    return RecordingError::None;
}

RecordingError OggOpusWriter::write(std::span<const float> interleaved)
{
    if (!m_encoder)
        return RecordingError::WriteFailed;
    const auto channels = static_cast<std::size_t>(m_channels);
    std::size_t frames = interleaved.size() / channels;
    const float* samples = interleaved.data();
    while (frames > 0) {
        const std::size_t count = std::min<std::size_t>(frames, std::numeric_limits<int>::max());
        if (ope_encoder_write_float(m_encoder.get(), samples, static_cast<int>(count)) != OPE_OK)
            return RecordingError::WriteFailed;
        m_framesWritten += static_cast<std::int64_t>(count);
        samples += count * channels;
        frames -= count;
    }
    return RecordingError::None;
}

RecordingError OggOpusWriter::close()
{
    if (!m_encoder)
        return RecordingError::WriteFailed;
    if (m_framesWritten == 0) {
        // libopusenc 0.2.1 (Debian 12) sets the stream's end position only in a write; draining
        // a stream that never had one aborts on an assertion. An empty write sets it to 0, and
        // the drain then makes a valid, empty stream.
        const float none = 0.0f;
        static_cast<void>(ope_encoder_write_float(m_encoder.get(), &none, 0));
    }
    // The drain writes the last pages and closes the file; it reports an earlier write failure
    // as well as its own.
    const int result = ope_encoder_drain(m_encoder.get());
    m_encoder.reset();
    return result == OPE_OK ? RecordingError::None : RecordingError::WriteFailed;
}

} // namespace earshot::record
