#include "EventPrinter.h"

#include "EnumNames.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <cstdio>

namespace earshot::cli {

namespace {

void writeLine(std::FILE* stream, const QByteArray& line)
{
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

QString withError(const QString& text, int errorCode)
{
    if (errorCode == 0)
        return text;
    return QStringLiteral("%1: %2 (code %3)")
        .arg(text, errorText(errorCode, Language::English))
        .arg(errorCode);
}

QJsonObject userJson(const User& user)
{
    return { { QStringLiteral("userID"), user.userID }, { QStringLiteral("userName"), user.userName } };
}

QJsonArray userListJson(const QList<User>& users)
{
    QJsonArray list;
    for (const User& user : users)
        list.append(userJson(user));
    return list;
}

QJsonArray streamListJson(const QList<Stream>& streams)
{
    QJsonArray list;
    for (const Stream& stream : streams)
        list.append(QJsonObject { { QStringLiteral("streamID"), stream.streamID },
            { QStringLiteral("user"), userJson(stream.user) },
            { QStringLiteral("extraInfo"), stream.extraInfo } });
    return list;
}

QString streamIds(const QList<Stream>& streams)
{
    QStringList ids;
    for (const Stream& stream : streams)
        ids << QStringLiteral("%1 (%2)").arg(stream.streamID, stream.user.userID);
    return ids.join(QStringLiteral(", "));
}

QJsonObject publishQualityJson(const PublishStreamQuality& q)
{
    return { { QStringLiteral("audioSendBytesPerSecondKbps"), q.audioSendBytesPerSecondKbps },
        { QStringLiteral("rttMs"), q.rttMs }, { QStringLiteral("packetLossRate"), q.packetLossRate },
        { QStringLiteral("redundantFrames"), q.redundantFrames }, { QStringLiteral("mos"), q.mos },
        { QStringLiteral("level"), nameOf(q.level) } };
}

QJsonObject playQualityJson(const PlayStreamQuality& q)
{
    return { { QStringLiteral("audioRecvKbps"), q.audioRecvKbps }, { QStringLiteral("rttMs"), q.rttMs },
        { QStringLiteral("packetLossRate"), q.packetLossRate }, { QStringLiteral("jitterMs"), q.jitterMs },
        { QStringLiteral("jitterBufferDelayMs"), q.jitterBufferDelayMs },
        { QStringLiteral("concealedMs"), static_cast<qint64>(q.concealedMs) },
        { QStringLiteral("mos"), q.mos }, { QStringLiteral("level"), nameOf(q.level) } };
}

QJsonObject soundLevelJson(const SoundLevelInfo& level)
{
    return { { QStringLiteral("soundLevel"), double(level.soundLevel) },
        { QStringLiteral("vad"), level.vad } };
}

QString wallClock(qint64 unixMicros)
{
    return QDateTime::fromMSecsSinceEpoch(unixMicros / 1000).toString(Qt::ISODateWithMs);
}

} // namespace

EventPrinter::EventPrinter(EventFormat format, QObject* parent)
    : QObject(parent)
    , m_format(format)
{
    m_clock.start();
}

void EventPrinter::attach(const Engine& engine)
{
    attachRoom(engine);
    attachStreams(engine);
    attachDevicesAndMessages(engine);
}

void EventPrinter::error(const QString& text)
{
    writeLine(stderr, QStringLiteral("earshot-cli: %1").arg(text).toUtf8());
}

void EventPrinter::note(const QString& text)
{
    if (m_format == EventFormat::Text)
        writeLine(stderr, text.toUtf8());
}

void EventPrinter::print(const QString& event, const QJsonObject& arguments, const QString& text)
{
    if (m_format == EventFormat::Text) {
        if (!text.isEmpty())
            writeLine(stderr, text.toUtf8());
        return;
    }
    // "t" and "event" first, for a reader (QJsonObject sorts its keys).
    // Event names are the engine's signal names: identifiers, nothing to escape.
    QByteArray line
        = "{\"t\":" + QByteArray::number(m_clock.elapsed()) + ",\"event\":\"" + event.toUtf8() + '"';
    if (!arguments.isEmpty())
        line += ',' + QJsonDocument(arguments).toJson(QJsonDocument::Compact).mid(1);
    else
        line += '}';
    writeLine(stdout, line);
}

void EventPrinter::attachRoom(const Engine& engine)
{
    connect(&engine, &Engine::roomStateUpdate, this,
        [this](const QString& roomID, RoomState state, int errorCode, const QString& extendedData) {
            print(QStringLiteral("roomStateUpdate"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("state"), nameOf(state) },
                    { QStringLiteral("errorCode"), errorCode },
                    { QStringLiteral("extendedData"), extendedData } },
                {});
        });
    connect(&engine, &Engine::roomStateChanged, this,
        [this](const QString& roomID, RoomStateChangedReason reason, int errorCode,
            const QString& extendedData) {
            print(QStringLiteral("roomStateChanged"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("reason"), nameOf(reason) },
                    { QStringLiteral("errorCode"), errorCode },
                    { QStringLiteral("extendedData"), extendedData } },
                withError(QStringLiteral("room %1: %2").arg(roomID, nameOf(reason)), errorCode));
        });
    connect(&engine, &Engine::roomUserUpdate, this,
        [this](const QString& roomID, UpdateType updateType, const QList<User>& users) {
            QStringList ids;
            for (const User& user : users)
                ids << QStringLiteral("%1 (%2)").arg(user.userID, user.userName);
            print(QStringLiteral("roomUserUpdate"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("updateType"), nameOf(updateType) },
                    { QStringLiteral("userList"), userListJson(users) } },
                QStringLiteral("room %1: users %2: %3").arg(roomID, nameOf(updateType), ids.join(u", ")));
        });
    connect(&engine, &Engine::roomStreamUpdate, this,
        [this](const QString& roomID, UpdateType updateType, const QList<Stream>& streams,
            const QString& extendedData) {
            print(QStringLiteral("roomStreamUpdate"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("updateType"), nameOf(updateType) },
                    { QStringLiteral("streamList"), streamListJson(streams) },
                    { QStringLiteral("extendedData"), extendedData } },
                QStringLiteral("room %1: streams %2: %3 %4")
                    .arg(roomID, nameOf(updateType), streamIds(streams), extendedData)
                    .trimmed());
        });
    connect(&engine, &Engine::roomStreamExtraInfoUpdate, this,
        [this](const QString& roomID, const QList<Stream>& streams) {
            print(QStringLiteral("roomStreamExtraInfoUpdate"),
                { { QStringLiteral("roomID"), roomID },
                    { QStringLiteral("streamList"), streamListJson(streams) } },
                QStringLiteral("room %1: stream extra info of %2").arg(roomID, streamIds(streams)));
        });
    connect(&engine, &Engine::roomExtraInfoUpdate, this,
        [this](const QString& roomID, const QString& key, const QString& value) {
            print(QStringLiteral("roomExtraInfoUpdate"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("key"), key },
                    { QStringLiteral("value"), value } },
                QStringLiteral("room %1: extra info %2 = %3").arg(roomID, key, value));
        });
    connect(&engine, &Engine::roomOnlineUserCountUpdate, this, [this](const QString& roomID, int count) {
        print(QStringLiteral("roomOnlineUserCountUpdate"),
            { { QStringLiteral("roomID"), roomID }, { QStringLiteral("count"), count } },
            QStringLiteral("room %1: %2 online").arg(roomID).arg(count));
    });
    connect(&engine, &Engine::roomTokenWillExpire, this, [this](const QString& roomID, int remainSeconds) {
        print(QStringLiteral("roomTokenWillExpire"),
            { { QStringLiteral("roomID"), roomID }, { QStringLiteral("remainSeconds"), remainSeconds } },
            QStringLiteral("room %1: the token expires in %2 s").arg(roomID).arg(remainSeconds));
    });
}

void EventPrinter::attachStreams(const Engine& engine)
{
    connect(&engine, &Engine::publisherStateUpdate, this,
        [this](const QString& streamID, PublisherState state, int errorCode, const QString& extendedData) {
            print(QStringLiteral("publisherStateUpdate"),
                { { QStringLiteral("streamID"), streamID }, { QStringLiteral("state"), nameOf(state) },
                    { QStringLiteral("errorCode"), errorCode },
                    { QStringLiteral("extendedData"), extendedData } },
                withError(QStringLiteral("publish %1: %2").arg(streamID, nameOf(state)), errorCode));
        });
    connect(&engine, &Engine::playerStateUpdate, this,
        [this](const QString& streamID, PlayerState state, int errorCode, const QString& extendedData) {
            print(QStringLiteral("playerStateUpdate"),
                { { QStringLiteral("streamID"), streamID }, { QStringLiteral("state"), nameOf(state) },
                    { QStringLiteral("errorCode"), errorCode },
                    { QStringLiteral("extendedData"), extendedData } },
                withError(QStringLiteral("play %1: %2").arg(streamID, nameOf(state)), errorCode));
        });
    connect(&engine, &Engine::publisherCapturedAudioFirstFrame, this, [this] {
        print(QStringLiteral("publisherCapturedAudioFirstFrame"), {},
            QStringLiteral("publish: first audio captured"));
    });
    connect(&engine, &Engine::playerRecvAudioFirstFrame, this, [this](const QString& streamID) {
        print(QStringLiteral("playerRecvAudioFirstFrame"), { { QStringLiteral("streamID"), streamID } },
            QStringLiteral("play %1: first audio received").arg(streamID));
    });
    connect(&engine, &Engine::publisherQualityUpdate, this,
        [this](const QString& streamID, const PublishStreamQuality& q) {
            print(QStringLiteral("publisherQualityUpdate"),
                { { QStringLiteral("streamID"), streamID },
                    { QStringLiteral("quality"), publishQualityJson(q) } },
                QStringLiteral("publish %1: %2 kbit/s, rtt %3 ms, loss %4 %, MOS %5 (%6)")
                    .arg(streamID)
                    .arg(q.audioSendBytesPerSecondKbps, 0, 'f', 1)
                    .arg(q.rttMs)
                    .arg(q.packetLossRate * 100.0, 0, 'f', 1)
                    .arg(q.mos, 0, 'f', 2)
                    .arg(nameOf(q.level)));
        });
    connect(&engine, &Engine::playerQualityUpdate, this,
        [this](const QString& streamID, const PlayStreamQuality& q) {
            print(QStringLiteral("playerQualityUpdate"),
                { { QStringLiteral("streamID"), streamID },
                    { QStringLiteral("quality"), playQualityJson(q) } },
                QStringLiteral(
                    "play %1: %2 kbit/s, rtt %3 ms, loss %4 %, jitter %5 ms, buffer %6 ms, concealed %7 ms, "
                    "MOS %8 (%9)")
                    .arg(streamID)
                    .arg(q.audioRecvKbps, 0, 'f', 1)
                    .arg(q.rttMs)
                    .arg(q.packetLossRate * 100.0, 0, 'f', 1)
                    .arg(q.jitterMs, 0, 'f', 1)
                    .arg(q.jitterBufferDelayMs, 0, 'f', 0)
                    .arg(q.concealedMs)
                    .arg(q.mos, 0, 'f', 2)
                    .arg(nameOf(q.level)));
        });
    connect(&engine, &Engine::remoteMicStateUpdate, this, [this](const QString& streamID, bool muted) {
        print(QStringLiteral("remoteMicStateUpdate"),
            { { QStringLiteral("streamID"), streamID }, { QStringLiteral("muted"), muted } },
            QStringLiteral("play %1: microphone %2").arg(streamID, muted ? u"muted" : u"on"));
    });
    connect(&engine, &Engine::capturedSoundLevelUpdate, this, [this](const SoundLevelInfo& level) {
        print(QStringLiteral("capturedSoundLevelUpdate"), soundLevelJson(level), {});
    });
    connect(
        &engine, &Engine::remoteSoundLevelUpdate, this, [this](const QHash<QString, SoundLevelInfo>& levels) {
            QJsonObject byStream;
            for (auto it = levels.cbegin(); it != levels.cend(); ++it)
                byStream.insert(it.key(), soundLevelJson(it.value()));
            print(QStringLiteral("remoteSoundLevelUpdate"), { { QStringLiteral("soundLevels"), byStream } },
                {});
        });
}

void EventPrinter::attachDevicesAndMessages(const Engine& engine)
{
    connect(&engine, &Engine::audioDeviceStateChanged, this,
        [this](AudioDeviceState state, AudioDeviceType type, const DeviceInfo& device) {
            print(QStringLiteral("audioDeviceStateChanged"),
                { { QStringLiteral("state"), nameOf(state) }, { QStringLiteral("type"), nameOf(type) },
                    { QStringLiteral("deviceInfo"),
                        QJsonObject { { QStringLiteral("deviceID"), device.deviceID },
                            { QStringLiteral("deviceName"), device.deviceName },
                            { QStringLiteral("isDefault"), device.isDefault } } } },
                QStringLiteral("audio device %1: %2 %3 (%4)")
                    .arg(nameOf(state), nameOf(type), device.deviceName, device.deviceID));
        });
    connect(&engine, &Engine::audioDeviceError, this, [this](int errorCode) {
        print(QStringLiteral("audioDeviceError"), { { QStringLiteral("errorCode"), errorCode } },
            withError(QStringLiteral("audio device error"), errorCode));
    });
    connect(&engine, &Engine::audioDeviceStarted, this, [this](AudioDeviceType type, qint64 unixMicros) {
        const bool input = type == AudioDeviceType::Input;
        print(input ? QStringLiteral("captureStarted") : QStringLiteral("playbackStarted"),
            { { QStringLiteral("unixMicros"), unixMicros } },
            QStringLiteral("%1 started at %2").arg(input ? u"capture" : u"playback", wallClock(unixMicros)));
    });
    connect(&engine, &Engine::IMRecvBroadcastMessage, this,
        [this](const QString& roomID, const QList<BroadcastMessageInfo>& messages) {
            QJsonArray list;
            QStringList lines;
            for (const BroadcastMessageInfo& m : messages) {
                list.append(QJsonObject { { QStringLiteral("message"), m.message },
                    { QStringLiteral("messageID"), static_cast<qint64>(m.messageID) },
                    { QStringLiteral("sendTime"), static_cast<qint64>(m.sendTime) },
                    { QStringLiteral("fromUser"), userJson(m.fromUser) } });
                lines << QStringLiteral("room %1: message from %2: %3")
                             .arg(roomID, m.fromUser.userID, m.message);
            }
            print(QStringLiteral("IMRecvBroadcastMessage"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("messageList"), list } },
                lines.join(QLatin1Char('\n')));
        });
    connect(&engine, &Engine::IMRecvCustomCommand, this,
        [this](const QString& roomID, const User& fromUser, const QString& command) {
            print(QStringLiteral("IMRecvCustomCommand"),
                { { QStringLiteral("roomID"), roomID }, { QStringLiteral("fromUser"), userJson(fromUser) },
                    { QStringLiteral("command"), command } },
                QStringLiteral("room %1: command from %2: %3").arg(roomID, fromUser.userID, command));
        });
    connect(
        &engine, &Engine::broadcastMessageSent, this, [this](int sequence, int errorCode, quint64 messageID) {
            print(QStringLiteral("broadcastMessageSent"),
                { { QStringLiteral("sequence"), sequence }, { QStringLiteral("errorCode"), errorCode },
                    { QStringLiteral("messageID"), static_cast<qint64>(messageID) } },
                errorCode != 0 ? withError(QStringLiteral("message %1 not sent").arg(sequence), errorCode)
                               : QString());
        });
    connect(&engine, &Engine::customCommandSent, this, [this](int sequence, int errorCode) {
        print(QStringLiteral("customCommandSent"),
            { { QStringLiteral("sequence"), sequence }, { QStringLiteral("errorCode"), errorCode } },
            errorCode != 0 ? withError(QStringLiteral("command %1 not sent").arg(sequence), errorCode)
                           : QString());
    });
}

} // namespace earshot::cli
