#pragma once

#include "audio/SpscRing.h"
#include "audio/WavWriter.h"
#include "record/OggOpusWriter.h"
#include "record/RecordingError.h"
#include "record/RecordingFormat.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace earshot::record {

// Records the processed captured signal (after 3A and the gate) to a WAV or Ogg Opus file: the
// backend of API.md's startRecordingCapturedData(path) / stopRecordingCapturedData().
//
// The media thread hands every captured block to write(), which only copies it into a lock-free
// SPSC ring (DESIGN.md §3); a writer thread, running while a recording does, drains the ring
// every few milliseconds and writes the file (WavWriter, 16-bit PCM; or OggOpusWriter). A ring
// that is full because the disk or the writer stalls drops the frames that do not fit and counts
// them: the media thread never waits for the file.
//
// Thread ownership:
//   - owner thread (the engine's API thread): construction, start(), stop(), destruction;
//   - media thread: write(), real-time safe, concurrently with start() and stop(); one thread
//     at a time (it is the ring's only producer);
//   - writer thread (internal): the ring's consumer and the file's owner while a recording
//     runs; between recordings the owner holds both (only start() touches them);
//   - any thread: isRecording(), framesWritten(), droppedFrames(), writerError().
//
// The start/stop handshake uses atomics only on the media side. write() publishes that it is
// inside (an odd "write epoch", sequentially consistent) before it checks the recording flag,
// and stop() clears the flag before it reads the epoch: either write() sees the flag cleared and
// pushes nothing, or stop() sees the write in flight and waits (on the owner thread) for it to
// end. So when stop() tells the writer to finish, every frame that will ever be pushed is in the
// ring and the writer drains them all; nothing stale can reach the next recording. (After a
// writer failure the ring may keep a few frames; start() discards them.)
class CaptureRecorder {
public:
    // The ring holds bufferMs of audio (rounded up to a power of two of samples): how long the
    // writer may stall (disk, scheduler) before frames are dropped. Preconditions (asserted):
    // sampleRateHz 8 kHz–192 kHz, channels 1 or 2, bufferMs > 0. Thread: the owner's; allocates
    // the ring and the writer's block once.
    explicit CaptureRecorder(int sampleRateHz = 48'000, int channels = 1, int bufferMs = 2'000);
    // Stops a running recording (as stop()).
    ~CaptureRecorder();
    CaptureRecorder(const CaptureRecorder&) = delete;
    CaptureRecorder& operator=(const CaptureRecorder&) = delete;

    // Starts recording what write() is given from now on to `path`, in the format its extension
    // names (recordingFormatForPath), creating or truncating the file. Frames written before
    // start() returns may or may not be included. Counters and writerError() are reset.
    // Thread: the owner's; opens the file and spawns the writer thread (allocates, blocks on I/O).
    // Errors: AlreadyRecording (a recording runs; it goes on untouched), UnsupportedFormat,
    // OpenFailed (the file cannot be created; no file or thread is left behind).
    [[nodiscard]] RecordingError start(const std::string& path);

    // Ends the recording: the frames that write() pushed before (or while) stop() runs are
    // written, the file is finalised (WAV header sizes, Ogg end of stream) and closed, and the
    // writer thread is joined. A failure to finalise is reported by writerError(). Thread: the
    // owner's; blocks for the final write (milliseconds; up to the whole buffer on a slow disk).
    // No-op when not recording (a recording that ended on a write failure is cleaned up).
    void stop();

    // Queues the interleaved block `interleaved` (whole frames; a trailing partial frame is
    // ignored) for the file. Returns at once when not recording. Frames that do not fit in the
    // ring are dropped and counted in droppedFrames(). Thread: the media thread. Real-time
    // safe: no allocation, locks, system calls or logging; wait-free.
    void write(std::span<const float> interleaved) noexcept;

    // True from a successful start() until stop(), or until a write failure ended the
    // recording. Thread: any.
    bool isRecording() const noexcept { return m_active.load(std::memory_order_acquire); }
    // Frames (samples per channel) of the current or last recording handed to the file so far;
    // after stop() the length of the file. Thread: any.
    std::int64_t framesWritten() const noexcept { return m_framesWritten.load(std::memory_order_acquire); }
    // Frames of the current or last recording that write() dropped because the ring was full.
    // Thread: any.
    std::int64_t droppedFrames() const noexcept { return m_droppedFrames.load(std::memory_order_relaxed); }
    // How the current or last recording failed on the writer thread: WriteFailed when writing
    // (e.g. disk full) or finalising the file failed, None otherwise. A write failure ends the
    // recording (isRecording() turns false, what was written stays readable); the media thread
    // never notices. Thread: any.
    RecordingError writerError() const noexcept { return m_writerError.load(std::memory_order_acquire); }

    int sampleRateHz() const noexcept { return m_sampleRateHz; }
    int channels() const noexcept { return m_channels; }

private:
    RecordingError openFile(const std::string& path, RecordingFormat format);
    RecordingError writeToFile(std::span<const float> interleaved);
    RecordingError closeFile();
    void runWriter();
    void waitForWritesInFlight() const;

    const int m_sampleRateHz;
    const int m_channels;

    // Media thread → writer thread. Producer: write(); consumer: the writer thread, or the owner
    // between recordings.
    audio::SpscRing<float> m_ring;

    // Media side: the recording flag, and the write epoch (odd while write() is inside the
    // flag-checked section; written by the media thread only).
    std::atomic<bool> m_active{false};
    std::atomic<std::uint64_t> m_writeEpoch{0};
    std::atomic<std::int64_t> m_droppedFrames{0};

    // Writer side, readable from any thread.
    std::atomic<std::int64_t> m_framesWritten{0};
    std::atomic<RecordingError> m_writerError{RecordingError::None};

    // The file: the writer thread's while it runs, the owner's otherwise.
    RecordingFormat m_format = RecordingFormat::Wav;
    audio::WavWriter m_wavWriter;
    OggOpusWriter m_oggOpusWriter;
    std::vector<float> m_writerBlock;

    // Owner → writer: the request to finish. Never touched by the media thread.
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    std::thread m_writer;

    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
    static_assert(std::atomic<std::int64_t>::is_always_lock_free);
    static_assert(std::atomic<bool>::is_always_lock_free);
};

} // namespace earshot::record
