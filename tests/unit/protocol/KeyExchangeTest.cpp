#include <earshot/protocol/KeyExchange.h>

#include <QTest>

#include <cstdint>

using earshot::protocol::KeyExchange;
using earshot::protocol::MediaKeys;

Q_DECLARE_METATYPE(KeyExchange::PublicKey)

class KeyExchangeTest : public QObject {
    Q_OBJECT

private slots:
    void bothSidesDeriveMatchingKeys();
    void directionsUseDifferentKeys();
    void differentServerGivesDifferentKeys();
    void freshKeyPairsDiffer();
    void rejectsSmallOrderPublicKeys_data();
    void rejectsSmallOrderPublicKeys();
};

void KeyExchangeTest::bothSidesDeriveMatchingKeys()
{
    const KeyExchange client;
    const KeyExchange server;
    const auto clientKeys = client.clientKeys(server.publicKey());
    const auto serverKeys = server.serverKeys(client.publicKey());
    QVERIFY(clientKeys.has_value());
    QVERIFY(serverKeys.has_value());
    QVERIFY(!clientKeys->receive.isZero());
    QVERIFY(!clientKeys->transmit.isZero());
    QVERIFY(clientKeys->receive.equals(serverKeys->transmit));
    QVERIFY(clientKeys->transmit.equals(serverKeys->receive));
}

void KeyExchangeTest::directionsUseDifferentKeys()
{
    const KeyExchange client;
    const KeyExchange server;
    const auto keys = client.clientKeys(server.publicKey());
    QVERIFY(keys.has_value());
    QVERIFY(!keys->receive.equals(keys->transmit));
}

void KeyExchangeTest::differentServerGivesDifferentKeys()
{
    const KeyExchange client;
    const KeyExchange server;
    const KeyExchange otherServer;
    const auto keys = client.clientKeys(server.publicKey());
    const auto otherKeys = client.clientKeys(otherServer.publicKey());
    const auto otherServerKeys = otherServer.serverKeys(client.publicKey());
    QVERIFY(keys.has_value());
    QVERIFY(otherKeys.has_value());
    QVERIFY(otherServerKeys.has_value());
    QVERIFY(!keys->receive.equals(otherKeys->receive));
    QVERIFY(!keys->transmit.equals(otherKeys->transmit));
    QVERIFY(!keys->receive.equals(otherServerKeys->transmit));
}

void KeyExchangeTest::freshKeyPairsDiffer()
{
    const KeyExchange a;
    const KeyExchange b;
    QVERIFY(a.publicKey() != b.publicKey());
    QVERIFY(a.publicKey() != KeyExchange::PublicKey {});
}

void KeyExchangeTest::rejectsSmallOrderPublicKeys_data()
{
    QTest::addColumn<KeyExchange::PublicKey>("peerKey");
    KeyExchange::PublicKey zero {};
    KeyExchange::PublicKey one {};
    one[0] = 1; // u = 1, a point of order 4 (little-endian)
    QTest::newRow("all zeros") << zero;
    QTest::newRow("u = 1") << one;
}

void KeyExchangeTest::rejectsSmallOrderPublicKeys()
{
    QFETCH(KeyExchange::PublicKey, peerKey);
    const KeyExchange self;
    QVERIFY(!self.clientKeys(peerKey).has_value());
    QVERIFY(!self.serverKeys(peerKey).has_value());
}

QTEST_APPLESS_MAIN(KeyExchangeTest)
#include "KeyExchangeTest.moc"
