#include <earshot/protocol/SecureKey.h>

#include <QTest>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

using earshot::protocol::SecureKey;

namespace {

std::array<std::uint8_t, SecureKey::kSize> countingBytes()
{
    std::array<std::uint8_t, SecureKey::kSize> bytes {};
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(i + 1);
    return bytes;
}

bool hasBytes(const SecureKey& key, std::span<const std::uint8_t, SecureKey::kSize> expected)
{
    return std::equal(key.bytes().begin(), key.bytes().end(), expected.begin());
}

} // namespace

class SecureKeyTest : public QObject {
    Q_OBJECT

private slots:
    void defaultIsZero();
    void constructFromBytes();
    void setFromHex_data();
    void setFromHex();
    void rejectedHexLeavesKeyUnchanged_data();
    void rejectedHexLeavesKeyUnchanged();
    void moveConstructLeavesSourceZero();
    void moveAssignLeavesSourceZero();
    void movedFromKeyIsWritableAgain();
    void equals();
    void cloneIsIndependent();
};

void SecureKeyTest::defaultIsZero()
{
    const SecureKey key;
    QVERIFY(key.isZero());
    QVERIFY(std::all_of(key.bytes().begin(), key.bytes().end(), [](auto b) { return b == 0; }));
}

void SecureKeyTest::constructFromBytes()
{
    const auto bytes = countingBytes();
    const SecureKey key(bytes);
    QVERIFY(!key.isZero());
    QVERIFY(hasBytes(key, bytes));
}

void SecureKeyTest::setFromHex_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<QByteArray>("expected"); // 32 bytes

    QTest::newRow("lower case") << QByteArray(
        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20")
                                << QByteArray::fromHex(
                                       "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    QTest::newRow("upper case") << QByteArray(
        "FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100")
                                << QByteArray::fromHex(
                                       "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    QTest::newRow("all zero") << QByteArray(64, '0') << QByteArray(32, '\0');
}

void SecureKeyTest::setFromHex()
{
    QFETCH(QByteArray, hex);
    QFETCH(QByteArray, expected);
    SecureKey key(countingBytes()); // non-zero start, so "all zero" proves a write happened
    QVERIFY(key.setFromHex(hex.constData(), static_cast<std::size_t>(hex.size())));
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(key.bytes().data()), SecureKey::kSize), expected);
}

void SecureKeyTest::rejectedHexLeavesKeyUnchanged_data()
{
    QTest::addColumn<QByteArray>("hex");
    const QByteArray valid("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("63 digits") << valid.left(63);
    QTest::newRow("65 digits") << valid + "0";
    QTest::newRow("66 digits") << valid + "00";
    QTest::newRow("non-hex at end") << valid.left(63) + "g";
    QTest::newRow("non-hex at start") << "x" + valid.mid(1);
    QTest::newRow("space inside") << valid.left(30) + " " + valid.mid(31);
    // 64 characters, but sodium_hex2bin would skip the colons if asked to ignore them
    QTest::newRow("colon separators")
        << QByteArray("01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:").left(64);
    QTest::newRow("nul inside") << valid.left(10) + QByteArray(1, '\0') + valid.mid(11);
}

void SecureKeyTest::rejectedHexLeavesKeyUnchanged()
{
    QFETCH(QByteArray, hex);
    const auto original = countingBytes();
    SecureKey key(original);
    QVERIFY(!key.setFromHex(hex.constData(), static_cast<std::size_t>(hex.size())));
    QVERIFY(hasBytes(key, original));
}

void SecureKeyTest::moveConstructLeavesSourceZero()
{
    const auto bytes = countingBytes();
    SecureKey source(bytes);
    const SecureKey target(std::move(source));
    QVERIFY(hasBytes(target, bytes));
    QVERIFY(source.isZero()); // NOLINT(bugprone-use-after-move): the moved-from state is specified
}

void SecureKeyTest::moveAssignLeavesSourceZero()
{
    const auto bytes = countingBytes();
    SecureKey source(bytes);
    SecureKey target;
    target = std::move(source);
    QVERIFY(hasBytes(target, bytes));
    QVERIFY(source.isZero()); // NOLINT(bugprone-use-after-move)
    QVERIFY(!source.equals(target));
}

void SecureKeyTest::movedFromKeyIsWritableAgain()
{
    SecureKey source(countingBytes());
    const SecureKey target(std::move(source));
    source.mutableBytes()[0] = 7; // NOLINT(bugprone-use-after-move)
    QCOMPARE(source.bytes()[0], std::uint8_t { 7 });
    QVERIFY(source.setFromHex(QByteArray(64, 'a').constData(), 64));
    QCOMPARE(source.bytes()[31], std::uint8_t { 0xaa });
}

void SecureKeyTest::equals()
{
    const SecureKey a(countingBytes());
    const SecureKey b(countingBytes());
    QVERIFY(a.equals(b));
    QVERIFY(b.equals(a));

    for (std::size_t i = 0; i < SecureKey::kSize; ++i) {
        auto bytes = countingBytes();
        bytes[i] ^= 0x80;
        const SecureKey different(bytes);
        QVERIFY2(!a.equals(different), qPrintable(QStringLiteral("byte %1").arg(i)));
    }
    QVERIFY(SecureKey().equals(SecureKey()));
    QVERIFY(!SecureKey().equals(a));
}

void SecureKeyTest::cloneIsIndependent()
{
    SecureKey original(countingBytes());
    const SecureKey copy = original.clone();
    QVERIFY(copy.equals(original));
    original.mutableBytes()[5] ^= 1;
    QVERIFY(!copy.equals(original));
    QVERIFY(hasBytes(copy, countingBytes()));
}

QTEST_APPLESS_MAIN(SecureKeyTest)
#include "SecureKeyTest.moc"
