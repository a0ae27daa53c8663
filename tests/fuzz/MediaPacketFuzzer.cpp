// libFuzzer target for the media packet path every server and client runs on each datagram:
// RtpHeader::parse, then MediaReceiverState::openAndCommit. Hostile input must be dropped with
// an error, never crash or read out of bounds. Beyond that it checks the properties the rest
// of the system relies on:
// - whatever parses re-serialises (write) to a header that parses to the same fields;
// - a packet that opens re-seals to exactly its own bytes (when its header is canonical) and
//   is refused as a replay the second time;
// - anything sealed opens to the same bytes;
// - the sequence unwrapper and replay window agree with a simple reference model on any
//   series of sequence numbers.
#include <earshot/protocol/MediaPacketCrypto.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>

using namespace earshot::protocol;

namespace {

// The seed corpus's sealed packets use this key (0x01..0x20), ROC 0, so mutations of them
// start past the seal.
const SecureKey& fixedKey()
{
    static const SecureKey key = [] {
        std::array<std::uint8_t, SecureKey::kSize> bytes {};
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<std::uint8_t>(i + 1);
        return SecureKey(bytes);
    }();
    return key;
}

const MediaPacketOpener& opener()
{
    static const MediaPacketOpener instance(fixedKey());
    return instance;
}

const MediaPacketSealer& sealer()
{
    static const MediaPacketSealer instance(fixedKey());
    return instance;
}

using PacketBuffer = std::array<std::uint8_t, kMaxMediaPacketBytes>;

void checkHeaderRoundTrip(const RtpParseResult& parsed)
{
    std::array<std::uint8_t, kRtpHeaderWithAudioLevelBytes> written {};
    const std::size_t size = parsed.header.write(written);
    if (size == 0)
        __builtin_trap(); // every parsed header is in range, so it must be writable
    const RtpParseResult again = RtpHeader::parse(std::span(written).first(size));
    if (!again.ok() || !(again.header == parsed.header) || !again.payload.empty())
        __builtin_trap();
}

void checkOpen(std::span<const std::uint8_t> packet, const RtpParseResult& parsed)
{
    MediaReceiverState state(parsed.header.ssrc);
    PacketBuffer plaintext {};
    const MediaOpenResult opened = state.openAndCommit(opener(), parsed, plaintext);
    if (!opened.ok())
        return;
    if (opened.plaintextSize + kAeadTagBytes != parsed.payload.size())
        __builtin_trap();
    if (state.openAndCommit(opener(), parsed, plaintext).error != MediaOpenError::Replayed)
        __builtin_trap();
    // A canonical header (what write() produces) must re-seal to the very same packet.
    std::array<std::uint8_t, kRtpHeaderWithAudioLevelBytes> canonical {};
    const std::size_t canonicalSize = parsed.header.write(canonical);
    if (!std::equal(parsed.headerBytes.begin(), parsed.headerBytes.end(), canonical.begin(),
                    canonical.begin() + static_cast<std::ptrdiff_t>(canonicalSize)))
        return;
    PacketBuffer resealed {};
    const std::size_t size = sealer().seal(parsed.header, opened.extendedSequence,
                                           std::span(plaintext).first(opened.plaintextSize), resealed);
    if (size != packet.size() || !std::equal(packet.begin(), packet.end(), resealed.begin()))
        __builtin_trap();
}

// Random bytes almost never open a seal, so this seals the input itself (header fields from its
// first bytes) and insists it opens to the same bytes.
void checkSealRoundTrip(std::span<const std::uint8_t> data)
{
    if (data.size() < 8)
        return;
    RtpHeader header;
    header.sequence = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    header.ssrc = (std::uint32_t { data[2] } << 24) | (std::uint32_t { data[3] } << 16)
        | (std::uint32_t { data[4] } << 8) | data[5];
    header.marker = (data[6] & 0x80) != 0;
    if ((data[7] & 0x80) != 0) {
        header.audioLevel = static_cast<std::uint8_t>(data[7] & kMaxAudioLevel);
        header.voiceActivity = (data[6] & 0x01) != 0;
    }
    const std::span<const std::uint8_t> payload
        = data.subspan(8, std::min(data.size() - 8, kMaxMediaPacketBytes - header.size() - kAeadTagBytes));
    PacketBuffer packet {};
    const std::size_t size = sealer().seal(header, header.sequence, payload, packet);
    if (size != MediaPacketSealer::sealedSize(header, payload.size()))
        __builtin_trap();
    MediaReceiverState state(header.ssrc);
    PacketBuffer plaintext {};
    const MediaOpenResult opened
        = state.openAndCommit(opener(), RtpHeader::parse(std::span(packet).first(size)), plaintext);
    if (!opened.ok() || opened.plaintextSize != payload.size()
        || !std::equal(payload.begin(), payload.end(), plaintext.begin()))
        __builtin_trap();
}

// The input as big-endian 16-bit sequence numbers, each "authenticated" when fresh. The model:
// a number is fresh unless already accepted or 64 or more behind the highest accepted.
void checkSequenceRun(std::span<const std::uint8_t> data)
{
    constexpr std::size_t kMaxPackets = 512;
    SequenceUnwrapper unwrapper;
    ReplayWindow window;
    std::set<std::uint64_t> accepted;
    for (std::size_t i = 0; i + 1 < data.size() && i / 2 < kMaxPackets; i += 2) {
        const auto sequence = static_cast<std::uint16_t>((data[i] << 8) | data[i + 1]);
        const auto extended = unwrapper.unwrap(sequence);
        if (!extended.has_value())
            continue;
        if (static_cast<std::uint16_t>(*extended) != sequence)
            __builtin_trap();
        if (!accepted.empty()) {
            const std::uint64_t highest = *accepted.rbegin();
            const std::uint64_t distance = *extended > highest ? *extended - highest : highest - *extended;
            if (distance > 0x8000 || unwrapper.highest() != highest)
                __builtin_trap();
        }
        const bool fresh = accepted.count(*extended) == 0
            && (accepted.empty() || *extended + ReplayWindow::kWindowPackets > *accepted.rbegin());
        if (window.check(*extended) != fresh)
            __builtin_trap();
        if (fresh) {
            window.accept(*extended);
            unwrapper.update(*extended);
            accepted.insert(*extended);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> input(data, size);
    const RtpParseResult parsed = RtpHeader::parse(input);
    if (parsed.ok()) {
        checkHeaderRoundTrip(parsed);
        checkOpen(input, parsed);
    }
    checkSealRoundTrip(input);
    checkSequenceRun(input);
    return 0;
}
