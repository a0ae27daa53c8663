#include <earshot/protocol/JsonReader.h>
#include <earshot/protocol/SignalTypes.h>

#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>

using earshot::protocol::JsonReader;
using earshot::protocol::UserInfo;

namespace {

// A value no error message may repeat: errors go to logs and peers, never the input.
const QString kCanary = QStringLiteral("CANARY");

// qint64, not std::int64_t: QtTest columns and QJsonValue constructors need Qt's exact type.
constexpr qint64 kTwoTo53 = qint64{1} << 53;
constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();

QJsonObject parseObject(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

class JsonReaderTest : public QObject {
    Q_OBJECT

private slots:
    void integer_data();
    void integer();
    void string_data();
    void string();
    void base64_data();
    void base64();
    void optionalFields();
    void booleans();
    void arrays();
    void stringList();
    void nestedPaths();
    void firstErrorWins();
    void errorsNeverEchoInput();
};

void JsonReaderTest::integer_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("expected");
    QTest::addColumn<QString>("error");

    const qint64 lo = -kInt64Max;
    QTest::newRow("zero") << QJsonValue(0) << lo << kInt64Max << true << qint64{0} << QString();
    QTest::newRow("negative") << QJsonValue(-17) << lo << kInt64Max << true << qint64{-17} << QString();
    QTest::newRow("integral double") << QJsonValue(42.0) << lo << kInt64Max << true << qint64{42} << QString();
    QTest::newRow("negative zero") << QJsonValue(-0.0) << lo << kInt64Max << true << qint64{0} << QString();
    QTest::newRow("2^53") << QJsonValue(kTwoTo53) << lo << kInt64Max << true << kTwoTo53 << QString();
    QTest::newRow("-2^53") << QJsonValue(-kTwoTo53) << lo << kInt64Max << true << -kTwoTo53 << QString();
    QTest::newRow("2^53+1") << QJsonValue(kTwoTo53 + 1) << lo << kInt64Max << false << qint64{0}
                            << QStringLiteral("n: out of range");
    QTest::newRow("-2^53-1") << QJsonValue(-kTwoTo53 - 1) << lo << kInt64Max << false << qint64{0}
                             << QStringLiteral("n: out of range");
    QTest::newRow("int64 max") << QJsonValue(kInt64Max) << lo << kInt64Max << false << qint64{0}
                               << QStringLiteral("n: out of range");
    QTest::newRow("1e300") << QJsonValue(1e300) << lo << kInt64Max << false << qint64{0}
                           << QStringLiteral("n: out of range");
    QTest::newRow("fraction") << QJsonValue(1.5) << lo << kInt64Max << false << qint64{0}
                              << QStringLiteral("n: not an integer");
    QTest::newRow("tiny fraction") << QJsonValue(1e-300) << lo << kInt64Max << false << qint64{0}
                                   << QStringLiteral("n: not an integer");
    QTest::newRow("nan") << QJsonValue(std::nan("")) << lo << kInt64Max << false << qint64{0} << QString();
    QTest::newRow("infinity") << QJsonValue(std::numeric_limits<double>::infinity()) << lo << kInt64Max
                              << false << qint64{0} << QString();
    QTest::newRow("string") << QJsonValue(QStringLiteral("1")) << lo << kInt64Max << false << qint64{0}
                            << QStringLiteral("n: not an integer");
    QTest::newRow("bool") << QJsonValue(true) << lo << kInt64Max << false << qint64{0}
                          << QStringLiteral("n: not an integer");
    QTest::newRow("null") << QJsonValue() << lo << kInt64Max << false << qint64{0} << QString();
    QTest::newRow("at min") << QJsonValue(-5) << qint64{-5} << qint64{5} << true << qint64{-5} << QString();
    QTest::newRow("at max") << QJsonValue(5) << qint64{-5} << qint64{5} << true << qint64{5} << QString();
    QTest::newRow("below min") << QJsonValue(-6) << qint64{-5} << qint64{5} << false << qint64{0}
                               << QStringLiteral("n: out of range");
    QTest::newRow("above max") << QJsonValue(6) << qint64{-5} << qint64{5} << false << qint64{0}
                               << QStringLiteral("n: out of range");
    QTest::newRow("uint32 max") << QJsonValue(qint64{4294967295}) << qint64{0} << qint64{4294967295}
                                << true << qint64{4294967295} << QString();
}

void JsonReaderTest::integer()
{
    QFETCH(QJsonValue, value);
    QFETCH(qint64, min);
    QFETCH(qint64, max);
    QFETCH(bool, ok);
    QFETCH(qint64, expected);
    QFETCH(QString, error);

    JsonReader reader(QJsonObject{{QStringLiteral("n"), value}});
    QCOMPARE(reader.integer("n", min, max), expected);
    QCOMPARE(reader.ok(), ok);
    if (!error.isEmpty())
        QCOMPARE(reader.error(), error);
}

void JsonReaderTest::string_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<qsizetype>("maxBytes");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("error");

    QTest::newRow("ascii") << QJsonValue(QStringLiteral("abc")) << qsizetype{3} << true << QString();
    QTest::newRow("empty") << QJsonValue(QString()) << qsizetype{3} << true << QString();
    QTest::newRow("ascii too long") << QJsonValue(QStringLiteral("abcd")) << qsizetype{3} << false
                                    << QStringLiteral("s: too long");
    // Four characters but eight UTF-8 bytes: the limit is in bytes.
    QTest::newRow("utf-8 fits") << QJsonValue(QStringLiteral("éééé")) << qsizetype{8} << true << QString();
    QTest::newRow("utf-8 too long") << QJsonValue(QStringLiteral("éééé")) << qsizetype{7} << false
                                    << QStringLiteral("s: too long");
    QTest::newRow("emoji too long") << QJsonValue(QStringLiteral("🎧")) << qsizetype{3} << false
                                    << QStringLiteral("s: too long");
    QTest::newRow("number") << QJsonValue(5) << qsizetype{3} << false << QStringLiteral("s: not a string");
    QTest::newRow("null") << QJsonValue() << qsizetype{3} << false << QStringLiteral("s: not a string");
    QTest::newRow("object") << QJsonValue(QJsonObject()) << qsizetype{3} << false
                            << QStringLiteral("s: not a string");
}

void JsonReaderTest::string()
{
    QFETCH(QJsonValue, value);
    QFETCH(qsizetype, maxBytes);
    QFETCH(bool, ok);
    QFETCH(QString, error);

    JsonReader reader(QJsonObject{{QStringLiteral("s"), value}});
    const QString text = reader.string("s", maxBytes);
    QCOMPARE(reader.ok(), ok);
    QCOMPARE(reader.error(), error);
    QCOMPARE(text, ok ? value.toString() : QString());
}

void JsonReaderTest::base64_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<qsizetype>("bytes");
    QTest::addColumn<qsizetype>("maxBytes");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("error");

    const auto encoded = [](int size) {
        return QJsonValue(QString::fromLatin1(QByteArray(size, '\x5a').toBase64()));
    };
    QTest::newRow("exact 32") << encoded(32) << qsizetype{32} << qsizetype{0} << true << QString();
    QTest::newRow("31 for 32") << encoded(31) << qsizetype{32} << qsizetype{0} << false
                               << QStringLiteral("b: wrong size");
    QTest::newRow("33 for 32") << encoded(33) << qsizetype{32} << qsizetype{0} << false
                               << QStringLiteral("b: wrong size");
    QTest::newRow("empty for 32") << QJsonValue(QString()) << qsizetype{32} << qsizetype{0} << false
                                  << QStringLiteral("b: wrong size");
    QTest::newRow("up to max") << encoded(10) << qsizetype{0} << qsizetype{16} << true << QString();
    QTest::newRow("empty up to max") << QJsonValue(QString()) << qsizetype{0} << qsizetype{16} << true
                                     << QString();
    QTest::newRow("over max") << encoded(17) << qsizetype{0} << qsizetype{16} << false
                              << QStringLiteral("b: wrong size");
    QTest::newRow("illegal character") << QJsonValue(QStringLiteral("AAA*")) << qsizetype{0} << qsizetype{0}
                                       << false << QStringLiteral("b: not valid base64");
    QTest::newRow("url alphabet") << QJsonValue(QStringLiteral("AA-_")) << qsizetype{0} << qsizetype{0}
                                  << false << QStringLiteral("b: not valid base64");
    QTest::newRow("whitespace") << QJsonValue(QStringLiteral("AA AA")) << qsizetype{0} << qsizetype{0}
                                << false << QStringLiteral("b: not valid base64");
    QTest::newRow("non-latin-1") << QJsonValue(QStringLiteral("AA房A")) << qsizetype{0} << qsizetype{0}
                                 << false << QStringLiteral("b: not valid base64");
    QTest::newRow("bad padding") << QJsonValue(QStringLiteral("A===")) << qsizetype{0} << qsizetype{0}
                                 << false << QStringLiteral("b: not valid base64");
    QTest::newRow("number") << QJsonValue(7) << qsizetype{0} << qsizetype{0} << false
                            << QStringLiteral("b: not a string");
}

void JsonReaderTest::base64()
{
    QFETCH(QJsonValue, value);
    QFETCH(qsizetype, bytes);
    QFETCH(qsizetype, maxBytes);
    QFETCH(bool, ok);
    QFETCH(QString, error);

    JsonReader reader(QJsonObject{{QStringLiteral("b"), value}});
    const QByteArray decoded = reader.base64("b", bytes, maxBytes);
    QCOMPARE(reader.ok(), ok);
    QCOMPARE(reader.error(), error);
    if (ok)
        QCOMPARE(decoded.toBase64(), value.toString().toLatin1());
    else
        QVERIFY(decoded.isEmpty());
}

void JsonReaderTest::optionalFields()
{
    JsonReader reader(parseObject(R"({"s":"x","n":3,"b":true,"null_s":null,"null_n":null})"));
    QCOMPARE(reader.optionalString("s"), QStringLiteral("x"));
    QCOMPARE(reader.optionalString("absent"), QString());
    QCOMPARE(reader.optionalString("null_s"), QString());
    QCOMPARE(reader.optionalInteger("n", 9, 0, 10), 3);
    QCOMPARE(reader.optionalInteger("absent", 9, 0, 10), 9);
    QCOMPARE(reader.optionalInteger("null_n", 9, 0, 10), 9);
    QCOMPARE(reader.optionalBoolean("b", false), true);
    QCOMPARE(reader.optionalBoolean("absent", true), true);
    QVERIFY(reader.ok());

    // Present but mistyped or out of range is still an error.
    JsonReader wrongType(parseObject(R"({"s":1})"));
    wrongType.optionalString("s");
    QCOMPARE(wrongType.error(), QStringLiteral("s: not a string"));
    JsonReader outOfRange(parseObject(R"({"n":11})"));
    QCOMPARE(outOfRange.optionalInteger("n", 9, 0, 10), 0);
    QCOMPARE(outOfRange.error(), QStringLiteral("n: out of range"));
    JsonReader tooLong(parseObject(R"({"s":"abcd"})"));
    tooLong.optionalString("s", 3);
    QCOMPARE(tooLong.error(), QStringLiteral("s: too long"));
}

void JsonReaderTest::booleans()
{
    JsonReader reader(parseObject(R"({"t":true,"f":false,"n":1,"s":"true"})"));
    QCOMPARE(reader.boolean("t"), true);
    QCOMPARE(reader.boolean("f"), false);
    QVERIFY(reader.ok());
    QCOMPARE(reader.boolean("n"), false);
    QCOMPARE(reader.error(), QStringLiteral("n: not a boolean"));

    JsonReader missing(QJsonObject{});
    QCOMPARE(missing.boolean("b"), false);
    QCOMPARE(missing.error(), QStringLiteral("b: missing"));
}

void JsonReaderTest::arrays()
{
    JsonReader reader(parseObject(R"({"a":[1,2,3],"o":{"k":1},"x":5})"));
    QCOMPARE(reader.array("a", 3).size(), 3);
    QCOMPARE(reader.object("o").value(QStringLiteral("k")).toInt(), 1);
    QVERIFY(reader.ok());

    JsonReader tooMany(parseObject(R"({"a":[1,2,3]})"));
    QVERIFY(tooMany.array("a", 2).isEmpty());
    QCOMPARE(tooMany.error(), QStringLiteral("a: too many items"));
    JsonReader notArray(parseObject(R"({"a":{}})"));
    notArray.array("a", 2);
    QCOMPARE(notArray.error(), QStringLiteral("a: not an array"));
    JsonReader notObject(parseObject(R"({"o":[]})"));
    notObject.object("o");
    QCOMPARE(notObject.error(), QStringLiteral("o: not an object"));
}

void JsonReaderTest::stringList()
{
    JsonReader reader(parseObject(R"({"l":["a","bb",""]})"));
    QCOMPARE(reader.stringList("l", 3, 2), (QStringList{"a", "bb", ""}));
    QVERIFY(reader.ok());

    JsonReader notString(parseObject(R"({"l":["a",2]})"));
    QVERIFY(notString.stringList("l", 3, 2).isEmpty());
    QCOMPARE(notString.error(), QStringLiteral("l[1]: not a string"));
    JsonReader tooLong(parseObject(R"({"l":["a","abc"]})"));
    tooLong.stringList("l", 3, 2);
    QCOMPARE(tooLong.error(), QStringLiteral("l[1]: too long"));
    JsonReader tooMany(parseObject(R"({"l":["a","b","c","d"]})"));
    tooMany.stringList("l", 3, 2);
    QCOMPARE(tooMany.error(), QStringLiteral("l: too many items"));
}

void JsonReaderTest::nestedPaths()
{
    JsonReader missingField(parseObject(R"({"user":{"user_name":"n"}})"));
    missingField.decode<UserInfo>("user");
    QCOMPARE(missingField.error(), QStringLiteral("user.user_id: missing"));

    JsonReader badItem(parseObject(
        R"({"users":[{"user_id":"a","user_name":"b"},{"user_id":"c","user_name":"d"},)"
        R"({"user_id":"e","user_name":"f"},7]})"));
    QCOMPARE(badItem.decodeList<UserInfo>("users", 10).size(), 3);
    QCOMPARE(badItem.error(), QStringLiteral("users[3]: not an object"));

    JsonReader badDeep(parseObject(R"({"users":[{"user_id":"a","user_name":5}]})"));
    badDeep.decodeList<UserInfo>("users", 10);
    QCOMPARE(badDeep.error(), QStringLiteral("users[0].user_name: not a string"));

    JsonReader outer(QJsonObject{}, QStringLiteral("outer"));
    JsonReader inner = outer.nested(QJsonObject{}, QStringLiteral("inner"));
    inner.integer("n");
    QCOMPARE(outer.error(), QStringLiteral("outer.inner.n: missing"));

    JsonReader good(parseObject(R"({"users":[{"user_id":"a","user_name":"b"}]})"));
    const QList<UserInfo> users = good.decodeList<UserInfo>("users", 1);
    QVERIFY(good.ok());
    QCOMPARE(users.size(), 1);
    QCOMPARE(users.front().userId, QStringLiteral("a"));
}

void JsonReaderTest::firstErrorWins()
{
    JsonReader reader(parseObject(R"({"a":"x","b":"y"})"));
    QCOMPARE(reader.integer("a"), 0);
    reader.integer("b");
    reader.fail(QStringLiteral("later"));
    QCOMPARE(reader.error(), QStringLiteral("a: not an integer"));

    JsonReader manual(QJsonObject{});
    manual.fail(QStringLiteral("custom: problem"));
    QVERIFY(!manual.ok());
    QCOMPARE(manual.error(), QStringLiteral("custom: problem"));
}

void JsonReaderTest::errorsNeverEchoInput()
{
    QJsonObject object{{QStringLiteral("s"), QString(kCanary).repeated(10)},
                       {QStringLiteral("b"), kCanary},
                       {QStringLiteral("n"), kCanary},
                       {QStringLiteral("l"), QJsonArray{kCanary, QString(kCanary).repeated(5)}}};
    const auto check = [&](auto&& read) {
        JsonReader reader(object);
        read(reader);
        QVERIFY(!reader.ok());
        QVERIFY2(!reader.error().contains(kCanary), qPrintable(reader.error()));
    };
    check([](JsonReader& r) { r.string("s", 8); });
    check([](JsonReader& r) { r.base64("b", 32); });
    check([](JsonReader& r) { r.integer("n"); });
    check([](JsonReader& r) { r.stringList("l", 5, 8); });
    check([](JsonReader& r) { r.object("s"); });
}

QTEST_APPLESS_MAIN(JsonReaderTest)
#include "JsonReaderTest.moc"
