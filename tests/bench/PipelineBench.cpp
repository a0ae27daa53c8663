// The audio pipeline end to end, offline in simulated time (docs/PERFORMANCE.md, "Audio
// pipeline"): CaptureChain (3A, gate, Opus, RED) fed 10 ms blocks of speech → a simulated lossy,
// jittery channel (sequence numbers, Bernoulli loss, uniform extra delay, arrival times on the
// simulated clock) → PlayoutStream::insert at arrival → PlayoutStream::pull of 10 ms every 10 ms.
// The clock advances 10 ms per block; nothing sleeps and no device is opened, so everything but
// the CPU figures is deterministic for a seed. It prints:
//   1. CPU per second of audio (thread CPU time, median of --repetitions): capture + 3A + encode,
//      the same without 3A and with each 3A component alone, one played stream (insert + decode +
//      pull + its share of a 4-stream mix), and the total for capture + 4 played streams against
//      the 2 %-of-a-core target (PASS/FAIL is printed; the exit code is 0 either way);
//   2. the mouth-to-ear delay on a clean channel, measured by cross-correlation, beside its parts,
//      and 3A's own delay by component;
//   3. quality under 0–30 % loss with 40 ms of jitter: RED + FEC driven by receiver reports,
//      Opus FEC alone, and plain concealment, with packet counts and objective distortion.
// Every output is written as a WAV file beside the input, to listen to.
// Usage: earshot-bench-pipeline [--input FILE.wav] [--seconds N] [--seed N] [--output-dir DIR]
//                               [--repetitions N]
#include "PipelineBenchSupport.h"
#include "apm/AudioProcessor.h"
#include "codec/CodecTypes.h"
#include "codec/OpusAudioEncoder.h"
#include "dsp/PlaybackMixer.h"
#include "media/CaptureChain.h"
#include "media/EncodedPacketSink.h"
#include "media/PlayoutStream.h"
#include "vad/TransmissionGate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#ifndef EARSHOT_BENCH_BUILD_TYPE
#define EARSHOT_BENCH_BUILD_TYPE "unknown"
#endif

using namespace earshot;
using namespace earshot::bench;

namespace {

constexpr int kBlockFrames = media::kBlockFrames;
constexpr std::int64_t kBlockUs = 10'000;
constexpr int kReportIntervalBlocks = 200; // receiver reports every 2 s
constexpr int kTailMs = 1000; // silence after the input, for what is still on its way
constexpr int kNetworkDelayMs = 5;
constexpr int kJitterMs = 40;
constexpr int kPlayedStreams = 4;
constexpr double kTargetPercentOfCore = 2.0;
constexpr float kInputPeak = 0.5f; // −6 dBFS
constexpr int kMaxExpectedLossPercent = 25; // RedundancyPolicyConfig's cap, for the FEC-only runs
constexpr const char* kEspeakText
    = "The quick brown fox jumps over the lazy dog. Earshot carries our voices across the network "
      "with very little delay. Some packets are lost and others arrive late, so the receiver has to "
      "hide the gaps. Can you still understand every word?";

struct Options {
    std::string inputPath;
    double seconds = 10.0;
    std::uint32_t seed = 1;
    std::string outputDirectory;
    int repetitions = 5;
};

// How the stream defends itself against loss.
enum class Protection {
    LossReports, // receiver reports every 2 s drive RED and Opus's FEC (RedundancyPolicy)
    FecOnly, // no reports, so no RED; the encoder plans FEC for the channel's loss from the start
    None, // no reports and the encoder's defaults (expected loss 0: no FEC): concealment only
};

const char* protectionName(Protection protection)
{
    switch (protection) {
    case Protection::LossReports:
        return "red";
    case Protection::FecOnly:
        return "fec";
    case Protection::None:
        return "plc";
    }
    return "?";
}

struct ChannelConfig {
    double lossFraction = 0.0;
    int delayMs = kNetworkDelayMs;
    int jitterMs = 0; // uniform 0..jitterMs extra one-way delay per packet (so it reorders)
    std::uint32_t seed = 1;
};

struct Packet {
    std::int64_t arrivalUs = 0;
    std::uint64_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::vector<std::uint8_t> payload;
};

// The network: numbers each packet as the transport would, drops it with the loss probability
// and otherwise schedules its arrival on the simulated clock `nowUs`.
class SimulatedChannel final : public media::EncodedPacketSink {
public:
    SimulatedChannel(const ChannelConfig& config, const std::int64_t& nowUs)
        : m_config(config)
        , m_nowUs(nowUs)
        , m_random(config.seed)
    {
    }

    void onEncodedPacket(const media::EncodedPacket& packet) override
    {
        const std::uint64_t sequence = m_nextSequence++;
        ++m_sent;
        if (m_unit(m_random) < m_config.lossFraction) {
            ++m_dropped;
            return;
        }
        const double jitterUs = m_config.jitterMs > 0 ? m_unit(m_random) * m_config.jitterMs * 1000.0 : 0.0;
        m_inFlight.push_back({ m_nowUs + m_config.delayMs * 1000 + static_cast<std::int64_t>(jitterUs),
            sequence, packet.timestamp, { packet.payload.begin(), packet.payload.end() } });
    }

    // Moves the packets that have arrived by now into `arrived` (cleared first), oldest first.
    void takeArrived(std::vector<Packet>& arrived)
    {
        arrived.clear();
        std::stable_sort(m_inFlight.begin(), m_inFlight.end(),
            [](const Packet& a, const Packet& b) { return a.arrivalUs < b.arrivalUs; });
        const auto due = std::find_if(m_inFlight.begin(), m_inFlight.end(),
            [this](const Packet& packet) { return packet.arrivalUs > m_nowUs; });
        std::move(m_inFlight.begin(), due, std::back_inserter(arrived));
        m_inFlight.erase(m_inFlight.begin(), due);
    }

    [[nodiscard]] std::int64_t sent() const { return m_sent; }
    [[nodiscard]] std::int64_t dropped() const { return m_dropped; }

private:
    ChannelConfig m_config;
    const std::int64_t& m_nowUs;
    std::mt19937 m_random;
    std::uniform_real_distribution<double> m_unit { 0.0, 1.0 };
    std::vector<Packet> m_inFlight;
    std::uint64_t m_nextSequence = 0;
    std::int64_t m_sent = 0;
    std::int64_t m_dropped = 0;
};

// The loss a receiver report carries (RFC 3550 §6.4.1 "fraction lost"): packets expected from
// the highest sequence seen, minus those received, over the interval since the last report.
class ReceiverLoss {
public:
    void onPacket(std::uint64_t sequence)
    {
        m_expected = std::max(m_expected, sequence + 1);
        ++m_received;
    }

    double takeIntervalFraction()
    {
        const auto expected = static_cast<std::int64_t>(m_expected - m_expectedAtReport);
        const std::int64_t received = m_received - m_receivedAtReport;
        m_expectedAtReport = m_expected;
        m_receivedAtReport = m_received;
        return expected > 0 ? double(std::max<std::int64_t>(0, expected - received)) / double(expected) : 0.0;
    }

private:
    std::uint64_t m_expected = 0;
    std::uint64_t m_expectedAtReport = 0;
    std::int64_t m_received = 0;
    std::int64_t m_receivedAtReport = 0;
};

class CountingSink final : public media::EncodedPacketSink {
public:
    void onEncodedPacket(const media::EncodedPacket& packet) override { m_bytes += packet.payload.size(); }
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }

private:
    std::size_t m_bytes = 0;
};

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "failed: %s\n", what.c_str());
    std::exit(1);
}

// 3A as AudioPipeline sets it up: defaults (AEC, NS, AGC, high-pass on), mono, echo path hint
// of its 10 ms playback queue plus three 10 ms device periods.
std::unique_ptr<apm::AudioProcessor> makeProcessor(const apm::AudioProcessorSettings& settings = {})
{
    apm::AudioProcessorConfig config;
    config.sampleRateHz = kRateHz;
    config.settings = settings;
    config.streamDelayMs = 40;
    return std::make_unique<apm::AudioProcessor>(config);
}

std::unique_ptr<media::CaptureChain> makeCapture(codec::FrameDuration frameDuration, int expectedLossPercent,
    vad::TransmissionMode mode, apm::AudioProcessor* processor, media::EncodedPacketSink& sink)
{
    media::CaptureChainConfig config;
    config.mode = mode;
    config.encoder.frameDuration = frameDuration;
    config.encoder.expectedLossPercent = expectedLossPercent;
    codec::CodecError error = codec::CodecError::None;
    std::unique_ptr<media::CaptureChain> capture
        = media::CaptureChain::create(config, processor, sink, &error);
    if (!capture)
        fail(std::string("CaptureChain::create: ") + codec::errorText(error));
    return capture;
}

std::unique_ptr<media::PlayoutStream> makeStream()
{
    codec::CodecError error = codec::CodecError::None;
    std::unique_ptr<media::PlayoutStream> stream = media::PlayoutStream::create({}, &error);
    if (!stream)
        fail(std::string("PlayoutStream::create: ") + codec::errorText(error));
    return stream;
}

struct RunConfig {
    codec::FrameDuration frameDuration = codec::FrameDuration::Ms20;
    bool processing = false; // 3A, with a silent far end
    vad::TransmissionMode mode = vad::TransmissionMode::Continuous;
    Protection protection = Protection::None;
    ChannelConfig channel;
};

// A packet as it reached the receiver: in which 10 ms block, and what.
struct ScheduledPacket {
    std::size_t block = 0;
    Packet packet;
};

struct RunResult {
    // What was played: the block pulled at time t (the end of input block i) is output block
    // i + 1, i.e. it is taken to play from t on, as from a device with no buffering.
    std::vector<float> output;
    jitter::JitterStatistics jitter; // at the end of the run
    jitter::JitterStatistics jitterAtInputEnd; // after the last block of the input (the tail is silent)
    std::int64_t sent = 0;
    std::int64_t dropped = 0;
    int frameFrames = 0;
    int lookaheadFrames = 0;
    int algorithmicDelayFrames = 0; // CaptureChain's, at the end
    int gateMaxLatencyFrames = 0; // the most the gate delayed a block
    // The jitter buffer's delay just before packets arrive, median over the second half of the
    // input (the steady state: the buffer starts above its target and sheds the excess slowly).
    double bufferedAtArrivalMs = 0.0;
    std::int64_t concealedPacketsAtFirstReport = 0; // missing at playout, not rebuilt by FEC, in 2 s
    int maxRedundantFrames = 0; // the deepest RED the policy chose
    codec::RedundancyDecision lastDecision; // RED frames and Opus expected loss at the end
    std::vector<ScheduledPacket> schedule; // filled when asked for
    std::size_t blocks = 0;
};

// Runs `input` (plus kTailMs of silence) through capture → channel → one played stream.
RunResult runPipeline(std::span<const float> input, const RunConfig& config, bool recordSchedule = false)
{
    std::int64_t nowUs = 0;
    SimulatedChannel channel(config.channel, nowUs);
    std::unique_ptr<apm::AudioProcessor> processor = config.processing ? makeProcessor() : nullptr;
    const int expectedLossPercent = config.protection == Protection::FecOnly
        ? std::min(kMaxExpectedLossPercent, static_cast<int>(std::lround(config.channel.lossFraction * 100)))
        : 0;
    std::unique_ptr<media::CaptureChain> capture
        = makeCapture(config.frameDuration, expectedLossPercent, config.mode, processor.get(), channel);
    std::unique_ptr<media::PlayoutStream> stream = makeStream();

    RunResult result;
    result.blocks = (input.size() + kTailMs * kFramesPerMs) / kBlockFrames;
    const std::size_t inputBlocks = input.size() / kBlockFrames;
    result.output.resize((result.blocks + 1) * kBlockFrames);
    std::vector<double> bufferedAtArrival;
    std::vector<float> block(kBlockFrames);
    const std::vector<float> farEnd(kBlockFrames, 0.0f);
    std::vector<Packet> arrived;
    ReceiverLoss receiverLoss;
    for (std::size_t index = 0; index < result.blocks; ++index) {
        // The block captured during [index, index + 1) × 10 ms is processed at its end.
        nowUs = static_cast<std::int64_t>(index + 1) * kBlockUs;
        const std::size_t first = index * kBlockFrames;
        for (std::size_t i = 0; i < block.size(); ++i)
            block[i] = first + i < input.size() ? input[first + i] : 0.0f;
        if (processor && processor->processPlayback(farEnd) != apm::ProcessingError::None)
            fail("processPlayback");
        capture->process(block);
        result.gateMaxLatencyFrames = std::max(result.gateMaxLatencyFrames, capture->gate().latencyFrames());

        channel.takeArrived(arrived);
        // The queueing delay the arriving packets meet, in the steady state.
        if (!arrived.empty() && index >= inputBlocks / 2 && index < inputBlocks)
            bufferedAtArrival.push_back(stream->jitterStatistics().currentDelayMs);
        for (Packet& packet : arrived) {
            receiverLoss.onPacket(packet.sequence);
            static_cast<void>(
                stream->insert(packet.sequence, packet.timestamp, packet.payload, packet.arrivalUs));
            if (recordSchedule)
                result.schedule.push_back({ index, std::move(packet) });
        }
        if (index + 1 == kReportIntervalBlocks) {
            const jitter::JitterStatistics statistics = stream->jitterStatistics();
            result.concealedPacketsAtFirstReport = statistics.lostPackets - statistics.fecRecoveredFrames;
        }
        if (config.protection == Protection::LossReports && (index + 1) % kReportIntervalBlocks == 0) {
            capture->onLossReport(receiverLoss.takeIntervalFraction(), nowUs / 1000);
            result.maxRedundantFrames
                = std::max(result.maxRedundantFrames, capture->redundancy().redundantFrames);
        }
        stream->pull(std::span(result.output).subspan(first + kBlockFrames, kBlockFrames), kBlockFrames);
        if (index + 1 == inputBlocks)
            result.jitterAtInputEnd = stream->jitterStatistics();
    }
    result.bufferedAtArrivalMs = median(bufferedAtArrival);
    result.jitter = stream->jitterStatistics();
    result.sent = channel.sent();
    result.dropped = channel.dropped();
    result.frameFrames = capture->encoder().framesPerPacket();
    result.lookaheadFrames = capture->encoder().lookaheadFrames();
    result.algorithmicDelayFrames = capture->algorithmicDelayFrames();
    result.lastDecision = capture->redundancy();
    return result;
}

// The 3A settings measured: the defaults, then each component alone.
struct NamedSettings {
    const char* name;
    apm::AudioProcessorSettings settings;
};

std::vector<NamedSettings> processingVariants()
{
    apm::AudioProcessorSettings none;
    none.echoCancellation = none.noiseSuppression = none.gainControl = none.highPass = false;
    std::vector<NamedSettings> variants { { "defaults (AEC + NS + AGC + high-pass)", {} } };
    variants.push_back({ "echo cancellation only", none });
    variants.back().settings.echoCancellation = true;
    variants.push_back({ "noise suppression only", none });
    variants.back().settings.noiseSuppression = true;
    variants.push_back({ "gain control only", none });
    variants.back().settings.gainControl = true;
    variants.push_back({ "high-pass only", none });
    variants.back().settings.highPass = true;
    return variants;
}

// CPU of capture (+ 3A with `settings`, fed its far-end reference; none when null) + encode, as %
// of one core, per repetition.
std::vector<double> measureCapture(std::span<const float> input, std::span<const float> farEnd,
    const apm::AudioProcessorSettings* settings, int repetitions)
{
    std::vector<double> percents;
    const std::size_t blocks = input.size() / kBlockFrames;
    std::vector<float> block(kBlockFrames);
    for (int repetition = 0; repetition < repetitions; ++repetition) {
        CountingSink sink;
        std::unique_ptr<apm::AudioProcessor> processor = settings ? makeProcessor(*settings) : nullptr;
        std::unique_ptr<media::CaptureChain> capture = makeCapture(
            codec::FrameDuration::Ms20, 0, vad::TransmissionMode::Continuous, processor.get(), sink);
        const double start = threadCpuSeconds();
        for (std::size_t index = 0; index < blocks; ++index) {
            const std::size_t first = index * kBlockFrames;
            std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(first), kBlockFrames, block.begin());
            if (processor
                && processor->processPlayback(
                       farEnd.subspan(first % (farEnd.size() - kBlockFrames), kBlockFrames))
                    != apm::ProcessingError::None)
                fail("processPlayback");
            capture->process(block);
        }
        const double seconds = threadCpuSeconds() - start;
        if (sink.bytes() == 0)
            fail("nothing was encoded");
        percents.push_back(100.0 * seconds / (double(blocks) * kBlockUs * 1e-6));
    }
    return percents;
}

// CPU of kPlayedStreams played streams replaying `schedule` (insert at arrival, 10 ms pulls, the
// mix of all of them), as % of one core per stream, per repetition.
std::vector<double> measurePlayout(
    const std::vector<ScheduledPacket>& schedule, std::size_t blocks, int repetitions, bool voiceDetection = false)
{
    std::vector<double> percents;
    std::vector<float> streamBlocks(kPlayedStreams * kBlockFrames);
    std::vector<float> mixed(kBlockFrames);
    std::array<std::span<const float>, kPlayedStreams> mixInputs;
    double checksum = 0.0;
    for (int repetition = 0; repetition < repetitions; ++repetition) {
        std::array<std::unique_ptr<media::PlayoutStream>, kPlayedStreams> streams;
        for (auto& stream : streams) {
            stream = makeStream();
            // As in AudioPipeline: remote VAD only while the sound-level monitor runs.
            stream->setVoiceDetection(voiceDetection);
        }
        dsp::PlaybackMixer mixer(kPlayedStreams, 1, kRateHz);
        std::size_t next = 0;
        const double start = threadCpuSeconds();
        for (std::size_t index = 0; index < blocks; ++index) {
            for (; next < schedule.size() && schedule[next].block == index; ++next) {
                const Packet& packet = schedule[next].packet;
                for (auto& stream : streams)
                    static_cast<void>(
                        stream->insert(packet.sequence, packet.timestamp, packet.payload, packet.arrivalUs));
            }
            for (std::size_t slot = 0; slot < streams.size(); ++slot) {
                const std::span<float> out(streamBlocks.data() + slot * kBlockFrames, kBlockFrames);
                streams[slot]->pull(out, kBlockFrames);
                mixInputs[slot] = out;
            }
            mixer.mix(mixInputs, mixed, kBlockFrames);
            checksum += mixed[0];
        }
        const double seconds = threadCpuSeconds() - start;
        percents.push_back(100.0 * seconds / (double(blocks) * kBlockUs * 1e-6) / kPlayedStreams);
    }
    if (checksum == 12345.678) // keeps the mix observable
        std::printf(" ");
    return percents;
}

std::string cpuCell(const std::vector<double>& percents)
{
    const auto [low, high] = std::minmax_element(percents.begin(), percents.end());
    return format("%.3f %% (%.3f–%.3f)", median(percents), *low, *high);
}

std::string msCell(double percent)
{
    return format("%.2f ms", percent * 10.0); // % of a core = 10 ms of CPU per second
}

double framesToMs(int frames)
{
    return double(frames) / kFramesPerMs;
}

bool parseOptions(int argc, char** argv, Options& options)
{
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (i + 1 >= argc)
            return false;
        const char* value = argv[++i];
        if (name == "--input")
            options.inputPath = value;
        else if (name == "--seconds")
            options.seconds = std::atof(value);
        else if (name == "--seed")
            options.seed = static_cast<std::uint32_t>(std::strtoul(value, nullptr, 10));
        else if (name == "--output-dir")
            options.outputDirectory = value;
        else if (name == "--repetitions")
            options.repetitions = std::atoi(value);
        else
            return false;
    }
    return options.seconds >= 1.0 && options.repetitions >= 1;
}

// The input as 48 kHz mono with a −6 dBFS peak, and a line saying where it came from.
std::vector<float> prepareInput(const Options& options, std::string& description)
{
    std::vector<float> samples;
    std::string error;
    if (!options.inputPath.empty()) {
        if (!readWavMono48k(options.inputPath, samples, error))
            fail("cannot read " + options.inputPath + ": " + error);
        description = options.inputPath + " (read as 48 kHz mono)";
    } else {
        const std::string spoken = (std::filesystem::path(options.outputDirectory) / "espeak.wav").string();
        if (speakWithEspeak(kEspeakText, spoken) && readWavMono48k(spoken, samples, error)
            && !samples.empty()) {
            description = "espeak-ng speech (" + spoken + ")";
        } else {
            samples = speechLike(options.seconds, options.seed);
            description = "synthetic speech-like signal (espeak-ng not on PATH or failed), seed "
                + std::to_string(options.seed);
        }
    }
    if (samples.empty())
        fail("the input is empty");
    const double sourceSeconds = double(samples.size()) / kRateHz;
    normalizePeak(samples, kInputPeak);
    samples = loopTo(samples, static_cast<std::size_t>(options.seconds * kRateHz));
    description += format(", %.1f s %s to %.1f s, peak −6 dBFS", sourceSeconds,
        sourceSeconds < options.seconds ? "looped" : "cut", options.seconds);
    return samples;
}

void printCpu(std::span<const float> input, const Options& options)
{
    std::printf("\n## CPU per second of audio\n\n");
    std::printf("Thread CPU time (CLOCK_THREAD_CPUTIME_ID) over %.0f s of audio, median (min–max) over "
                "repetitions: %d; "
                "20 ms frames, complexity %d, 48 kbps mono.\n\n",
        options.seconds, options.repetitions, codec::kDefaultComplexity);
    const std::vector<float> farEnd = [&] {
        std::vector<float> signal = speechLike(options.seconds, options.seed + 1000);
        normalizePeak(signal, 0.3f);
        return signal;
    }();
    const std::vector<NamedSettings> variants = processingVariants();
    const std::vector<double> withoutProcessing = measureCapture(input, farEnd, nullptr, options.repetitions);
    std::vector<std::vector<double>> withProcessing, processingShare;
    for (const NamedSettings& variant : variants) {
        withProcessing.push_back(measureCapture(input, farEnd, &variant.settings, options.repetitions));
        processingShare.emplace_back();
        for (std::size_t i = 0; i < withoutProcessing.size(); ++i)
            processingShare.back().push_back(withProcessing.back()[i] - withoutProcessing[i]);
    }

    RunConfig clean;
    const RunResult cleanRun = runPipeline(input, clean, true);
    RunConfig lossy;
    lossy.protection = Protection::LossReports;
    lossy.channel = { 0.10, kNetworkDelayMs, kJitterMs, options.seed };
    const RunResult lossyRun = runPipeline(input, lossy, true);
    const std::vector<double> cleanPlayout
        = measurePlayout(cleanRun.schedule, cleanRun.blocks, options.repetitions);
    const std::vector<double> lossyPlayout
        = measurePlayout(lossyRun.schedule, lossyRun.blocks, options.repetitions);
    const std::vector<double> monitoredPlayout
        = measurePlayout(cleanRun.schedule, cleanRun.blocks, options.repetitions, true);

    const double playoutPercent = std::max(median(cleanPlayout), median(lossyPlayout));
    const double totalPercent = median(withProcessing.front()) + kPlayedStreams * playoutPercent;
    Table table({ "part", "% of one core, median (min–max)", "CPU per s of audio" });
    table.addRow({ "capture + 3A + encode (AEC far end fed every 10 ms)", cpuCell(withProcessing.front()),
        msCell(median(withProcessing.front())) });
    table.addRow(
        { "capture + encode, no 3A", cpuCell(withoutProcessing), msCell(median(withoutProcessing)) });
    table.addRow({ "3A's share (difference per repetition)", cpuCell(processingShare.front()),
        msCell(median(processingShare.front())) });
    for (std::size_t i = 1; i < variants.size(); ++i)
        table.addRow({ std::string("… 3A with ") + variants[i].name, cpuCell(processingShare[i]),
            msCell(median(processingShare[i])) });
    table.addRow({ "1 played stream, clean channel (insert + decode + pull + 1/4 of the mix)",
        cpuCell(cleanPlayout), msCell(median(cleanPlayout)) });
    table.addRow({ "1 played stream, 10 % loss + 40 ms jitter, RED + FEC", cpuCell(lossyPlayout),
        msCell(median(lossyPlayout)) });
    table.addRow({ "1 played stream, clean, with the sound-level monitor's VAD on", cpuCell(monitoredPlayout),
        msCell(median(monitoredPlayout)) });
    table.addRow(
        { format("total: capture + 3A + encode + %d played streams (the dearer figure)", kPlayedStreams),
            format("%.3f %%", totalPercent), msCell(totalPercent) });
    table.print();
    std::printf("\nTarget: capture + encode + %d played streams within %.0f %% of one core: %s (%.2f %%)\n",
        kPlayedStreams, kTargetPercentOfCore, totalPercent <= kTargetPercentOfCore ? "PASS" : "FAIL",
        totalPercent);
}

// The delay 3A adds by itself: the processor alone (silent far end), output against input.
Alignment measureProcessingDelay(
    std::span<const float> input, const apm::AudioProcessorSettings& settings = {})
{
    const std::unique_ptr<apm::AudioProcessor> processor = makeProcessor(settings);
    const std::vector<float> farEnd(kBlockFrames, 0.0f);
    std::vector<float> processed(input.begin(), input.end());
    for (std::size_t first = 0; first + kBlockFrames <= processed.size(); first += kBlockFrames) {
        if (processor->processPlayback(farEnd) != apm::ProcessingError::None
            || processor->processCapture(std::span(processed).subspan(first, kBlockFrames))
                != apm::ProcessingError::None)
            fail("AudioProcessor");
    }
    return align(input, processed, 0, 50 * kFramesPerMs);
}

void printLatency(std::span<const float> input, const std::filesystem::path& directory)
{
    std::printf("\n## Latency on a clean channel\n\n");
    std::printf(
        "0 loss, 0 jitter, %d ms one-way. Measured: delay of the output against the input by "
        "cross-correlation (1 ms envelopes, then the waveform; tracked every 100 ms), over the first "
        "second and over the second half of the input (the steady state), with the waveform "
        "correlation there. Parts: 3A (measured alone), the gate's delay (the most seen), the encoder "
        "frame, Opus's lookahead (CaptureChain::algorithmicDelayFrames() is the sum of these three, "
        "with the gate's delay at the end), the network plus the wait for the next 10 ms pull, and the "
        "jitter buffer's delay when packets arrive (median over the second half; its currentDelayMs "
        "and targetDelayMs at the end of the input beside it). A pulled block is taken to play at "
        "once: device periods and the playback queue are not simulated.\n\n",
        kNetworkDelayMs);
    Table table({ "frame", "gate mode", "3A", "measured: first s → steady", "waveform corr.", "3A delay",
        "gate", "encoder frame", "Opus lookahead", "capture chain algorithmic", "network + pull wait",
        "jitter buffer at arrival", "jitter buffer now / target", "sum of parts", "steady − sum", "LSD",
        "env. corr." });
    const Alignment processingDelay = measureProcessingDelay(input);
    const int pullWaitMs = (10 - kNetworkDelayMs % 10) % 10;
    const struct {
        codec::FrameDuration frame;
        vad::TransmissionMode mode;
        bool processing;
        const char* name;
    } cases[] = { { codec::FrameDuration::Ms20, vad::TransmissionMode::Continuous, true, "clean_20ms_3a" },
        { codec::FrameDuration::Ms20, vad::TransmissionMode::Continuous, false, "clean_20ms" },
        { codec::FrameDuration::Ms10, vad::TransmissionMode::Continuous, true, "clean_10ms_3a" },
        { codec::FrameDuration::Ms20, vad::TransmissionMode::VoiceActivation, true, "clean_20ms_3a_vad" } };
    for (const auto& entry : cases) {
        RunConfig config;
        config.frameDuration = entry.frame;
        config.mode = entry.mode;
        config.processing = entry.processing;
        const RunResult run = runPipeline(input, config);
        const Alignment alignment = align(input, run.output, 0, 1000 * kFramesPerMs);
        const DelayTrack track = trackDelay(input, run.output, alignment.delayFrames);
        const Distortion distortion = measureDistortion(input, run.output, track);
        writeWav((directory / (std::string(entry.name) + ".wav")).string(), run.output);
        const std::size_t half = input.size() / 2;
        const int steadyFrames = track.medianFrames(half, input.size());
        const double startMs = framesToMs(track.medianFrames(0, kRateHz));
        const double processingMs = entry.processing ? framesToMs(processingDelay.delayFrames) : 0.0;
        const double partsMs = processingMs
            + framesToMs(run.gateMaxLatencyFrames + run.frameFrames + run.lookaheadFrames) + kNetworkDelayMs
            + pullWaitMs + run.bufferedAtArrivalMs;
        const double measuredMs = framesToMs(steadyFrames);
        table.addRow({ format("%d ms", codec::durationMs(entry.frame)),
            entry.mode == vad::TransmissionMode::Continuous ? "continuous" : "voice activation",
            entry.processing ? "on" : "off", format("%.1f → %.1f ms", startMs, measuredMs),
            format("%.2f", waveformCorrelation(input, run.output, half, input.size() - half, steadyFrames)),
            entry.processing ? format("%.1f", processingMs) : "–",
            format("%.1f", framesToMs(run.gateMaxLatencyFrames)), format("%.1f", framesToMs(run.frameFrames)),
            format("%.1f", framesToMs(run.lookaheadFrames)),
            format("%.1f", framesToMs(run.algorithmicDelayFrames)),
            format("%d + %d", kNetworkDelayMs, pullWaitMs), format("%.1f", run.bufferedAtArrivalMs),
            format("%.1f / %.1f", run.jitterAtInputEnd.currentDelayMs, run.jitterAtInputEnd.targetDelayMs),
            format("%.1f ms", partsMs),
            format("%+.1f ms", std::abs(measuredMs - partsMs) < 0.05 ? 0.0 : measuredMs - partsMs),
            format("%.2f dB", distortion.logSpectralDistanceDb),
            format("%.3f", distortion.envelopeCorrelation) });
    }
    table.print();

    std::printf("\n3A's own delay by component (the processor alone, silent far end):\n\n");
    Table components({ "3A", "delay", "waveform corr." });
    const std::vector<NamedSettings> variants = processingVariants();
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const Alignment alignment
            = i == 0 ? processingDelay : measureProcessingDelay(input, variants[i].settings);
        components.addRow({ variants[i].name, format("%.1f ms", framesToMs(alignment.delayFrames)),
            format("%.2f", alignment.waveformCorrelation) });
    }
    components.print();
}

void printQuality(
    std::span<const float> input, const Options& options, const std::filesystem::path& directory)
{
    std::printf(
        "\n## Quality under loss, %d ms one-way + uniform 0–%d ms jitter\n\n", kNetworkDelayMs, kJitterMs);
    std::printf(
        "20 ms frames, 3A off (the distance is the network's and the codec's); the same loss pattern "
        "and jitter for the three modes. red: receiver reports every 2 s drive RED and Opus FEC "
        "(RedundancyPolicy; nothing protects the first 2 s); fec: no reports, so no RED, and Opus FEC "
        "planned from the start for the channel's loss (capped at %d %%); plc: no reports, encoder "
        "defaults (no FEC), concealment only.\n"
        "Repaired by RED: dropped packets that did not go missing at playout; gaps RED filled: the "
        "jitter buffer's redundancyRecovered, which also counts gaps left by packets that were only "
        "overtaken (reordering). Concealed packets: missing at playout and not rebuilt by FEC (in "
        "brackets: after the first 2 s, when the first report has come); concealed time: concealedMs "
        "over the run (it includes filling the gaps of DTX frames, which are not sent). Jitter buffer: "
        "its delay when packets arrive (median over the second half of the input) and its target at "
        "the end of the input. Delay: the output's delay along the input (tracked every 100 ms). LSD: "
        "log-spectral distance of 20 ms Hann frames above −40 dB, 50 Hz–8 kHz; env. corr.: Pearson "
        "correlation of 10 ms RMS envelopes; both after following the delay.\n\n",
        kMaxExpectedLossPercent);
    Table table(
        { "loss", "mode", "dropped / sent", "late", "repaired by RED / gaps RED filled", "rebuilt by FEC",
            "concealed packets (after 2 s)", "concealed time", "RED frames / Opus loss % at end",
            "jitter buffer at arrival / target", "delay median (min–max)", "LSD", "env. corr." });
    for (const int lossPercent : { 0, 5, 10, 20, 30 }) {
        for (const Protection protection :
            { Protection::LossReports, Protection::FecOnly, Protection::None }) {
            RunConfig config;
            config.protection = protection;
            config.channel = { lossPercent / 100.0, kNetworkDelayMs, kJitterMs,
                options.seed + static_cast<std::uint32_t>(lossPercent) };
            const RunResult run = runPipeline(input, config);
            const Alignment alignment = align(input, run.output, 0, 1000 * kFramesPerMs);
            const DelayTrack track = trackDelay(input, run.output, alignment.delayFrames);
            const Distortion distortion = measureDistortion(input, run.output, track);
            const std::string name = format("loss%d_%s.wav", lossPercent, protectionName(protection));
            writeWav((directory / name).string(), run.output);
            const double durationMs = double(run.blocks) * 10.0;
            const std::int64_t concealedPackets = run.jitter.lostPackets - run.jitter.fecRecoveredFrames;
            // Drops that did not go missing at playout; the counter beside it also counts reordering.
            const std::string repaired = protection == Protection::LossReports
                ? format("%lld / %lld",
                    static_cast<long long>(std::max<std::int64_t>(0, run.dropped - run.jitter.lostPackets)),
                    static_cast<long long>(run.jitter.redundancyRecovered))
                : "–";
            const std::string redundancy = protection == Protection::LossReports
                ? format("%d (max %d) / %d", run.lastDecision.redundantFrames, run.maxRedundantFrames,
                    run.lastDecision.expectedLossPercent)
                : format("0 / %d",
                    protection == Protection::FecOnly ? std::min(kMaxExpectedLossPercent, lossPercent) : 0);
            table.addRow({ format("%d %%", lossPercent), protectionName(protection),
                format("%lld / %lld", static_cast<long long>(run.dropped), static_cast<long long>(run.sent)),
                format("%lld", static_cast<long long>(run.jitter.latePackets)), repaired,
                format("%lld", static_cast<long long>(run.jitter.fecRecoveredFrames)),
                format("%lld (%lld)", static_cast<long long>(concealedPackets),
                    static_cast<long long>(concealedPackets - run.concealedPacketsAtFirstReport)),
                format("%.1f %%", 100.0 * double(run.jitter.concealedMs) / durationMs), redundancy,
                format("%.1f / %.1f", run.bufferedAtArrivalMs, run.jitterAtInputEnd.targetDelayMs),
                format("%.0f (%.0f–%.0f) ms", track.medianMs(), track.minMs(), track.maxMs()),
                format("%.2f dB", distortion.logSpectralDistanceDb),
                format("%.3f", distortion.envelopeCorrelation) });
        }
    }
    table.print();
}

} // namespace

int main(int argc, char** argv)
{
    Options options;
    if (!parseOptions(argc, argv, options)) {
        std::fprintf(stderr,
            "usage: %s [--input FILE.wav] [--seconds N (>= 1, default 10)] [--seed N (default 1)]\n"
            "          [--output-dir DIR (default: a folder in the temporary directory)] "
            "[--repetitions N (default 5)]\n",
            argv[0]);
        return 2;
    }
    if (options.outputDirectory.empty())
        options.outputDirectory
            = (std::filesystem::temp_directory_path() / "earshot-pipeline-bench").string();
    std::error_code error;
    std::filesystem::create_directories(options.outputDirectory, error);
    if (error)
        fail("cannot create " + options.outputDirectory + ": " + error.message());
    const std::filesystem::path directory(options.outputDirectory);

    const MachineInfo machine = machineInfo();
    std::printf(
        "# Earshot audio pipeline, offline in simulated time (build %s)\n\n", EARSHOT_BENCH_BUILD_TYPE);
    std::printf("Machine: %ld CPUs (nproc), %s, load average %s; %s; webrtc-audio-processing %s; seed %u\n",
        machine.processors, machine.cpuModel.c_str(), machine.loadAverage.c_str(), codec::opusVersion(),
        apm::AudioProcessor().isAvailable() ? "available (3A on)" : "NOT available (3A is a pass-through)",
        options.seed);
    std::string description;
    const std::vector<float> input = prepareInput(options, description);
    std::printf("Input: %s\n", description.c_str());
    writeWav((directory / "input.wav").string(), input);
    std::fflush(stdout);

    printCpu(input, options);
    std::fflush(stdout);
    printLatency(input, directory);
    std::fflush(stdout);
    printQuality(input, options, directory);
    std::printf("\nWAV files (input.wav, clean_*.wav, loss*_{red,fec,plc}.wav): %s\n",
        options.outputDirectory.c_str());
    return 0;
}
