#include <earshot/protocol/MediaPacketCrypto.h>
#include <earshot/protocol/SequenceUnwrapper.h>

#include <sodium.h>

#include <array>

namespace earshot::protocol {

static_assert(kAeadTagBytes == crypto_aead_chacha20poly1305_ietf_ABYTES);
static_assert(kMediaNonceBytes == crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
static_assert(SecureKey::kSize == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
static_assert(kRtpHeaderWithAudioLevelBytes + kAeadTagBytes < kMaxMediaPacketBytes);

namespace {

using Nonce = std::array<std::uint8_t, kMediaNonceBytes>;

// SSRC | 0x0000 | 48-bit extended sequence, all big-endian (layout in MediaPacketCrypto.h).
// The zero bytes keep the two fields apart, so no (SSRC, sequence) pair aliases another.
Nonce makeNonce(std::uint32_t ssrc, std::uint64_t extendedSequence) noexcept
{
    Nonce nonce {};
    for (std::size_t i = 0; i < 4; ++i)
        nonce[i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
    for (std::size_t i = 0; i < 6; ++i)
        nonce[6 + i] = static_cast<std::uint8_t>(extendedSequence >> (40 - 8 * i));
    return nonce;
}

bool sequenceMatches(std::uint16_t sequence, std::uint64_t extendedSequence) noexcept
{
    return extendedSequence <= SequenceUnwrapper::kMaxExtendedSequence
        && static_cast<std::uint16_t>(extendedSequence) == sequence;
}

MediaOpenResult failure(MediaOpenError error) noexcept
{
    MediaOpenResult result;
    result.error = error;
    return result;
}

} // namespace

const char* errorName(MediaOpenError error) noexcept
{
    switch (error) {
    case MediaOpenError::None:
        return "none";
    case MediaOpenError::NoKey:
        return "no media key";
    case MediaOpenError::MalformedHeader:
        return "malformed RTP header";
    case MediaOpenError::MissingTag:
        return "truncated: no authentication tag";
    case MediaOpenError::TooLarge:
        return "packet too large";
    case MediaOpenError::SequenceMismatch:
        return "extended sequence does not match header";
    case MediaOpenError::SequenceOutOfRange:
        return "sequence out of range";
    case MediaOpenError::WrongSsrc:
        return "packet for another SSRC";
    case MediaOpenError::Replayed:
        return "replayed or too old";
    case MediaOpenError::BufferTooSmall:
        return "plaintext buffer too small";
    case MediaOpenError::AuthenticationFailed:
        return "authentication failed";
    }
    return "unknown media open error";
}

MediaPacketSealer::MediaPacketSealer(const SecureKey& key)
    : m_key(key.clone())
    , m_usable(!key.isZero())
{
}

std::size_t MediaPacketSealer::seal(const RtpHeader& header, std::uint64_t extendedSequence,
                                    std::span<const std::uint8_t> payload,
                                    std::span<std::uint8_t> out) const noexcept
{
    if (!m_usable || !sequenceMatches(header.sequence, extendedSequence))
        return 0;
    // Compared piecewise so a huge payload size cannot wrap the sum around.
    if (payload.size() > kMaxMediaPacketBytes - header.size() - kAeadTagBytes)
        return 0;
    const std::size_t total = sealedSize(header, payload.size());
    if (out.size() < total)
        return 0;
    const std::size_t headerSize = header.write(out);
    if (headerSize == 0)
        return 0;
    const Nonce nonce = makeNonce(header.ssrc, extendedSequence);
    unsigned long long sealedBytes = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + headerSize, &sealedBytes, payload.data(),
                                              payload.size(), out.data(), headerSize, nullptr,
                                              nonce.data(), m_key.bytes().data());
    return headerSize + static_cast<std::size_t>(sealedBytes);
}

MediaPacketOpener::MediaPacketOpener(const SecureKey& key)
    : m_key(key.clone())
    , m_usable(!key.isZero())
{
}

MediaOpenResult MediaPacketOpener::open(const RtpParseResult& parsed, std::uint64_t extendedSequence,
                                        std::span<std::uint8_t> plaintextOut) const noexcept
{
    if (!m_usable)
        return failure(MediaOpenError::NoKey);
    if (!parsed.ok()) {
        MediaOpenResult result = failure(MediaOpenError::MalformedHeader);
        result.parseError = parsed.error;
        return result;
    }
    const std::span<const std::uint8_t> sealed = parsed.payload;
    if (sealed.size() < kAeadTagBytes)
        return failure(MediaOpenError::MissingTag);
    if (parsed.headerSize() + sealed.size() > kMaxMediaPacketBytes)
        return failure(MediaOpenError::TooLarge);
    if (!sequenceMatches(parsed.header.sequence, extendedSequence))
        return failure(MediaOpenError::SequenceMismatch);
    const std::size_t plaintextSize = sealed.size() - kAeadTagBytes;
    if (plaintextOut.size() < plaintextSize)
        return failure(MediaOpenError::BufferTooSmall);

    const Nonce nonce = makeNonce(parsed.header.ssrc, extendedSequence);
    unsigned long long openedBytes = 0;
    if (crypto_aead_chacha20poly1305_ietf_decrypt(plaintextOut.data(), &openedBytes, nullptr, sealed.data(),
                                                  sealed.size(), parsed.headerBytes.data(),
                                                  parsed.headerBytes.size(), nonce.data(),
                                                  m_key.bytes().data())
        != 0)
        return failure(MediaOpenError::AuthenticationFailed);
    MediaOpenResult result;
    result.error = MediaOpenError::None;
    result.plaintextSize = static_cast<std::size_t>(openedBytes);
    result.extendedSequence = extendedSequence;
    return result;
}

MediaOpenResult MediaPacketOpener::open(std::span<const std::uint8_t> packet, std::uint64_t extendedSequence,
                                        std::span<std::uint8_t> plaintextOut) const noexcept
{
    return open(RtpHeader::parse(packet), extendedSequence, plaintextOut);
}

} // namespace earshot::protocol
