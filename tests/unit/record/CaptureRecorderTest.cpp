// Tests of earshot::record::CaptureRecorder: the API's errors, WAV and Ogg Opus round trips with
// a separate "media" thread writing while the test's thread starts and stops, write failures
// (disk full), ring overflow, and a start/stop stress for ThreadSanitizer. Files are read back
// with earshot::audio::WavReader and libopusfile.
#include "ToneSource.h"

#include "audio/WavReader.h"
#include "record/CaptureRecorder.h"

#include <opusfile.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using earshot::audio::WavError;
using earshot::audio::WavReader;
using earshot::record::CaptureRecorder;
using earshot::record::RecordingError;
using namespace earshot::record::test;

Q_DECLARE_METATYPE(RecordingError)

namespace {

// 16-bit PCM rounds to the nearest step of 1/32768; a step of margin for float rounding.
constexpr double kPcm16Tolerance = 1.0 / 32768.0;
// The tests that compare recordings sample by sample expect no drops: a ring of 10 s (the media
// thread runs at ten times real time, so a second of wall-clock stall) keeps a loaded machine
// from dropping.
constexpr int kRoomyBufferMs = 10'000;

std::vector<float> channelOf(const std::vector<float>& interleaved, int channels, int channel)
{
    std::vector<float> mono;
    for (std::size_t i = static_cast<std::size_t>(channel); i < interleaved.size();
         i += static_cast<std::size_t>(channels))
        mono.push_back(interleaved[i]);
    return mono;
}

double rms(std::span<const float> samples)
{
    double sum = 0.0;
    for (const float sample : samples)
        sum += static_cast<double>(sample) * sample;
    return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

// The frequency of a clean tone from its rising zero crossings, located to a fraction of a
// sample by linear interpolation.
double zeroCrossingFrequencyHz(std::span<const float> mono, int sampleRateHz)
{
    double first = -1.0;
    double last = -1.0;
    int crossings = 0;
    for (std::size_t i = 1; i < mono.size(); ++i) {
        if (mono[i - 1] < 0.0f && mono[i] >= 0.0f) {
            const double when = static_cast<double>(i - 1) + mono[i - 1] / static_cast<double>(mono[i - 1] - mono[i]);
            if (crossings == 0)
                first = when;
            last = when;
            ++crossings;
        }
    }
    return crossings < 2 ? 0.0 : (crossings - 1) * sampleRateHz / (last - first);
}

// The largest deviation of `samples` (interleaved) from the tone starting at `firstFrame`.
double deviationFromTone(std::span<const float> samples, int channels, std::int64_t firstFrame)
{
    double largest = 0.0;
    const auto step = static_cast<std::size_t>(channels);
    for (std::size_t frame = 0; frame < samples.size() / step; ++frame)
        for (int channel = 0; channel < channels; ++channel)
            largest = std::max(largest, std::abs(static_cast<double>(samples[frame * step + static_cast<std::size_t>(channel)])
                                                 - toneSample(firstFrame + static_cast<std::int64_t>(frame), channel)));
    return largest;
}

// The block of the tone that `samples` starts with (a recording starts at a block boundary),
// modulo kTonePeriodBlocks, or -1 when its first block is no block of the tone.
std::int64_t findFirstBlock(std::span<const float> samples, int channels)
{
    const auto blockSamples = static_cast<std::size_t>(kBlockFrames) * static_cast<std::size_t>(channels);
    if (samples.size() < blockSamples)
        return -1;
    for (std::int64_t block = 0; block < kTonePeriodBlocks; ++block)
        if (deviationFromTone(samples.first(blockSamples), channels, block * kBlockFrames) <= kPcm16Tolerance)
            return block;
    return -1;
}

struct DecodedOpus {
    int channels = 0;
    std::vector<float> samples; // interleaved, 48 kHz, pre-skip and end trimming applied
    std::string encoderTag;
    bool ok = false;
};

DecodedOpus decodeOpus(const QString& path)
{
    DecodedOpus decoded;
    int error = 0;
    const std::unique_ptr<OggOpusFile, decltype(&op_free)> file(op_open_file(QFile::encodeName(path).constData(), &error),
                                                                &op_free);
    if (!file || error != 0)
        return decoded;
    decoded.channels = op_channel_count(file.get(), -1);
    if (const OpusTags* tags = op_tags(file.get(), -1)) {
        if (const char* encoder = opus_tags_query(tags, "ENCODER", 0))
            decoded.encoderTag = encoder;
    }
    std::vector<float> buffer(std::size_t{5760} * 2); // 120 ms of stereo, opusfile's largest packet
    for (;;) {
        const int frames = op_read_float(file.get(), buffer.data(), static_cast<int>(buffer.size()), nullptr);
        if (frames < 0)
            return decoded;
        if (frames == 0)
            break;
        decoded.samples.insert(decoded.samples.end(), buffer.begin(),
                               buffer.begin() + static_cast<std::ptrdiff_t>(frames) * decoded.channels);
    }
    decoded.ok = true;
    return decoded;
}

// Waits up to `timeout` for `condition`.
template <typename Condition>
bool waitFor(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace

class CaptureRecorderTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void stopWhenNotRecordingIsANoOp();
    void rejectsUnsupportedFormat();
    void openFailures_data();
    void openFailures();
    void startWhileRecordingIsAlreadyRecording();
    void emptyRecordingIsAValidFile_data();
    void emptyRecordingIsAValidFile();
    void wavRoundTrip_data();
    void wavRoundTrip();
    void oggOpusRoundTrip_data();
    void oggOpusRoundTrip();
    void fullRingDropsAndCounts();
    void oggWriteFailureEndsTheRecording();
    void wavWriteFailureKeepsWhatWasWritten();
    void startStopStressWhileWriting();

private:
    QString path(const QString& name) const { return m_directory->filePath(name); }
    static std::string native(const QString& path) { return QFile::encodeName(path).toStdString(); }

    std::unique_ptr<QTemporaryDir> m_directory;
};

void CaptureRecorderTest::init()
{
    m_directory = std::make_unique<QTemporaryDir>();
    QVERIFY(m_directory->isValid());
}

void CaptureRecorderTest::stopWhenNotRecordingIsANoOp()
{
    CaptureRecorder recorder;
    recorder.stop();
    recorder.stop();
    QVERIFY(!recorder.isRecording());
    QCOMPARE(recorder.framesWritten(), 0);
    QCOMPARE(recorder.droppedFrames(), 0);
    QCOMPARE(recorder.writerError(), RecordingError::None);
    const std::vector<float> block(kBlockFrames, 0.25f);
    recorder.write(block); // not recording: ignored
    QCOMPARE(recorder.droppedFrames(), 0);
}

void CaptureRecorderTest::rejectsUnsupportedFormat()
{
    CaptureRecorder recorder;
    for (const char* name : {"capture.mp3", "capture", "capture.wav.tmp", "capture.flac"}) {
        QCOMPARE(recorder.start(native(path(QString::fromLatin1(name)))), RecordingError::UnsupportedFormat);
        QVERIFY(!recorder.isRecording());
        QVERIFY(!QFileInfo::exists(path(QString::fromLatin1(name))));
    }
}

void CaptureRecorderTest::openFailures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("isDirectory");
    QTest::newRow("wav in a missing directory") << "missing/capture.wav" << false;
    QTest::newRow("ogg in a missing directory") << "missing/capture.ogg" << false;
    QTest::newRow("opus in a missing directory") << "missing/capture.opus" << false;
    QTest::newRow("wav path is a directory") << "folder.wav" << true;
    QTest::newRow("ogg path is a directory") << "folder.ogg" << true;
}

// The test runs as root in CI, where a read-only directory is still writable; a missing
// directory and a path that is a directory fail for everyone.
void CaptureRecorderTest::openFailures()
{
    QFETCH(QString, name);
    QFETCH(bool, isDirectory);
    if (isDirectory)
        QVERIFY(QDir(m_directory->path()).mkdir(name));

    CaptureRecorder recorder;
    QCOMPARE(recorder.start(native(path(name))), RecordingError::OpenFailed);
    QVERIFY(!recorder.isRecording());
    QCOMPARE(QFileInfo(path(name)).isDir(), isDirectory); // nothing created, nothing removed
    if (!isDirectory)
        QVERIFY(!QFileInfo::exists(path(name)));

    // The recorder is usable after the failure.
    QCOMPARE(recorder.start(native(path(QStringLiteral("after.wav")))), RecordingError::None);
    QVERIFY(recorder.isRecording());
    recorder.stop();
    QVERIFY(!recorder.isRecording());
    QCOMPARE(recorder.writerError(), RecordingError::None);
}

void CaptureRecorderTest::startWhileRecordingIsAlreadyRecording()
{
    CaptureRecorder recorder;
    std::vector<float> block(kBlockFrames);
    fillToneBlock(block, 1, 0);

    QCOMPARE(recorder.start(native(path(QStringLiteral("first.wav")))), RecordingError::None);
    recorder.write(block);
    QCOMPARE(recorder.start(native(path(QStringLiteral("second.wav")))), RecordingError::AlreadyRecording);
    QCOMPARE(recorder.start(native(path(QStringLiteral("second.ogg")))), RecordingError::AlreadyRecording);
    QCOMPARE(recorder.start(native(path(QStringLiteral("second.mp3")))), RecordingError::AlreadyRecording);
    QVERIFY(recorder.isRecording());
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("second.wav"))));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("second.ogg"))));
    recorder.write(block);
    recorder.stop();
    recorder.stop();

    // The first recording went on untouched.
    QCOMPARE(recorder.framesWritten(), 2 * kBlockFrames);
    WavReader reader;
    QCOMPARE(reader.open(native(path(QStringLiteral("first.wav")))), WavError::None);
    QCOMPARE(reader.info().frames, 2 * kBlockFrames);
}

void CaptureRecorderTest::emptyRecordingIsAValidFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("channels");
    QTest::newRow("wav") << "empty.wav" << 1;
    QTest::newRow("ogg mono") << "empty.ogg" << 1;
    QTest::newRow("opus stereo") << "empty.opus" << 2;
}

// stop() right after start(), nothing written: a valid file of no frames.
void CaptureRecorderTest::emptyRecordingIsAValidFile()
{
    QFETCH(QString, name);
    QFETCH(int, channels);
    CaptureRecorder recorder(kSampleRateHz, channels);
    QCOMPARE(recorder.start(native(path(name))), RecordingError::None);
    recorder.stop();
    QCOMPARE(recorder.writerError(), RecordingError::None);
    QCOMPARE(recorder.framesWritten(), std::int64_t{0});
    if (name.endsWith(QStringLiteral(".wav"))) {
        WavReader reader;
        QCOMPARE(reader.open(native(path(name))), WavError::None);
        QCOMPARE(reader.info().frames, std::int64_t{0});
    } else {
        const DecodedOpus decoded = decodeOpus(path(name));
        QVERIFY(decoded.ok);
        QCOMPARE(decoded.channels, channels);
        QVERIFY(decoded.samples.empty());
    }
}

void CaptureRecorderTest::wavRoundTrip_data()
{
    QTest::addColumn<int>("channels");
    QTest::newRow("mono") << 1;
    QTest::newRow("stereo") << 2;
}

// The media thread writes the tone all along; the test's thread records twice from the middle of
// it with the same recorder. Each file is exactly framesWritten() long and holds a contiguous
// stretch of the tone from a block boundary on (nothing dropped, nothing stale, nothing doubled).
void CaptureRecorderTest::wavRoundTrip()
{
    QFETCH(int, channels);
    CaptureRecorder recorder(kSampleRateHz, channels, kRoomyBufferMs);
    ToneSource media(recorder, Pacing::Sleep);
    media.start();
    media.waitForBlocks(5);

    for (int take = 0; take < 2; ++take) {
        const QString file = path(QStringLiteral("take%1.wav").arg(take));
        QCOMPARE(recorder.start(native(file)), RecordingError::None);
        QVERIFY(recorder.isRecording());
        media.waitForBlocks(media.blocksWritten() + 60);
        recorder.stop();
        QVERIFY(!recorder.isRecording());
        media.waitForBlocks(media.blocksWritten() + 5); // written while not recording: ignored

        QCOMPARE(recorder.writerError(), RecordingError::None);
        QCOMPARE(recorder.droppedFrames(), 0);
        const std::int64_t frames = recorder.framesWritten();
        QVERIFY2(frames >= std::int64_t{59} * kBlockFrames, qPrintable(QString::number(frames)));
        QCOMPARE(frames % kBlockFrames, 0);

        WavReader reader;
        QCOMPARE(reader.open(native(file)), WavError::None);
        QCOMPARE(reader.info().sampleRateHz, kSampleRateHz);
        QCOMPARE(reader.info().channels, channels);
        QCOMPARE(reader.info().frames, frames);
        std::vector<float> samples;
        QCOMPARE(reader.readAll(samples), WavError::None);
        QCOMPARE(static_cast<std::int64_t>(samples.size()), frames * channels);

        const std::int64_t firstBlock = findFirstBlock(samples, channels);
        QVERIFY(firstBlock >= 0);
        const double deviation = deviationFromTone(samples, channels, firstBlock * kBlockFrames);
        QVERIFY2(deviation <= kPcm16Tolerance, qPrintable(QString::number(deviation)));
    }
    media.stop();
}

void CaptureRecorderTest::oggOpusRoundTrip_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<QString>("name");
    QTest::newRow("mono .ogg") << 1 << "capture.ogg";
    QTest::newRow("stereo .ogg") << 2 << "capture.ogg";
    QTest::newRow("mono .opus") << 1 << "capture.opus";
    QTest::newRow("stereo .OPUS") << 2 << "capture.OPUS";
}

// About a second of the tone through Opus at 64 kbps and back through opusfile: the length is
// framesWritten() within 20 ms (opusfile removes the pre-skip and trims the end), and each
// channel keeps its frequency and level.
void CaptureRecorderTest::oggOpusRoundTrip()
{
    QFETCH(int, channels);
    QFETCH(QString, name);
    CaptureRecorder recorder(kSampleRateHz, channels, kRoomyBufferMs);
    ToneSource media(recorder, Pacing::Sleep);
    media.start();
    media.waitForBlocks(5);
    QCOMPARE(recorder.start(native(path(name))), RecordingError::None);
    media.waitForBlocks(media.blocksWritten() + 100);
    recorder.stop();
    media.stop();

    QCOMPARE(recorder.writerError(), RecordingError::None);
    QCOMPARE(recorder.droppedFrames(), 0);
    const std::int64_t frames = recorder.framesWritten();
    QVERIFY2(frames >= std::int64_t{99} * kBlockFrames, qPrintable(QString::number(frames)));

    const DecodedOpus decoded = decodeOpus(path(name));
    QVERIFY(decoded.ok);
    QCOMPARE(decoded.channels, channels);
    QCOMPARE(QString::fromStdString(decoded.encoderTag), QStringLiteral("Earshot"));
    const auto decodedFrames = static_cast<std::int64_t>(decoded.samples.size()) / channels;
    const std::int64_t toleranceFrames = kSampleRateHz * 20 / 1000;
    QVERIFY2(std::abs(decodedFrames - frames) <= toleranceFrames,
             qPrintable(QStringLiteral("decoded %1 frames, wrote %2").arg(decodedFrames).arg(frames)));

    for (int channel = 0; channel < channels; ++channel) {
        const std::vector<float> mono = channelOf(decoded.samples, channels, channel);
        // Leave out the first and last 20 ms: the encoder's onset and the cut at stop().
        const auto edge = static_cast<std::size_t>(toleranceFrames);
        QVERIFY(mono.size() > 4 * edge);
        const std::span<const float> middle = std::span<const float>(mono).subspan(edge, mono.size() - 2 * edge);
        const Tone tone = toneOfChannel(channel);
        const double frequencyHz = zeroCrossingFrequencyHz(middle, kSampleRateHz);
        QVERIFY2(std::abs(frequencyHz - tone.frequencyHz) < 1.0,
                 qPrintable(QStringLiteral("channel %1: %2 Hz").arg(channel).arg(frequencyHz)));
        const double level = rms(middle);
        const double expected = tone.amplitude / std::sqrt(2.0);
        QVERIFY2(std::abs(level - expected) < 0.1 * expected,
                 qPrintable(QStringLiteral("channel %1: RMS %2, expected %3").arg(channel).arg(level).arg(expected)));
    }
}

// A 10 ms ring and blocks pushed back to back, far faster than the writer (which looks every
// 5 ms) drains: blocks that do not fit are dropped and counted, every pushed frame is written.
void CaptureRecorderTest::fullRingDropsAndCounts()
{
    CaptureRecorder recorder(kSampleRateHz, 1, 10);
    const QString file = path(QStringLiteral("overflow.wav"));
    QCOMPARE(recorder.start(native(file)), RecordingError::None);
    std::vector<float> block(kBlockFrames);
    constexpr int kBlocks = 300;
    for (int index = 0; index < kBlocks; ++index) {
        fillToneBlock(block, 1, static_cast<std::int64_t>(index) * kBlockFrames);
        recorder.write(block);
    }
    QVERIFY(recorder.droppedFrames() > 0);
    recorder.stop();

    QCOMPARE(recorder.writerError(), RecordingError::None);
    QVERIFY(recorder.framesWritten() > 0);
    QCOMPARE(recorder.framesWritten() + recorder.droppedFrames(), static_cast<std::int64_t>(kBlocks) * kBlockFrames);
    WavReader reader;
    QCOMPARE(reader.open(native(file)), WavError::None);
    QCOMPARE(reader.info().frames, recorder.framesWritten());
}

// A disk that is full (/dev/full behind a .ogg name): the Ogg pages cannot be written, the
// writer ends the recording and reports WriteFailed; the media thread goes on writing unharmed,
// and the next recording starts clean.
void CaptureRecorderTest::oggWriteFailureEndsTheRecording()
{
    if (!QFileInfo::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full");
    const QString full = path(QStringLiteral("full.ogg"));
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), full));

    CaptureRecorder recorder(kSampleRateHz, 1, kRoomyBufferMs);
    ToneSource media(recorder, Pacing::Sleep);
    media.start();
    QCOMPARE(recorder.start(native(full)), RecordingError::None);
    // libopusenc holds two seconds before it encodes, then writes pages: a few seconds of audio.
    QVERIFY(waitFor([&] { return !recorder.isRecording(); }));
    QCOMPARE(recorder.writerError(), RecordingError::WriteFailed);
    media.waitForBlocks(media.blocksWritten() + 20); // writes after the failure are ignored
    recorder.stop();
    QCOMPARE(recorder.writerError(), RecordingError::WriteFailed);
    QVERIFY(QFileInfo(full).isSymLink()); // the user's path is left alone

    const QString good = path(QStringLiteral("good.wav"));
    QCOMPARE(recorder.start(native(good)), RecordingError::None);
    QCOMPARE(recorder.writerError(), RecordingError::None);
    media.waitForBlocks(media.blocksWritten() + 20);
    recorder.stop();
    media.stop();
    QCOMPARE(recorder.writerError(), RecordingError::None);
    WavReader reader;
    QCOMPARE(reader.open(native(good)), WavError::None);
    QCOMPARE(reader.info().frames, recorder.framesWritten());
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    const std::int64_t firstBlock = findFirstBlock(samples, 1);
    QVERIFY(firstBlock >= 0);
    QVERIFY(deviationFromTone(samples, 1, firstBlock * kBlockFrames) <= kPcm16Tolerance);
}

// The file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes writes past 64 KiB fail with
// EFBIG, as a full disk would: the WAV recording ends with WriteFailed, and its header is
// patched so the file holds exactly the frames that were written.
void CaptureRecorderTest::wavWriteFailureKeepsWhatWasWritten()
{
    rlimit original{};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &original) == 0);
    constexpr rlim_t kLimitBytes = rlim_t{64} * 1024;
    if (original.rlim_max != RLIM_INFINITY && original.rlim_max < kLimitBytes)
        QSKIP("the file-size limit is already below 64 KiB");

    CaptureRecorder recorder(kSampleRateHz, 1, kRoomyBufferMs);
    ToneSource media(recorder, Pacing::Sleep);
    media.start();
    const QString file = path(QStringLiteral("limited.wav"));

    const auto previousHandler = signal(SIGXFSZ, SIG_IGN);
    rlimit limited = original;
    limited.rlim_cur = kLimitBytes;
    QVERIFY(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const RecordingError started = recorder.start(native(file));
    const bool failed = started == RecordingError::None && waitFor([&] { return !recorder.isRecording(); });
    recorder.stop();
    const bool restored = setrlimit(RLIMIT_FSIZE, &original) == 0;
    signal(SIGXFSZ, previousHandler);
    media.stop();

    QVERIFY(restored);
    QCOMPARE(started, RecordingError::None);
    QVERIFY(failed);
    QCOMPARE(recorder.writerError(), RecordingError::WriteFailed);
    const std::int64_t frames = recorder.framesWritten();
    QVERIFY(frames > 0 && frames * 2 <= static_cast<std::int64_t>(kLimitBytes));

    WavReader reader;
    QCOMPARE(reader.open(native(file)), WavError::None);
    QCOMPARE(reader.info().frames, frames);
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    const std::int64_t firstBlock = findFirstBlock(samples, 1);
    QVERIFY(firstBlock >= 0);
    QVERIFY(deviationFromTone(samples, 1, firstBlock * kBlockFrames) <= kPcm16Tolerance);
}

// For ThreadSanitizer: the media thread writes back to back while the test's thread starts and
// stops recordings (WAV and Ogg Opus, some stopped at once) and a third thread polls the
// queries. Every write() lands whole in one recording or in none: written plus dropped frames
// are whole blocks, and each WAV file is exactly framesWritten() long.
void CaptureRecorderTest::startStopStressWhileWriting()
{
    CaptureRecorder recorder(kSampleRateHz, 2);
    ToneSource media(recorder, Pacing::AsFastAsPossible);
    std::atomic<bool> polling{true};
    std::atomic<std::int64_t> polls{0};
    std::thread poller([&] {
        while (polling.load(std::memory_order_relaxed)) {
            const std::int64_t seen = recorder.framesWritten() + recorder.droppedFrames()
                + (recorder.isRecording() ? 1 : 0) + static_cast<int>(recorder.writerError());
            polls.fetch_add(seen >= 0 ? 1 : 0, std::memory_order_relaxed);
            std::this_thread::yield();
        }
    });
    media.start();

    constexpr int kCycles = 40;
    int contiguousChecked = 0;
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        const bool ogg = cycle % 4 == 3;
        const QString file = path(QStringLiteral("stress%1.%2").arg(cycle).arg(ogg ? "ogg" : "wav"));
        QCOMPARE(recorder.start(native(file)), RecordingError::None);
        if (cycle % 5 != 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(cycle % 4));
        recorder.stop();
        QVERIFY(!recorder.isRecording());
        QCOMPARE(recorder.writerError(), RecordingError::None);
        QCOMPARE((recorder.framesWritten() + recorder.droppedFrames()) % kBlockFrames, 0);
        if (!ogg) {
            WavReader reader;
            QCOMPARE(reader.open(native(file)), WavError::None);
            QCOMPARE(reader.info().frames, recorder.framesWritten());
            // Without drops the file is one stretch of the tone: no block from before start().
            std::vector<float> samples;
            QCOMPARE(reader.readAll(samples), WavError::None);
            if (recorder.droppedFrames() == 0 && !samples.empty()) {
                const std::int64_t firstBlock = findFirstBlock(samples, 2);
                QVERIFY(firstBlock >= 0);
                QVERIFY(deviationFromTone(samples, 2, firstBlock * kBlockFrames) <= kPcm16Tolerance);
                ++contiguousChecked;
            }
        } else {
            const DecodedOpus decoded = decodeOpus(file);
            QVERIFY(decoded.ok);
        }
    }
    media.stop();
    polling.store(false, std::memory_order_relaxed);
    poller.join();
    QVERIFY(media.blocksWritten() > 0);
    QVERIFY(polls.load() > 0);
    qInfo("%d of %d WAV recordings had no drops and were checked sample by sample", contiguousChecked,
          kCycles - kCycles / 4);
}

QTEST_APPLESS_MAIN(CaptureRecorderTest)
#include "CaptureRecorderTest.moc"
