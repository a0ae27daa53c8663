#include <earshot/protocol/RtpHeader.h>

namespace earshot::protocol {

namespace {

constexpr std::uint8_t kRtpVersion = 2;
constexpr std::uint8_t kPaddingBit = 0x20;
constexpr std::uint8_t kExtensionBit = 0x10;
constexpr std::uint8_t kCsrcCountMask = 0x0F;
constexpr std::uint8_t kMarkerBit = 0x80;
constexpr std::uint8_t kPayloadTypeMask = 0x7F;
constexpr std::uint8_t kVoiceActivityBit = 0x80;
constexpr std::uint16_t kOneByteExtensionProfile = 0xBEDE;
constexpr std::size_t kExtensionPreambleBytes = 4; // profile + length in 32-bit words
constexpr std::uint8_t kReservedElementId = 15;

std::uint16_t readBig16(std::span<const std::uint8_t> bytes, std::size_t at) noexcept
{
    return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

std::uint32_t readBig32(std::span<const std::uint8_t> bytes, std::size_t at) noexcept
{
    return (std::uint32_t { bytes[at] } << 24) | (std::uint32_t { bytes[at + 1] } << 16)
        | (std::uint32_t { bytes[at + 2] } << 8) | std::uint32_t { bytes[at + 3] };
}

void writeBig16(std::span<std::uint8_t> bytes, std::size_t at, std::uint16_t value) noexcept
{
    bytes[at] = static_cast<std::uint8_t>(value >> 8);
    bytes[at + 1] = static_cast<std::uint8_t>(value);
}

void writeBig32(std::span<std::uint8_t> bytes, std::size_t at, std::uint32_t value) noexcept
{
    for (std::size_t i = 0; i < 4; ++i)
        bytes[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

// Walks the one-byte-form elements of an extension block (RFC 8285 §4.2). `block` is exactly
// the 4*length bytes after the preamble, so no element can reach past the declared extension.
RtpParseError parseOneByteElements(std::span<const std::uint8_t> block, RtpHeader& header) noexcept
{
    std::size_t at = 0;
    while (at < block.size()) {
        const std::uint8_t idAndLength = block[at];
        if (idAndLength == 0) { // a padding byte, allowed between and after elements
            ++at;
            continue;
        }
        const std::uint8_t id = idAndLength >> 4;
        const std::size_t valueBytes = std::size_t { idAndLength & 0x0Fu } + 1;
        // ID 15 tells an RFC 8285 receiver to stop; we never send it, so it can only be noise.
        if (id == kReservedElementId || valueBytes > block.size() - at - 1)
            return RtpParseError::MalformedExtension;
        if (id == kAudioLevelExtensionId) {
            // A second level would make "the" level depend on which one a parser picks.
            if (valueBytes != 1 || header.audioLevel.has_value())
                return RtpParseError::MalformedExtension;
            const std::uint8_t value = block[at + 1];
            header.audioLevel = static_cast<std::uint8_t>(value & kMaxAudioLevel);
            header.voiceActivity = (value & kVoiceActivityBit) != 0;
        }
        at += 1 + valueBytes;
    }
    return RtpParseError::None;
}

} // namespace

const char* errorName(RtpParseError error) noexcept
{
    switch (error) {
    case RtpParseError::None:
        return "none";
    case RtpParseError::TooShort:
        return "too short";
    case RtpParseError::BadVersion:
        return "bad RTP version";
    case RtpParseError::PaddingUnsupported:
        return "RTP padding unsupported";
    case RtpParseError::CsrcUnsupported:
        return "CSRC list unsupported";
    case RtpParseError::ExtensionProfileUnsupported:
        return "header extension profile unsupported";
    case RtpParseError::MalformedExtension:
        return "malformed header extension";
    }
    return "unknown RTP parse error";
}

std::size_t RtpHeader::size() const noexcept
{
    return audioLevel.has_value() ? kRtpHeaderWithAudioLevelBytes : kRtpFixedHeaderBytes;
}

std::size_t RtpHeader::write(std::span<std::uint8_t> out) const noexcept
{
    const std::size_t bytes = size();
    if (out.size() < bytes || payloadType > kPayloadTypeMask
        || (audioLevel.has_value() && *audioLevel > kMaxAudioLevel))
        return 0;
    out[0] = static_cast<std::uint8_t>((kRtpVersion << 6) | (audioLevel.has_value() ? kExtensionBit : 0));
    out[1] = static_cast<std::uint8_t>((marker ? kMarkerBit : 0) | payloadType);
    writeBig16(out, 2, sequence);
    writeBig32(out, 4, timestamp);
    writeBig32(out, 8, ssrc);
    if (audioLevel.has_value()) {
        writeBig16(out, 12, kOneByteExtensionProfile);
        writeBig16(out, 14, 1); // one 32-bit word of elements follows
        out[16] = static_cast<std::uint8_t>(kAudioLevelExtensionId << 4); // length field 0 = 1 byte
        out[17] = static_cast<std::uint8_t>((voiceActivity ? kVoiceActivityBit : 0) | *audioLevel);
        out[18] = 0; // padding to the word boundary
        out[19] = 0;
    }
    return bytes;
}

RtpParseResult RtpHeader::parse(std::span<const std::uint8_t> packet) noexcept
{
    RtpParseResult result;
    if (packet.size() < kRtpFixedHeaderBytes)
        return result; // TooShort
    const std::uint8_t first = packet[0];
    if ((first >> 6) != kRtpVersion) {
        result.error = RtpParseError::BadVersion;
        return result;
    }
    if ((first & kPaddingBit) != 0) {
        result.error = RtpParseError::PaddingUnsupported;
        return result;
    }
    if ((first & kCsrcCountMask) != 0) {
        result.error = RtpParseError::CsrcUnsupported;
        return result;
    }
    RtpHeader& header = result.header;
    header.marker = (packet[1] & kMarkerBit) != 0;
    header.payloadType = static_cast<std::uint8_t>(packet[1] & kPayloadTypeMask);
    header.sequence = readBig16(packet, 2);
    header.timestamp = readBig32(packet, 4);
    header.ssrc = readBig32(packet, 8);

    std::size_t headerSize = kRtpFixedHeaderBytes;
    if ((first & kExtensionBit) != 0) {
        if (packet.size() - headerSize < kExtensionPreambleBytes)
            return result; // TooShort
        const std::uint16_t profile = readBig16(packet, headerSize);
        const std::size_t blockBytes = std::size_t { readBig16(packet, headerSize + 2) } * 4;
        headerSize += kExtensionPreambleBytes;
        if (profile != kOneByteExtensionProfile) {
            result.error = RtpParseError::ExtensionProfileUnsupported;
            return result;
        }
        if (packet.size() - headerSize < blockBytes)
            return result; // TooShort
        const RtpParseError elements = parseOneByteElements(packet.subspan(headerSize, blockBytes), header);
        if (elements != RtpParseError::None) {
            result.error = elements;
            return result;
        }
        headerSize += blockBytes;
    }
    result.error = RtpParseError::None;
    result.headerBytes = packet.first(headerSize);
    result.payload = packet.subspan(headerSize);
    return result;
}

} // namespace earshot::protocol
