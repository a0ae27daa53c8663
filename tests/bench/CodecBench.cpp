// CPU cost of Earshot's Opus layer per 20 ms frame: encode at complexity 0/5/10 (48 kbps mono,
// the Standard preset), decode, concealment and FEC recovery, plus the other presets at the
// default complexity. Thread CPU time, so a loaded machine inflates the figures less than wall
// time would (it still shares caches and frequency). The signal is the unit tests' speech-like
// one, without DTX, so every frame is really coded.
// Usage: earshot-bench-codec [seconds of audio per measurement, default 20]
#include "../unit/codec/CodecTestSignals.h"

#include "codec/AudioConfigPreset.h"
#include "codec/OpusAudioDecoder.h"
#include "codec/OpusAudioEncoder.h"

#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#ifndef EARSHOT_BENCH_BUILD_TYPE
#define EARSHOT_BENCH_BUILD_TYPE "unknown"
#endif

using namespace earshot::codec;

namespace {

constexpr int kFrameMs = 20;
constexpr int kSignalSeconds = 10; // generated once, looped

using Packet = std::vector<std::uint8_t>;

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "failed: %s\n", what);
    std::exit(1);
}

struct Cost {
    double microsecondsPerFrame = 0;
    // Audio time over CPU time: how many streams one core could do.
    [[nodiscard]] double realTimeFactor() const { return kFrameMs * 1000.0 / microsecondsPerFrame; }
    [[nodiscard]] double percentOfCore() const { return 100.0 / realTimeFactor(); }
};

void print(const char* name, const Cost& cost)
{
    std::printf("  %-34s %8.1f us/frame  %8.0fx real time  %6.3f %% of a core\n", name, cost.microsecondsPerFrame,
                cost.realTimeFactor(), cost.percentOfCore());
}

std::unique_ptr<OpusAudioEncoder> makeEncoder(const AudioConfig& audio, int complexity, int lossPercent,
                                              SignalHint signal = SignalHint::Auto)
{
    EncoderConfig config;
    config.signal = signal;
    config.bitrateBps = audio.bitrateBps;
    config.channels = audio.channels;
    config.complexity = complexity;
    config.expectedLossPercent = lossPercent;
    config.dtx = Dtx::Off;
    EncoderCreateResult created = OpusAudioEncoder::create(config);
    if (!created.encoder)
        fail(errorText(created.error));
    return std::move(created.encoder);
}

// Encodes `frames` frames of the looped signal; returns the cost and fills `packets`.
Cost encode(OpusAudioEncoder& encoder, const std::vector<float>& signal, int frames, std::vector<Packet>& packets)
{
    const auto step = static_cast<std::size_t>(encoder.samplesPerPacket());
    const std::size_t framesInSignal = signal.size() / step;
    packets.assign(static_cast<std::size_t>(frames), Packet(kMaxPacketBytes));
    std::vector<int> sizes(static_cast<std::size_t>(frames));
    const double start = threadCpuSeconds();
    for (int i = 0; i < frames; ++i) {
        const std::size_t at = (static_cast<std::size_t>(i) % framesInSignal) * step;
        const EncodeResult result = encoder.encode(std::span(signal).subspan(at, step), packets[static_cast<std::size_t>(i)]);
        if (!result.ok())
            fail("encode");
        sizes[static_cast<std::size_t>(i)] = result.bytes;
    }
    const double seconds = threadCpuSeconds() - start;
    for (int i = 0; i < frames; ++i)
        packets[static_cast<std::size_t>(i)].resize(static_cast<std::size_t>(sizes[static_cast<std::size_t>(i)]));
    return {seconds * 1e6 / frames};
}

enum class DecodeMode { Decode, Conceal, Fec };

Cost decode(ChannelLayout channels, const std::vector<Packet>& packets, DecodeMode mode)
{
    DecoderCreateResult created = OpusAudioDecoder::create(channels);
    if (!created.decoder)
        fail(errorText(created.error));
    OpusAudioDecoder& decoder = *created.decoder;
    std::vector<float> pcm(static_cast<std::size_t>(kMaxFramesPerPacket * channelCount(channels)));
    const int frameSize = kCodecSampleRateHz * kFrameMs / 1000;
    double sum = 0;
    int timed = 0;
    double seconds = 0;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        // Concealment and FEC are timed on every 4th frame only, with real decodes between, so
        // the decoder state is that of a stream with occasional losses (repeated PLC fades out
        // and gets cheaper, which would flatter the figure).
        const bool lost = mode != DecodeMode::Decode && i % 4 == 2 && i + 1 < packets.size();
        const bool timedFrame = mode == DecodeMode::Decode || lost;
        const double start = timedFrame ? threadCpuSeconds() : 0;
        int frames = 0;
        if (!lost)
            frames = decoder.decode(packets[i], pcm);
        else if (mode == DecodeMode::Conceal)
            frames = decoder.conceal(frameSize, pcm);
        else {
            frames = decoder.decodeFec(packets[i + 1], frameSize, pcm);
            if (frames < 0)
                frames = decoder.conceal(frameSize, pcm); // a quiet frame without LBRR
        }
        if (timedFrame) {
            seconds += threadCpuSeconds() - start;
            ++timed;
        }
        if (frames != frameSize)
            fail("decode");
        sum += pcm[0];
    }
    if (sum == 12345.678) // keeps the decoded output observable
        std::printf(" ");
    return {seconds * 1e6 / timed};
}

} // namespace

int main(int argc, char** argv)
{
    const double audioSeconds = argc > 1 ? std::atof(argv[1]) : 20.0;
    if (audioSeconds <= 0) {
        std::fprintf(stderr, "usage: %s [seconds of audio per measurement]\n", argv[0]);
        return 2;
    }
    const int frames = static_cast<int>(audioSeconds * 1000 / kFrameMs);
    std::printf("Opus codec cost per %d ms frame, %.0f s of speech-like audio per figure (%s, build %s)\n",
                kFrameMs, audioSeconds, opusVersion(), EARSHOT_BENCH_BUILD_TYPE);

    const std::vector<float> mono = earshot::codec::test::speechLike(kCodecSampleRateHz * kSignalSeconds, 1);
    const std::vector<float> stereo = earshot::codec::test::speechLike(kCodecSampleRateHz * kSignalSeconds, 2);
    const AudioConfig standard = audioConfigForPreset(AudioConfigPreset::Standard);

    // Hinted as voice: from complexity 7 on, libopus's classifier takes this synthetic signal
    // for music about 70 % of the time and codes it CELT-only, which is cheaper and would make
    // complexity 10 look faster than 5.
    std::printf("Standard (48 kbps mono, hinted as voice), encode by complexity:\n");
    std::vector<Packet> packets;
    for (const int complexity : {0, 5, 10}) {
        const auto encoder = makeEncoder(standard, complexity, 0, SignalHint::Voice);
        char name[64];
        std::snprintf(name, sizeof name, "encode, complexity %d", complexity);
        print(name, encode(*encoder, mono, frames, packets));
    }
    {
        const auto encoder = makeEncoder(standard, kDefaultComplexity, 10);
        print("encode, complexity 5, FEC for 10 %", encode(*encoder, mono, frames, packets));
        // Decoding does not depend on the encoder's complexity; these packets carry LBRR.
        print("decode", decode(ChannelLayout::Mono, packets, DecodeMode::Decode));
        print("conceal (PLC), 1 loss in 4", decode(ChannelLayout::Mono, packets, DecodeMode::Conceal));
        print("FEC recovery, 1 loss in 4", decode(ChannelLayout::Mono, packets, DecodeMode::Fec));
    }

    std::printf("Other presets, complexity %d:\n", kDefaultComplexity);
    const struct {
        const char* name;
        AudioConfigPreset preset;
    } presets[] = {{"Basic", AudioConfigPreset::Basic},
                   {"StandardStereo", AudioConfigPreset::StandardStereo},
                   {"High", AudioConfigPreset::High},
                   {"HighStereo", AudioConfigPreset::HighStereo}};
    for (const auto& entry : presets) {
        const AudioConfig audio = audioConfigForPreset(entry.preset);
        const auto encoder = makeEncoder(audio, kDefaultComplexity, 0);
        const auto& signal = audio.channels == ChannelLayout::Stereo ? stereo : mono;
        char name[64];
        std::snprintf(name, sizeof name, "%s encode", entry.name);
        print(name, encode(*encoder, signal, frames, packets));
        std::snprintf(name, sizeof name, "%s decode", entry.name);
        print(name, decode(audio.channels, packets, DecodeMode::Decode));
    }
    return 0;
}
