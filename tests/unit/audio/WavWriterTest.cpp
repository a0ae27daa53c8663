#include "audio/WavReader.h"
#include "audio/WavWriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <vector>

using earshot::audio::WavError;
using earshot::audio::WavInfo;
using earshot::audio::WavReader;
using earshot::audio::WavSampleFormat;
using earshot::audio::WavWriter;

Q_DECLARE_METATYPE(WavSampleFormat)

namespace {

std::vector<float> ramp(int frames, int channels)
{
    std::vector<float> samples(static_cast<std::size_t>(frames * channels));
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<float>(std::sin(static_cast<double>(i) * 0.37)) * 0.9f;
    return samples;
}

} // namespace

class WavWriterTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void roundTrip_data();
    void roundTrip();
    void clipsOutOfRangeSamples();
    void appendsAcrossWritesAndReopens();
    void rejectsBadArguments();
    void writeWhenClosedIsAnError();
    void headerOfAnUnclosedFileStillReads();

private:
    QString path(const char* name) const { return m_directory->filePath(QString::fromLatin1(name)); }

    std::unique_ptr<QTemporaryDir> m_directory;
};

void WavWriterTest::init()
{
    m_directory = std::make_unique<QTemporaryDir>();
    QVERIFY(m_directory->isValid());
}

void WavWriterTest::roundTrip_data()
{
    QTest::addColumn<WavSampleFormat>("format");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("rate");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("16-bit mono 48k") << WavSampleFormat::Pcm16 << 1 << 48000 << 1.0 / 32768;
    QTest::newRow("16-bit stereo 44.1k") << WavSampleFormat::Pcm16 << 2 << 44100 << 1.0 / 32768;
    QTest::newRow("24-bit mono, odd data size (pad byte)") << WavSampleFormat::Pcm24 << 1 << 16000 << 1.0 / 8388608;
    QTest::newRow("32-bit stereo") << WavSampleFormat::Pcm32 << 2 << 48000 << 1e-7;
    QTest::newRow("float 6 channels") << WavSampleFormat::Float32 << 6 << 96000 << 0.0;
}

void WavWriterTest::roundTrip()
{
    QFETCH(WavSampleFormat, format);
    QFETCH(int, channels);
    QFETCH(int, rate);
    QFETCH(double, tolerance);
    const std::vector<float> written = ramp(1001, channels);
    const std::string file = path("round.wav").toStdString();

    WavWriter writer;
    QCOMPARE(writer.open(file, rate, channels, format), WavError::None);
    QCOMPARE(writer.write(written), WavError::None);
    QCOMPARE(writer.framesWritten(), std::int64_t{1001});
    QCOMPARE(writer.close(), WavError::None);
    QVERIFY(!writer.isOpen());

    WavReader reader;
    QCOMPARE(reader.open(file), WavError::None);
    const WavInfo info = reader.info();
    QCOMPARE(info.sampleRateHz, rate);
    QCOMPARE(info.channels, channels);
    QCOMPARE(info.sampleFormat, format);
    QCOMPARE(info.frames, std::int64_t{1001});
    std::vector<float> read;
    QCOMPARE(reader.readAll(read), WavError::None);
    QCOMPARE(read.size(), written.size());
    for (std::size_t i = 0; i < read.size(); ++i)
        QVERIFY2(std::abs(read[i] - written[i]) <= tolerance,
                 qPrintable(QStringLiteral("sample %1: %2 vs %3").arg(i).arg(read[i]).arg(written[i])));
    // Nothing after the end.
    std::vector<float> more(16);
    QCOMPARE(reader.read(more), std::int64_t{0});
}

void WavWriterTest::clipsOutOfRangeSamples()
{
    const std::string file = path("clip.wav").toStdString();
    WavWriter writer;
    QCOMPARE(writer.open(file, 48000, 1), WavError::None);
    const std::vector<float> loud{2.0f, -3.0f, 1.0f, -1.0f};
    QCOMPARE(writer.write(loud), WavError::None);
    QCOMPARE(writer.close(), WavError::None);

    WavReader reader;
    QCOMPARE(reader.open(file), WavError::None);
    std::vector<float> read;
    QCOMPARE(reader.readAll(read), WavError::None);
    QCOMPARE(read.size(), std::size_t{4});
    QCOMPARE(read[0], 32767.0f / 32768.0f);
    QCOMPARE(read[1], -1.0f);
    QCOMPARE(read[2], 32767.0f / 32768.0f);
    QCOMPARE(read[3], -1.0f);
}

void WavWriterTest::appendsAcrossWritesAndReopens()
{
    const std::string file = path("append.wav").toStdString();
    WavWriter writer;
    QCOMPARE(writer.open(file, 8000, 2), WavError::None);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(writer.write(ramp(100, 2)), WavError::None);
    // A trailing half frame is ignored.
    const std::vector<float> halfFrame{0.5f};
    QCOMPARE(writer.write(halfFrame), WavError::None);
    QCOMPARE(writer.framesWritten(), std::int64_t{1000});
    // Reopening finishes the first file and starts a new one.
    QCOMPARE(writer.open(path("second.wav").toStdString(), 8000, 1), WavError::None);
    QCOMPARE(writer.close(), WavError::None);

    WavReader reader;
    QCOMPARE(reader.open(file), WavError::None);
    QCOMPARE(reader.info().frames, std::int64_t{1000});
    QCOMPARE(reader.open(path("second.wav").toStdString()), WavError::None);
    QCOMPARE(reader.info().frames, std::int64_t{0});
}

void WavWriterTest::rejectsBadArguments()
{
    WavWriter writer;
    QCOMPARE(writer.open(path("a.wav").toStdString(), 48000, 0), WavError::Malformed);
    QCOMPARE(writer.open(path("a.wav").toStdString(), 0, 1), WavError::Malformed);
    QCOMPARE(writer.open(path("a.wav").toStdString(), 48000, 65), WavError::Malformed);
    QCOMPARE(writer.open(path("no/such/dir/a.wav").toStdString(), 48000, 1), WavError::CannotOpen);
    QVERIFY(!writer.isOpen());
}

void WavWriterTest::writeWhenClosedIsAnError()
{
    WavWriter writer;
    const std::vector<float> samples{0.0f};
    QCOMPARE(writer.write(samples), WavError::NotOpen);
    QCOMPARE(writer.close(), WavError::NotOpen);
}

// A writer that never closes (a crash) leaves the "unknown length" sizes; the reader still gets
// everything that was flushed, because it reads the data to the end of the file.
void WavWriterTest::headerOfAnUnclosedFileStillReads()
{
    const QString file = path("crashed.wav");
    {
        WavWriter writer;
        QCOMPARE(writer.open(file.toStdString(), 48000, 1), WavError::None);
        QCOMPARE(writer.write(ramp(480, 1)), WavError::None);
        // Simulate the crash: copy the file as it is on disk before close() patches it.
        QVERIFY(writer.isOpen());
        std::fflush(nullptr);
        QVERIFY(QFile::copy(file, path("snapshot.wav")));
    }
    WavReader reader;
    QCOMPARE(reader.open(path("snapshot.wav").toStdString()), WavError::None);
    QCOMPARE(reader.info().frames, std::int64_t{480});
    std::vector<float> read;
    QCOMPARE(reader.readAll(read), WavError::None);
    QCOMPARE(read.size(), std::size_t{480});
}

QTEST_APPLESS_MAIN(WavWriterTest)
#include "WavWriterTest.moc"
