#include <earshot/protocol/JsonReader.h>
#include <earshot/protocol/SignalMessage.h>

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace earshot::protocol;

Q_DECLARE_METATYPE(earshot::protocol::SignalMessage)

namespace {

// No error may repeat the input: errors are logged and sent back to peers.
const QString kCanary = QStringLiteral("CANARY");

QByteArray bytes(int size, char seed)
{
    QByteArray result(size, '\0');
    for (int i = 0; i < size; ++i)
        result[i] = static_cast<char>(seed + i * 7);
    return result;
}

UserInfo user(int n)
{
    return {QStringLiteral("user-%1").arg(n), QStringLiteral("Zoë 🎧 %1").arg(n)};
}

StreamInfo stream(int n)
{
    return {QStringLiteral("stream-%1").arg(n), user(n), QStringLiteral("{\"cam\":%1}").arg(n),
            0x80000000u + static_cast<std::uint32_t>(n)};
}

// Odd n: every field at its lower bound (but away from its default); even n: at its upper bound.
ReceiverReport report(int n)
{
    if (n % 2 != 0)
        return {QStringLiteral("stream-%1").arg(n), 1u, 1, -kMaxCumulativeLost, 1u, 1u, 1, 0};
    return {QStringLiteral("stream-%1").arg(n), 4294967295u, 255, kMaxCumulativeLost,
            static_cast<std::uint64_t>(kMaxExtendedSequence), 4294967295u, kMaxJsonInteger,
            kMaxReportedRttMs};
}

BroadcastMessageInfo broadcast(int n)
{
    return {QStringLiteral("héllo %1").arg(n), kMaxJsonInteger - static_cast<std::uint64_t>(n),
            1700000000000 + n, user(n)};
}

RoomExtraInfoItem roomItem(int n)
{
    return {QStringLiteral("key%1").arg(n), QStringLiteral("value %1").arg(n), user(n), 1700000000123 + n};
}

LoginRequest appSignLogin()
{
    return {4294967295u, QStringLiteral("room-1"), user(1), true, 50u, AuthMode::AppSign,
            bytes(32, 'm'), QString(), bytes(32, 'k')};
}

// One message of every type, each field away from its default value.
QList<QPair<QByteArray, SignalMessage>> sampleMessages()
{
    LoginRequest tokenLogin = appSignLogin();
    tokenLogin.authMode = AuthMode::Token;
    tokenLogin.appSignMac.clear();
    tokenLogin.token = QStringLiteral("04AAAA.token.bytes");
    const LoginReply loginOk{0, QStringLiteral("welcome"), QStringLiteral("room-session-9"),
                             QStringLiteral("session-7"), bytes(32, 's'), {user(2), user(3)},
                             {stream(2), StreamInfo{"stream-3", user(3), {}, 4294967295u}}, {roomItem(1)},
                             3600, 4294967295u};
    const LoginReply loginFailed{1002033, QStringLiteral("auth failed"), QStringLiteral("rs"),
                                 QStringLiteral("s"), {}, {user(4)}, {stream(4)}, {roomItem(2)}, 5};
    return {
        {"hello", {0, HelloEvent{QStringLiteral("0.1.0"), bytes(32, 'c'), bytes(32, 'p'), 10000, 65535}}},
        {"login appsign", {1, appSignLogin()}},
        {"login token", {kMaxJsonInteger, tokenLogin}},
        {"login_reply ok", {1, loginOk}},
        {"login_reply failed", {2, loginFailed}},
        {"resume", {3, ResumeRequest{QStringLiteral("session-7"), bytes(32, 'r')}}},
        {"logout", {4, LogoutRequest{QStringLiteral("room-1")}}},
        {"heartbeat", {5, HeartbeatRequest{}}},
        {"heartbeat_reply", {5, HeartbeatReply{7, 1700000000999}}},
        {"renew_token", {6, RenewTokenRequest{QStringLiteral("room-1"), QStringLiteral("tok")}}},
        {"reply", {6, GenericReply{1002078, QStringLiteral("token expired")}}},
        {"token_will_expire", {0, TokenWillExpireEvent{QStringLiteral("room-1"), 30}}},
        {"kickout", {0, KickoutEvent{QStringLiteral("room-1"), 1002050, QStringLiteral("dup")}}},
        {"server_closing", {0, ServerClosingEvent{1500}}},
        {"error", {0, ErrorEvent{1000017, QStringLiteral("bad frame")}}},
        {"publish", {7, PublishRequest{QStringLiteral("s1"), QStringLiteral("extra")}}},
        {"publish_reply", {7, PublishReply{3, QStringLiteral("m"), 4294967295u}}},
        {"unpublish", {8, UnpublishRequest{QStringLiteral("s1")}}},
        {"play", {9, PlayRequest{QStringLiteral("s2")}}},
        {"play_reply", {9, PlayReply{0, QStringLiteral("playing"), false, 4294967295u, 281474976710655u}}},
        {"play_reply pending", {9, PlayReply{4, QStringLiteral("waiting"), true}}},
        {"stop_play", {10, StopPlayRequest{QStringLiteral("s2")}}},
        {"stream_update", {0, StreamUpdateEvent{QStringLiteral("room-1"), UpdateType::Delete,
                                                StreamDeleteReason::RemovedByServer,
                                                {stream(5), stream(6)}}}},
        {"set_stream_extra_info", {11, SetStreamExtraInfoRequest{QStringLiteral("s1"), QStringLiteral("x")}}},
        {"stream_extra_info_update", {0, StreamExtraInfoUpdateEvent{QStringLiteral("room-1"), {stream(7)}}}},
        {"user_update", {0, UserUpdateEvent{QStringLiteral("room-1"), UpdateType::Delete, {user(8), user(9)}}}},
        {"online_count", {0, OnlineCountEvent{QStringLiteral("room-1"), 12345}}},
        {"broadcast_message", {12, BroadcastMessageRequest{QStringLiteral("room-1"), QStringLiteral("hi ✓")}}},
        {"broadcast_message_reply", {12, BroadcastMessageReply{5, QStringLiteral("m"), kMaxJsonInteger,
                                                               1700000000001}}},
        {"broadcast_message_event", {0, BroadcastMessageEvent{QStringLiteral("room-1"),
                                                              {broadcast(1), broadcast(2)}}}},
        {"custom_command", {13, CustomCommandRequest{QStringLiteral("room-1"), QStringLiteral("cmd"),
                                                     {QStringLiteral("u1"), QStringLiteral("u2")}}}},
        {"custom_command_event", {0, CustomCommandEvent{QStringLiteral("room-1"), user(10),
                                                        QStringLiteral("cmd")}}},
        {"set_room_extra_info", {14, SetRoomExtraInfoRequest{QStringLiteral("room-1"), QStringLiteral("k"),
                                                             QStringLiteral("v")}}},
        {"room_extra_info_update", {0, RoomExtraInfoUpdateEvent{QStringLiteral("room-1"),
                                                                {roomItem(3), roomItem(4)}}}},
        {"mute_play", {15, MutePlayRequest{QStringLiteral("s2"), true}}},
        {"media_report", {0, MediaReportEvent{{report(1), report(2)}}}},
        {"receiver_report odd", {0, ReceiverReportEvent{QStringLiteral("room-1"), user(11), report(3)}}},
        {"receiver_report even", {0, ReceiverReportEvent{QStringLiteral("room-1"), user(12), report(4)}}},
    };
}

// A valid message's JSON with one top-level field replaced (or removed, with Undefined).
QByteArray withField(const SignalMessage& message, const QString& key, const QJsonValue& value)
{
    QJsonObject object = QJsonDocument::fromJson(serializeSignalMessage(message)).object();
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray nestedArrays(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

} // namespace

class SignalMessageTest : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void roundTripCoversEveryType();
    void envelope();
    void wireFieldNames();
    void malformed_data();
    void malformed();
    void bodyErrorsNameTheField();
    void mediaFieldsOptional();
    void truncatedLogin();
    void frameSizeLimit();
};

void SignalMessageTest::roundTrip_data()
{
    QTest::addColumn<SignalMessage>("message");
    for (const auto& [name, message] : sampleMessages())
        QTest::newRow(name.constData()) << message;
}

void SignalMessageTest::roundTrip()
{
    QFETCH(SignalMessage, message);
    const QByteArray text = serializeSignalMessage(message);
    const SignalParseResult result = parseSignalMessage(text);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.id, message.id);
    QCOMPARE(result.message.body.index(), message.body.index());
    // Defaulted operator== compares field by field; the texts show which field differs.
    QVERIFY2(result.message == message,
             (text + " != " + serializeSignalMessage(result.message)).constData());
    QCOMPARE(serializeSignalMessage(result.message), text);
}

void SignalMessageTest::roundTripCoversEveryType()
{
    QSet<std::size_t> covered;
    for (const auto& sample : sampleMessages())
        covered.insert(sample.second.body.index());
    QCOMPARE(covered.size(), static_cast<qsizetype>(std::variant_size_v<SignalBody>));
}

void SignalMessageTest::envelope()
{
    const QJsonObject event = QJsonDocument::fromJson(
        serializeSignalMessage(0, ServerClosingEvent{5})).object();
    QCOMPARE(event.value(QStringLiteral("v")).toInt(), 1);
    QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("server_closing"));
    QVERIFY(!event.contains(QStringLiteral("id")));

    const QByteArray request = serializeSignalMessage(42, PlayRequest{QStringLiteral("s")});
    QVERIFY(!request.contains('\n') && !request.contains(' '));
    QCOMPARE(QJsonDocument::fromJson(request).object().value(QStringLiteral("id")).toInteger(), 42);

    QCOMPARE(QByteArray(signalTypeName(SignalBody{LoginReply{}})), QByteArray("login_reply"));
    QCOMPARE(QByteArray(signalTypeName(SignalBody{HeartbeatRequest{}})), QByteArray("heartbeat"));

    // Envelope fields in any order, spacing and an integral float version are all accepted.
    const SignalParseResult loose = parseSignalMessage(
        R"( { "id" : 3 , "type" : "play" , "stream_id" : "s" , "v" : 1.0 , "extra" : [1] } )");
    QVERIFY2(loose.ok, qPrintable(loose.error));
    QCOMPARE(loose.id, 3);
    const auto* play = std::get_if<PlayRequest>(&loose.message.body);
    QVERIFY(play != nullptr);
    QCOMPARE(play->streamId, QStringLiteral("s"));
}

void SignalMessageTest::wireFieldNames()
{
    const auto keys = [](const QByteArray& text) {
        return QJsonDocument::fromJson(text).object().keys();
    };
    QCOMPARE(keys(serializeSignalMessage(1, appSignLogin())),
             (QStringList{"app_id", "app_sign_mac", "auth_mode", "client_public_key", "id",
                          "is_user_status_notify", "max_member_count", "room_id", "type", "user", "v"}));
    const QJsonObject item = roomItem(1).toJson();
    QCOMPARE(item.keys(), (QStringList{"key", "update_time_ms", "update_user", "value"}));
    QCOMPARE(item.value(QStringLiteral("update_user")).toObject().keys(),
             (QStringList{"user_id", "user_name"}));
    QCOMPARE(CustomCommandRequest{}.toJson().keys(), (QStringList{"command", "room_id", "to_user_ids"}));
    QCOMPARE(broadcast(1).toJson().keys(),
             (QStringList{"from_user", "message", "message_id", "send_time_ms"}));
    QCOMPARE(HelloEvent{}.toJson().keys(),
             (QStringList{"challenge", "heartbeat_interval_ms", "media_port", "server_public_key",
                          "server_version"}));
    QCOMPARE(report(1).toJson().keys(),
             (QStringList{"cumulative_lost", "fraction_lost", "highest_sequence", "jitter_samples",
                          "packets_received", "rtt_ms", "ssrc", "stream_id"}));
    QCOMPARE(ReceiverReportEvent{}.toJson().keys(), (QStringList{"from_user", "report", "room_id"}));
    QCOMPARE(MediaReportEvent{}.toJson().keys(), (QStringList{"reports"}));
    QCOMPARE(MutePlayRequest{}.toJson().keys(), (QStringList{"mute", "stream_id"}));
    QCOMPARE(stream(1).toJson().keys(), (QStringList{"extra_info", "ssrc", "stream_id", "user"}));
    // Zero SSRCs stay off the wire; a successful login reply always names its media session.
    QCOMPARE(StreamInfo{}.toJson().keys(), (QStringList{"stream_id", "user"}));
    QCOMPARE(PlayReply{}.toJson().keys(), (QStringList{"code", "pending"}));
    LoginReply loginReply;
    QVERIFY(loginReply.toJson().contains(QStringLiteral("media_session_id")));
    loginReply.code = 1;
    QVERIFY(!loginReply.toJson().contains(QStringLiteral("media_session_id")));
}

void SignalMessageTest::malformed_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("expectedId"); // the id a server can still reply to
    QTest::addColumn<QString>("expectedError"); // empty: any error

    const SignalMessage login{5, appSignLogin()};
    const auto loginWith = [&](const char* key, const QJsonValue& value) {
        return withField(login, QLatin1String(key), value);
    };
    const QString canary = kCanary.repeated(200);
    const auto base64Of = [](int size) { return QJsonValue(QString::fromLatin1(bytes(size, 'x').toBase64())); };

    QTest::newRow("empty") << QByteArray() << qint64{0} << QString();
    QTest::newRow("not json") << QByteArray("CANARY") << qint64{0} << QString();
    QTest::newRow("array") << QByteArray("[1,2]") << qint64{0} << QStringLiteral("not a JSON object");
    QTest::newRow("string") << QByteArray(R"("x")") << qint64{0} << QString();
    QTest::newRow("two objects") << QByteArray(R"({"v":1}{"v":1})") << qint64{0} << QString();
    QTest::newRow("nul byte") << QByteArray(R"({"v":1,"type":"heartbeat"})" "\0", 28) << qint64{0} << QString();
    QTest::newRow("v missing") << QByteArray(R"({"type":"heartbeat","id":1})") << qint64{0}
                               << QStringLiteral("unsupported version");
    QTest::newRow("v 2") << QByteArray(R"({"v":2,"type":"heartbeat"})") << qint64{0}
                         << QStringLiteral("unsupported version");
    QTest::newRow("v string") << QByteArray(R"({"v":"1","type":"heartbeat"})") << qint64{0}
                              << QStringLiteral("unsupported version");
    QTest::newRow("v 1.5") << QByteArray(R"({"v":1.5,"type":"heartbeat"})") << qint64{0}
                           << QStringLiteral("unsupported version");
    QTest::newRow("v true") << QByteArray(R"({"v":true,"type":"heartbeat"})") << qint64{0}
                            << QStringLiteral("unsupported version");
    QTest::newRow("type missing") << QByteArray(R"({"v":1,"id":7})") << qint64{7} << QStringLiteral("type: missing");
    QTest::newRow("type unknown") << QByteArray(R"({"v":1,"id":8,"type":"CANARY"})") << qint64{8}
                                  << QStringLiteral("unknown type");
    QTest::newRow("type empty") << QByteArray(R"({"v":1,"id":8,"type":""})") << qint64{8}
                                << QStringLiteral("unknown type");
    QTest::newRow("type number") << QByteArray(R"({"v":1,"id":9,"type":3})") << qint64{9}
                                 << QStringLiteral("type: not a string");
    QTest::newRow("type wrong case") << QByteArray(R"({"v":1,"type":"Heartbeat"})") << qint64{0}
                                     << QStringLiteral("unknown type");
    QTest::newRow("id negative") << QByteArray(R"({"v":1,"type":"heartbeat","id":-1})") << qint64{0}
                                 << QStringLiteral("id: out of range");
    QTest::newRow("id fractional") << QByteArray(R"({"v":1,"type":"heartbeat","id":1.5})") << qint64{0}
                                   << QStringLiteral("id: not an integer");
    QTest::newRow("id 2^53") << QByteArray(R"({"v":1,"type":"heartbeat","id":9007199254740992})")
                             << qint64{0} << QStringLiteral("id: out of range");
    QTest::newRow("id huge") << QByteArray(R"({"v":1,"type":"heartbeat","id":1e300})") << qint64{0}
                             << QStringLiteral("id: out of range");
    QTest::newRow("id beyond int64") << QByteArray(R"({"v":1,"type":"heartbeat","id":99999999999999999999})")
                                     << qint64{0} << QStringLiteral("id: out of range");
    QTest::newRow("id string") << QByteArray(R"({"v":1,"type":"heartbeat","id":"7"})") << qint64{0}
                               << QStringLiteral("id: not an integer");

    QTest::newRow("body empty") << QByteArray(R"({"v":1,"type":"login","id":42})") << qint64{42}
                                << QStringLiteral("app_id: missing");
    QTest::newRow("app_id string") << loginWith("app_id", QStringLiteral("1")) << qint64{5}
                                   << QStringLiteral("app_id: not an integer");
    QTest::newRow("app_id 2^32") << loginWith("app_id", qint64{4294967296}) << qint64{5}
                                 << QStringLiteral("app_id: out of range");
    QTest::newRow("app_id negative") << loginWith("app_id", -1) << qint64{5} << QStringLiteral("app_id: out of range");
    QTest::newRow("max_member_count 2^32") << loginWith("max_member_count", qint64{4294967296}) << qint64{5}
                                           << QStringLiteral("max_member_count: out of range");
    QTest::newRow("room_id number") << loginWith("room_id", 5) << qint64{5} << QStringLiteral("room_id: not a string");
    QTest::newRow("room_id 509 bytes") << loginWith("room_id", QString(509, u'r')) << qint64{5}
                                       << QStringLiteral("room_id: too long");
    QTest::newRow("user string") << loginWith("user", kCanary) << qint64{5} << QStringLiteral("user: not an object");
    QTest::newRow("user_id too long") << loginWith("user", QJsonObject{{"user_id", canary}, {"user_name", "n"}})
                                      << qint64{5} << QStringLiteral("user.user_id: too long");
    QTest::newRow("user_name missing") << loginWith("user", QJsonObject{{"user_id", "u"}}) << qint64{5}
                                       << QStringLiteral("user.user_name: missing");
    QTest::newRow("notify number") << loginWith("is_user_status_notify", 1) << qint64{5}
                                   << QStringLiteral("is_user_status_notify: not a boolean");
    QTest::newRow("auth_mode 2") << loginWith("auth_mode", 2) << qint64{5} << QStringLiteral("auth_mode: out of range");
    QTest::newRow("auth_mode -1") << loginWith("auth_mode", -1) << qint64{5} << QStringLiteral("auth_mode: out of range");
    QTest::newRow("key missing") << loginWith("client_public_key", QJsonValue::Undefined) << qint64{5}
                                 << QStringLiteral("client_public_key: missing");
    QTest::newRow("key 31 bytes") << loginWith("client_public_key", base64Of(31)) << qint64{5}
                                  << QStringLiteral("client_public_key: wrong size");
    QTest::newRow("key 33 bytes") << loginWith("client_public_key", base64Of(33)) << qint64{5}
                                  << QStringLiteral("client_public_key: wrong size");
    QTest::newRow("key bad base64") << loginWith("client_public_key", kCanary + "!") << qint64{5}
                                    << QStringLiteral("client_public_key: not valid base64");
    QTest::newRow("mac missing") << loginWith("app_sign_mac", QJsonValue::Undefined) << qint64{5}
                                 << QStringLiteral("app_sign_mac: missing");
    QTest::newRow("mac 16 bytes") << loginWith("app_sign_mac", base64Of(16)) << qint64{5}
                                  << QStringLiteral("app_sign_mac: wrong size");
    QTest::newRow("token mode, no token") << loginWith("auth_mode", 1) << qint64{5} << QStringLiteral("token: missing");
    QTest::newRow("nested arrays in field") << loginWith("user", QJsonDocument::fromJson(nestedArrays(500)).array())
                                            << qint64{5} << QStringLiteral("user: not an object");
    QTest::newRow("nested arrays") << nestedArrays(100000) << qint64{0} << QString();

    const auto reply = [](const char* json) { return QByteArray(R"({"v":1,"id":6,)") + json + "}"; };
    QTest::newRow("challenge 16 bytes")
        << withField({0, HelloEvent{"x", bytes(32, 'c'), bytes(32, 'p'), 1}}, "challenge", base64Of(16))
        << qint64{0} << QStringLiteral("challenge: wrong size");
    QTest::newRow("resume mac 31 bytes") << withField({6, ResumeRequest{"s", bytes(32, 'r')}}, "mac", base64Of(31))
                                         << qint64{6} << QStringLiteral("mac: wrong size");
    QTest::newRow("resume secret 16 bytes")
        << withField({6, LoginReply{}}, "resume_secret", base64Of(16)) << qint64{6}
        << QStringLiteral("resume_secret: wrong size");
    QTest::newRow("users not array") << withField({6, LoginReply{}}, "users", kCanary) << qint64{6}
                                     << QStringLiteral("users: not an array");
    QTest::newRow("streams item not object") << withField({6, LoginReply{}}, "streams", QJsonArray{1}) << qint64{6}
                                             << QStringLiteral("streams[0]: not an object");
    QTest::newRow("update_type 2") << reply(R"("type":"user_update","room_id":"r","update_type":2,"users":[])")
                                   << qint64{6} << QStringLiteral("update_type: out of range");
    QTest::newRow("reason 7")
        << reply(R"("type":"stream_update","room_id":"r","update_type":1,"reason":7,"streams":[])")
        << qint64{6} << QStringLiteral("reason: out of range");
    QTest::newRow("ssrc -1") << reply(R"("type":"publish_reply","code":0,"ssrc":-1)") << qint64{6}
                             << QStringLiteral("ssrc: out of range");
    QTest::newRow("ssrc 2^32") << reply(R"("type":"publish_reply","code":0,"ssrc":4294967296)") << qint64{6}
                               << QStringLiteral("ssrc: out of range");
    QTest::newRow("code 2^31") << reply(R"("type":"reply","code":2147483648)") << qint64{6}
                               << QStringLiteral("code: out of range");
    QTest::newRow("message_id 2^53")
        << reply(R"("type":"broadcast_message_reply","code":0,"message_id":9007199254740992,"send_time_ms":1)")
        << qint64{6} << QStringLiteral("message_id: out of range");
    QTest::newRow("message too long")
        << withField({6, BroadcastMessageRequest{"r", "m"}}, "message", QString(kCanary).repeated(683))
        << qint64{6} << QStringLiteral("message: too long");
    QTest::newRow("token too long") << withField({6, RenewTokenRequest{"r", "t"}}, "token", QString(4097, u't'))
                                    << qint64{6} << QStringLiteral("token: too long");
    const QJsonArray recipients = QJsonArray::fromStringList(QStringList(1001, QStringLiteral("u")));
    QTest::newRow("1001 recipients") << withField({6, CustomCommandRequest{"r", "c", {}}}, "to_user_ids", recipients)
                                     << qint64{6} << QStringLiteral("to_user_ids: too many items");
    QTest::newRow("recipient number") << withField({6, CustomCommandRequest{"r", "c", {}}}, "to_user_ids",
                                                   QJsonArray{"a", 3})
                                      << qint64{6} << QStringLiteral("to_user_ids[1]: not a string");

    // Media transport fields.
    const HelloEvent hello{"x", bytes(32, 'c'), bytes(32, 'p'), 1, 5004};
    QTest::newRow("media_port 70000") << withField({0, hello}, "media_port", 70000) << qint64{0}
                                      << QStringLiteral("media_port: out of range");
    QTest::newRow("media_port 65536") << withField({0, hello}, "media_port", 65536) << qint64{0}
                                      << QStringLiteral("media_port: out of range");
    QTest::newRow("media_port -1") << withField({0, hello}, "media_port", -1) << qint64{0}
                                   << QStringLiteral("media_port: out of range");
    QTest::newRow("media_port missing") << withField({0, hello}, "media_port", QJsonValue::Undefined)
                                        << qint64{0} << QStringLiteral("media_port: missing");
    QTest::newRow("media_session_id 2^32")
        << withField({6, LoginReply{}}, "media_session_id", qint64{4294967296}) << qint64{6}
        << QStringLiteral("media_session_id: out of range");
    QTest::newRow("media_session_id string")
        << withField({6, LoginReply{}}, "media_session_id", QStringLiteral("1")) << qint64{6}
        << QStringLiteral("media_session_id: not an integer");
    QTest::newRow("play_reply ssrc 2^32")
        << reply(R"("type":"play_reply","code":0,"pending":false,"ssrc":4294967296)") << qint64{6}
        << QStringLiteral("ssrc: out of range");
    QTest::newRow("play_reply highest_sequence 2^48")
        << reply(R"("type":"play_reply","code":0,"pending":false,"highest_sequence":281474976710656)") << qint64{6}
        << QStringLiteral("highest_sequence: out of range");
    QTest::newRow("play_reply ssrc -1") << reply(R"("type":"play_reply","code":0,"pending":false,"ssrc":-1)")
                                        << qint64{6} << QStringLiteral("ssrc: out of range");
    QJsonObject badSsrcStream = stream(1).toJson();
    badSsrcStream.insert("ssrc", qint64{4294967296});
    QTest::newRow("stream ssrc 2^32")
        << withField({6, StreamUpdateEvent{}}, "streams", QJsonArray{badSsrcStream}) << qint64{6}
        << QStringLiteral("streams[0].ssrc: out of range");
    badSsrcStream.insert("ssrc", -1);
    QTest::newRow("login stream ssrc -1")
        << withField({6, LoginReply{}}, "streams", QJsonArray{badSsrcStream}) << qint64{6}
        << QStringLiteral("streams[0].ssrc: out of range");
    QTest::newRow("mute_play mute number")
        << withField({16, MutePlayRequest{"s", true}}, "mute", 1) << qint64{16}
        << QStringLiteral("mute: not a boolean");
    QTest::newRow("mute_play mute missing")
        << withField({16, MutePlayRequest{"s", true}}, "mute", QJsonValue::Undefined) << qint64{16}
        << QStringLiteral("mute: missing");
    QTest::newRow("mute_play stream_id too long")
        << withField({16, MutePlayRequest{"s", true}}, "stream_id", QString(1025, u's')) << qint64{16}
        << QStringLiteral("stream_id: too long");

    // One report of a media_report (second item), with a field replaced or removed.
    const auto mediaReportWith = [](const char* key, const QJsonValue& value) {
        QJsonObject item = report(2).toJson();
        if (value.isUndefined())
            item.remove(QLatin1String(key));
        else
            item.insert(QLatin1String(key), value);
        return withField({0, MediaReportEvent{}}, "reports", QJsonArray{report(1).toJson(), item});
    };
    const auto mediaReportRow = [&](const char* name, const char* key, const QJsonValue& value,
                                    const char* problem) {
        QTest::newRow(name) << mediaReportWith(key, value) << qint64{0}
                            << QStringLiteral("reports[1].%1: %2").arg(QLatin1String(key), QLatin1String(problem));
    };
    mediaReportRow("report ssrc 2^32", "ssrc", qint64{4294967296}, "out of range");
    mediaReportRow("report ssrc -1", "ssrc", -1, "out of range");
    mediaReportRow("report ssrc missing", "ssrc", QJsonValue::Undefined, "missing");
    mediaReportRow("fraction_lost 256", "fraction_lost", 256, "out of range");
    mediaReportRow("fraction_lost -1", "fraction_lost", -1, "out of range");
    mediaReportRow("fraction_lost 0.5", "fraction_lost", 0.5, "not an integer");
    mediaReportRow("cumulative_lost 2^31+1", "cumulative_lost", qint64{2147483649}, "out of range");
    mediaReportRow("cumulative_lost -2^31-1", "cumulative_lost", qint64{-2147483649}, "out of range");
    mediaReportRow("highest_sequence 2^48", "highest_sequence", qint64{1} << 48, "out of range");
    mediaReportRow("highest_sequence -1", "highest_sequence", -1, "out of range");
    mediaReportRow("jitter_samples 2^32", "jitter_samples", qint64{4294967296}, "out of range");
    mediaReportRow("packets_received -1", "packets_received", -1, "out of range");
    mediaReportRow("packets_received 2^53", "packets_received", qint64{1} << 53, "out of range");
    mediaReportRow("rtt_ms -2", "rtt_ms", -2, "out of range");
    mediaReportRow("rtt_ms 60001", "rtt_ms", 60001, "out of range");
    mediaReportRow("rtt_ms missing", "rtt_ms", QJsonValue::Undefined, "missing");
    mediaReportRow("report stream_id too long", "stream_id", QString(1025, u's'), "too long");
    QJsonArray tooManyReports;
    for (int i = 0; i < 65; ++i)
        tooManyReports.append(report(1).toJson());
    QTest::newRow("65 reports") << withField({0, MediaReportEvent{}}, "reports", tooManyReports) << qint64{0}
                                << QStringLiteral("reports: too many items");
    QTest::newRow("reports missing") << QByteArray(R"({"v":1,"type":"media_report"})") << qint64{0}
                                     << QStringLiteral("reports: missing");
    QTest::newRow("report item not object") << withField({0, MediaReportEvent{}}, "reports", QJsonArray{7})
                                            << qint64{0} << QStringLiteral("reports[0]: not an object");
    const ReceiverReportEvent receiverReport{"r", user(1), report(1)};
    QJsonObject badRtt = report(1).toJson();
    badRtt.insert("rtt_ms", -2);
    QTest::newRow("receiver_report rtt_ms -2") << withField({0, receiverReport}, "report", badRtt) << qint64{0}
                                               << QStringLiteral("report.rtt_ms: out of range");
    QTest::newRow("receiver_report report missing")
        << withField({0, receiverReport}, "report", QJsonValue::Undefined) << qint64{0}
        << QStringLiteral("report: missing");
    QTest::newRow("receiver_report from_user missing")
        << withField({0, receiverReport}, "from_user", QJsonValue::Undefined) << qint64{0}
        << QStringLiteral("from_user: missing");

    QJsonArray manyUsers;
    for (int i = 0; i < 10001; ++i)
        manyUsers.append(1);
    QTest::newRow("10001 users") << withField({6, UserUpdateEvent{}}, "users", manyUsers) << qint64{6}
                                 << QStringLiteral("users: too many items");
}

void SignalMessageTest::malformed()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, expectedId);
    QFETCH(QString, expectedError);

    const SignalParseResult result = parseSignalMessage(input);
    QVERIFY(!result.ok);
    QVERIFY(!result.error.isEmpty());
    QCOMPARE(result.id, expectedId);
    QCOMPARE(result.message.id, expectedId);
    if (!expectedError.isEmpty())
        QCOMPARE(result.error, expectedError);
    QVERIFY2(!result.error.contains(kCanary), qPrintable(result.error));
}

void SignalMessageTest::bodyErrorsNameTheField()
{
    QJsonArray users{user(1).toJson(), user(2).toJson(), user(3).toJson(), 5};
    SignalParseResult result = parseSignalMessage(withField({11, LoginReply{}}, "users", users));
    QCOMPARE(result.error, QStringLiteral("users[3]: not an object"));
    QCOMPARE(result.id, 11);

    users[3] = QJsonObject{{"user_id", "u"}};
    result = parseSignalMessage(withField({11, LoginReply{}}, "users", users));
    QCOMPARE(result.error, QStringLiteral("users[3].user_name: missing"));

    QJsonObject badStream = stream(1).toJson();
    badStream.insert("user", QJsonObject{{"user_name", "n"}});
    result = parseSignalMessage(withField({12, StreamExtraInfoUpdateEvent{}}, "streams", QJsonArray{badStream}));
    QCOMPARE(result.error, QStringLiteral("streams[0].user.user_id: missing"));
}

// The media fields that older peers and failed replies leave out decode to 0.
void SignalMessageTest::mediaFieldsOptional()
{
    SignalParseResult result = parseSignalMessage(R"({"v":1,"id":3,"type":"play_reply","code":0,"pending":true})");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(std::get<PlayReply>(result.message.body).ssrc, 0u);
    result = parseSignalMessage(
        R"({"v":1,"id":3,"type":"play_reply","code":0,"pending":false,"ssrc":null})");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(std::get<PlayReply>(result.message.body).ssrc, 0u);

    QJsonObject json = QJsonDocument::fromJson(serializeSignalMessage(4, LoginReply{})).object();
    json.remove(QStringLiteral("media_session_id"));
    QJsonObject oldStream = stream(1).toJson();
    oldStream.remove(QStringLiteral("ssrc"));
    json.insert(QStringLiteral("streams"), QJsonArray{oldStream});
    result = parseSignalMessage(QJsonDocument(json).toJson());
    QVERIFY2(result.ok, qPrintable(result.error));
    const auto& loginReply = std::get<LoginReply>(result.message.body);
    QCOMPARE(loginReply.mediaSessionId, 0u);
    QCOMPARE(loginReply.streams.size(), 1);
    QCOMPARE(loginReply.streams.first().ssrc, 0u);

    // A failed reply never carries a media session: whatever it says is ignored, even garbage.
    json.insert(QStringLiteral("code"), 1002033);
    json.insert(QStringLiteral("media_session_id"), 77);
    result = parseSignalMessage(QJsonDocument(json).toJson());
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(std::get<LoginReply>(result.message.body).mediaSessionId, 0u);
    json.insert(QStringLiteral("media_session_id"), kCanary);
    QVERIFY(parseSignalMessage(QJsonDocument(json).toJson()).ok);

    // An empty report list is well-formed.
    result = parseSignalMessage(R"({"v":1,"type":"media_report","reports":[]})");
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(std::get<MediaReportEvent>(result.message.body).reports.isEmpty());
}

void SignalMessageTest::truncatedLogin()
{
    const QByteArray text = serializeSignalMessage(77, appSignLogin());
    QVERIFY(parseSignalMessage(text).ok);
    for (qsizetype length = 0; length < text.size(); ++length) {
        const SignalParseResult result = parseSignalMessage(text.first(length));
        QVERIFY2(!result.ok, QByteArray::number(length).constData());
        QVERIFY(!result.error.isEmpty());
    }
}

void SignalMessageTest::frameSizeLimit()
{
    const QByteArray text = serializeSignalMessage(1, HeartbeatRequest{});
    // Trailing whitespace keeps the JSON valid, so only the size decides.
    const QByteArray atLimit = text + QByteArray(kMaxSignalMessageBytes - text.size(), ' ');
    QVERIFY(parseSignalMessage(atLimit).ok);
    const SignalParseResult over = parseSignalMessage(atLimit + ' ');
    QVERIFY(!over.ok);
    QCOMPARE(over.error, QStringLiteral("message too large"));
}

QTEST_APPLESS_MAIN(SignalMessageTest)
#include "SignalMessageTest.moc"
