#include "audio/WavWriter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

namespace earshot::audio {

namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatFloat = 3;
// RIFF sizes are 32-bit; keep a margin for the header.
constexpr std::uint64_t kMaxDataBytes = 0xFFFFFFFFULL - 64;
constexpr std::size_t kChunkBytes = 4096;

void putLe16(unsigned char* bytes, std::uint32_t value)
{
    bytes[0] = static_cast<unsigned char>(value & 0xFF);
    bytes[1] = static_cast<unsigned char>((value >> 8) & 0xFF);
}

void putLe32(unsigned char* bytes, std::uint32_t value)
{
    putLe16(bytes, value & 0xFFFF);
    putLe16(bytes + 2, value >> 16);
}

int bytesPerSample(WavSampleFormat format)
{
    switch (format) {
    case WavSampleFormat::Pcm16:
        return 2;
    case WavSampleFormat::Pcm24:
        return 3;
    case WavSampleFormat::Pcm32:
    case WavSampleFormat::Float32:
        return 4;
    }
    return 2;
}

// Integer PCM: clip, scale and round; the positive full scale is one step short of 2^(n-1).
std::uint32_t quantise(float sample, int bits)
{
    const double full = std::ldexp(1.0, bits - 1);
    const double clipped = std::clamp(static_cast<double>(sample), -1.0, 1.0);
    const double scaled = std::clamp(std::nearbyint(clipped * full), -full, full - 1.0);
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(scaled));
}

void encodeSample(float sample, WavSampleFormat format, unsigned char* bytes)
{
    switch (format) {
    case WavSampleFormat::Pcm16:
        putLe16(bytes, quantise(sample, 16));
        return;
    case WavSampleFormat::Pcm24: {
        const std::uint32_t value = quantise(sample, 24);
        bytes[0] = static_cast<unsigned char>(value & 0xFF);
        bytes[1] = static_cast<unsigned char>((value >> 8) & 0xFF);
        bytes[2] = static_cast<unsigned char>((value >> 16) & 0xFF);
        return;
    }
    case WavSampleFormat::Pcm32:
        putLe32(bytes, quantise(sample, 32));
        return;
    case WavSampleFormat::Float32:
        putLe32(bytes, std::bit_cast<std::uint32_t>(sample));
        return;
    }
}

} // namespace

WavWriter::WavWriter() = default;

WavWriter::~WavWriter()
{
    if (m_file)
        static_cast<void>(close());
}

WavError WavWriter::open(const std::string& path, int sampleRateHz, int channels, WavSampleFormat sampleFormat)
{
    if (m_file)
        static_cast<void>(close());
    if (channels < 1 || channels > 64 || sampleRateHz < 1 || sampleRateHz > 1'000'000)
        return WavError::Malformed;
    m_file.reset(std::fopen(path.c_str(), "wb"));
    if (!m_file)
        return WavError::CannotOpen;
    m_info = {sampleRateHz, channels, sampleFormat, 0};
    m_bytesPerSample = bytesPerSample(sampleFormat);
    m_framesWritten = 0;
    const WavError error = writeHeader(false);
    if (error != WavError::None)
        m_file.reset();
    return error;
}

// The header: RIFF, fmt (16 bytes for PCM; 18 and a fact chunk for float, as the format asks
// of non-PCM encodings), data. Written at open() with "unknown length" sizes (0xFFFFFFFF, the
// streaming convention: a reader takes the data to the end of the file, so a file whose writer
// crashed keeps its audio), and with the real sizes at close().
WavError WavWriter::writeHeader(bool sizesKnown)
{
    const bool isFloat = m_info.sampleFormat == WavSampleFormat::Float32;
    const auto channels = static_cast<std::uint32_t>(m_info.channels);
    const auto rate = static_cast<std::uint32_t>(m_info.sampleRateHz);
    const auto blockAlign = channels * static_cast<std::uint32_t>(m_bytesPerSample);
    const auto dataBytes = static_cast<std::uint32_t>(static_cast<std::uint64_t>(m_framesWritten) * blockAlign);

    std::vector<unsigned char> header;
    const auto append = [&](const char* fourCc) { header.insert(header.end(), fourCc, fourCc + 4); };
    const auto append16 = [&](std::uint32_t value) {
        header.resize(header.size() + 2);
        putLe16(header.data() + header.size() - 2, value);
    };
    const auto append32 = [&](std::uint32_t value) {
        header.resize(header.size() + 4);
        putLe32(header.data() + header.size() - 4, value);
    };

    append("RIFF");
    append32(0); // patched below, once the header's own size is known
    append("WAVE");
    append("fmt ");
    append32(isFloat ? 18 : 16);
    append16(isFloat ? kFormatFloat : kFormatPcm);
    append16(channels);
    append32(rate);
    append32(rate * blockAlign);
    append16(blockAlign);
    append16(static_cast<std::uint32_t>(m_bytesPerSample * 8));
    if (isFloat) {
        append16(0); // cbSize: no extension
        append("fact");
        append32(4);
        append32(static_cast<std::uint32_t>(m_framesWritten));
    }
    append("data");
    append32(dataBytes);
    // The RIFF size counts the data chunk's pad byte (close() writes it for an odd size).
    putLe32(header.data() + 4, static_cast<std::uint32_t>(header.size() - 8 + dataBytes + (dataBytes & 1U)));
    if (!sizesKnown) {
        putLe32(header.data() + 4, 0xFFFFFFFFU);
        putLe32(header.data() + header.size() - 4, 0xFFFFFFFFU);
    }

    if (std::fseek(m_file.get(), 0, SEEK_SET) != 0
        || std::fwrite(header.data(), 1, header.size(), m_file.get()) != header.size())
        return WavError::IoFailed;
    return std::fseek(m_file.get(), 0, SEEK_END) == 0 ? WavError::None : WavError::IoFailed;
}

WavError WavWriter::write(std::span<const float> interleaved)
{
    if (!m_file)
        return WavError::NotOpen;
    const auto channels = static_cast<std::size_t>(m_info.channels);
    const std::size_t frames = interleaved.size() / channels;
    const std::size_t frameBytes = channels * static_cast<std::size_t>(m_bytesPerSample);
    if ((static_cast<std::uint64_t>(m_framesWritten) + frames) * frameBytes > kMaxDataBytes)
        return WavError::IoFailed;

    std::array<unsigned char, kChunkBytes> bytes{};
    const std::size_t framesPerChunk = kChunkBytes / frameBytes;
    for (std::size_t done = 0; done < frames;) {
        const std::size_t count = std::min(framesPerChunk, frames - done);
        for (std::size_t sample = 0; sample < count * channels; ++sample)
            encodeSample(interleaved[done * channels + sample], m_info.sampleFormat,
                         bytes.data() + sample * static_cast<std::size_t>(m_bytesPerSample));
        if (std::fwrite(bytes.data(), frameBytes, count, m_file.get()) != count)
            return WavError::IoFailed;
        done += count;
        m_framesWritten += static_cast<std::int64_t>(count);
    }
    return WavError::None;
}

WavError WavWriter::close()
{
    if (!m_file)
        return WavError::NotOpen;
    WavError error = WavError::None;
    const auto dataBytes = static_cast<std::uint64_t>(m_framesWritten) * static_cast<std::uint64_t>(m_info.channels)
        * static_cast<std::uint64_t>(m_bytesPerSample);
    if ((dataBytes & 1U) != 0 && std::fputc(0, m_file.get()) == EOF)
        error = WavError::IoFailed;
    if (writeHeader(true) != WavError::None)
        error = WavError::IoFailed;
    if (std::fflush(m_file.get()) != 0)
        error = WavError::IoFailed;
    if (std::fclose(m_file.release()) != 0)
        error = WavError::IoFailed;
    return error;
}

} // namespace earshot::audio
