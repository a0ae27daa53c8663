#pragma once

#include "codec/CodecTypes.h"

#include <cstdint>
#include <memory>
#include <span>

struct OpusEncoder; // libopus; kept out of this header so users need not see <opus.h>

namespace earshot::codec {

// Complexity 0..10 trades encoder CPU for quality at a given bitrate. Measured with
// tests/bench/CodecBench.cpp on the 2-core dev VM (libopus 1.3.1, 48 kbps mono hybrid, FEC on,
// per 20 ms frame): 0 ~80 us, 5 ~180 us, 10 ~350 us, i.e. 0.4 / 0.9 / 1.7 % of a core. 10 alone
// would nearly use up the pipeline's 2 %-of-a-core budget (capture + encode + 4 decodes); 5
// halves that for a quality loss that is small for speech. Lower it on very small machines.
inline constexpr int kDefaultComplexity = 5;

struct EncoderConfig {
    ChannelLayout channels = ChannelLayout::Mono;
    FrameDuration frameDuration = FrameDuration::Ms20;
    int bitrateBps = 48'000;                     // 6'000..510'000; see AudioConfigPreset.h
    int complexity = kDefaultComplexity;         // 0..10
    InbandFec inbandFec = InbandFec::On;         // LBRR in SILK/hybrid modes (see setExpectedLossPercent)
    int expectedLossPercent = 0;                 // 0..100
    Dtx dtx = Dtx::On;                           // silence costs ~1 packet per 400 ms
    SignalHint signal = SignalHint::Auto;
    OpusApplication application = OpusApplication::Voip; // fixed at creation

    bool operator==(const EncoderConfig&) const = default;
};

// The outcome of one encode() call.
struct EncodeResult {
    CodecError error = CodecError::None;
    int bytes = 0; // packet length written to `out` (> 0 on success)

    // Opus in DTX signals silence with packets of 1-2 bytes (no audio data); the sender may
    // skip sending them (as WebRTC does): the receiver sees a timestamp gap and conceals, which
    // for silence is inaudible. Opus still emits a comfort-noise update every ~400 ms, which is
    // a normal-sized packet and must be sent.
    [[nodiscard]] bool isDtxFrame() const noexcept { return error == CodecError::None && bytes <= 2; }
    [[nodiscard]] bool ok() const noexcept { return error == CodecError::None; }
};

class OpusAudioEncoder;

struct EncoderCreateResult {
    CodecError error = CodecError::None;
    std::unique_ptr<OpusAudioEncoder> encoder; // null unless error == None
};

// RAII wrapper of a libopus encoder (OPUS_APPLICATION_VOIP, 48 kHz) for Earshot's published
// stream: fixed channel layout and frame duration, adjustable bitrate, complexity, DTX and the
// expected loss that drives in-band FEC.
//
// Thread ownership: one instance per published stream, owned by the media thread; every method
// runs on that thread (no internal locking). Construction allocates (libopus state); encode()
// and the setters allocate nothing and never throw. Errors are returned, never thrown.
class OpusAudioEncoder {
public:
    // Creates an encoder. Errors: InvalidArgument (a config field out of range), OutOfMemory,
    // Internal. Thread: any; allocates.
    [[nodiscard]] static EncoderCreateResult create(const EncoderConfig& config) noexcept;

    ~OpusAudioEncoder();
    OpusAudioEncoder(const OpusAudioEncoder&) = delete;
    OpusAudioEncoder& operator=(const OpusAudioEncoder&) = delete;

    // Encodes exactly one frame: `pcm` holds framesPerPacket() * channels() interleaved floats
    // in [-1, 1] at 48 kHz (louder samples are clipped by Opus, not rejected). Writes one Opus
    // packet to `out`; if the packet would exceed out.size(), Opus lowers this frame's quality
    // to fit (pass kMaxPacketBytes never to constrain it). Errors: InvalidArgument (wrong pcm
    // size), BufferTooSmall (out.size() < 3), Internal. Thread: media thread; no allocation.
    [[nodiscard]] EncodeResult encode(std::span<const float> pcm, std::span<std::uint8_t> out) noexcept;

    // Target bitrate in bits per second, 6'000..510'000 (VBR: an average, not a cap). Takes
    // effect from the next frame. Errors: InvalidArgument. Thread: media thread.
    [[nodiscard]] CodecError setBitrateBps(int bitrateBps) noexcept;

    // Packet loss the receivers report, 0..100 % (from RedundancyPolicy). Opus uses it to size
    // the in-band FEC (LBRR) it adds in SILK/hybrid modes, and to lean less on inter-frame
    // prediction; 0 disables LBRR even with FEC on. Errors: InvalidArgument. Thread: media thread.
    [[nodiscard]] CodecError setExpectedLossPercent(int percent) noexcept;

    // 0..10; see kDefaultComplexity for the CPU trade-off. Errors: InvalidArgument.
    // Thread: media thread.
    [[nodiscard]] CodecError setComplexity(int complexity) noexcept;

    // Discontinuous transmission on silence. Errors: Internal only. Thread: media thread.
    [[nodiscard]] CodecError setDtx(Dtx dtx) noexcept;

    // In-band FEC on or off. Errors: Internal only. Thread: media thread.
    [[nodiscard]] CodecError setInbandFec(InbandFec fec) noexcept;

    // See SignalHint. Errors: InvalidArgument (a forged value), Internal. Thread: media thread.
    [[nodiscard]] CodecError setSignalHint(SignalHint signal) noexcept;

    // Forgets the signal history (for a new stream after a pause) without reallocating; the
    // settings stay. Thread: media thread.
    void reset() noexcept;

    // The current settings (as last accepted). Thread: media thread.
    [[nodiscard]] const EncoderConfig& config() const noexcept { return m_config; }
    [[nodiscard]] int channels() const noexcept { return channelCount(m_config.channels); }
    [[nodiscard]] int framesPerPacket() const noexcept { return codec::framesPerPacket(m_config.frameDuration); }
    // Samples encode() expects: framesPerPacket() * channels().
    [[nodiscard]] int samplesPerPacket() const noexcept { return framesPerPacket() * channels(); }
    // The encoder's algorithmic delay (lookahead) in 48 kHz frames, as libopus reports it.
    [[nodiscard]] int lookaheadFrames() const noexcept;

private:
    struct Deleter {
        void operator()(OpusEncoder* encoder) const noexcept;
    };

    OpusAudioEncoder(std::unique_ptr<OpusEncoder, Deleter> encoder, const EncoderConfig& config) noexcept;
    [[nodiscard]] CodecError applyAll() noexcept;

    std::unique_ptr<OpusEncoder, Deleter> m_encoder;
    EncoderConfig m_config;
};

} // namespace earshot::codec
