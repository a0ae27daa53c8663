#include <earshot/protocol/Identifiers.h>

#include <QTest>

#include <string>

using earshot::protocol::ErrorCode;

Q_DECLARE_METATYPE(ErrorCode)

class IdentifiersTest : public QObject {
    Q_OBJECT

private slots:
    void roomId_data();
    void roomId();
    void userId_data();
    void userId();
    void userName_data();
    void userName();
    void streamId_data();
    void streamId();
};

void IdentifiersTest::roomId_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<ErrorCode>("expected");
    QTest::newRow("simple") << QByteArray("room1") << ErrorCode::Success;
    QTest::newRow("punctuation") << QByteArray("~!@#$%^&*()_+=-`;',.<>\\") << ErrorCode::Success;
    QTest::newRow("127 bytes") << QByteArray(127, 'r') << ErrorCode::Success;
    QTest::newRow("128 bytes") << QByteArray(128, 'r') << ErrorCode::RoomIdTooLong;
    QTest::newRow("empty") << QByteArray() << ErrorCode::RoomIdEmpty;
    QTest::newRow("space") << QByteArray("a room") << ErrorCode::RoomIdInvalidCharacter;
    QTest::newRow("slash") << QByteArray("a/b") << ErrorCode::RoomIdInvalidCharacter;
    QTest::newRow("double quote") << QByteArray("a\"b") << ErrorCode::RoomIdInvalidCharacter;
    QTest::newRow("utf-8") << QByteArray("房间") << ErrorCode::RoomIdInvalidCharacter;
    QTest::newRow("nul") << QByteArray("a\0b", 3) << ErrorCode::RoomIdInvalidCharacter;
}

void IdentifiersTest::roomId()
{
    QFETCH(QByteArray, value);
    QFETCH(ErrorCode, expected);
    QCOMPARE(earshot::protocol::validateRoomId({value.constData(), std::size_t(value.size())}), expected);
}

void IdentifiersTest::userId_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<ErrorCode>("expected");
    QTest::newRow("simple") << QByteArray("alice_01") << ErrorCode::Success;
    QTest::newRow("63 bytes") << QByteArray(63, 'u') << ErrorCode::Success;
    QTest::newRow("64 bytes") << QByteArray(64, 'u') << ErrorCode::UserIdTooLong;
    QTest::newRow("empty") << QByteArray() << ErrorCode::UserIdEmpty;
    QTest::newRow("space") << QByteArray("al ice") << ErrorCode::UserIdInvalidCharacter;
    QTest::newRow("question mark") << QByteArray("who?") << ErrorCode::UserIdInvalidCharacter;
}

void IdentifiersTest::userId()
{
    QFETCH(QByteArray, value);
    QFETCH(ErrorCode, expected);
    QCOMPARE(earshot::protocol::validateUserId({value.constData(), std::size_t(value.size())}), expected);
}

void IdentifiersTest::userName_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<ErrorCode>("expected");
    QTest::newRow("ascii with space") << QByteArray("Alice Smith") << ErrorCode::Success;
    QTest::newRow("chinese") << QByteArray("小明") << ErrorCode::Success;
    QTest::newRow("emoji") << QByteArray("\xf0\x9f\x8e\xa7 dj") << ErrorCode::Success;
    QTest::newRow("255 bytes") << QByteArray(255, 'n') << ErrorCode::Success;
    QTest::newRow("256 bytes") << QByteArray(256, 'n') << ErrorCode::UserNameTooLong;
    QTest::newRow("empty") << QByteArray() << ErrorCode::UserNameEmpty;
    QTest::newRow("newline") << QByteArray("a\nb") << ErrorCode::UserNameInvalidCharacter;
    QTest::newRow("truncated utf-8") << QByteArray("\xe5\xb0") << ErrorCode::UserNameInvalidCharacter;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << ErrorCode::UserNameInvalidCharacter;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << ErrorCode::UserNameInvalidCharacter;
    QTest::newRow("lone continuation") << QByteArray("\x80") << ErrorCode::UserNameInvalidCharacter;
}

void IdentifiersTest::userName()
{
    QFETCH(QByteArray, value);
    QFETCH(ErrorCode, expected);
    QCOMPARE(earshot::protocol::validateUserName({value.constData(), std::size_t(value.size())}), expected);
}

void IdentifiersTest::streamId_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<ErrorCode>("expected");
    QTest::newRow("simple") << QByteArray("stream-1_a") << ErrorCode::Success;
    QTest::newRow("256") << QByteArray(256, 's') << ErrorCode::Success;
    QTest::newRow("257") << QByteArray(257, 's') << ErrorCode::StreamIdTooLong;
    QTest::newRow("empty") << QByteArray() << ErrorCode::StreamIdEmpty;
    QTest::newRow("dot") << QByteArray("a.b") << ErrorCode::StreamIdInvalidCharacter;
    QTest::newRow("room punctuation") << QByteArray("a!b") << ErrorCode::StreamIdInvalidCharacter;
}

void IdentifiersTest::streamId()
{
    QFETCH(QByteArray, value);
    QFETCH(ErrorCode, expected);
    QCOMPARE(earshot::protocol::validateStreamId({value.constData(), std::size_t(value.size())}), expected);
}

QTEST_APPLESS_MAIN(IdentifiersTest)
#include "IdentifiersTest.moc"
