// Cost of the media packet path per 20 ms Opus frame: seal on the sender, then parse, replay
// check, open and commit on the receiver (the server does both for every packet it forwards).
// Usage: earshot-bench-media-packet [seconds per measurement, default 0.5; four measurements]
#include <earshot/protocol/MediaPacketCrypto.h>

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace earshot::protocol;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kPayloadBytes = 100; // ~40 kbit/s Opus at 20 ms frames
constexpr std::uint32_t kSsrc = 0x1234ABCD;
constexpr std::uint64_t kBatch = 1024;     // packets between clock reads

struct Figures {
    std::uint64_t packets = 0;
    double seconds = 0;
};

SecureKey benchKey()
{
    std::array<std::uint8_t, SecureKey::kSize> bytes {};
    randombytes_buf(bytes.data(), bytes.size());
    return SecureKey(bytes);
}

RtpHeader headerFor(std::uint64_t extended, bool withLevel)
{
    RtpHeader header;
    header.sequence = static_cast<std::uint16_t>(extended);
    header.timestamp = static_cast<std::uint32_t>(960 * extended);
    header.ssrc = kSsrc;
    if (withLevel) {
        header.audioLevel = 40;
        header.voiceActivity = true;
    }
    return header;
}

// Runs batches of `step(extended)` until `seconds` have passed. Aborts on any failure, so the
// figures are never those of a broken path.
template<typename Step>
Figures run(double seconds, Step step)
{
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(seconds);
    std::uint64_t extended = 0;
    while (Clock::now() < deadline) {
        for (std::uint64_t i = 0; i < kBatch; ++i, ++extended) {
            if (!step(extended)) {
                std::fprintf(stderr, "packet %llu failed\n", static_cast<unsigned long long>(extended));
                std::exit(1);
            }
        }
    }
    return { extended, std::chrono::duration<double>(Clock::now() - start).count() };
}

void report(const char* name, const Figures& figures)
{
    const double perSecond = static_cast<double>(figures.packets) / figures.seconds;
    std::printf("  %-28s %11.0f packets/s %8.1f ns/packet\n", name, perSecond, 1e9 / perSecond);
}

void benchCase(bool withLevel, double seconds)
{
    const SecureKey key = benchKey();
    const MediaPacketSealer sealer(key);
    const MediaPacketOpener opener(key);
    std::array<std::uint8_t, kPayloadBytes> payload {};
    randombytes_buf(payload.data(), payload.size());
    std::array<std::uint8_t, kMaxMediaPacketBytes> packet {};
    std::array<std::uint8_t, kMaxMediaPacketBytes> plaintext {};

    std::printf("%s (%zu-byte packet):\n", withLevel ? "with audio-level extension" : "without extension",
                MediaPacketSealer::sealedSize(headerFor(0, withLevel), kPayloadBytes));
    report("seal", run(seconds, [&](std::uint64_t extended) {
        return sealer.seal(headerFor(extended, withLevel), extended, payload, packet) != 0;
    }));
    MediaReceiverState state(kSsrc);
    std::uint64_t checksum = 0;
    report("seal + parse + open/commit", run(seconds, [&](std::uint64_t extended) {
        const std::size_t size = sealer.seal(headerFor(extended, withLevel), extended, payload, packet);
        const MediaOpenResult opened
            = state.openAndCommit(opener, RtpHeader::parse(std::span(packet).first(size)), plaintext);
        checksum += plaintext[extended % kPayloadBytes];
        return opened.ok() && opened.extendedSequence == extended;
    }));
    std::printf("  (checksum %llu)\n", static_cast<unsigned long long>(checksum));
}

} // namespace

int main(int argc, char** argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
    if (seconds <= 0) {
        std::fprintf(stderr, "usage: %s [seconds per measurement]\n", argv[0]);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    std::printf("media packet path, %zu-byte payload, ChaCha20-Poly1305-IETF (libsodium %s)\n", kPayloadBytes,
                sodium_version_string());
    benchCase(true, seconds);
    benchCase(false, seconds);
    return 0;
}
