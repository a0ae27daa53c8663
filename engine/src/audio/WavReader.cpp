#include "audio/WavReader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace earshot::audio {

namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatFloat = 3;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;
constexpr int kMaxChannels = 64;
constexpr int kMaxSampleRateHz = 1'000'000;
// Frames decoded per fread(), so read() needs no heap buffer.
constexpr std::size_t kChunkBytes = 4096;

std::uint16_t readLe16(const unsigned char* bytes)
{
    return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

std::uint32_t readLe32(const unsigned char* bytes)
{
    return static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8)
        | (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
}

float decodeSample(const unsigned char* bytes, WavSampleFormat format)
{
    switch (format) {
    case WavSampleFormat::Pcm16:
        return static_cast<float>(static_cast<std::int16_t>(readLe16(bytes))) / 32768.0f;
    case WavSampleFormat::Pcm24: {
        // Sign-extend the 24-bit value through the top of a 32-bit word.
        const std::uint32_t raw = (static_cast<std::uint32_t>(bytes[0]) << 8)
            | (static_cast<std::uint32_t>(bytes[1]) << 16) | (static_cast<std::uint32_t>(bytes[2]) << 24);
        return static_cast<float>(static_cast<std::int32_t>(raw) >> 8) / 8388608.0f;
    }
    case WavSampleFormat::Pcm32:
        return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(readLe32(bytes))) / 2147483648.0);
    case WavSampleFormat::Float32: {
        const float value = std::bit_cast<float>(readLe32(bytes));
        // NaN and infinities from a hostile file would poison every later stage.
        return value == value ? std::clamp(value, -1.0f, 1.0f) : 0.0f;
    }
    }
    return 0.0f;
}

} // namespace

WavReader::WavReader() = default;
WavReader::~WavReader() = default;

void WavReader::close()
{
    m_file.reset();
    m_info = {};
    m_bytesPerSample = 0;
    m_framesLeft = 0;
}

WavError WavReader::open(const std::string& path)
{
    close();
    m_file.reset(std::fopen(path.c_str(), "rb"));
    if (!m_file)
        return WavError::CannotOpen;
    const WavError error = parseHeader();
    if (error != WavError::None)
        close();
    return error;
}

WavError WavReader::parseHeader()
{
    std::FILE* file = m_file.get();
    if (std::fseek(file, 0, SEEK_END) != 0)
        return WavError::IoFailed;
    const std::int64_t fileSize = std::ftell(file);
    if (fileSize < 0 || std::fseek(file, 0, SEEK_SET) != 0)
        return WavError::IoFailed;

    std::array<unsigned char, 12> riff{};
    const std::size_t riffRead = std::fread(riff.data(), 1, riff.size(), file);
    if (riffRead >= 4 && std::memcmp(riff.data(), "RIFF", 4) != 0)
        return WavError::NotWav;
    if (riffRead < riff.size())
        return riffRead == 0 ? WavError::NotWav : WavError::Truncated;
    if (std::memcmp(riff.data() + 8, "WAVE", 4) != 0)
        return WavError::NotWav;

    bool haveFormat = false;
    std::int64_t dataOffset = -1;
    std::uint32_t dataBytes = 0;
    std::uint16_t formatCode = 0;
    int bitsPerSample = 0;
    int blockAlign = 0;

    std::int64_t position = 12;
    while (!(haveFormat && dataOffset >= 0)) {
        std::array<unsigned char, 8> chunkHeader{};
        if (std::fseek(file, static_cast<long>(position), SEEK_SET) != 0
            || std::fread(chunkHeader.data(), 1, chunkHeader.size(), file) != chunkHeader.size())
            return WavError::Truncated;
        const std::uint32_t chunkBytes = readLe32(chunkHeader.data() + 4);
        const std::int64_t payload = position + 8;
        const std::int64_t remaining = fileSize - payload;

        if (std::memcmp(chunkHeader.data(), "fmt ", 4) == 0) {
            std::array<unsigned char, 40> format{};
            if (chunkBytes < 16)
                return WavError::Malformed;
            const std::size_t wanted = std::min<std::size_t>(chunkBytes, format.size());
            if (remaining < static_cast<std::int64_t>(wanted) || std::fread(format.data(), 1, wanted, file) != wanted)
                return WavError::Truncated;
            formatCode = readLe16(format.data());
            m_info.channels = readLe16(format.data() + 2);
            const std::uint32_t rate = readLe32(format.data() + 4);
            blockAlign = readLe16(format.data() + 12);
            bitsPerSample = readLe16(format.data() + 14);
            if (formatCode == kFormatExtensible) {
                if (chunkBytes < 40)
                    return WavError::Malformed;
                // The sub-format GUID starts with the plain format code.
                formatCode = readLe16(format.data() + 24);
            }
            if (m_info.channels < 1 || m_info.channels > kMaxChannels || rate < 1 || rate > kMaxSampleRateHz)
                return WavError::Malformed;
            m_info.sampleRateHz = static_cast<int>(rate);
            haveFormat = true;
        } else if (std::memcmp(chunkHeader.data(), "data", 4) == 0) {
            dataOffset = payload;
            // A recording cut short (or a streaming writer's 0xFFFFFFFF placeholder) claims more
            // than the file has: read what is there.
            dataBytes = static_cast<std::uint32_t>(std::clamp<std::int64_t>(remaining, 0, chunkBytes));
        }
        // Chunks are padded to an even size.
        const std::int64_t next = payload + chunkBytes + (chunkBytes & 1U);
        if (next <= position)
            return WavError::Malformed;
        position = next;
        if (position > fileSize && !(haveFormat && dataOffset >= 0))
            return WavError::Truncated;
    }

    if (formatCode == kFormatPcm && bitsPerSample == 16)
        m_info.sampleFormat = WavSampleFormat::Pcm16;
    else if (formatCode == kFormatPcm && bitsPerSample == 24)
        m_info.sampleFormat = WavSampleFormat::Pcm24;
    else if (formatCode == kFormatPcm && bitsPerSample == 32)
        m_info.sampleFormat = WavSampleFormat::Pcm32;
    else if (formatCode == kFormatFloat && bitsPerSample == 32)
        m_info.sampleFormat = WavSampleFormat::Float32;
    else
        return WavError::Unsupported;
    m_bytesPerSample = bitsPerSample / 8;
    if (blockAlign != m_bytesPerSample * m_info.channels)
        return WavError::Malformed;

    m_info.frames = dataBytes / static_cast<std::uint32_t>(blockAlign);
    m_framesLeft = m_info.frames;
    if (std::fseek(file, static_cast<long>(dataOffset), SEEK_SET) != 0)
        return WavError::IoFailed;
    return WavError::None;
}

std::int64_t WavReader::read(std::span<float> interleaved)
{
    if (!m_file)
        return -1;
    const auto channels = static_cast<std::size_t>(m_info.channels);
    const std::size_t frameBytes = channels * static_cast<std::size_t>(m_bytesPerSample);
    const std::size_t framesPerChunk = std::max<std::size_t>(1, kChunkBytes / frameBytes);
    std::size_t framesWanted = std::min<std::size_t>(interleaved.size() / channels,
                                                     static_cast<std::size_t>(m_framesLeft));
    std::array<unsigned char, kChunkBytes> bytes{};
    // A frame bigger than the buffer cannot happen: 64 channels × 4 bytes = 256 bytes.
    std::size_t framesDone = 0;
    while (framesWanted > 0) {
        const std::size_t frames = std::min(framesWanted, framesPerChunk);
        if (std::fread(bytes.data(), frameBytes, frames, m_file.get()) != frames)
            return -1;
        for (std::size_t sample = 0; sample < frames * channels; ++sample)
            interleaved[framesDone * channels + sample] =
                decodeSample(bytes.data() + sample * static_cast<std::size_t>(m_bytesPerSample), m_info.sampleFormat);
        framesDone += frames;
        framesWanted -= frames;
    }
    m_framesLeft -= static_cast<std::int64_t>(framesDone);
    return static_cast<std::int64_t>(framesDone);
}

WavError WavReader::readAll(std::vector<float>& samples)
{
    samples.clear();
    if (!m_file)
        return WavError::NotOpen;
    const auto channels = static_cast<std::size_t>(m_info.channels);
    samples.resize(static_cast<std::size_t>(m_framesLeft) * channels);
    const std::int64_t frames = read(samples);
    if (frames < 0) {
        samples.clear();
        return WavError::IoFailed;
    }
    samples.resize(static_cast<std::size_t>(frames) * channels);
    return WavError::None;
}

} // namespace earshot::audio
