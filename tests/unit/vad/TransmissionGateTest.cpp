// TransmissionGate: no delay in continuous and push-to-talk (output sample-exact equal to input),
// "VAD gating with pre-roll" (a spurt starts the pre-roll before the detector's decision, so the
// onset is in the output, and lags the input by exactly the pre-roll until it closes; then the
// delay collapses to zero and the next spurt has its pre-roll again), mode switches mid-spurt (a
// fade, no replay, nothing louder than the input), push-to-talk with its release tail, microphone
// mute (exact silence, nothing captured while muted leaks out), and edges that fade instead of
// clicking. Every check is on exact sample positions and values.
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

constexpr int kFadeFrames = 240;                // the default 5 ms
constexpr float kGainStep = 1.0f / kFadeFrames; // the gate's per-frame gain step, bit for bit
constexpr std::size_t kPreRollFrames = 4800;    // the default 100 ms pre-roll
constexpr std::size_t kTailBlocks = 15;         // the default 150 ms push-to-talk tail

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

// The gains of a linear fade from `from` to `to`, one per frame, computed as the gate does
// (float steps, clamped), ending with the first frame at `to`.
std::vector<float> fadeGains(float from, float to, float step = kGainStep)
{
    std::vector<float> gains;
    for (float gain = from; gain != to;) {
        gain = to > gain ? std::min(to, gain + step) : std::max(to, gain - step);
        gains.push_back(gain);
    }
    return gains;
}

bool allZero(const std::vector<float>& samples, std::size_t from, std::size_t to)
{
    return std::all_of(samples.begin() + static_cast<std::ptrdiff_t>(from),
                       samples.begin() + static_cast<std::ptrdiff_t>(to), [](float s) { return s == 0.0f; });
}

// Output equals the input delayed by `delayFrames` exactly over [from, to) (output indices);
// returns the first mismatch otherwise.
std::optional<std::size_t> firstMismatch(const std::vector<float>& input, const std::vector<float>& output,
                                         std::size_t delayFrames, std::size_t from, std::size_t to)
{
    for (std::size_t n = from; n < to; ++n)
        if (n < delayFrames || output[n] != input[n - delayFrames])
            return n;
    return std::nullopt;
}

// Output is `source(i)` times the fade from `fromGain` to `toGain`, starting at output index
// `start`; returns the first mismatch otherwise. Returns the end of the fade through `end`.
std::optional<std::size_t> fadeMismatch(const std::vector<float>& output, std::size_t start, float fromGain,
                                        float toGain, const std::function<float(std::size_t)>& source,
                                        std::size_t* end = nullptr, float step = kGainStep)
{
    const std::vector<float> gains = fadeGains(fromGain, toGain, step);
    if (end)
        *end = start + gains.size();
    for (std::size_t i = 0; i < gains.size(); ++i) {
        const float expected = gains[i] > 0.0f ? source(i) * gains[i] : 0.0f;
        if (output[start + i] != expected)
            return start + i;
    }
    return std::nullopt;
}

// A fade of the input delayed by `delayFrames` (see fadeMismatch).
std::optional<std::size_t> delayedFadeMismatch(const std::vector<float>& input, const std::vector<float>& output,
                                               std::size_t start, std::size_t delayFrames, float fromGain,
                                               float toGain, std::size_t* end = nullptr, float step = kGainStep)
{
    return fadeMismatch(output, start, fromGain, toGain,
                        [&](std::size_t i) { return input[start + i - delayFrames]; }, end, step);
}

std::size_t latencyAt(const GateRun& out, std::size_t n)
{
    return static_cast<std::size_t>(out.results[n / kBlockFrames].latencyFrames);
}

// No input sample goes out twice or out of order: the input index of every non-zero output
// sample (its index minus its block's latency) is greater than that of the one before.
bool noReplay(const GateRun& out)
{
    std::optional<std::size_t> lastSource;
    for (std::size_t n = 0; n < out.output.size(); ++n) {
        if (out.output[n] == 0.0f)
            continue;
        const std::size_t latency = latencyAt(out, n);
        if (latency > n || (lastSource && n - latency <= *lastSource))
            return false;
        lastSource = n - latency;
    }
    return true;
}

float peakOf(const std::vector<float>& samples)
{
    float peak = 0.0f;
    for (float sample : samples)
        peak = std::max(peak, std::abs(sample));
    return peak;
}

// Every output step is explained by the input's own step plus at most one fade step of gain:
// |y[n] − y[n−1]| ≤ |x[n] − x[n−1]| + |x[n−1]| / fadeFrames, x the input at the block's latency.
// Where the latency changes, the output must be silent before and fading in after.
bool edgesAreFaded(const std::vector<float>& input, const GateRun& out, int fadeFrames = kFadeFrames)
{
    for (std::size_t n = 1; n < out.output.size(); ++n) {
        const std::size_t latency = latencyAt(out, n);
        const double x1 = n >= latency ? input[n - latency] : 0.0;
        if (latency != latencyAt(out, n - 1)) {
            if (out.output[n - 1] != 0.0f || std::abs(out.output[n]) > std::abs(x1) / fadeFrames + 1e-6)
                return false;
            continue;
        }
        const double x0 = n - 1 >= latency ? input[n - 1 - latency] : 0.0;
        const double bound = std::abs(x1 - x0) + std::abs(x0) / fadeFrames + 1e-6;
        if (std::abs(static_cast<double>(out.output[n]) - out.output[n - 1]) > bound)
            return false;
    }
    return true;
}

// The first block from `from` on whose activity.speech equals `speech`.
std::optional<std::size_t> firstBlockWithSpeech(const GateRun& out, bool speech, std::size_t from = 0)
{
    for (std::size_t i = from; i < out.results.size(); ++i)
        if (out.results[i].activity.speech == speech)
            return i;
    return std::nullopt;
}

// Noise at −55 dBFS with 300 ms syllables (220 Hz, −25 dBFS) at the given frames.
std::vector<float> syllablesOverNoise(int seconds, std::uint32_t seed, const std::vector<std::size_t>& onsets)
{
    std::vector<float> input;
    appendNoise(input, seconds * kSampleRateHz, -55.0, seed);
    for (std::size_t onset : onsets)
        addToneBurst(input, onset, kSampleRateHz * 3 / 10, 220.0, -25.0);
    return input;
}

} // namespace

// Fails the test at the first output sample that differs from the expectation.
#define VERIFY_NO_MISMATCH(expression)                                                                    \
    do {                                                                                                 \
        const std::optional<std::size_t> mismatch_ = (expression);                                      \
        QVERIFY2(!mismatch_, qPrintable(QStringLiteral("output %1 differs").arg(mismatch_.value_or(0)))); \
    } while (false)

class TransmissionGateTest : public QObject {
    Q_OBJECT

private slots:
    void latency();
    void continuousHasNoDelay();
    void inPlaceProcessing_data();
    void inPlaceProcessing();
    void vadGatingWithPreRoll_data();
    void vadGatingWithPreRoll();
    void delayCollapsesAfterTheSpurt();
    void spurtRightAfterAClose();
    void modeSwitchMidSpurt_data();
    void modeSwitchMidSpurt();
    void switchToVoiceActivationMidSpeech();
    void pushToTalkHasNoDelayAndATail();
    void shortPushToTalkTapIsLatched();
    void muteOutputsExactSilence();
    void muteSilencesSpeechInVoiceActivation();
    void muteMidSpurt();
    void unmuteWaitsForTheMuteFade();
    void noClicksAtEdges();
    void settingsFromAnotherThread();
    void thresholdVoiceActivation();
};

void TransmissionGateTest::latency()
{
    const TransmissionGate gate;
    QCOMPARE(gate.maxLatencyFrames(), 4800);
    QCOMPARE(gate.latencyFrames(), 0); // nothing is delayed until a spurt
    TransmissionGateConfig config;
    config.preRollMs = 0;
    QCOMPARE(TransmissionGate(config).maxLatencyFrames(), 0);
    config.preRollMs = 104; // rounded to whole blocks
    QCOMPARE(TransmissionGate(config).maxLatencyFrames(), 4800);
    config.preRollMs = 200;
    QCOMPARE(TransmissionGate(config).maxLatencyFrames(), 9600);
}

void TransmissionGateTest::continuousHasNoDelay()
{
    std::uint32_t seed = 23;
    std::vector<float> input;
    appendNoise(input, 3 * kSampleRateHz, -40.0, seed);
    addToneBurst(input, 100 * kBlockFrames + 17, kSampleRateHz / 2, 440.0, -20.0);

    TransmissionGate gate({}, TransmissionMode::Continuous);
    const GateRun out = run(gate, input);
    // The stream starts with a fade-in, then the output is the input, sample for sample.
    std::size_t fadeEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, 0, 0, 0.0f, 1.0f, &fadeEnd));
    QCOMPARE(fadeEnd, std::size_t {kFadeFrames + 1}); // the float steps land on 1 a frame late
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeEnd, input.size()));
    for (const GateResult& result : out.results) {
        QVERIFY(result.transmitting);
        QCOMPARE(result.latencyFrames, 0);
    }
    QCOMPARE(gate.latencyFrames(), 0);
}

void TransmissionGateTest::inPlaceProcessing_data()
{
    QTest::addColumn<TransmissionMode>("mode");
    QTest::newRow("continuous") << TransmissionMode::Continuous;
    QTest::newRow("voice activation (delayed)") << TransmissionMode::VoiceActivation;
}

void TransmissionGateTest::inPlaceProcessing()
{
    QFETCH(TransmissionMode, mode);
    const std::vector<float> input = syllablesOverNoise(2, 25, {100 * kBlockFrames + 50});

    TransmissionGate separate({}, mode);
    TransmissionGate inPlace({}, mode);
    const GateRun expected = run(separate, input);
    QVERIFY(!allZero(expected.output, 0, expected.output.size()));
    std::vector<float> buffer = input;
    for (std::size_t i = 0; i < blockCount(buffer); ++i) {
        const auto span = std::span<float>(buffer).subspan(i * kBlockFrames, kBlockFrames);
        (void)inPlace.process(span, span);
    }
    QVERIFY(buffer == expected.output);
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
    const std::size_t onset = 300 * kBlockFrames + static_cast<std::size_t>(offsetInBlock);
    const std::vector<float> input = syllablesOverNoise(6, 21, {onset});

    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    const GateRun out = run(gate, input);

    const std::optional<std::size_t> decisionBlock = firstBlockWithSpeech(out, true);
    QVERIFY(decisionBlock.has_value());
    const std::optional<std::size_t> closeBlock = firstBlockWithSpeech(out, false, *decisionBlock);
    QVERIFY(closeBlock.has_value());
    QVERIFY(!firstBlockWithSpeech(out, true, *closeBlock)); // one spurt only
    // The detector needs the onset block and the next: the decision comes after the onset, so
    // samples [onset, decision) are "from before the VAD decision".
    const std::size_t decisionFrame = *decisionBlock * kBlockFrames;
    const std::size_t closeFrame = *closeBlock * kBlockFrames;
    QVERIFY(decisionFrame > onset);
    QVERIFY(decisionFrame - onset >= kBlockFrames / 2);

    // No delay and exact silence until the decision; the pre-roll from the decision until the
    // block that fades out at the close; no delay again after it.
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        const bool spurt = i >= *decisionBlock && i <= *closeBlock;
        QVERIFY2(out.results[i].transmitting == spurt, qPrintable(QStringLiteral("block %1").arg(i)));
        QVERIFY2(out.results[i].latencyFrames == (spurt ? static_cast<int>(kPreRollFrames) : 0),
                 qPrintable(QStringLiteral("block %1").arg(i)));
    }
    QVERIFY(allZero(out.output, 0, decisionFrame));

    // The output starts the pre-roll before the decision, fading in, and then lags the input by
    // exactly the pre-roll, sample for sample, up to the close.
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, decisionFrame, kPreRollFrames, 0.0f, 1.0f, &fadeInEnd));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, fadeInEnd, closeFrame));
    // In particular the onset and everything captured before the detector decided.
    QVERIFY(fadeInEnd <= onset + kPreRollFrames);
    QVERIFY(!allZero(out.output, onset + kPreRollFrames, decisionFrame + kPreRollFrames)); // the tone
    QCOMPARE(out.output[onset + kPreRollFrames + kSampleRateHz / 100], input[onset + kSampleRateHz / 100]);

    // At the close the output fades out, still delayed; the rest of the hangover is dropped and
    // the output is exact silence to the end.
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, closeFrame, kPreRollFrames, 1.0f, 0.0f, &fadeOutEnd));
    QVERIFY(fadeOutEnd <= closeFrame + kBlockFrames);
    QVERIFY(allZero(out.output, fadeOutEnd, out.output.size()));
    QCOMPARE(gate.latencyFrames(), 0);
    QVERIFY(noReplay(out));
}

void TransmissionGateTest::delayCollapsesAfterTheSpurt()
{
    // Two syllables 2 s apart: each spurt opens with the full pre-roll and closes back to no delay.
    const std::vector<std::size_t> onsets {150 * kBlockFrames + 77, 350 * kBlockFrames + 301};
    const std::vector<float> input = syllablesOverNoise(6, 43, onsets);
    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    const GateRun out = run(gate, input);

    std::size_t searchFrom = 0;
    std::size_t previousCloseBlock = 0;
    for (std::size_t onset : onsets) {
        const std::optional<std::size_t> openBlock = firstBlockWithSpeech(out, true, searchFrom);
        QVERIFY(openBlock.has_value());
        const std::optional<std::size_t> closeBlock = firstBlockWithSpeech(out, false, *openBlock);
        QVERIFY(closeBlock.has_value());
        searchFrom = *closeBlock;

        // Closed and undelayed between the spurts.
        for (std::size_t i = previousCloseBlock + 1; i < *openBlock; ++i) {
            QVERIFY(!out.results[i].transmitting);
            QCOMPARE(out.results[i].latencyFrames, 0);
        }
        QVERIFY(allZero(out.output, (previousCloseBlock + 1) * kBlockFrames, *openBlock * kBlockFrames));
        previousCloseBlock = *closeBlock;

        for (std::size_t i = *openBlock; i <= *closeBlock; ++i)
            QCOMPARE(out.results[i].latencyFrames, static_cast<int>(kPreRollFrames));
        std::size_t fadeInEnd = 0;
        VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, *openBlock * kBlockFrames, kPreRollFrames, 0.0f,
                                               1.0f, &fadeInEnd));
        QVERIFY(fadeInEnd <= onset + kPreRollFrames);
        VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, fadeInEnd, *closeBlock * kBlockFrames));
        VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, *closeBlock * kBlockFrames, kPreRollFrames, 1.0f,
                                               0.0f));
    }
    QVERIFY(!firstBlockWithSpeech(out, true, searchFrom));
    QVERIFY(allZero(out.output, (previousCloseBlock + 1) * kBlockFrames, out.output.size()));
    QVERIFY(noReplay(out));
}

void TransmissionGateTest::spurtRightAfterAClose()
{
    // A syllable that starts two blocks after the gate closed: the delay collapsed, but the
    // history's newest pre-roll was never sent (the dropped end of the hangover), so the new
    // spurt still gets the full pre-roll, and nothing goes out twice.
    const std::size_t firstOnset = 100 * kBlockFrames;
    TransmissionGate probe({}, TransmissionMode::VoiceActivation);
    const GateRun first = run(probe, syllablesOverNoise(4, 45, {firstOnset}));
    const std::optional<std::size_t> firstOpen = firstBlockWithSpeech(first, true);
    QVERIFY(firstOpen.has_value());
    const std::optional<std::size_t> firstClose = firstBlockWithSpeech(first, false, *firstOpen);
    QVERIFY(firstClose.has_value());

    const std::size_t secondOnset = (*firstClose + 2) * kBlockFrames;
    const std::vector<float> input = syllablesOverNoise(4, 45, {firstOnset, secondOnset});
    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    const GateRun out = run(gate, input);
    QCOMPARE(firstBlockWithSpeech(out, false, *firstOpen), firstClose); // the same first spurt
    QCOMPARE(out.results[*firstClose].latencyFrames, static_cast<int>(kPreRollFrames));
    QCOMPARE(out.results[*firstClose + 1].latencyFrames, 0);
    QVERIFY(!out.results[*firstClose + 1].transmitting);

    const std::optional<std::size_t> secondOpen = firstBlockWithSpeech(out, true, *firstClose);
    QVERIFY(secondOpen.has_value());
    QCOMPARE(out.results[*secondOpen].latencyFrames, static_cast<int>(kPreRollFrames));
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, *secondOpen * kBlockFrames, kPreRollFrames, 0.0f, 1.0f,
                                           &fadeInEnd));
    QVERIFY(fadeInEnd <= secondOnset + kPreRollFrames);
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, fadeInEnd, (*secondOpen + 20) * kBlockFrames));
    QVERIFY(noReplay(out));
}

void TransmissionGateTest::modeSwitchMidSpurt_data()
{
    QTest::addColumn<TransmissionMode>("newMode");
    QTest::addColumn<bool>("pushToTalkPressed");
    QTest::addColumn<bool>("reopens");
    QTest::newRow("to continuous") << TransmissionMode::Continuous << false << true;
    QTest::newRow("to push-to-talk, key held") << TransmissionMode::PushToTalk << true << true;
    QTest::newRow("to push-to-talk, key up") << TransmissionMode::PushToTalk << false << false;
}

void TransmissionGateTest::modeSwitchMidSpurt()
{
    QFETCH(TransmissionMode, newMode);
    QFETCH(bool, pushToTalkPressed);
    QFETCH(bool, reopens);
    // A long loud tone over noise, so the spurt is well under way at the switch.
    std::uint32_t seed = 47;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -55.0, seed);
    addToneBurst(input, 100 * kBlockFrames + 200, 2 * kSampleRateHz, 330.0, -12.0);

    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    const std::size_t switchBlock = 150;
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == switchBlock) {
            gate.setMode(newMode);
            if (pushToTalkPressed)
                gate.setPushToTalk(PushToTalkKey::Pressed);
        }
    });
    const std::size_t switchFrame = switchBlock * kBlockFrames;
    QVERIFY(out.results[switchBlock - 1].activity.speech);
    QCOMPARE(out.results[switchBlock - 1].latencyFrames, static_cast<int>(kPreRollFrames));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, switchFrame - 40 * kBlockFrames, switchFrame));

    // The delayed output fades out in the switch block; the delay is zero from the next one on.
    QCOMPARE(out.results[switchBlock].latencyFrames, static_cast<int>(kPreRollFrames));
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, switchFrame, kPreRollFrames, 1.0f, 0.0f, &fadeOutEnd));
    QVERIFY(allZero(out.output, fadeOutEnd, switchFrame + kBlockFrames));
    for (std::size_t i = switchBlock + 1; i < out.results.size(); ++i)
        QCOMPARE(out.results[i].latencyFrames, 0);
    QCOMPARE(gate.latencyFrames(), 0);

    const std::size_t nextFrame = switchFrame + kBlockFrames;
    if (reopens) {
        // Then the live input, fading in: the pre-roll's worth of audio in between is skipped.
        std::size_t fadeInEnd = 0;
        VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, nextFrame, 0, 0.0f, 1.0f, &fadeInEnd));
        VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeInEnd, input.size()));
    } else {
        QVERIFY(allZero(out.output, nextFrame, out.output.size()));
    }
    QVERIFY(peakOf(out.output) <= peakOf(input));
    QVERIFY(noReplay(out));
    QVERIFY(edgesAreFaded(input, out));
}

void TransmissionGateTest::switchToVoiceActivationMidSpeech()
{
    // Continuous while speaking, then voice activation: the speech already went out undelayed, so
    // the spurt continues undelayed (a pre-roll now would replay the last 100 ms), without a dip,
    // and closes after the hangover.
    std::uint32_t seed = 49;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -55.0, seed);
    addToneBurst(input, 100 * kBlockFrames, kSampleRateHz, 330.0, -12.0);

    TransmissionGate gate({}, TransmissionMode::Continuous);
    const std::size_t switchBlock = 150;
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == switchBlock)
            gate.setMode(TransmissionMode::VoiceActivation);
    });
    QVERIFY(out.results[switchBlock].activity.speech);
    const std::optional<std::size_t> closeBlock = firstBlockWithSpeech(out, false, switchBlock);
    QVERIFY(closeBlock.has_value());
    for (const GateResult& result : out.results)
        QCOMPARE(result.latencyFrames, 0);
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, kFadeFrames, *closeBlock * kBlockFrames));
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, *closeBlock * kBlockFrames, 0, 1.0f, 0.0f));
    QVERIFY(allZero(out.output, (*closeBlock + 1) * kBlockFrames, out.output.size()));
    QVERIFY(noReplay(out));
}

void TransmissionGateTest::pushToTalkHasNoDelayAndATail()
{
    std::uint32_t seed = 27;
    std::vector<float> input;
    appendNoise(input, 3 * kSampleRateHz, -30.0, seed);

    TransmissionGate gate({}, TransmissionMode::PushToTalk);
    const std::size_t pressBlock = 100;
    const std::size_t releaseBlock = 150;
    const GateRun out = run(gate, input, [&](std::size_t i) {
        if (i == pressBlock)
            gate.setPushToTalk(PushToTalkKey::Pressed);
        if (i == releaseBlock)
            gate.setPushToTalk(PushToTalkKey::Released);
    });

    // Transmitting from the fade-in at the press to the fade-out in the block after the tail,
    // never delayed; the audio from before the press never goes out.
    const std::size_t fadeOutBlock = releaseBlock + kTailBlocks;
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        QVERIFY2(out.results[i].transmitting == (i >= pressBlock && i <= fadeOutBlock),
                 qPrintable(QStringLiteral("block %1").arg(i)));
        QCOMPARE(out.results[i].latencyFrames, 0);
    }
    QVERIFY(allZero(out.output, 0, pressBlock * kBlockFrames));
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, pressBlock * kBlockFrames, 0, 0.0f, 1.0f, &fadeInEnd));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeInEnd, fadeOutBlock * kBlockFrames));
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, fadeOutBlock * kBlockFrames, 0, 1.0f, 0.0f, &fadeOutEnd));
    QVERIFY(allZero(out.output, fadeOutEnd, out.output.size()));
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
    for (std::size_t i = 0; i < out.results.size(); ++i)
        QVERIFY2(out.results[i].transmitting == (i >= 50 && i <= 50 + kTailBlocks + 1),
                 qPrintable(QStringLiteral("block %1").arg(i))); // the tapped block, the tail, the fade-out
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, 50 * kBlockFrames, 0, 0.0f, 1.0f));
}

void TransmissionGateTest::muteOutputsExactSilence()
{
    std::uint32_t seed = 31;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -30.0, seed);
    addToneBurst(input, 0, 4 * kSampleRateHz, 300.0, -20.0);
    // The same, but something else (louder) captured while muted.
    std::vector<float> otherInput = input;
    const std::size_t muteBlock = 100;
    const std::size_t unmuteBlock = 200;
    const std::size_t muteFrame = muteBlock * kBlockFrames;
    const std::size_t unmuteFrame = unmuteBlock * kBlockFrames;
    for (std::size_t n = muteFrame; n < unmuteFrame; ++n)
        otherInput[n] = -0.5f * input[n] + 0.25f;

    const auto mutedRun = [&](const std::vector<float>& signal) {
        TransmissionGate gate({}, TransmissionMode::Continuous);
        GateRun out = run(gate, signal, [&](std::size_t i) {
            if (i == muteBlock)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == unmuteBlock)
                gate.setMicrophoneMute(MicrophoneMute::Off);
        });
        [&] { QCOMPARE(gate.microphoneMute(), MicrophoneMute::Off); }();
        return out;
    };
    const GateRun out = mutedRun(input);

    // Mute acts on the output at once: the last sample sent before it fades out over 5 ms (no
    // audio captured while muted in it), then exact zeros, not transmitting.
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, kFadeFrames, muteFrame));
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(fadeMismatch(out.output, muteFrame, 1.0f, 0.0f,
                                    [&](std::size_t) { return input[muteFrame - 1]; }, &fadeOutEnd));
    QCOMPARE(fadeOutEnd, muteFrame + kFadeFrames + 1);
    QVERIFY(out.results[muteBlock].transmitting);
    QVERIFY(allZero(out.output, fadeOutEnd, unmuteFrame));
    for (std::size_t i = muteBlock + 1; i < unmuteBlock; ++i)
        QVERIFY(!out.results[i].transmitting);
    // Unmuting fades the live input in, undelayed.
    for (const GateResult& result : out.results)
        QCOMPARE(result.latencyFrames, 0);
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, unmuteFrame, 0, 0.0f, 1.0f, &fadeInEnd));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeInEnd, input.size()));

    // Nothing captured while muted reaches the output: changing it changes nothing.
    QVERIFY(mutedRun(otherInput).output == out.output);
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
        QCOMPARE(result.latencyFrames, 0);
        heardSpeech = heardSpeech || result.activity.speech;
    }
    QVERIFY(heardSpeech); // the detector still runs (the level monitor's VAD flag)
}

void TransmissionGateTest::muteMidSpurt()
{
    // Muted and unmuted during a voice-activation spurt: the delayed output fades out over audio
    // from before the mute; after the unmute the spurt continues undelayed (a pre-roll would only
    // reach into the muted silence), and nothing captured while muted goes out.
    std::uint32_t seed = 51;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -55.0, seed);
    addToneBurst(input, 100 * kBlockFrames + 200, kSampleRateHz, 330.0, -12.0);
    const std::size_t muteBlock = 130;
    const std::size_t unmuteBlock = 160;
    const std::size_t muteFrame = muteBlock * kBlockFrames;
    const std::size_t unmuteFrame = unmuteBlock * kBlockFrames;
    std::vector<float> otherInput = input;
    for (std::size_t n = muteFrame; n < unmuteFrame; ++n)
        otherInput[n] = -0.5f * input[n]; // still speech to the detector, which hears it

    const auto mutedRun = [&](const std::vector<float>& signal) {
        TransmissionGate gate({}, TransmissionMode::VoiceActivation);
        return run(gate, signal, [&](std::size_t i) {
            if (i == muteBlock)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == unmuteBlock)
                gate.setMicrophoneMute(MicrophoneMute::Off);
        });
    };
    const GateRun out = mutedRun(input);
    const std::optional<std::size_t> openBlock = firstBlockWithSpeech(out, true);
    QVERIFY(openBlock.has_value() && *openBlock < muteBlock);
    const std::optional<std::size_t> closeBlock = firstBlockWithSpeech(out, false, *openBlock);
    QVERIFY(closeBlock.has_value() && *closeBlock > unmuteBlock + 50);

    for (std::size_t i = 0; i < out.results.size(); ++i)
        QCOMPARE(out.results[i].latencyFrames,
                 i >= *openBlock && i <= muteBlock ? static_cast<int>(kPreRollFrames) : 0);
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, (*openBlock + 1) * kBlockFrames, muteFrame));
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, muteFrame, kPreRollFrames, 1.0f, 0.0f, &fadeOutEnd));
    QVERIFY(allZero(out.output, fadeOutEnd, unmuteFrame));
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(delayedFadeMismatch(input, out.output, unmuteFrame, 0, 0.0f, 1.0f, &fadeInEnd));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeInEnd, *closeBlock * kBlockFrames));
    QVERIFY(noReplay(out));
    QVERIFY(mutedRun(otherInput).output == out.output);
}

void TransmissionGateTest::unmuteWaitsForTheMuteFade()
{
    // A fade longer than a block (30 ms) and a one-block mute during a spurt: the output finishes
    // fading out before it reopens, so it never resumes at the pre-roll onto the silence the
    // history was fed while muted; it reopens undelayed, and nothing captured while muted, or
    // while the mute was still fading, goes out.
    TransmissionGateConfig config;
    config.fadeMs = 30;
    const int fadeFrames = 1440;
    const float step = 1.0f / fadeFrames;
    std::uint32_t seed = 53;
    std::vector<float> input;
    appendNoise(input, 4 * kSampleRateHz, -55.0, seed);
    addToneBurst(input, 100 * kBlockFrames + 200, kSampleRateHz, 330.0, -12.0);
    const std::size_t muteBlock = 140;
    const std::size_t muteFrame = muteBlock * kBlockFrames;
    std::vector<float> otherInput = input;
    for (std::size_t n = muteFrame; n < muteFrame + kBlockFrames; ++n)
        otherInput[n] = -0.5f * input[n];

    const auto mutedRun = [&](const std::vector<float>& signal) {
        TransmissionGate gate(config, TransmissionMode::VoiceActivation);
        return run(gate, signal, [&](std::size_t i) {
            if (i == muteBlock)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == muteBlock + 1)
                gate.setMicrophoneMute(MicrophoneMute::Off);
        });
    };
    const GateRun out = mutedRun(input);
    QVERIFY(out.results[muteBlock - 1].activity.speech);
    QCOMPARE(out.results[muteBlock - 1].latencyFrames, static_cast<int>(kPreRollFrames));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, kPreRollFrames, muteFrame - 20 * kBlockFrames, muteFrame));

    // The fade-out over pre-mute audio runs to its end, still delayed, past the unmute; the
    // output reopens, undelayed, in the block after the one it reached zero in.
    std::size_t fadeOutEnd = 0;
    VERIFY_NO_MISMATCH(
        delayedFadeMismatch(input, out.output, muteFrame, kPreRollFrames, 1.0f, 0.0f, &fadeOutEnd, step));
    QVERIFY(fadeOutEnd >= muteFrame + fadeFrames && fadeOutEnd <= muteFrame + fadeFrames + 1); // float steps
    const std::size_t reopenBlock = (fadeOutEnd - 1) / kBlockFrames + 1;
    for (std::size_t i = muteBlock; i < reopenBlock; ++i)
        QCOMPARE(out.results[i].latencyFrames, static_cast<int>(kPreRollFrames));
    QVERIFY(allZero(out.output, fadeOutEnd, reopenBlock * kBlockFrames));
    QCOMPARE(out.results[reopenBlock].latencyFrames, 0);
    std::size_t fadeInEnd = 0;
    VERIFY_NO_MISMATCH(
        delayedFadeMismatch(input, out.output, reopenBlock * kBlockFrames, 0, 0.0f, 1.0f, &fadeInEnd, step));
    VERIFY_NO_MISMATCH(firstMismatch(input, out.output, 0, fadeInEnd, (reopenBlock + 50) * kBlockFrames));
    QVERIFY(noReplay(out));
    QVERIFY(edgesAreFaded(input, out, fadeFrames));
    QVERIFY(mutedRun(otherInput).output == out.output);
}

void TransmissionGateTest::noClicksAtEdges()
{
    // A DC-offset input: the worst case for a gate click (without the fade the output would jump
    // by 0.5 at once). Push-to-talk's press and release, and mute in continuous mode (no audio
    // left to fade over: the last sample sent is ramped down).
    const auto maxStep = [](const std::vector<float>& output) {
        float step = 0.0f;
        for (std::size_t n = 1; n < output.size(); ++n)
            step = std::max(step, std::abs(output[n] - output[n - 1]));
        return step;
    };
    const std::vector<float> dc(static_cast<std::size_t>(3 * kSampleRateHz), 0.5f);
    {
        TransmissionGate gate({}, TransmissionMode::PushToTalk);
        const GateRun out = run(gate, dc, [&](std::size_t i) {
            if (i == 60)
                gate.setPushToTalk(PushToTalkKey::Pressed);
            if (i == 120)
                gate.setPushToTalk(PushToTalkKey::Released);
            if (i == 200)
                gate.setMicrophoneMute(MicrophoneMute::On);
        });
        QVERIFY(maxStep(out.output) > 0.0f);
        QVERIFY2(maxStep(out.output) <= 0.5f / kFadeFrames + 1e-6f, qPrintable(QString::number(maxStep(out.output))));
    }
    {
        TransmissionGate gate({}, TransmissionMode::Continuous);
        const GateRun out = run(gate, dc, [&](std::size_t i) {
            if (i == 100)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == 150)
                gate.setMicrophoneMute(MicrophoneMute::Off);
        });
        QCOMPARE(out.output[100 * kBlockFrames - 1], 0.5f);
        QCOMPARE(out.output[100 * kBlockFrames + kFadeFrames], 0.0f);
        QCOMPARE(out.output[160 * kBlockFrames], 0.5f);
        QVERIFY2(maxStep(out.output) <= 0.5f / kFadeFrames + 1e-6f, qPrintable(QString::number(maxStep(out.output))));
    }
    // Voice activation on syllables over noise: the opening, the delayed close and the collapse.
    {
        std::uint32_t seed = 35;
        std::vector<float> input;
        appendNoise(input, 4 * kSampleRateHz, -45.0, seed);
        addToneBurst(input, 150 * kBlockFrames + 300, kSampleRateHz / 3, 300.0, -15.0);
        addToneBurst(input, 250 * kBlockFrames + 10, kSampleRateHz / 3, 300.0, -15.0);
        TransmissionGate vad({}, TransmissionMode::VoiceActivation);
        const GateRun out = run(vad, input);
        QVERIFY(std::any_of(out.results.begin(), out.results.end(),
                            [](const GateResult& result) { return result.latencyFrames > 0; }));
        QVERIFY(edgesAreFaded(input, out));
    }
}

void TransmissionGateTest::settingsFromAnotherThread()
{
    // The setters are atomics: toggling them from another thread while blocks are processed is
    // race-free (run under TSan), the latency stays within its bounds and the output within the
    // input's.
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
    for (int pass = 0; pass < 5; ++pass) {
        out = run(gate, input);
        for (const GateResult& result : out.results)
            QVERIFY(result.latencyFrames >= 0 && result.latencyFrames <= gate.maxLatencyFrames());
    }
    stop.store(true);
    controller.join();
    QVERIFY(peakOf(out.output) <= peakOf(input));
}

// Voice activation by an amplitude threshold: a tone above it opens the gate at its first block
// (delayed by the pre-roll, so the onset goes out whole) and keeps it open for the hangover after
// it ends; above the tone, the gate never opens. Cleared, the detector decides again, and it
// takes a tone present from the very first block for the noise floor: the reason a threshold set
// by eye on the level meter exists at all.
void TransmissionGateTest::thresholdVoiceActivation()
{
    std::uint32_t seed = 41;
    std::vector<float> input;
    appendNoise(input, 3 * kSampleRateHz, -70.0, seed);
    constexpr std::size_t kToneStartBlock = 100;
    constexpr std::size_t kToneBlocks = 100;
    constexpr std::size_t kHangoverBlocks = 30; // the detector's default 300 ms
    addToneBurst(input, kToneStartBlock * kBlockFrames, int(kToneBlocks * kBlockFrames), 440.0, -23.0); // level -20

    TransmissionGate gate({}, TransmissionMode::VoiceActivation);
    gate.setVoiceThreshold(50.0f); // -30 dBFS
    const GateRun out = run(gate, input);
    const std::size_t lastOpenBlock = kToneStartBlock + kToneBlocks - 1 + kHangoverBlocks;
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        if (i < kToneStartBlock || i > lastOpenBlock + 1)
            QVERIFY2(!out.results[i].transmitting, qPrintable(QStringLiteral("block %1").arg(i)));
        else if (i <= lastOpenBlock)
            QVERIFY2(out.results[i].transmitting, qPrintable(QStringLiteral("block %1").arg(i)));
    }
    QCOMPARE(std::size_t(out.results[kToneStartBlock].latencyFrames), kPreRollFrames);
    QVERIFY(allZero(out.output, 0, (kToneStartBlock - kPreRollFrames / kBlockFrames) * kBlockFrames));

    TransmissionGate tooHigh({}, TransmissionMode::VoiceActivation);
    tooHigh.setVoiceThreshold(85.0f); // -9 dBFS
    const GateRun silent = run(tooHigh, input);
    QVERIFY(std::none_of(silent.results.begin(), silent.results.end(), [](const GateResult& r) { return r.transmitting; }));
    QVERIFY(allZero(silent.output, 0, silent.output.size()));

    std::vector<float> steadyTone(std::size_t(2 * kSampleRateHz), 0.0f);
    addToneBurst(steadyTone, 0, 2 * kSampleRateHz, 440.0, -23.0);
    TransmissionGate detector({}, TransmissionMode::VoiceActivation);
    detector.setVoiceThreshold(50.0f);
    detector.clearVoiceThreshold();
    const GateRun detected = run(detector, steadyTone);
    QVERIFY(std::none_of(detected.results.begin(), detected.results.end(), [](const GateResult& r) { return r.transmitting; }));
    TransmissionGate threshold({}, TransmissionMode::VoiceActivation);
    threshold.setVoiceThreshold(50.0f);
    const GateRun heard = run(threshold, steadyTone);
    QVERIFY(heard.results.front().transmitting && heard.results.back().transmitting);
}

QTEST_APPLESS_MAIN(TransmissionGateTest)
#include "TransmissionGateTest.moc"
