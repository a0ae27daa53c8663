// Checks the real-time contract of earshot::vad (DESIGN.md §3): after construction,
// TransmissionGate::process() (and the VoiceActivityDetector inside it) and the cross-thread
// setters allocate nothing, in every mode, through gate edges, pre-roll spurts, delay changes,
// mode switches, mute and push-to-talk. Allocations are counted with
// tests/support/AllocationCounter.h; sanitizer builds skip.
#include "TestSignals.h"

#include "vad/TransmissionGate.h"

#include <QTest>

#include <cstdint>
#include <vector>

#include "AllocationCounter.h"

using namespace earshot::vad;
using namespace earshot::vad::test;

using earshot::test::AllocationCounter;

class TransmissionGateAllocationTest : public QObject {
    Q_OBJECT

private slots:
    void processDoesNotAllocate();
};

void TransmissionGateAllocationTest::processDoesNotAllocate()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("the sanitizer's allocator cannot be counted");
#else
    std::uint32_t seed = 41;
    std::vector<float> input;
    appendNoise(input, 6 * kSampleRateHz, -55.0, seed);
    for (int syllable = 0; syllable < 5; ++syllable)
        addToneBurst(input, static_cast<std::size_t>(syllable) * kSampleRateHz + 200 * kBlockFrames,
                     kSampleRateHz / 4, 300.0, -20.0);
    std::vector<float> output(input.size());
    TransmissionGate gate({}, TransmissionMode::VoiceActivation);

    // Syllables at blocks 200, 300, ..., 600, each a voice-activation spurt unless the mode or
    // mute says otherwise: a spurt cut by a switch to continuous (the delay collapses mid-spurt),
    // a switch back to voice activation mid-speech, a mute and unmute mid-spurt, push-to-talk, a
    // reset during a delayed spurt, and plain spurts with their pre-roll.
    int allocations = 0;
    bool transmitted = false;
    bool delayed = false;
    {
        const AllocationCounter counter;
        for (std::size_t i = 0; i < blockCount(input); ++i) {
            if (i == 210)
                gate.setMode(TransmissionMode::Continuous);
            if (i == 220)
                gate.setMode(TransmissionMode::VoiceActivation);
            if (i == 310)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == 315)
                gate.setMicrophoneMute(MicrophoneMute::Off);
            if (i == 390)
                gate.setMode(TransmissionMode::PushToTalk);
            if (i == 400)
                gate.setPushToTalk(PushToTalkKey::Pressed);
            if (i == 420)
                gate.setPushToTalk(PushToTalkKey::Released);
            if (i == 480)
                gate.setMode(TransmissionMode::VoiceActivation);
            if (i == 510)
                gate.reset();
            const GateResult result = gate.process(
                block(input, i), std::span<float>(output).subspan(i * kBlockFrames, kBlockFrames));
            transmitted = transmitted || result.transmitting;
            delayed = delayed || result.latencyFrames == gate.maxLatencyFrames();
        }
        allocations = counter.count();
    }
    QCOMPARE(allocations, 0);
    QVERIFY(transmitted);
    QVERIFY(delayed); // the pre-roll path ran
#endif
}

QTEST_APPLESS_MAIN(TransmissionGateAllocationTest)
#include "TransmissionGateAllocationTest.moc"
