// Checks the real-time contract of earshot::vad (DESIGN.md §3): after construction,
// TransmissionGate::process() (and the VoiceActivityDetector inside it) and the cross-thread
// setters allocate nothing, in every mode, through gate edges, mute and push-to-talk. The test
// replaces the global operator new for this executable and counts the calls made while armed.
// Sanitizer builds bring their own allocator, so the count is compiled out there and the test skips.
#include "TestSignals.h"

#include "vad/TransmissionGate.h"

#include <QTest>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define EARSHOT_SANITIZED_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EARSHOT_SANITIZED_ALLOCATOR 1
#endif

using namespace earshot::vad;
using namespace earshot::vad::test;

namespace {

thread_local bool t_counting = false;
thread_local int t_allocations = 0;

// Arms the counter for the current thread for its lifetime.
class AllocationCounter {
public:
    AllocationCounter() noexcept
    {
        t_allocations = 0;
        t_counting = true;
    }
    ~AllocationCounter() { t_counting = false; }
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;

    [[nodiscard]] int count() const noexcept { return t_allocations; }
};

} // namespace

#if !defined(EARSHOT_SANITIZED_ALLOCATOR)
void* operator new(std::size_t size)
{
    if (t_counting)
        ++t_allocations;
    if (void* pointer = std::malloc(size == 0 ? 1 : size))
        return pointer;
    throw std::bad_alloc();
}

void* operator new[](std::size_t size)
{
    return operator new(size);
}

void operator delete(void* pointer) noexcept
{
    std::free(pointer);
}

void operator delete[](void* pointer) noexcept
{
    std::free(pointer);
}

void operator delete(void* pointer, std::size_t) noexcept
{
    std::free(pointer);
}

void operator delete[](void* pointer, std::size_t) noexcept
{
    std::free(pointer);
}
#endif

class TransmissionGateAllocationTest : public QObject {
    Q_OBJECT

private slots:
    void processDoesNotAllocate();
};

void TransmissionGateAllocationTest::processDoesNotAllocate()
{
#if defined(EARSHOT_SANITIZED_ALLOCATOR)
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

    int allocations = 0;
    bool transmitted = false;
    {
        const AllocationCounter counter;
        for (std::size_t i = 0; i < blockCount(input); ++i) {
            if (i == 150)
                gate.setMode(TransmissionMode::PushToTalk);
            if (i == 160)
                gate.setPushToTalk(PushToTalkKey::Pressed);
            if (i == 200)
                gate.setPushToTalk(PushToTalkKey::Released);
            if (i == 300)
                gate.setMode(TransmissionMode::Continuous);
            if (i == 350)
                gate.setMicrophoneMute(MicrophoneMute::On);
            if (i == 400) {
                gate.setMicrophoneMute(MicrophoneMute::Off);
                gate.setMode(TransmissionMode::VoiceActivation);
            }
            if (i == 500)
                gate.reset();
            const GateResult result = gate.process(
                block(input, i), std::span<float>(output).subspan(i * kBlockFrames, kBlockFrames));
            transmitted = transmitted || result.transmitting;
        }
        allocations = counter.count();
    }
    QCOMPARE(allocations, 0);
    QVERIFY(transmitted);
#endif
}

QTEST_APPLESS_MAIN(TransmissionGateAllocationTest)
#include "TransmissionGateAllocationTest.moc"
