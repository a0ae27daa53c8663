#include "record/CaptureRecorder.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace earshot::record {

namespace {

// How often the writer thread looks into the ring. With the default 2 s ring this leaves the
// disk two seconds of stall before anything is dropped.
constexpr auto kWriterPollInterval = std::chrono::milliseconds(5);
// The writer's block: 20 ms at 48 kHz (the Opus frame).
constexpr std::size_t kWriterBlockFrames = 960;

// Whether anything (a file, a directory, a dangling link) is at `path`; failures read as "no".
bool pathExists(const std::string& path)
{
    std::error_code error;
    return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

// Removes what a failed start() created at `path`, and nothing that was there before.
void removeIfCreated(const std::string& path, bool existedBefore)
{
    if (!existedBefore)
        std::remove(path.c_str());
}

std::size_t ringSamples(int sampleRateHz, int channels, int bufferMs)
{
    const auto frames = static_cast<std::int64_t>(sampleRateHz) * bufferMs / 1000;
    return static_cast<std::size_t>(std::max<std::int64_t>(frames, 1) * channels);
}

} // namespace

CaptureRecorder::CaptureRecorder(int sampleRateHz, int channels, int bufferMs)
    : m_sampleRateHz(std::clamp(sampleRateHz, 8'000, 192'000))
    , m_channels(std::clamp(channels, 1, 2))
    , m_ring(ringSamples(m_sampleRateHz, m_channels, std::max(bufferMs, 1)))
    , m_writerBlock(kWriterBlockFrames * static_cast<std::size_t>(m_channels))
{
    assert(sampleRateHz >= 8'000 && sampleRateHz <= 192'000);
    assert(channels == 1 || channels == 2);
    assert(bufferMs > 0);
    // The ring's capacity is a power of two and channels is 1 or 2, so whole frames always fill
    // it exactly and the writer never reads a channel-shifted stream.
    assert(m_ring.capacity() % static_cast<std::size_t>(m_channels) == 0);
}

CaptureRecorder::~CaptureRecorder()
{
    stop();
}

RecordingError CaptureRecorder::start(const std::string& path)
{
    if (m_active.load(std::memory_order_acquire))
        return RecordingError::AlreadyRecording;
    const std::optional<RecordingFormat> format = recordingFormatForPath(path);
    if (!format)
        return RecordingError::UnsupportedFormat;

    // Joins a writer that ended on a write failure. After that (and after any earlier stop())
    // no write() is pushing and no writer is reading, so the owner may use the consumer end:
    // it drops what a write() in flight pushed after a failed writer had gone.
    stop();
    m_ring.discard(m_ring.availableToRead());

    const bool existedBefore = pathExists(path);
    const RecordingError openError = openFile(path, *format);
    if (openError != RecordingError::None) {
        // The file may have been created before its header failed: leave no stub behind.
        removeIfCreated(path, existedBefore);
        return openError;
    }

    m_framesWritten.store(0, std::memory_order_relaxed);
    m_droppedFrames.store(0, std::memory_order_relaxed);
    m_writerError.store(RecordingError::None, std::memory_order_relaxed);
    {
        const std::lock_guard lock(m_mutex);
        m_stopRequested = false;
    }
    try {
        m_writer = std::thread([this] { runWriter(); });
    } catch (const std::system_error&) {
        // No thread (resource exhaustion): leave no file behind either.
        static_cast<void>(closeFile());
        removeIfCreated(path, existedBefore);
        return RecordingError::OpenFailed;
    }
    m_active.store(true, std::memory_order_seq_cst);
    return RecordingError::None;
}

void CaptureRecorder::stop()
{
    if (!m_writer.joinable())
        return;
    assert(m_writer.get_id() != std::this_thread::get_id());
    m_active.store(false, std::memory_order_seq_cst);
    waitForWritesInFlight();
    {
        const std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_one();
    m_writer.join();
}

void CaptureRecorder::write(std::span<const float> interleaved) noexcept
{
    if (!m_active.load(std::memory_order_relaxed))
        return;
    // Odd epoch: "inside". Sequentially consistent with the load of m_active below and with
    // stop()'s store of m_active and load of the epoch (see the class comment).
    const std::uint64_t epoch = m_writeEpoch.load(std::memory_order_relaxed);
    m_writeEpoch.store(epoch + 1, std::memory_order_seq_cst);
    if (m_active.load(std::memory_order_seq_cst)) {
        const auto channels = static_cast<std::size_t>(m_channels);
        const std::size_t frames = interleaved.size() / channels;
        const std::size_t fitting = std::min(frames, m_ring.freeToWrite() / channels);
        if (fitting > 0)
            m_ring.write(interleaved.first(fitting * channels));
        if (fitting < frames)
            m_droppedFrames.fetch_add(static_cast<std::int64_t>(frames - fitting), std::memory_order_relaxed);
    }
    // Even again: publishes the pushed samples to a stop() waiting for this write to end.
    m_writeEpoch.store(epoch + 2, std::memory_order_release);
}

// Owner thread, after m_active was cleared: returns once no write() can still push. A write()
// that had not yet published its odd epoch when the epoch is read here will see m_active false.
void CaptureRecorder::waitForWritesInFlight() const
{
    const std::uint64_t epoch = m_writeEpoch.load(std::memory_order_seq_cst);
    if (epoch % 2 == 0)
        return;
    // One write() is inside: it is bounded and short; wait for it to leave.
    while (m_writeEpoch.load(std::memory_order_acquire) == epoch)
        std::this_thread::yield();
}

void CaptureRecorder::runWriter()
{
    for (;;) {
        bool finishing = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kWriterPollInterval, [this] { return m_stopRequested; });
            finishing = m_stopRequested;
        }
        // When finishing, stop() has seen every write() end, so this drains the ring for good.
        std::size_t samples = 0;
        while ((samples = m_ring.read(m_writerBlock)) > 0) {
            if (writeToFile(std::span<const float>(m_writerBlock).first(samples)) != RecordingError::None) {
                // Disk full or an I/O error: end the recording, keeping what reached the file.
                static_cast<void>(closeFile());
                m_writerError.store(RecordingError::WriteFailed, std::memory_order_release);
                m_active.store(false, std::memory_order_seq_cst);
                return;
            }
        }
        if (finishing)
            break;
    }
    if (closeFile() != RecordingError::None)
        m_writerError.store(RecordingError::WriteFailed, std::memory_order_release);
}

RecordingError CaptureRecorder::openFile(const std::string& path, RecordingFormat format)
{
    m_format = format;
    switch (format) {
    case RecordingFormat::Wav:
        return m_wavWriter.open(path, m_sampleRateHz, m_channels, audio::WavSampleFormat::Pcm16) == audio::WavError::None
            ? RecordingError::None
            : RecordingError::OpenFailed;
    case RecordingFormat::OggOpus:
        return m_oggOpusWriter.open(path, m_sampleRateHz, m_channels);
    }
    return RecordingError::UnsupportedFormat;
}

RecordingError CaptureRecorder::writeToFile(std::span<const float> interleaved)
{
    RecordingError error = RecordingError::None;
    std::int64_t frames = 0;
    switch (m_format) {
    case RecordingFormat::Wav:
        error = m_wavWriter.write(interleaved) == audio::WavError::None ? RecordingError::None
                                                                        : RecordingError::WriteFailed;
        frames = m_wavWriter.framesWritten();
        break;
    case RecordingFormat::OggOpus:
        error = m_oggOpusWriter.write(interleaved);
        frames = m_oggOpusWriter.framesWritten();
        break;
    }
    m_framesWritten.store(frames, std::memory_order_release);
    return error;
}

RecordingError CaptureRecorder::closeFile()
{
    switch (m_format) {
    case RecordingFormat::Wav:
        return m_wavWriter.close() == audio::WavError::None ? RecordingError::None : RecordingError::WriteFailed;
    case RecordingFormat::OggOpus:
        return m_oggOpusWriter.close();
    }
    return RecordingError::WriteFailed;
}

} // namespace earshot::record
