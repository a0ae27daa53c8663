// Checks the real-time contract of earshot::record (DESIGN.md §3): CaptureRecorder::write()
// allocates nothing — before a recording, while one runs (WAV or Ogg Opus, with the writer
// thread draining concurrently), when the ring is full and frames are dropped, and after stop().
// Allocations are counted on the calling ("media") thread with tests/support/AllocationCounter.h
// (the writer thread's own allocations, libopusenc's included, are not the media thread's);
// sanitizer builds skip.
#include "ToneSource.h"

#include "record/CaptureRecorder.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "AllocationCounter.h"

using earshot::record::CaptureRecorder;
using earshot::record::RecordingError;
using earshot::test::AllocationCounter;
using namespace earshot::record::test;

class CaptureRecorderAllocationTest : public QObject {
    Q_OBJECT

private slots:
    void writeDoesNotAllocate_data();
    void writeDoesNotAllocate();
};

void CaptureRecorderAllocationTest::writeDoesNotAllocate_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("channels");
    QTest::newRow("wav mono") << "capture.wav" << 1;
    QTest::newRow("wav stereo") << "capture.wav" << 2;
    QTest::newRow("ogg mono") << "capture.ogg" << 1;
    QTest::newRow("opus stereo") << "capture.opus" << 2;
}

void CaptureRecorderAllocationTest::writeDoesNotAllocate()
{
#if !EARSHOT_COUNT_ALLOCATIONS
    QSKIP("the sanitizer's allocator cannot be counted");
#else
    QFETCH(QString, name);
    QFETCH(int, channels);
    const QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const std::string path = directory.filePath(name).toStdString();

    // A 50 ms ring, so that the bursts below overflow it and the dropping path runs too.
    CaptureRecorder recorder(kSampleRateHz, channels, 50);
    constexpr int kBlocks = 400;
    std::vector<std::vector<float>> blocks(kBlocks);
    for (int index = 0; index < kBlocks; ++index) {
        blocks[static_cast<std::size_t>(index)].resize(static_cast<std::size_t>(kBlockFrames) * static_cast<std::size_t>(channels));
        fillToneBlock(blocks[static_cast<std::size_t>(index)], channels, static_cast<std::int64_t>(index) * kBlockFrames);
    }

    int beforeStart = 0;
    {
        const AllocationCounter counter;
        for (int index = 0; index < 50; ++index)
            recorder.write(blocks[static_cast<std::size_t>(index)]);
        beforeStart = counter.count();
    }

    QCOMPARE(recorder.start(path), RecordingError::None);
    int whileRecording = 0;
    {
        const AllocationCounter counter;
        for (int index = 0; index < kBlocks; ++index) {
            recorder.write(blocks[static_cast<std::size_t>(index)]);
            // Paced for most blocks (the writer drains meanwhile), in a burst for the last 100.
            if (index < kBlocks - 100)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        whileRecording = counter.count();
    }
    recorder.stop();

    int afterStop = 0;
    {
        const AllocationCounter counter;
        for (int index = 0; index < 50; ++index)
            recorder.write(blocks[static_cast<std::size_t>(index)]);
        afterStop = counter.count();
    }

    QCOMPARE(beforeStart, 0);
    QCOMPARE(whileRecording, 0);
    QCOMPARE(afterStop, 0);
    QCOMPARE(recorder.writerError(), RecordingError::None);
    QVERIFY(recorder.framesWritten() > 0);
    QVERIFY(recorder.droppedFrames() > 0);
    QCOMPARE(recorder.framesWritten() + recorder.droppedFrames(), static_cast<std::int64_t>(kBlocks) * kBlockFrames);
#endif
}

QTEST_APPLESS_MAIN(CaptureRecorderAllocationTest)
#include "CaptureRecorderAllocationTest.moc"
