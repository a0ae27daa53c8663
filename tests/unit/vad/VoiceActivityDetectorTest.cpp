// VoiceActivityDetector on synthetic signals: silence and steady noise are not speech, a tone
// burst ("syllable") over noise is speech within two blocks, the hangover has its configured
// length, and the noise floor follows a louder steady noise instead of declaring speech forever.
#include "TestSignals.h"

#include "vad/VoiceActivityDetector.h"

#include <QTest>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

using earshot::vad::VoiceActivity;
using earshot::vad::VoiceActivityDetector;
using earshot::vad::VoiceActivityDetectorConfig;
using namespace earshot::vad::test;

namespace {

std::vector<VoiceActivity> detect(VoiceActivityDetector& detector, const std::vector<float>& signal)
{
    std::vector<VoiceActivity> decisions;
    for (std::size_t i = 0; i < blockCount(signal); ++i)
        decisions.push_back(detector.process(block(signal, i)));
    return decisions;
}

std::optional<std::size_t> firstSpeech(const std::vector<VoiceActivity>& decisions, std::size_t from = 0)
{
    for (std::size_t i = from; i < decisions.size(); ++i)
        if (decisions[i].speech)
            return i;
    return std::nullopt;
}

int speechBlocks(const std::vector<VoiceActivity>& decisions, std::size_t from, std::size_t to)
{
    int count = 0;
    for (std::size_t i = from; i < to && i < decisions.size(); ++i)
        count += decisions[i].speech ? 1 : 0;
    return count;
}

} // namespace

class VoiceActivityDetectorTest : public QObject {
    Q_OBJECT

private slots:
    void silenceIsNotSpeech();
    void steadyNoiseIsNotSpeech_data();
    void steadyNoiseIsNotSpeech();
    void syllableOverNoiseIsSpeechWithinTwoBlocks_data();
    void syllableOverNoiseIsSpeechWithinTwoBlocks();
    void hangover_data();
    void hangover();
    void singleClickIsNotSpeech();
    void floorAdaptsToLouderSteadyNoise();
    void floorFollowsQuieterNoiseQuickly();
    void stereoIsAnalysedAsItsAverage();
    void resetForgetsTheFloor();
};

void VoiceActivityDetectorTest::silenceIsNotSpeech()
{
    VoiceActivityDetector detector;
    const std::vector<float> silence(static_cast<std::size_t>(3 * kSampleRateHz), 0.0f);
    for (const VoiceActivity& activity : detect(detector, silence)) {
        QVERIFY(!activity.speech);
        QCOMPARE(activity.score, 0.0f);
    }
}

void VoiceActivityDetectorTest::steadyNoiseIsNotSpeech_data()
{
    QTest::addColumn<double>("rmsDbfs");
    QTest::newRow("-70 dBFS (below the absolute minimum)") << -70.0;
    QTest::newRow("-50 dBFS (a quiet room)") << -50.0;
    QTest::newRow("-30 dBFS (a loud fan)") << -30.0;
}

void VoiceActivityDetectorTest::steadyNoiseIsNotSpeech()
{
    QFETCH(double, rmsDbfs);
    std::uint32_t seed = 1;
    std::vector<float> noise;
    appendNoise(noise, 10 * kSampleRateHz, rmsDbfs, seed);
    VoiceActivityDetector detector;
    const auto decisions = detect(detector, noise);
    QCOMPARE(speechBlocks(decisions, 0, decisions.size()), 0);
    for (const VoiceActivity& activity : decisions)
        QVERIFY(activity.score < 0.2f);
}

void VoiceActivityDetectorTest::syllableOverNoiseIsSpeechWithinTwoBlocks_data()
{
    QTest::addColumn<double>("frequencyHz");
    QTest::addColumn<double>("toneDbfs");
    QTest::addColumn<int>("offsetInBlock"); // the onset's frame within its block

    QTest::newRow("300 Hz, -25 dBFS, on a block edge") << 300.0 << -25.0 << 0;
    QTest::newRow("300 Hz, -25 dBFS, mid-block") << 300.0 << -25.0 << 240;
    QTest::newRow("300 Hz, -25 dBFS, at the end of a block") << 300.0 << -25.0 << 470;
    QTest::newRow("1 kHz, -35 dBFS (12 dB over the noise's band)") << 1000.0 << -35.0 << 100;
    QTest::newRow("2.5 kHz, -30 dBFS") << 2500.0 << -30.0 << 0;
}

void VoiceActivityDetectorTest::syllableOverNoiseIsSpeechWithinTwoBlocks()
{
    QFETCH(double, frequencyHz);
    QFETCH(double, toneDbfs);
    QFETCH(int, offsetInBlock);

    std::uint32_t seed = 7;
    std::vector<float> signal;
    appendNoise(signal, 5 * kSampleRateHz, -50.0, seed);
    const std::size_t onsetBlock = 200;
    const std::size_t onset = onsetBlock * kBlockFrames + offsetInBlock;
    addToneBurst(signal, onset, kSampleRateHz / 4, frequencyHz, toneDbfs); // 250 ms

    VoiceActivityDetector detector;
    const auto decisions = detect(detector, signal);
    QCOMPARE(speechBlocks(decisions, 0, onsetBlock), 0);
    const auto first = firstSpeech(decisions);
    QVERIFY(first.has_value());
    // "Within 2 blocks": the onset's block and the next full one are loud; a partial onset block
    // (the tone in its last few frames) may not count, so one more block then.
    const std::size_t latest = onsetBlock + (offsetInBlock > kBlockFrames / 2 ? 2 : 1);
    QVERIFY2(*first <= latest, qPrintable(QStringLiteral("speech at block %1, onset block %2")
                                              .arg(*first)
                                              .arg(onsetBlock)));
    QVERIFY(decisions[*first].score > 0.9f);
    // Speech holds for the whole syllable.
    const std::size_t endBlock = (onset + kSampleRateHz / 4) / kBlockFrames;
    QCOMPARE(speechBlocks(decisions, *first, endBlock), static_cast<int>(endBlock - *first));
}

void VoiceActivityDetectorTest::hangover_data()
{
    QTest::addColumn<int>("hangoverMs");
    QTest::newRow("default 300 ms") << 300;
    QTest::newRow("100 ms") << 100;
    QTest::newRow("none") << 0;
}

void VoiceActivityDetectorTest::hangover()
{
    QFETCH(int, hangoverMs);
    VoiceActivityDetectorConfig config;
    config.hangoverMs = hangoverMs;
    VoiceActivityDetector detector(config);
    const int hangoverBlocks = hangoverMs / 10;
    QCOMPARE(detector.hangoverBlocks(), hangoverBlocks);

    std::uint32_t seed = 3;
    std::vector<float> signal;
    appendNoise(signal, 4 * kSampleRateHz, -50.0, seed);
    const std::size_t onsetBlock = 150;
    const std::size_t endBlock = 180; // first block after the syllable
    addToneBurst(signal, onsetBlock * kBlockFrames, static_cast<int>((endBlock - onsetBlock) * kBlockFrames),
                 300.0, -25.0);

    const auto decisions = detect(detector, signal);
    // The last loud block is endBlock − 1 (or endBlock, if the filters' ring-out still counts);
    // speech holds for exactly the hangover after it, then stops for good.
    std::size_t lastSpeech = 0;
    for (std::size_t i = 0; i < decisions.size(); ++i)
        if (decisions[i].speech)
            lastSpeech = i;
    const std::size_t expected = endBlock - 1 + static_cast<std::size_t>(hangoverBlocks);
    QVERIFY2(lastSpeech >= expected && lastSpeech <= expected + 1,
             qPrintable(QStringLiteral("last speech block %1, expected %2").arg(lastSpeech).arg(expected)));
    QCOMPARE(speechBlocks(decisions, onsetBlock + 1, lastSpeech + 1), static_cast<int>(lastSpeech - onsetBlock));
    // The hangover blocks carry the decision but not the score.
    if (hangoverBlocks > 2)
        QVERIFY(decisions[lastSpeech].score < 0.2f);
}

void VoiceActivityDetectorTest::singleClickIsNotSpeech()
{
    std::uint32_t seed = 11;
    std::vector<float> signal;
    appendNoise(signal, 3 * kSampleRateHz, -50.0, seed);
    // A 1 ms click at -10 dBFS: loud, but within one block (the onset guard needs two).
    addToneBurst(signal, 150 * kBlockFrames + 100, kSampleRateHz / 1000, 2000.0, -10.0);
    VoiceActivityDetector detector;
    const auto decisions = detect(detector, signal);
    QCOMPARE(speechBlocks(decisions, 0, decisions.size()), 0);
    QVERIFY(decisions[150].score > 0.9f); // it was heard, just not believed
}

void VoiceActivityDetectorTest::floorAdaptsToLouderSteadyNoise()
{
    std::uint32_t seed = 5;
    std::vector<float> signal;
    appendNoise(signal, 3 * kSampleRateHz, -55.0, seed);
    const std::size_t jumpBlock = blockCount(signal);
    appendNoise(signal, 20 * kSampleRateHz, -35.0, seed); // a fan switched on: 20 dB louder

    VoiceActivityDetector detector;
    const auto decisions = detect(detector, signal);
    QCOMPARE(speechBlocks(decisions, 0, jumpBlock), 0);
    // The jump itself may be taken for speech, but the floor rises (3 dB/s) until it is not:
    // (20 − 9) dB / 3 dB/s ≈ 3.7 s, plus the hangover. It must then stay off.
    const std::size_t settled = jumpBlock + 600; // 6 s
    QCOMPARE(speechBlocks(decisions, settled, decisions.size()), 0);
    // The floor ends near the new noise's band energy (white noise at -35 dBFS loses ~8 dB to the
    // 100 Hz – 4 kHz band).
    QVERIFY2(detector.noiseFloorDbfs() > -48.0 && detector.noiseFloorDbfs() < -40.0,
             qPrintable(QString::number(detector.noiseFloorDbfs())));
}

void VoiceActivityDetectorTest::floorFollowsQuieterNoiseQuickly()
{
    std::uint32_t seed = 9;
    std::vector<float> signal;
    appendNoise(signal, 10 * kSampleRateHz, -30.0, seed);
    const std::size_t dropBlock = blockCount(signal);
    appendNoise(signal, 2 * kSampleRateHz, -60.0, seed); // the fan switched off
    // A quiet syllable 200 ms after the drop: 15 dB under the old noise, 15 dB over the new one.
    const std::size_t onsetBlock = dropBlock + 20;
    addToneBurst(signal, onsetBlock * kBlockFrames, kSampleRateHz / 5, 500.0, -45.0);

    VoiceActivityDetector detector;
    const auto decisions = detect(detector, signal);
    QCOMPARE(speechBlocks(decisions, dropBlock, onsetBlock), 0);
    const auto first = firstSpeech(decisions, dropBlock);
    QVERIFY(first.has_value());
    QVERIFY(*first <= onsetBlock + 1);
}

void VoiceActivityDetectorTest::stereoIsAnalysedAsItsAverage()
{
    VoiceActivityDetectorConfig config;
    config.channels = 2;
    VoiceActivityDetector stereo(config);
    VoiceActivityDetector mono;

    std::uint32_t seed = 13;
    std::vector<float> signal;
    appendNoise(signal, 3 * kSampleRateHz, -50.0, seed);
    addToneBurst(signal, 200 * kBlockFrames, kSampleRateHz / 4, 300.0, -25.0);
    std::vector<float> interleaved;
    for (float sample : signal) {
        interleaved.push_back(sample);
        interleaved.push_back(sample);
    }
    for (std::size_t i = 0; i < blockCount(signal); ++i) {
        const VoiceActivity a = mono.process(block(signal, i));
        const VoiceActivity b = stereo.process(std::span<const float>(interleaved).subspan(i * 2 * kBlockFrames,
                                                                                          2 * kBlockFrames));
        QCOMPARE(b.speech, a.speech);
        QCOMPARE(b.score, a.score);
    }
}

void VoiceActivityDetectorTest::resetForgetsTheFloor()
{
    std::uint32_t seed = 17;
    std::vector<float> loud;
    appendNoise(loud, 5 * kSampleRateHz, -30.0, seed);
    VoiceActivityDetector detector;
    detect(detector, loud);
    const double loudFloor = detector.noiseFloorDbfs();
    detector.reset();

    std::vector<float> quiet;
    appendNoise(quiet, kSampleRateHz, -60.0, seed);
    const auto decisions = detect(detector, quiet);
    QCOMPARE(speechBlocks(decisions, 0, decisions.size()), 0);
    QVERIFY(detector.noiseFloorDbfs() < loudFloor - 20.0);
}

QTEST_APPLESS_MAIN(VoiceActivityDetectorTest)
#include "VoiceActivityDetectorTest.moc"
