#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/MediaPacketCrypto.h>

#include <sodium.h>

#include <QByteArray>
#include <QList>
#include <QTest>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

using namespace earshot::protocol;

Q_DECLARE_METATYPE(MediaOpenError)

namespace {

constexpr std::uint32_t kSsrc = 0x5EC0FFEE;
constexpr std::uint64_t kExtended = 3 * 65536 + 1234; // ROC 3, so a wrong ROC is a wrong nonce

using PacketBuffer = std::array<std::uint8_t, kMaxMediaPacketBytes>;

SecureKey key(int fill)
{
    std::array<std::uint8_t, SecureKey::kSize> bytes {};
    bytes.fill(static_cast<std::uint8_t>(fill));
    return SecureKey(bytes);
}

std::span<const std::uint8_t> view(const QByteArray& bytes)
{
    return { reinterpret_cast<const std::uint8_t*>(bytes.constData()),
        static_cast<std::size_t>(bytes.size()) };
}

// What the encoder would hand over: distinct, deterministic bytes.
QByteArray opusPayload(int size)
{
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = static_cast<char>(i * 7 + 3);
    return payload;
}

RtpHeader header(std::uint64_t extended, bool withLevel = true)
{
    RtpHeader result;
    result.sequence = static_cast<std::uint16_t>(extended);
    result.timestamp = static_cast<std::uint32_t>(960 * extended);
    result.ssrc = kSsrc;
    if (withLevel) {
        result.audioLevel = 30;
        result.voiceActivity = true;
    }
    return result;
}

// The sealed packet as an exactly-sized heap copy, so ASan catches any read past its end.
QByteArray seal(const MediaPacketSealer& sealer, std::uint64_t extended,
    const QByteArray& payload = opusPayload(100), bool withLevel = true)
{
    PacketBuffer out {};
    const std::size_t size = sealer.seal(header(extended, withLevel), extended, view(payload), out);
    return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(size));
}

MediaOpenResult receive(MediaReceiverState& state, const MediaPacketOpener& opener, const QByteArray& packet)
{
    PacketBuffer plaintext {};
    return state.openAndCommit(opener, RtpHeader::parse(view(packet)), plaintext);
}

QString describe(const MediaOpenResult& result)
{
    return QString::fromLatin1(errorName(result.error));
}

} // namespace

class MediaPacketCryptoTest : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void matchesIndependentSeal();
    void tamperedHeaderFieldFails_data();
    void tamperedHeaderFieldFails();
    void everyFlippedByteFails_data();
    void everyFlippedByteFails();
    void wrongKeyFails();
    void keyExchangeDirections();
    void wrongRolloverCounterFails();
    void joiningNearFindsTheRolloverCounter_data();
    void joiningNearFindsTheRolloverCounter();
    void truncationAtEveryLength();
    void sealRejects();
    void openRejects();
    void receiverSequence_data();
    void receiverSequence();
    void forgedPacketDoesNotAdvanceState();
    void errorNames();
};

void MediaPacketCryptoTest::roundTrip_data()
{
    QTest::addColumn<bool>("withLevel");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<quint64>("extended");
    QTest::newRow("100 bytes, audio level") << true << 100 << quint64(kExtended);
    QTest::newRow("100 bytes, no extension") << false << 100 << quint64(kExtended);
    QTest::newRow("empty payload") << true << 0 << quint64(0);
    QTest::newRow("largest payload with level") << true << int(kMaxMediaPacketBytes - 20 - kAeadTagBytes)
                                                << quint64(1);
    QTest::newRow("largest payload without") << false << int(kMaxMediaPacketBytes - 12 - kAeadTagBytes)
                                             << quint64(1);
    QTest::newRow("top of the 48-bit range") << true << 3 << quint64(SequenceUnwrapper::kMaxExtendedSequence);
}

void MediaPacketCryptoTest::roundTrip()
{
    QFETCH(bool, withLevel);
    QFETCH(int, payloadSize);
    QFETCH(quint64, extended);
    const SecureKey sharedKey = key(0x42);
    const MediaPacketSealer sealer(sharedKey);
    const MediaPacketOpener opener(sharedKey);
    const QByteArray payload = opusPayload(payloadSize);
    const QByteArray packet = seal(sealer, extended, payload, withLevel);
    const RtpHeader sent = header(extended, withLevel);
    QCOMPARE(std::size_t(packet.size()), MediaPacketSealer::sealedSize(sent, std::size_t(payloadSize)));

    // The header travels in the clear (the server reads the level), the payload does not.
    const RtpParseResult parsed = RtpHeader::parse(view(packet));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.header, sent);
    if (payloadSize >= 16)
        QVERIFY(!packet.contains(payload.left(16)));

    PacketBuffer plaintext {};
    const MediaOpenResult opened = opener.open(view(packet), extended, plaintext);
    QVERIFY2(opened.ok(), qPrintable(describe(opened)));
    QCOMPARE(opened.plaintextSize, std::size_t(payloadSize));
    QCOMPARE(opened.extendedSequence, std::uint64_t(extended));
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(plaintext.data()), payloadSize), payload);
}

// Pins the wire format: libsodium driven by hand with the documented nonce and additional data.
void MediaPacketCryptoTest::matchesIndependentSeal()
{
    const SecureKey sharedKey = key(0x42);
    const QByteArray payload = opusPayload(100);
    const QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended, payload);
    // seq 1234, timestamp 960 * kExtended, SSRC, 0xBEDE one word, level 30 with V set.
    const QByteArray headerBytes = QByteArray::fromHex("906f04d20b5213805ec0ffeebede0001109e0000");
    std::array<std::uint8_t, 12> nonce { 0x5E, 0xC0, 0xFF, 0xEE, 0, 0, 0, 0, 0, 0x03, 0x04, 0xD2 };
    QByteArray expected = headerBytes + QByteArray(payload.size() + int(kAeadTagBytes), '\0');
    unsigned long long sealedSize = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(
        reinterpret_cast<std::uint8_t*>(expected.data()) + headerBytes.size(), &sealedSize,
        reinterpret_cast<const std::uint8_t*>(payload.constData()), std::size_t(payload.size()),
        reinterpret_cast<const std::uint8_t*>(headerBytes.constData()), std::size_t(headerBytes.size()),
        nullptr, nonce.data(), sharedKey.bytes().data());
    QCOMPARE(packet.toHex(), expected.toHex());
}

void MediaPacketCryptoTest::tamperedHeaderFieldFails_data()
{
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("mask");
    QTest::newRow("version 2 -> 3") << 0 << 0x40;
    QTest::newRow("version 2 -> 0") << 0 << 0x80;
    QTest::newRow("padding bit") << 0 << 0x20;
    QTest::newRow("extension bit") << 0 << 0x10;
    QTest::newRow("CSRC count") << 0 << 0x01;
    QTest::newRow("marker") << 1 << 0x80;
    QTest::newRow("payload type low bit") << 1 << 0x01;
    QTest::newRow("payload type high bit") << 1 << 0x40;
    QTest::newRow("sequence high byte") << 2 << 0x01;
    QTest::newRow("sequence low byte") << 3 << 0x01;
    for (int i = 0; i < 4; ++i) {
        QTest::addRow("timestamp byte %d", i) << 4 + i << 0x01;
        QTest::addRow("SSRC byte %d", i) << 8 + i << 0x01;
    }
    QTest::newRow("extension profile") << 12 << 0x01;
    QTest::newRow("extension length") << 15 << 0x01;
    QTest::newRow("element ID") << 16 << 0x20;
    QTest::newRow("element length") << 16 << 0x01;
    QTest::newRow("audio level") << 17 << 0x01;
    QTest::newRow("voice activity flag") << 17 << 0x80;
    QTest::newRow("extension padding") << 18 << 0x01;
    QTest::newRow("last extension byte") << 19 << 0x80;
}

// Every header field is covered by the tag: changing it fails authentication itself, not only
// a side check. Opened twice: with the extended sequence the receiver would derive from the
// tampered header, and through a receiver state (the real path).
void MediaPacketCryptoTest::tamperedHeaderFieldFails()
{
    QFETCH(int, offset);
    QFETCH(int, mask);
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended);
    packet[offset] = static_cast<char>(packet[offset] ^ mask);

    PacketBuffer plaintext {};
    const RtpParseResult parsed = RtpHeader::parse(view(packet));
    const std::uint64_t extended = (kExtended & ~std::uint64_t { 0xFFFF }) | parsed.header.sequence;
    const MediaOpenResult direct = opener.open(parsed, extended, plaintext);
    QVERIFY2(direct.error == MediaOpenError::MalformedHeader
            || direct.error == MediaOpenError::AuthenticationFailed,
        qPrintable(describe(direct)));

    MediaReceiverState state(kSsrc, 3);
    QVERIFY(!receive(state, opener, packet).ok());
    // The untouched packet still opens afterwards: the failure recorded nothing.
    packet[offset] = static_cast<char>(packet[offset] ^ mask);
    QVERIFY(receive(state, opener, packet).ok());
}

void MediaPacketCryptoTest::everyFlippedByteFails_data()
{
    QTest::addColumn<int>("begin");
    QTest::addColumn<int>("end");
    QTest::newRow("header") << 0 << 20;
    QTest::newRow("ciphertext") << 20 << 120;
    QTest::newRow("tag") << 120 << 136;
}

void MediaPacketCryptoTest::everyFlippedByteFails()
{
    QFETCH(int, begin);
    QFETCH(int, end);
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    const QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended);
    QCOMPARE(packet.size(), 136);
    PacketBuffer plaintext {};
    for (int i = begin; i < end; ++i) {
        for (const int mask : { 0x01, 0x80, 0xFF }) {
            QByteArray tampered = packet;
            tampered[i] = static_cast<char>(tampered[i] ^ mask);
            const MediaOpenResult result = opener.open(view(tampered), kExtended, plaintext);
            if (result.ok())
                QFAIL(qPrintable(QStringLiteral("byte %1 ^ %2 still opened").arg(i).arg(mask)));
        }
    }
}

void MediaPacketCryptoTest::wrongKeyFails()
{
    const QByteArray packet = seal(MediaPacketSealer(key(0x42)), kExtended);
    PacketBuffer plaintext {};
    for (const int fill : { 0x43, 0xC2, 0xFF }) {
        const MediaOpenResult result = MediaPacketOpener(key(fill)).open(view(packet), kExtended, plaintext);
        QCOMPARE(result.error, MediaOpenError::AuthenticationFailed);
    }
}

// The login's crypto_kx keys: what the client seals with `transmit` the server opens with its
// `receive`, and the other direction's key cannot open it.
void MediaPacketCryptoTest::keyExchangeDirections()
{
    const KeyExchange client;
    const KeyExchange server;
    const auto clientKeys = client.clientKeys(server.publicKey());
    const auto serverKeys = server.serverKeys(client.publicKey());
    QVERIFY(clientKeys.has_value() && serverKeys.has_value());
    const QByteArray packet = seal(MediaPacketSealer(clientKeys->transmit), kExtended);
    PacketBuffer plaintext {};
    QVERIFY(MediaPacketOpener(serverKeys->receive).open(view(packet), kExtended, plaintext).ok());
    QVERIFY(!MediaPacketOpener(serverKeys->transmit).open(view(packet), kExtended, plaintext).ok());
    QVERIFY(!MediaPacketOpener(clientKeys->receive).open(view(packet), kExtended, plaintext).ok());
}

void MediaPacketCryptoTest::wrongRolloverCounterFails()
{
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    const QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended);
    PacketBuffer plaintext {};
    QCOMPARE(
        opener.open(view(packet), kExtended + 65536, plaintext).error, MediaOpenError::AuthenticationFailed);
    QCOMPARE(
        opener.open(view(packet), kExtended - 65536, plaintext).error, MediaOpenError::AuthenticationFailed);
    QCOMPARE(opener.open(view(packet), kExtended + 1, plaintext).error, MediaOpenError::SequenceMismatch);
    QCOMPARE(opener.open(view(packet), kExtended + (std::uint64_t { 1 } << 48), plaintext).error,
             MediaOpenError::SequenceMismatch);
    MediaReceiverState wrongRoc(kSsrc, 2);
    QCOMPARE(receive(wrongRoc, opener, packet).error, MediaOpenError::AuthenticationFailed);
}

// A player that joins a running stream is told the newest extended sequence the server has seen;
// seeded with it, the receiver opens packets on either side of a wrap.
void MediaPacketCryptoTest::joiningNearFindsTheRolloverCounter_data()
{
    QTest::addColumn<quint64>("reference");
    QTest::addColumn<quint64>("packet");
    QTest::newRow("same ROC") << quint64(kExtended - 10) << quint64(kExtended);
    QTest::newRow("reference just before the wrap") << quint64(4 * 65536 - 3) << quint64(4 * 65536 + 2);
    QTest::newRow("late packet from before the wrap") << quint64(5 * 65536 + 1) << quint64(5 * 65536 - 1);
    QTest::newRow("many wraps") << quint64(1000 * 65536 + 7) << quint64(1000 * 65536 + 9);
}

void MediaPacketCryptoTest::joiningNearFindsTheRolloverCounter()
{
    QFETCH(quint64, reference);
    QFETCH(quint64, packet);
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    const QByteArray sealed = seal(MediaPacketSealer(sharedKey), packet);
    MediaReceiverState joined = MediaReceiverState::joiningNear(kSsrc, reference);
    const MediaOpenResult result = receive(joined, opener, sealed);
    QCOMPARE(result.error, MediaOpenError::None);
    QCOMPARE(result.extendedSequence, std::uint64_t(packet));
    // Without the reference the same packet does not open (unless it is in ROC 0).
    MediaReceiverState fresh(kSsrc);
    QCOMPARE(receive(fresh, opener, sealed).error, MediaOpenError::AuthenticationFailed);
}

void MediaPacketCryptoTest::truncationAtEveryLength()
{
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    for (const bool withLevel : { true, false }) {
        const QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended, opusPayload(100), withLevel);
        for (int length = 0; length < packet.size(); ++length) {
            const QByteArray prefix = packet.left(length); // exactly sized heap copy
            PacketBuffer plaintext {};
            if (opener.open(view(prefix), kExtended, plaintext).ok())
                QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes opened").arg(length)));
            MediaReceiverState state(kSsrc, 3);
            if (receive(state, opener, prefix).ok())
                QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes received").arg(length)));
        }
        MediaReceiverState state(kSsrc, 3);
        QVERIFY(receive(state, opener, packet).ok());
    }
}

void MediaPacketCryptoTest::sealRejects()
{
    const MediaPacketSealer sealer(key(0x42));
    const QByteArray payload = opusPayload(100);
    PacketBuffer out {};
    QVERIFY(sealer.seal(header(kExtended), kExtended, view(payload), out) > 0);
    QCOMPARE(sealer.seal(header(kExtended), kExtended + 1, view(payload), out), std::size_t(0));
    const std::uint64_t tooBig = SequenceUnwrapper::kMaxExtendedSequence + 1;
    QCOMPARE(sealer.seal(header(tooBig), tooBig, view(payload), out), std::size_t(0));
    const std::size_t needed = MediaPacketSealer::sealedSize(header(kExtended), 100);
    QCOMPARE(sealer.seal(header(kExtended), kExtended, view(payload), std::span(out).first(needed - 1)),
             std::size_t(0));
    QCOMPARE(sealer.seal(header(kExtended), kExtended, view(payload), std::span(out).first(needed)), needed);
    RtpHeader badLevel = header(kExtended);
    badLevel.audioLevel = 200;
    QCOMPARE(sealer.seal(badLevel, kExtended, view(payload), out), std::size_t(0));
    const QByteArray oversized = opusPayload(int(kMaxMediaPacketBytes - 20 - kAeadTagBytes + 1));
    std::array<std::uint8_t, kMaxMediaPacketBytes + 64> bigOut {};
    QCOMPARE(sealer.seal(header(kExtended), kExtended, view(oversized), bigOut), std::size_t(0));
    QCOMPARE(MediaPacketSealer(SecureKey()).seal(header(kExtended), kExtended, view(payload), out),
        std::size_t(0));
}

void MediaPacketCryptoTest::openRejects()
{
    const SecureKey sharedKey = key(0x42);
    const MediaPacketOpener opener(sharedKey);
    const QByteArray packet = seal(MediaPacketSealer(sharedKey), kExtended);
    PacketBuffer plaintext {};
    QCOMPARE(opener.open(view(packet), kExtended, std::span(plaintext).first(99)).error,
             MediaOpenError::BufferTooSmall);
    QVERIFY(opener.open(view(packet), kExtended, std::span(plaintext).first(100)).ok());
    QCOMPARE(opener.open(view(packet.left(20 + 15)), kExtended, plaintext).error, MediaOpenError::MissingTag);
    const MediaOpenResult malformed = opener.open(view(QByteArray::fromHex("00")), kExtended, plaintext);
    QCOMPARE(malformed.error, MediaOpenError::MalformedHeader);
    QCOMPARE(malformed.parseError, RtpParseError::TooShort);
    QByteArray huge = packet + QByteArray(int(kMaxMediaPacketBytes) - packet.size() + 1, 'x');
    std::array<std::uint8_t, 2 * kMaxMediaPacketBytes> bigPlaintext {};
    QCOMPARE(opener.open(view(huge), kExtended, bigPlaintext).error, MediaOpenError::TooLarge);
    QCOMPARE(
        MediaPacketOpener(SecureKey()).open(view(packet), kExtended, plaintext).error, MediaOpenError::NoKey);
    MediaReceiverState otherStream(kSsrc + 1, 3);
    QCOMPARE(receive(otherStream, opener, packet).error, MediaOpenError::WrongSsrc);
}

// Each row delivers genuine packets (by extended sequence) to one receiver state in order.
void MediaPacketCryptoTest::receiverSequence_data()
{
    using E = MediaOpenError;
    QTest::addColumn<QList<quint64>>("packets");
    QTest::addColumn<QList<MediaOpenError>>("expected");
    QTest::newRow("replay") << QList<quint64> { 10, 11, 10, 11 }
                            << QList<E> { E::None, E::None, E::Replayed, E::Replayed };
    QTest::newRow("reordered, accepted once each")
        << QList<quint64> { 0, 3, 1, 2, 5, 4, 9, 8, 7, 6, 0, 3, 9 }
        << QList<E> { E::None, E::None, E::None, E::None, E::None, E::None, E::None,
                      E::None, E::None, E::None, E::Replayed, E::Replayed, E::Replayed };
    QTest::newRow("65 and 64 behind rejected, 63 accepted")
        << QList<quint64> { 200, 135, 136, 137 } << QList<E> { E::None, E::Replayed, E::Replayed, E::None };
    QTest::newRow("wrap, late 65534 after 0")
        << QList<quint64> { 65533, 65535, 65536, 65534, 65537, 65535, 65536, 65532 }
        << QList<E> { E::None, E::None, E::None, E::None, E::None, E::Replayed, E::Replayed, E::None };
}

void MediaPacketCryptoTest::receiverSequence()
{
    QFETCH(QList<quint64>, packets);
    QFETCH(QList<MediaOpenError>, expected);
    const SecureKey sharedKey = key(0x42);
    const MediaPacketSealer sealer(sharedKey);
    const MediaPacketOpener opener(sharedKey);
    MediaReceiverState state(kSsrc);
    for (qsizetype i = 0; i < packets.size(); ++i) {
        const bool fresh = state.extendedSequenceFor(static_cast<std::uint16_t>(packets[i])).has_value();
        const MediaOpenResult result = receive(state, opener, seal(sealer, packets[i]));
        QVERIFY2(result.error == expected[i],
            qPrintable(QStringLiteral("%1: %2").arg(packets[i]).arg(describe(result))));
        QCOMPARE(fresh, expected[i] == MediaOpenError::None);
        if (result.ok())
            QCOMPARE(result.extendedSequence, std::uint64_t(packets[i]));
    }
}

// Forgeries that would move the state if they were recorded: a far-ahead sequence (would slide
// the window and shift every later ROC guess) and a flipped copy of a fresh packet.
void MediaPacketCryptoTest::forgedPacketDoesNotAdvanceState()
{
    const SecureKey sharedKey = key(0x42);
    const MediaPacketSealer sealer(sharedKey);
    const MediaPacketSealer forger(key(0x66));
    const MediaPacketOpener opener(sharedKey);
    MediaReceiverState state(kSsrc);
    QVERIFY(receive(state, opener, seal(sealer, 100)).ok());
    QCOMPARE(receive(state, opener, seal(forger, 32000)).error, MediaOpenError::AuthenticationFailed);
    QCOMPARE(receive(state, opener, seal(forger, 101)).error, MediaOpenError::AuthenticationFailed);
    QByteArray flipped = seal(sealer, 102);
    flipped[flipped.size() - 1] = static_cast<char>(flipped[flipped.size() - 1] ^ 1);
    QCOMPARE(receive(state, opener, flipped).error, MediaOpenError::AuthenticationFailed);
    // 65000 would be 636 before the stream's start: dropped unopened.
    QCOMPARE(receive(state, opener, seal(forger, 65000)).error, MediaOpenError::SequenceOutOfRange);

    QVERIFY(receive(state, opener, seal(sealer, 90)).ok());  // window did not slide to 32000
    QVERIFY(receive(state, opener, seal(sealer, 101)).ok()); // slot 101 was not used up
    QVERIFY(receive(state, opener, seal(sealer, 102)).ok());
    // The unwrapper's reference is still 102: 50000 lies before the stream's start (it would
    // be a plausible 50000 had 32000 been recorded).
    QVERIFY(!state.extendedSequenceFor(50000).has_value());
    QCOMPARE(state.extendedSequenceFor(32102), std::optional<std::uint64_t>(32102));
}

void MediaPacketCryptoTest::errorNames()
{
    for (int error = 0; error <= int(MediaOpenError::AuthenticationFailed); ++error)
        QVERIFY(std::strlen(errorName(MediaOpenError(error))) > 0);
    QCOMPARE(QByteArray(errorName(MediaOpenError::Replayed)), QByteArray("replayed or too old"));
}

QTEST_APPLESS_MAIN(MediaPacketCryptoTest)
#include "MediaPacketCryptoTest.moc"
