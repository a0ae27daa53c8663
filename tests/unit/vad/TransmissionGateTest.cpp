// TransmissionGate: "VAD gating with pre-roll" (the first syllable's onset, from before the
// detector's decision, reaches the output at the constant delay), continuous mode, push-to-talk
// with its release tail, microphone mute (exact silence, nothing captured while muted leaks out),
// and edges that fade instead of clicking.
#include "TestSignals.h"

#include "vad/TransmissionGate.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

using namespace earshot::vad;
using namespace earshot::vad::test;

namespace {

constexpr int kFadeFrames = 240; // the default 5 ms
constexpr std::size_t kDelayBlocks = 20; // the default 200 ms pre-roll

struct GateRun {
    std::vector<float> output;
    std::vector<GateResult> results;
};

// Runs `signal` through the gate block by block; `beforeBlock(i)` may change the gate's settings
// before block i (as another thread would between blocks).
GateRun run(TransmissionGate& gate, const std::vector<float>& signal,
            const std::function<void(std::size_t)>& beforeBlock = {})
{
    GateRun result;
    result.output.assign(signal.size(), 0.0f);
    for (std::size_t i = 0; i < blockCount(signal); ++i) {
        if (beforeBlock)
            beforeBlock(i);
        result.results.push_back(
            gate.process(block(signal, i), std::span<float>(result.output).subspan(i * kBlockFrames, kBlockFrames)));
    }
    return result;
}

// The input sample that output sample `n` carries, or 0 before the delay line filled.
float delayedInput(const std::vector<float>& input, std::size_t n, std::size_t delayFrames)
{
    return n >= delayFrames ? input[n - delayFrames] : 0.0f;
}

bool allZero(const std::vector<float>& samples, std::size_t from, std::size_t to)
{
    return std::all_of(samples.begin() + static_cast<std::ptrdiff_t>(from),
                       samples.begin() + static_cast<std::ptrdiff_t>(to), [](float s) { return s == 0.0f; });
}

// Output equals the delayed input exactly over [from, to) (output indices); returns the first
// mismatch otherwise.
std::optional<std::size_t> firstMismatch(const std::vector<float>& input, const std::vector<float>& output,
                                         std::size_t delayFrames, std::size_t from, std::size_t to)
{
    for (std::size_t n = from; n < to; ++n)
        if (output[n] != delayedInput(input, n, delayFrames))
            return n;
    return std::nullopt;
}

// Every output step is explained by the input's own step plus at most one fade step of gain:
// |y[n] − y[n−1]| ≤ |x[n] − x[n−1]| + |x[n−1]| / fadeFrames (x the delayed input).
bool edgesAreFaded(const std::vector<float>& input, const std::vector<float>& output, std::size_t delayFrames)
{
    for (std::size_t n = 1; n < output.size(); ++n) {
        const double x0 = delayedInput(input, n - 1, delayFrames);
        const double x1 = delayedInput(input, n, delayFrames);
        const double bound = std::abs(x1 - x0) + std::abs(x0) / kFadeFrames + 1e-6;
        if (std::abs(static_cast<double>(output[n]) - output[n - 1]) > bound)
            return false;
    }
    return true;
}

} // namespace

class TransmissionGateTest : public QObject {
    Q_OBJECT

private slots:
    void latency();
    void vadGatingWithPreRoll_data();
    void vadGatingWithPreRoll();
    void continuousPassesEverythingDelayed();
    void inPlaceProcessing();
    void pushToTalkOpensAndClosesWithTail();
    void shortPushToTalkTapIsLatched();
    void muteOutputsExactSilence();
    void muteSilencesSpeechInVoiceActivation();
    void noClicksAtEdges();
    void settingsFromAnotherThread();
};

void TransmissionGateTest::latency()
{
    QCOMPARE(TransmissionGate().latencyFrames(), 9600);
    TransmissionGateConfig config;
    config.preRollMs = 0;
    QCOMPARE(TransmissionGate(config).latencyFrames(), 0);
    config.preRollMs = 104; // rounded to whole blocks
    QCOMPARE(TransmissionGate(config).latencyFrames(), 4800);
}

void TransmissionGateTest::vadGatingWithPreRoll_data()
{
    QTest::addColumn<int>("offsetInBlock");
    QTest::newRow("onset on a block edge") << 0;
    QTest::newRow("onset mid-block") << 123;
    QTest::newRow("onset at the end of a block") << 479;
}

void TransmissionGateTest::vadGatingWithPreRoll()
{
    QFETCH(int, offsetInBlock);
    std::uint32_t seed = 21;
    std::vector<float> input;
    appendNoise(input, 6 * kSampleRateHz, -55.0, seed);
    const std::size_t onset = 300 * kBlockFrames + offsetInBlock;
    const int syllableFrames = kSampleRateHz * 3 / 10; // 300 ms
    addToneBurst(input, onset, syllableFrames, 220.0, -25.0);

    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    const std::size_t delay = gate.latencyFrames();
    QCOMPARE(delay, kDelayBlocks * kBlockFrames);
    const GateRun out = run(gate, input);

    std::optional<std::size_t> decisionBlock;
    for (std::size_t i = 0; i < out.results.size() && !decisionBlock; ++i)
        if (out.results[i].activity.speech)
            decisionBlock = i;
    QVERIFY(decisionBlock.has_value());
    // The detector needs the onset block and the next: the decision comes after the onset, so
    // samples [onset, decision) are "from before the VAD decision".
    const std::size_t decisionFrame = *decisionBlock * kBlockFrames;
    QVERIFY(decisionFrame > onset);
    QVERIFY(decisionFrame - onset >= kBlockFrames / 2);

    // Closed (exact silence, not transmitting) until the decision.
    for (std::size_t i = 0; i < *decisionBlock; ++i)
        QVERIFY(!out.results[i].transmitting);
    QVERIFY(allZero(out.output, 0, decisionFrame));
    QVERIFY(out.results[*decisionBlock].transmitting);

    // The whole syllable, from 100 ms before its onset (the pre-roll reaches back ~190 ms) to
    // 200 ms after its end (the hangover), comes out sample-exact at the constant delay — in
    // particular the samples captured before the detector decided.
    const std::size_t from = onset - kSampleRateHz / 10 + delay;
    const std::size_t to = onset + syllableFrames + kSampleRateHz / 5 + delay;
    const auto mismatch = firstMismatch(input, out.output, delay, from, to);
    QVERIFY2(!mismatch, qPrintable(QStringLiteral("output %1 differs").arg(mismatch.value_or(0))));
    QVERIFY(!allZero(out.output, onset + delay, decisionFrame + delay)); // not trivially: it is the tone

    // The first non-zero output lies at least 150 ms of pre-roll before the onset.
    const auto firstSound = std::find_if(out.output.begin(), out.output.end(), [](float s) { return s != 0.0f; });
    const auto firstSoundFrame = static_cast<std::size_t>(firstSound - out.output.begin());
    QVERIFY(firstSoundFrame <= onset + delay - kSampleRateHz * 15 / 100);

    // Closed again after the hangover, exact silence to the end.
    const std::size_t closedBlock = (onset + syllableFrames + delay) / kBlockFrames + 40;
    for (std::size_t i = closedBlock; i < out.results.size(); ++i)
        QVERIFY(!out.results[i].transmitting);
    QVERIFY(allZero(out.output, closedBlock * kBlockFrames, out.output.size()));
}

void TransmissionGateTest::continuousPassesEverythingDelayed()
{
    std::uint32_t seed = 23;
    std::vector<float> input;
    appendNoise(input, 3 * kSampleRateHz, -40.0, seed);
    addToneBurst(input, 100 * kBlockFrames + 17, kSampleRateHz / 2, 440.0, -20.0);

    TransmissionGate gate({}, TransmissionMode::Continuous);
    const GateRun out = run(gate, input);
    const auto mismatch = firstMismatch(input, out.output, gate.latencyFrames(), 0, input.size());
    QVERIFY2(!mismatch, qPrintable(QStringLiteral("output %1 differs").arg(mismatch.value_or(0))));
    for (const GateResult& result : out.results)
        QVERIFY(result.transmitting);
}

void TransmissionGateTest::inPlaceProcessing()
{
    std::uint32_t seed = 25;
    std::vector<float> input;
    appendNoise(input, kSampleRateHz, -30.0, seed);

    TransmissionGate separate({}, TransmissionMode::Continuous);
    TransmissionGate inPlace({}, TransmissionMode::Continuous);
    const GateRun expected = run(separate, input);
    std::vector<float> buffer = input;
    for (std::size_t i = 0; i < blockCount(buffer); ++i) {
        const auto span = std::span<float>(buffer).subspan(i * kBlockFrames, kBlockFrames);
        (void)inPlace.process(span, span);
    }
    QVERIFY(buffer == expected.output);
}

void TransmissionGateTest::pushToTalkOpensAndClosesWithTail()
{
    std::uint32_t seed = 27;
    std::vector<float> input;
    appendNoise(input, 3 * kSampleRateHz, -30.0, seed);

    TransmissionGate gate({}, TransmissionMode::PushToTalk);
    const std::size_t pressBlock = 100;
    const std::size_t releaseBlock = 150;
    const std::size_t tailBlocks = 15; // the default 150 ms
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == pressBlock)
            gate.setPushToTalk(PushToTalkKey::Pressed);
        if (i == releaseBlock)
            gate.setPushToTalk(PushToTalkKey::Released);
    });

    // What was captured while the key was held, plus the tail, leaves the delay line
    // kDelayBlocks later: transmitting from the fade-in at pressBlock + delay to the fade-out in
    // the block after the tail.
    const std::size_t openBlock = pressBlock + kDelayBlocks;
    const std::size_t fadeOutBlock = releaseBlock + tailBlocks + kDelayBlocks;
    for (std::size_t i = 0; i < out.results.size(); ++i)
        QVERIFY2(out.results[i].transmitting == (i >= openBlock && i <= fadeOutBlock),
                 qPrintable(QStringLiteral("block %1").arg(i)));
    QVERIFY(allZero(out.output, 0, openBlock * kBlockFrames));
    QVERIFY(allZero(out.output, (fadeOutBlock + 1) * kBlockFrames, out.output.size()));
    // Sample-exact in between; the audio from before the press never goes out.
    const auto mismatch = firstMismatch(input, out.output, gate.latencyFrames(),
                                        openBlock * kBlockFrames + kFadeFrames, fadeOutBlock * kBlockFrames);
    QVERIFY(!mismatch);
}

void TransmissionGateTest::shortPushToTalkTapIsLatched()
{
    std::uint32_t seed = 29;
    std::vector<float> input;
    appendNoise(input, 2 * kSampleRateHz, -30.0, seed);
    TransmissionGate gate({}, TransmissionMode::PushToTalk);
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == 50) { // pressed and released between two blocks
            gate.setPushToTalk(PushToTalkKey::Pressed);
            gate.setPushToTalk(PushToTalkKey::Released);
        }
    });
    int transmitting = 0;
    for (const GateResult& result : out.results)
        transmitting += result.transmitting ? 1 : 0;
    QCOMPARE(transmitting, 1 + 15 + 1); // the tapped block, the tail, the fade-out
    QVERIFY(out.results[50 + kDelayBlocks].transmitting);
}

void TransmissionGateTest::muteOutputsExactSilence()
{
    std::uint32_t seed = 31;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -30.0, seed);
    addToneBurst(input, 0, 4 * kSampleRateHz, 300.0, -20.0);

    TransmissionGate gate({}, TransmissionMode::Continuous);
    const std::size_t muteBlock = 100;
    const std::size_t unmuteBlock = 200;
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == muteBlock)
            gate.setMicrophoneMute(MicrophoneMute::On);
        if (i == unmuteBlock)
            gate.setMicrophoneMute(MicrophoneMute::Off);
    });
    QCOMPARE(gate.microphoneMute(), MicrophoneMute::Off);

    // Mute acts on the output at once: a 5 ms fade, then exact zeros, not transmitting.
    QVERIFY(out.results[muteBlock].transmitting);
    QVERIFY(allZero(out.output, muteBlock * kBlockFrames + kFadeFrames, unmuteBlock * kBlockFrames));
    for (std::size_t i = muteBlock + 1; i < unmuteBlock; ++i)
        QVERIFY(!out.results[i].transmitting);
    // Nothing captured while muted goes out after unmuting: the delay line was fed silence.
    QVERIFY(allZero(out.output, unmuteBlock * kBlockFrames, (unmuteBlock + kDelayBlocks) * kBlockFrames));
    // Then live audio again, at the same delay.
    QVERIFY(!firstMismatch(input, out.output, gate.latencyFrames(), (unmuteBlock + kDelayBlocks) * kBlockFrames,
                           input.size()));
}

void TransmissionGateTest::muteSilencesSpeechInVoiceActivation()
{
    std::uint32_t seed = 33;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -55.0, seed);
    addToneBurst(input, 200 * kBlockFrames, kSampleRateHz / 2, 300.0, -20.0);
    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    gate.setMicrophoneMute(MicrophoneMute::On);
    const GateRun out = run(gate, input);
    QVERIFY(allZero(out.output, 0, out.output.size()));
    bool heardSpeech = false;
    for (const GateResult& result : out.results) {
        QVERIFY(!result.transmitting);
        heardSpeech = heardSpeech || result.activity.speech;
    }
    QVERIFY(heardSpeech); // the detector still runs (the level monitor's VAD flag)
}

void TransmissionGateTest::noClicksAtEdges()
{
    // A DC-offset input through push-to-talk: the worst case for a gate click (without the fade
    // the output would jump by 0.5 at once).
    {
        const std::vector<float> input(static_cast<std::size_t>(3 * kSampleRateHz), 0.5f);
        TransmissionGate gate({}, TransmissionMode::PushToTalk);
        const GateRun out = run(gate, input, [&](std::size_t i) {
            if (i == 60)
                gate.setPushToTalk(PushToTalkKey::Pressed);
            if (i == 120)
                gate.setPushToTalk(PushToTalkKey::Released);
            if (i == 200)
                gate.setMicrophoneMute(MicrophoneMute::On);
        });
        float maxStep = 0.0f;
        for (std::size_t n = 1; n < out.output.size(); ++n)
            maxStep = std::max(maxStep, std::abs(out.output[n] - out.output[n - 1]));
        QVERIFY(maxStep > 0.0f);
        QVERIFY2(maxStep <= 0.5f / kFadeFrames + 1e-6f, qPrintable(QString::number(maxStep)));
    }
    // Voice activation on a syllable over noise, and mute in continuous mode.
    {
        std::uint32_t seed = 35;
        std::vector<float> input;
        appendNoise(input, 4 * kSampleRateHz, -45.0, seed);
        addToneBurst(input, 150 * kBlockFrames + 300, kSampleRateHz / 3, 300.0, -15.0);
        TransmissionGate vad({}, TransmissionMode::VoiceActivation);
        QVERIFY(edgesAreFaded(input, run(vad, input).output, vad.latencyFrames()));
        TransmissionGate continuous({}, TransmissionMode::Continuous);
        const GateRun out = run(continuous, input, [&](std::size_t i) {
            if (i == 160)
                continuous.setMicrophoneMute(MicrophoneMute::On);
        });
        QVERIFY(edgesAreFaded(input, out.output, continuous.latencyFrames()));
    }
}

void TransmissionGateTest::settingsFromAnotherThread()
{
    // The setters are atomics: toggling them from another thread while blocks are processed is
    // race-free (run under TSan) and the output stays within the input's bounds.
    std::uint32_t seed = 37;
    std::vector<float> input;
    appendNoise(input, 2 * kSampleRateHz, -20.0, seed);
    TransmissionGate gate;
    std::atomic<bool> stop {false};
    std::thread controller([&] {
        for (int i = 0; !stop.load(); ++i) {
            gate.setMode(static_cast<TransmissionMode>(i % 3));
            gate.setPushToTalk(i % 2 ? PushToTalkKey::Pressed : PushToTalkKey::Released);
            gate.setMicrophoneMute(i % 5 ? MicrophoneMute::Off : MicrophoneMute::On);
            std::this_thread::yield();
        }
    });
    GateRun out;
    for (int pass = 0; pass < 5; ++pass)
        out = run(gate, input);
    stop.store(true);
    controller.join();
    const float peak = *std::max_element(input.begin(), input.end(), [](float a, float b) {
        return std::abs(a) < std::abs(b);
    });
    for (float sample : out.output)
        QVERIFY(std::abs(sample) <= std::abs(peak));
}

QTEST_APPLESS_MAIN(TransmissionGateTest)
#include "TransmissionGateTest.moc"
