#include "audio/WavReader.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using earshot::audio::WavError;
using earshot::audio::WavReader;
using earshot::audio::WavSampleFormat;

Q_DECLARE_METATYPE(WavError)

namespace {

// Builds WAV files byte by byte, so the tests can make every kind of broken one.
class WavBytes {
public:
    WavBytes& text(const char* fourCc)
    {
        m_bytes.append(fourCc, 4);
        return *this;
    }
    WavBytes& u16(unsigned value)
    {
        m_bytes.append(static_cast<char>(value & 0xFF));
        m_bytes.append(static_cast<char>((value >> 8) & 0xFF));
        return *this;
    }
    WavBytes& u32(std::uint32_t value)
    {
        u16(value & 0xFFFF);
        return u16(value >> 16);
    }
    WavBytes& raw(const QByteArray& bytes)
    {
        m_bytes.append(bytes);
        return *this;
    }
    // RIFF header with a size that covers what follows.
    WavBytes& riff() { return text("RIFF").u32(0).text("WAVE"); }
    WavBytes& fmt(unsigned format, unsigned channels, std::uint32_t rate, unsigned bits)
    {
        const unsigned blockAlign = channels * bits / 8;
        return text("fmt ").u32(16).u16(format).u16(channels).u32(rate).u32(rate * blockAlign).u16(blockAlign).u16(bits);
    }
    WavBytes& data(const QByteArray& payload) { return text("data").u32(static_cast<std::uint32_t>(payload.size())).raw(payload); }
    QByteArray bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

QByteArray pcm16(std::initializer_list<int> values)
{
    WavBytes bytes;
    for (const int value : values)
        bytes.u16(static_cast<unsigned>(value) & 0xFFFF);
    return bytes.bytes();
}

QByteArray validFile()
{
    return WavBytes().riff().fmt(1, 2, 44100, 16).data(pcm16({0, 16384, -16384, 32767, -32768, 1})).bytes();
}

} // namespace

class WavReaderTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void readsAValidFile();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
    void missingFileCannotOpen();
    void skipsUnknownAndPaddedChunks();
    void acceptsDataBeforeFmt();
    void readsExtensibleFloat();
    void readsTwentyFourBit();
    void truncatedDataReadsWholeFramesOnly();
    void hostileFloatsAreTamed();
    void everyTruncationIsHandled();
    void randomCorruptionNeverCrashes();
    void readInPieces();

private:
    std::string write(const char* name, const QByteArray& bytes);

    std::unique_ptr<QTemporaryDir> m_directory;
};

void WavReaderTest::init()
{
    m_directory = std::make_unique<QTemporaryDir>();
    QVERIFY(m_directory->isValid());
}

std::string WavReaderTest::write(const char* name, const QByteArray& bytes)
{
    const QString path = m_directory->filePath(QString::fromLatin1(name));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path.toStdString();
}

void WavReaderTest::readsAValidFile()
{
    WavReader reader;
    QCOMPARE(reader.open(write("valid.wav", validFile())), WavError::None);
    QVERIFY(reader.isOpen());
    QCOMPARE(reader.info().channels, 2);
    QCOMPARE(reader.info().sampleRateHz, 44100);
    QCOMPARE(reader.info().sampleFormat, WavSampleFormat::Pcm16);
    QCOMPARE(reader.info().frames, std::int64_t{3});
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    const std::vector<float> expected{0.0f, 0.5f, -0.5f, 32767.0f / 32768.0f, -1.0f, 1.0f / 32768.0f};
    QCOMPARE(samples, expected);
}

void WavReaderTest::rejectsBrokenFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<WavError>("error");
    const QByteArray payload = pcm16({1, 2, 3, 4});

    QTest::newRow("empty file") << QByteArray() << WavError::NotWav;
    QTest::newRow("text file") << QByteArray("hello, this is not a wav file at all") << WavError::NotWav;
    QTest::newRow("RIFF only") << QByteArray("RIFF") << WavError::Truncated;
    QTest::newRow("RIFF, not WAVE") << WavBytes().text("RIFF").u32(4).text("AVI ").bytes() << WavError::NotWav;
    QTest::newRow("no chunks") << WavBytes().riff().bytes() << WavError::Truncated;
    QTest::newRow("fmt cut short") << WavBytes().riff().text("fmt ").u32(16).u16(1).u16(1).bytes() << WavError::Truncated;
    QTest::newRow("fmt too small") << WavBytes().riff().text("fmt ").u32(8).u32(0).u32(0).data(payload).bytes()
                                   << WavError::Malformed;
    QTest::newRow("no data chunk") << WavBytes().riff().fmt(1, 1, 48000, 16).bytes() << WavError::Truncated;
    QTest::newRow("no fmt chunk") << WavBytes().riff().data(payload).bytes() << WavError::Truncated;
    QTest::newRow("zero channels") << WavBytes().riff().fmt(1, 0, 48000, 16).data(payload).bytes() << WavError::Malformed;
    QTest::newRow("zero rate") << WavBytes().riff().fmt(1, 1, 0, 16).data(payload).bytes() << WavError::Malformed;
    QTest::newRow("absurd channels") << WavBytes().riff().fmt(1, 1000, 48000, 16).data(payload).bytes()
                                     << WavError::Malformed;
    QTest::newRow("8-bit PCM") << WavBytes().riff().fmt(1, 1, 8000, 8).data(payload).bytes() << WavError::Unsupported;
    QTest::newRow("A-law") << WavBytes().riff().fmt(6, 1, 8000, 8).data(payload).bytes() << WavError::Unsupported;
    QTest::newRow("64-bit float") << WavBytes().riff().fmt(3, 1, 8000, 64).data(payload).bytes() << WavError::Unsupported;
    QTest::newRow("block align mismatch")
        << WavBytes().riff().text("fmt ").u32(16).u16(1).u16(2).u32(8000).u32(32000).u16(3).u16(16).data(payload).bytes()
        << WavError::Malformed;
    QTest::newRow("extensible without extension")
        << WavBytes().riff().fmt(0xFFFE, 1, 8000, 16).data(payload).bytes() << WavError::Malformed;
    QTest::newRow("chunk size past the end, before data")
        << WavBytes().riff().fmt(1, 1, 8000, 16).text("LIST").u32(0x7FFFFFF0).bytes() << WavError::Truncated;
}

void WavReaderTest::rejectsBrokenFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(WavError, error);
    WavReader reader;
    QCOMPARE(reader.open(write("broken.wav", bytes)), error);
    QVERIFY(!reader.isOpen());
    std::vector<float> samples(8);
    QCOMPARE(reader.read(samples), std::int64_t{-1});
    QCOMPARE(reader.readAll(samples), WavError::NotOpen);
}

void WavReaderTest::missingFileCannotOpen()
{
    WavReader reader;
    QCOMPARE(reader.open(m_directory->filePath(QStringLiteral("absent.wav")).toStdString()), WavError::CannotOpen);
}

void WavReaderTest::skipsUnknownAndPaddedChunks()
{
    // A 3-byte LIST chunk is padded to 4; the reader must step over the pad byte.
    const QByteArray bytes = WavBytes()
                                 .riff()
                                 .fmt(1, 1, 16000, 16)
                                 .text("LIST")
                                 .u32(3)
                                 .raw(QByteArray("abc", 3))
                                 .raw(QByteArray(1, '\0'))
                                 .data(pcm16({100, 200}))
                                 .bytes();
    WavReader reader;
    QCOMPARE(reader.open(write("padded.wav", bytes)), WavError::None);
    QCOMPARE(reader.info().frames, std::int64_t{2});
}

void WavReaderTest::acceptsDataBeforeFmt()
{
    const QByteArray bytes = WavBytes().riff().data(pcm16({16384})).fmt(1, 1, 8000, 16).bytes();
    WavReader reader;
    QCOMPARE(reader.open(write("datafirst.wav", bytes)), WavError::None);
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    QCOMPARE(samples, std::vector<float>{0.5f});
}

void WavReaderTest::readsExtensibleFloat()
{
    WavBytes bytes;
    bytes.riff().text("fmt ").u32(40).u16(0xFFFE).u16(1).u32(48000).u32(192000).u16(4).u16(32);
    bytes.u16(22).u16(32).u32(4); // cbSize, valid bits, channel mask
    bytes.u16(3).raw(QByteArray(14, '\x11')); // sub-format GUID: IEEE float
    const float value = 0.25f;
    std::uint32_t raw = 0;
    std::memcpy(&raw, &value, sizeof raw);
    bytes.text("data").u32(4).u32(raw);
    WavReader reader;
    QCOMPARE(reader.open(write("extensible.wav", bytes.bytes())), WavError::None);
    QCOMPARE(reader.info().sampleFormat, WavSampleFormat::Float32);
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    QCOMPARE(samples, std::vector<float>{0.25f});
}

void WavReaderTest::readsTwentyFourBit()
{
    // 0x400000 = +0.5, 0xC00000 = −0.5, 0x800000 = −1.
    const QByteArray payload("\x00\x00\x40\x00\x00\xC0\x00\x00\x80", 9);
    WavReader reader;
    QCOMPARE(reader.open(write("24.wav", WavBytes().riff().fmt(1, 1, 48000, 24).data(payload).bytes())), WavError::None);
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    QCOMPARE(samples, (std::vector<float>{0.5f, -0.5f, -1.0f}));
}

void WavReaderTest::truncatedDataReadsWholeFramesOnly()
{
    // The data chunk claims 8 frames of stereo 16-bit (32 bytes) but the file has 2.5 frames.
    const QByteArray bytes =
        WavBytes().riff().fmt(1, 2, 8000, 16).text("data").u32(32).raw(pcm16({1, 2, 3, 4, 5})).bytes();
    WavReader reader;
    QCOMPARE(reader.open(write("cut.wav", bytes)), WavError::None);
    QCOMPARE(reader.info().frames, std::int64_t{2});
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    QCOMPARE(samples.size(), std::size_t{4});
}

void WavReaderTest::hostileFloatsAreTamed()
{
    WavBytes bytes;
    bytes.riff().fmt(3, 1, 8000, 32).text("data").u32(12);
    for (const float value : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), -7.0f}) {
        std::uint32_t raw = 0;
        std::memcpy(&raw, &value, sizeof raw);
        bytes.u32(raw);
    }
    WavReader reader;
    QCOMPARE(reader.open(write("nan.wav", bytes.bytes())), WavError::None);
    std::vector<float> samples;
    QCOMPARE(reader.readAll(samples), WavError::None);
    QCOMPARE(samples, (std::vector<float>{0.0f, 1.0f, -1.0f}));
}

// Every prefix of a valid file either opens (with no more frames than it holds) or is rejected;
// none crashes (ASan watches the reads).
void WavReaderTest::everyTruncationIsHandled()
{
    const QByteArray full = validFile();
    for (int length = 0; length <= full.size(); ++length) {
        WavReader reader;
        const WavError error = reader.open(write("prefix.wav", full.left(length)));
        if (length < 44) {
            QVERIFY2(error != WavError::None, qPrintable(QStringLiteral("prefix of %1 bytes accepted").arg(length)));
            continue;
        }
        QCOMPARE(error, WavError::None);
        QCOMPARE(reader.info().frames, std::int64_t{(length - 44) / 4});
        std::vector<float> samples;
        QCOMPARE(reader.readAll(samples), WavError::None);
    }
}

void WavReaderTest::randomCorruptionNeverCrashes()
{
    const QByteArray full = validFile();
    std::mt19937 random(4);
    for (int round = 0; round < 2000; ++round) {
        QByteArray bytes = full;
        const int flips = static_cast<int>(random() % 4) + 1;
        for (int i = 0; i < flips; ++i)
            bytes[static_cast<int>(random() % static_cast<unsigned>(bytes.size()))] = static_cast<char>(random() & 0xFF);
        WavReader reader;
        if (reader.open(write("fuzz.wav", bytes)) != WavError::None)
            continue;
        QVERIFY(reader.info().channels >= 1);
        QVERIFY(reader.info().frames * reader.info().channels * 2 <= bytes.size());
        std::vector<float> samples;
        QCOMPARE(reader.readAll(samples), WavError::None);
        for (const float sample : samples)
            QVERIFY(sample >= -1.0f && sample <= 1.0f);
    }
}

void WavReaderTest::readInPieces()
{
    WavReader reader;
    QCOMPARE(reader.open(write("pieces.wav", validFile())), WavError::None);
    std::vector<float> two(2);
    QCOMPARE(reader.read(two), std::int64_t{1});
    std::vector<float> three(3); // room for one whole frame only
    QCOMPARE(reader.read(three), std::int64_t{1});
    QCOMPARE(reader.read(two), std::int64_t{1});
    QCOMPARE(reader.read(two), std::int64_t{0});
}

QTEST_APPLESS_MAIN(WavReaderTest)
#include "WavReaderTest.moc"
