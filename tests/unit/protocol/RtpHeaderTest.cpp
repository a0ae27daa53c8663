#include <earshot/protocol/RtpHeader.h>

#include <QByteArray>
#include <QTest>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

using earshot::protocol::kAudioLevelExtensionId;
using earshot::protocol::kOpusPayloadType;
using earshot::protocol::RtpHeader;
using earshot::protocol::RtpParseError;
using earshot::protocol::RtpParseResult;

Q_DECLARE_METATYPE(RtpHeader)
Q_DECLARE_METATYPE(RtpParseError)

namespace {

std::span<const std::uint8_t> view(const QByteArray& bytes)
{
    return { reinterpret_cast<const std::uint8_t*>(bytes.constData()),
        static_cast<std::size_t>(bytes.size()) };
}

RtpHeader header(std::uint16_t sequence, std::optional<std::uint8_t> level = std::nullopt, bool voice = false)
{
    RtpHeader result;
    result.sequence = sequence;
    result.timestamp = 960u * sequence;
    result.ssrc = 0x11223344;
    result.audioLevel = level;
    result.voiceActivity = voice;
    return result;
}

// The fixed header of a valid packet: V=2, X as given, PT 111, seq 1, ts 2, SSRC 3.
QByteArray fixedHeader(bool extension)
{
    return QByteArray::fromHex(extension ? "906f00010000000200000003" : "806f00010000000200000003");
}

QByteArray withExtension(const char* extensionHex)
{
    return fixedHeader(true) + QByteArray::fromHex(extensionHex);
}

} // namespace

class RtpHeaderTest : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void matchesHandWrittenPacket();
    void writeRejects_data();
    void writeRejects();
    void parseErrors_data();
    void parseErrors();
    void parsesExtensionElements_data();
    void parsesExtensionElements();
    void truncationAtEveryLength();
    void errorNames();
};

void RtpHeaderTest::roundTrip_data()
{
    QTest::addColumn<RtpHeader>("header");
    QTest::addColumn<int>("expectedSize");
    RtpHeader extremes = header(65535, 0, true);
    extremes.payloadType = 127;
    extremes.marker = true;
    extremes.timestamp = 0xFFFFFFFF;
    extremes.ssrc = 0xFFFFFFFF;
    RtpHeader zeros;
    zeros.payloadType = 0;
    QTest::newRow("no extension") << header(1) << 12;
    QTest::newRow("all zero") << zeros << 12;
    QTest::newRow("marker") << [] { RtpHeader h = header(7); h.marker = true; return h; }() << 12;
    QTest::newRow("level 42, voice") << header(2, 42, true) << 20;
    QTest::newRow("level 127 (silence), no voice") << header(3, 127, false) << 20;
    QTest::newRow("extremes") << extremes << 20;
}

void RtpHeaderTest::roundTrip()
{
    QFETCH(RtpHeader, header);
    QFETCH(int, expectedSize);
    std::array<std::uint8_t, 64> buffer {};
    QCOMPARE(header.size(), std::size_t(expectedSize));
    QCOMPARE(header.write(buffer), std::size_t(expectedSize));
    const std::array<std::uint8_t, 3> payload { 0xAA, 0xBB, 0xCC };
    std::copy(payload.begin(), payload.end(), buffer.begin() + expectedSize);

    const RtpParseResult parsed = RtpHeader::parse(std::span(buffer).first(expectedSize + payload.size()));
    QCOMPARE(parsed.error, RtpParseError::None);
    QCOMPARE(parsed.header, header);
    QCOMPARE(parsed.headerSize(), std::size_t(expectedSize));
    QVERIFY(parsed.headerBytes.data() == buffer.data());
    QCOMPARE(parsed.payload.size(), payload.size());
    QVERIFY(std::equal(payload.begin(), payload.end(), parsed.payload.begin()));

    const RtpParseResult headerOnly = RtpHeader::parse(std::span(buffer).first(expectedSize));
    QVERIFY(headerOnly.ok());
    QVERIFY(headerOnly.payload.empty());
}

// RFC 3550 §5.1 and RFC 8285 §4.2 laid out by hand, independently of the writer.
void RtpHeaderTest::matchesHandWrittenPacket()
{
    const QByteArray expected = QByteArray::fromHex(
        "90"       // V=2 P=0 X=1 CC=0
        "ef"       // M=1 PT=111
        "1234"     // sequence
        "deadbeef" // timestamp
        "cafef00d" // SSRC
        "bede0001" // one-byte extension profile, one word
        "10"       // ID 1, length 1 byte
        "aa"       // V=1, level 42
        "0000");   // padding to the word boundary
    RtpHeader header;
    header.marker = true;
    header.sequence = 0x1234;
    header.timestamp = 0xDEADBEEF;
    header.ssrc = 0xCAFEF00D;
    header.audioLevel = 42;
    header.voiceActivity = true;
    std::array<std::uint8_t, 20> written {};
    QCOMPARE(header.write(written), written.size());
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(written.data()), int(written.size())).toHex(),
             expected.toHex());
    const RtpParseResult parsed = RtpHeader::parse(view(expected));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.header, header);
    QCOMPARE(kOpusPayloadType, std::uint8_t(111));
    QCOMPARE(kAudioLevelExtensionId, std::uint8_t(1));

    // The same header without the level: 12 bytes, X clear.
    header.audioLevel.reset();
    QCOMPARE(header.write(written), std::size_t(12));
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(written.data()), 12).toHex(),
             QByteArray("80ef1234deadbeefcafef00d"));
}

void RtpHeaderTest::writeRejects_data()
{
    QTest::addColumn<RtpHeader>("header");
    QTest::addColumn<int>("bufferSize");
    RtpHeader badType = header(1);
    badType.payloadType = 128;
    QTest::newRow("payload type 128") << badType << 64;
    QTest::newRow("audio level 128") << header(1, 128) << 64;
    QTest::newRow("audio level 255") << header(1, 255, true) << 64;
    for (int size = 0; size < 12; ++size)
        QTest::addRow("plain header into %d bytes", size) << header(1) << size;
    for (int size = 0; size < 20; ++size)
        QTest::addRow("extended header into %d bytes", size) << header(1, 5) << size;
}

void RtpHeaderTest::writeRejects()
{
    QFETCH(RtpHeader, header);
    QFETCH(int, bufferSize);
    std::array<std::uint8_t, 64> buffer {};
    buffer.fill(0x5A);
    QCOMPARE(header.write(std::span(buffer).first(bufferSize)), std::size_t(0));
    QVERIFY(std::all_of(buffer.begin(), buffer.end(), [](std::uint8_t b) { return b == 0x5A; }));
}

void RtpHeaderTest::parseErrors_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::addColumn<RtpParseError>("error");
    QTest::newRow("empty") << QByteArray() << RtpParseError::TooShort;
    QTest::newRow("11 bytes") << fixedHeader(false).left(11) << RtpParseError::TooShort;
    QTest::newRow("version 0") << QByteArray::fromHex("006f00010000000200000003")
                               << RtpParseError::BadVersion;
    QTest::newRow("version 1") << QByteArray::fromHex("406f00010000000200000003")
                               << RtpParseError::BadVersion;
    QTest::newRow("version 3") << QByteArray::fromHex("c06f00010000000200000003")
                               << RtpParseError::BadVersion;
    QTest::newRow("padding bit") << QByteArray::fromHex("a06f0001000000020000000301")
                                 << RtpParseError::PaddingUnsupported;
    QTest::newRow("one CSRC") << QByteArray::fromHex("816f0001000000020000000300000004")
                              << RtpParseError::CsrcUnsupported;
    QTest::newRow("15 CSRCs, short") << QByteArray::fromHex("8f6f00010000000200000003")
                                     << RtpParseError::CsrcUnsupported;
    QTest::newRow("extension bit, no preamble") << fixedHeader(true) << RtpParseError::TooShort;
    QTest::newRow("extension preamble cut") << withExtension("bede00") << RtpParseError::TooShort;
    QTest::newRow("extension block overruns packet") << withExtension("bede0002100a0000")
                                                     << RtpParseError::TooShort;
    QTest::newRow("two-byte profile") << withExtension("10000001010100aa")
                                      << RtpParseError::ExtensionProfileUnsupported;
    QTest::newRow("other profile") << withExtension("00000000") << RtpParseError::ExtensionProfileUnsupported;
    QTest::newRow("element overruns block") << withExtension("bede0001530102ff")
                                            << RtpParseError::MalformedExtension;
    QTest::newRow("element header at block end") << withExtension("bede0001000000" "20")
                                                 << RtpParseError::MalformedExtension;
    QTest::newRow("ID 15") << withExtension("bede0001f0000000") << RtpParseError::MalformedExtension;
    QTest::newRow("audio level 2 bytes") << withExtension("bede0001112a0000")
                                         << RtpParseError::MalformedExtension;
    QTest::newRow("audio level twice") << withExtension("bede0001102a1030")
                                       << RtpParseError::MalformedExtension;
}

void RtpHeaderTest::parseErrors()
{
    QFETCH(QByteArray, packet);
    QFETCH(RtpParseError, error);
    const RtpParseResult parsed = RtpHeader::parse(view(packet));
    QCOMPARE(parsed.error, error);
    QVERIFY(!parsed.ok());
}

void RtpHeaderTest::parsesExtensionElements_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::addColumn<int>("level"); // -1: none
    QTest::addColumn<bool>("voice");
    QTest::addColumn<int>("headerSize");
    QTest::newRow("empty extension") << withExtension("bede0000") << -1 << false << 16;
    QTest::newRow("only padding") << withExtension("bede000100000000") << -1 << false << 20;
    QTest::newRow("unknown element only") << withExtension("bede000152010203") << -1 << false << 20;
    QTest::newRow("padding, unknown, level, padding")
        << withExtension("bede0002" "00" "320a0b0c" "10" "ff" "00") << 127 << true << 24;
    QTest::newRow("level then 16-byte unknown")
        << withExtension("bede0005" "1005" "2f" "000102030405060708090a0b0c0d0e0f" "00") << 5 << false << 36;
    QTest::newRow("level, payload follows") << withExtension("bede0001" "108a0000" "deadbeef") << 10 << true
                                            << 20;
}

void RtpHeaderTest::parsesExtensionElements()
{
    QFETCH(QByteArray, packet);
    QFETCH(int, level);
    QFETCH(bool, voice);
    QFETCH(int, headerSize);
    const RtpParseResult parsed = RtpHeader::parse(view(packet));
    QCOMPARE(parsed.error, RtpParseError::None);
    QCOMPARE(parsed.header.audioLevel.has_value(), level >= 0);
    if (level >= 0)
        QCOMPARE(int(*parsed.header.audioLevel), level);
    QCOMPARE(parsed.header.voiceActivity, voice);
    QCOMPARE(parsed.headerSize(), std::size_t(headerSize));
    QCOMPARE(parsed.payload.size(), std::size_t(packet.size() - headerSize));
    QCOMPARE(parsed.header.sequence, std::uint16_t(1));
    QCOMPARE(parsed.header.timestamp, 2u);
    QCOMPARE(parsed.header.ssrc, 3u);
}

// Every prefix of a header with the extension is an error and never a read past its end
// (the sanitizer builds check the latter).
void RtpHeaderTest::truncationAtEveryLength()
{
    std::array<std::uint8_t, 20> buffer {};
    QCOMPARE(header(9, 33, true).write(buffer), buffer.size());
    for (std::size_t length = 0; length < buffer.size(); ++length) {
        // A heap copy of exactly `length` bytes, so ASan sees any overread.
        const QByteArray prefix(reinterpret_cast<const char*>(buffer.data()), qsizetype(length));
        const RtpParseResult parsed = RtpHeader::parse(view(prefix));
        QVERIFY2(parsed.error == RtpParseError::TooShort, qPrintable(QString::number(length)));
    }
    QVERIFY(RtpHeader::parse(buffer).ok());
}

void RtpHeaderTest::errorNames()
{
    for (int error = 0; error <= int(RtpParseError::MalformedExtension); ++error)
        QVERIFY(std::strlen(errorName(RtpParseError(error))) > 0);
    QCOMPARE(QByteArray(errorName(RtpParseError::BadVersion)), QByteArray("bad RTP version"));
}

QTEST_APPLESS_MAIN(RtpHeaderTest)
#include "RtpHeaderTest.moc"
