#include "CliOptions.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>

namespace earshot::cli {

namespace {

constexpr int kMaxPlays = 12; // API.md §3: at most 12 streams played at once
constexpr int kMaxMessageBytes = 1024; // API.md §4
constexpr double kMaxToneHz = 20'000.0; // well below Nyquist at 48 kHz
constexpr double kMaxDurationSeconds = 2'000'000.0; // QTimer's int milliseconds: ~23 days
constexpr int kMaxDevicePeriodMs = 100;
constexpr int kMaxPlaybackQueueMs = 100;
constexpr std::array kFrameDurationsMs { 10, 20, 40, 60 }; // Opus frames the engine offers
constexpr int kMaxStreamIdChars = 256; // API.md §5

// The options, in the order --help lists them.
struct Options {
    QCommandLineOption help { { QStringLiteral("h"), QStringLiteral("help") },
        QStringLiteral("Show this help and exit.") };
    QCommandLineOption version { QStringLiteral("version"), QStringLiteral("Show the version and exit.") };
    QCommandLineOption server { QStringLiteral("server"),
        QStringLiteral("Signalling server, ws://HOST:PORT/ or wss://."), QStringLiteral("URL") };
    QCommandLineOption appId { QStringLiteral("app-id"), QStringLiteral("AppID (a positive integer)."),
        QStringLiteral("N") };
    QCommandLineOption appSign { QStringLiteral("app-sign"), QStringLiteral("AppSign, 64 hex digits."),
        QStringLiteral("HEX") };
    QCommandLineOption token { QStringLiteral("token"),
        QStringLiteral("Log in with this token instead of an AppSign."), QStringLiteral("TOKEN") };
    QCommandLineOption room { QStringLiteral("room"), QStringLiteral("Room ID."), QStringLiteral("ROOM") };
    QCommandLineOption user { QStringLiteral("user"), QStringLiteral("User ID."), QStringLiteral("USER") };
    QCommandLineOption userName { QStringLiteral("user-name"),
        QStringLiteral("User name (default: the user ID)."), QStringLiteral("NAME") };
    QCommandLineOption notifyUsers { QStringLiteral("notify-users"),
        QStringLiteral("Receive roomUserUpdate (RoomConfig isUserStatusNotify).") };
    QCommandLineOption publish { QStringLiteral("publish"),
        QStringLiteral("Publish the input as this stream."), QStringLiteral("STREAM_ID") };
    QCommandLineOption input { QStringLiteral("input"),
        QStringLiteral("Capture from this WAV file (any rate and channels; silence after its end)."),
        QStringLiteral("FILE.wav") };
    QCommandLineOption tone { QStringLiteral("tone"),
        QStringLiteral("Capture a sine tone of this frequency."), QStringLiteral("HZ") };
    QCommandLineOption inputDevice { QStringLiteral("input-device"),
        QStringLiteral("Capture from this device (an ID from `earshot-cli devices`)."),
        QStringLiteral("ID") };
    QCommandLineOption play { QStringLiteral("play"),
        QStringLiteral("Play this stream (repeatable, at most 12); waits for it if it is not "
                       "published yet, and again after it goes away."),
        QStringLiteral("STREAM_ID") };
    QCommandLineOption playAll { QStringLiteral("play-all"),
        QStringLiteral("Play every stream in the room, as streams come and go (a stream that "
                       "goes away is stopped).") };
    QCommandLineOption output { QStringLiteral("output"),
        QStringLiteral("Write the mixed playback to this WAV (48 kHz mono 16-bit, real time, "
                       "silence when nothing plays)."),
        QStringLiteral("FILE.wav") };
    QCommandLineOption outputDevice { QStringLiteral("output-device"),
        QStringLiteral("Play on this device (an ID from `earshot-cli devices`)."), QStringLiteral("ID") };
    QCommandLineOption devicePeriod { QStringLiteral("device-period-ms"),
        QStringLiteral("Audio device period in ms, 1-100, e.g. 2.5 (default 10)."), QStringLiteral("MS") };
    QCommandLineOption playbackQueue { QStringLiteral("playback-queue-ms"),
        QStringLiteral("Audio queued for the speaker beyond one device period, 0-100 ms (default 10): "
                       "less is lower latency, too little crackles on a busy machine."),
        QStringLiteral("MS") };
    QCommandLineOption frameDuration { QStringLiteral("frame-ms"),
        QStringLiteral("Opus frame duration in ms: 10, 20, 40 or 60 (default 20)."), QStringLiteral("N") };
    QCommandLineOption lowDelayCodec { QStringLiteral("low-delay-codec"),
        QStringLiteral("Opus in its restricted low-delay mode (CELT only): 4 ms less latency, no "
                       "SILK and no in-band FEC.") };
    QCommandLineOption duration { QStringLiteral("duration"),
        QStringLiteral("Log out and exit this long after logging in (default: run until "
                       "SIGINT or SIGTERM)."),
        QStringLiteral("SECONDS") };
    QCommandLineOption events { QStringLiteral("events"),
        QStringLiteral("Print every engine event as one JSON object per line on stdout.") };
    QCommandLineOption message { QStringLiteral("message"),
        QStringLiteral("Broadcast this message to the room after logging in (repeatable, "
                       "sent in order)."),
        QStringLiteral("TEXT") };

    void addTo(QCommandLineParser& parser) const
    {
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        parser.setApplicationDescription(QStringLiteral(
            "The headless Earshot voice client.\n\n"
            "  earshot-cli --server URL --app-id N (--app-sign HEX | --token TOKEN) --room ROOM --user USER\n"
            "              [--user-name NAME] [--notify-users]\n"
            "              [--publish STREAM_ID] [--input FILE.wav | --tone HZ | --input-device ID]\n"
            "              [--play STREAM_ID]... [--play-all] [--output FILE.wav | --output-device ID]\n"
            "              [--device-period-ms N] [--playback-queue-ms MS] [--frame-ms 10|20|40|60]\n"
            "              [--low-delay-codec] [--duration SECONDS] [--events]\n"
            "              [--message TEXT]...\n"
            "  earshot-cli devices"));
        parser.addPositionalArgument(QStringLiteral("devices"),
            QStringLiteral("List the audio input and output devices and exit."), QStringLiteral("[devices]"));
        for (const QCommandLineOption* option : { &help, &version, &server, &appId, &appSign, &token, &room,
                 &user, &userName, &notifyUsers, &publish, &input, &tone, &inputDevice, &play, &playAll,
                 &output, &outputDevice, &devicePeriod, &playbackQueue, &frameDuration, &lowDelayCodec, &duration,
                 &events, &message })
            parser.addOption(*option);
    }
};

bool isHex(const QString& text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
    });
}

// API.md §5: 1–256 characters of [A-Za-z0-9_-] (the engine checks again).
bool isStreamId(const QString& id)
{
    return !id.isEmpty() && id.size() <= kMaxStreamIdChars
        && std::all_of(id.cbegin(), id.cend(), [](QChar c) {
               const char16_t u = c.unicode();
               return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                   || u == u'_' || u == u'-';
           });
}

// Reads the value of `option` as a number; error text when it is not one.
QString parseDouble(
    const QCommandLineParser& parser, const QCommandLineOption& option, double min, double max, double* value)
{
    bool ok = false;
    const double parsed = parser.value(option).toDouble(&ok);
    if (!ok || !std::isfinite(parsed) || parsed <= min || parsed > max)
        return QStringLiteral("--%1: expected a number above %2 and at most %3, got \"%4\"")
            .arg(option.names().constLast())
            .arg(QString::number(min, 'g', 10), QString::number(max, 'g', 10), parser.value(option));
    *value = parsed;
    return {};
}

QString checkRoomOptions(const QCommandLineParser& parser, const Options& o, CliOptions& options)
{
    for (const QCommandLineOption* required : { &o.server, &o.appId, &o.room, &o.user }) {
        if (!parser.isSet(*required) || parser.value(*required).isEmpty())
            return QStringLiteral("--%1 is required").arg(required->names().constLast());
    }
    options.server = QUrl(parser.value(o.server), QUrl::StrictMode);
    const QString scheme = options.server.scheme();
    if (!options.server.isValid() || options.server.host().isEmpty()
        || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")))
        return QStringLiteral("--server: expected ws://HOST:PORT/ or wss://HOST:PORT/, got \"%1\"")
            .arg(parser.value(o.server));
    bool ok = false;
    const uint appId = parser.value(o.appId).toUInt(&ok);
    if (!ok || appId == 0)
        return QStringLiteral("--app-id: expected a positive integer, got \"%1\"").arg(parser.value(o.appId));
    options.appId = appId;
    if (parser.isSet(o.appSign) == parser.isSet(o.token))
        return QStringLiteral("give exactly one of --app-sign and --token");
    options.appSign = parser.value(o.appSign);
    options.token = parser.value(o.token);
    if (parser.isSet(o.appSign) && (options.appSign.size() != 64 || !isHex(options.appSign)))
        return QStringLiteral("--app-sign: expected 64 hex digits");
    if (parser.isSet(o.token) && options.token.isEmpty())
        return QStringLiteral("--token: empty");
    options.roomId = parser.value(o.room);
    options.userId = parser.value(o.user);
    options.userName = parser.isSet(o.userName) ? parser.value(o.userName) : options.userId;
    options.notifyUsers = parser.isSet(o.notifyUsers);
    return {};
}

QString checkAudioOptions(const QCommandLineParser& parser, const Options& o, CliOptions& options)
{
    options.publishStreamId = parser.value(o.publish);
    if (parser.isSet(o.publish) && !isStreamId(options.publishStreamId))
        return QStringLiteral("--publish: a stream ID is 1-%1 characters of A-Z a-z 0-9 _ -, got \"%2\"")
            .arg(kMaxStreamIdChars)
            .arg(options.publishStreamId);
    if (int(parser.isSet(o.input)) + int(parser.isSet(o.tone)) + int(parser.isSet(o.inputDevice)) > 1)
        return QStringLiteral("give at most one of --input, --tone and --input-device");
    if (parser.isSet(o.output) && parser.isSet(o.outputDevice))
        return QStringLiteral("give at most one of --output and --output-device");
    options.inputWavPath = parser.value(o.input);
    if (parser.isSet(o.input) && !QFileInfo(options.inputWavPath).isReadable())
        return QStringLiteral("--input: cannot read \"%1\"").arg(options.inputWavPath);
    if (parser.isSet(o.tone)) {
        if (QString error = parseDouble(parser, o.tone, 0.0, kMaxToneHz, &options.toneHz); !error.isEmpty())
            return error;
    }
    options.inputDeviceId = parser.value(o.inputDevice);
    options.outputDeviceId = parser.value(o.outputDevice);
    options.outputWavPath = parser.value(o.output);
    if (parser.isSet(o.output)) {
        const QFileInfo file(options.outputWavPath);
        if (options.outputWavPath.isEmpty() || file.isDir() || !file.absoluteDir().exists())
            return QStringLiteral("--output: cannot write \"%1\"").arg(options.outputWavPath);
    }
    // The engine has one duplex device: a virtual one (files, tone) or a PortAudio one.
    if (options.usesVirtualDevice() && (parser.isSet(o.inputDevice) || parser.isSet(o.outputDevice)))
        return QStringLiteral("--input, --tone and --output (the virtual device) cannot be combined with "
                              "--input-device or --output-device");
    options.playStreamIds = parser.values(o.play);
    options.playStreamIds.removeDuplicates();
    for (const QString& id : std::as_const(options.playStreamIds)) {
        if (!isStreamId(id))
            return QStringLiteral("--play: a stream ID is 1-%1 characters of A-Z a-z 0-9 _ -, got \"%2\"")
                .arg(kMaxStreamIdChars)
                .arg(id);
    }
    if (options.playStreamIds.size() > kMaxPlays)
        return QStringLiteral("--play: at most %1 streams").arg(kMaxPlays);
    options.playAll = parser.isSet(o.playAll);
    return {};
}

QString checkRunOptions(const QCommandLineParser& parser, const Options& o, CliOptions& options)
{
    if (parser.isSet(o.devicePeriod)) {
        bool ok = false;
        options.devicePeriodMs = parser.value(o.devicePeriod).toDouble(&ok);
        if (!ok || !(options.devicePeriodMs >= 1.0 && options.devicePeriodMs <= kMaxDevicePeriodMs))
            return QStringLiteral("--device-period-ms: expected a number from 1 to %1, got \"%2\"")
                .arg(kMaxDevicePeriodMs)
                .arg(parser.value(o.devicePeriod));
    }
    if (parser.isSet(o.playbackQueue)) {
        bool ok = false;
        options.playbackQueueMs = parser.value(o.playbackQueue).toInt(&ok);
        if (!ok || options.playbackQueueMs < 0 || options.playbackQueueMs > kMaxPlaybackQueueMs)
            return QStringLiteral("--playback-queue-ms: expected an integer from 0 to %1, got \"%2\"")
                .arg(kMaxPlaybackQueueMs)
                .arg(parser.value(o.playbackQueue));
    }
    if (parser.isSet(o.frameDuration)) {
        bool ok = false;
        options.frameDurationMs = parser.value(o.frameDuration).toInt(&ok);
        if (!ok
            || std::find(kFrameDurationsMs.begin(), kFrameDurationsMs.end(), options.frameDurationMs)
                == kFrameDurationsMs.end())
            return QStringLiteral("--frame-ms: expected 10, 20, 40 or 60, got \"%1\"")
                .arg(parser.value(o.frameDuration));
    }
    options.lowDelayCodec = parser.isSet(o.lowDelayCodec);
    if (parser.isSet(o.duration)) {
        if (QString error
            = parseDouble(parser, o.duration, 0.0, kMaxDurationSeconds, &options.durationSeconds);
            !error.isEmpty())
            return error;
    }
    options.events = parser.isSet(o.events);
    options.messages = parser.values(o.message);
    for (const QString& message : std::as_const(options.messages)) {
        if (message.isEmpty())
            return QStringLiteral("--message: empty message");
        if (message.toUtf8().size() > kMaxMessageBytes)
            return QStringLiteral("--message: longer than %1 bytes").arg(kMaxMessageBytes);
    }
    return {};
}

} // namespace

CliParseResult parseCliOptions(const QStringList& arguments)
{
    CliParseResult result;
    CliOptions& options = result.options;
    QCommandLineParser parser;
    const Options o;
    o.addTo(parser);
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(o.help)) {
        options.command = CliCommand::ShowHelp;
        return result;
    }
    if (parser.isSet(o.version)) {
        options.command = CliCommand::ShowVersion;
        return result;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional == QStringList { QStringLiteral("devices") }) {
        options.command = CliCommand::ListDevices;
        return result;
    }
    if (!positional.isEmpty()) {
        result.error = QStringLiteral("unknown command \"%1\"").arg(positional.join(QLatin1Char(' ')));
        return result;
    }
    for (const auto check : { checkRoomOptions, checkAudioOptions, checkRunOptions }) {
        result.error = check(parser, o, options);
        if (!result.error.isEmpty())
            return result;
    }
    return result;
}

QString cliUsage()
{
    QCommandLineParser parser;
    const Options o;
    o.addTo(parser);
    return parser.helpText()
        + QStringLiteral(
            "\nWithout --input, --tone, --input-device, --output or --output-device the system's default "
            "devices\n"
            "are used. The file and tone device serves both directions: with --input or --tone and no "
            "--output\n"
            "the playback is discarded; with --output alone the capture is silence.\n"
            "\nExit codes: 0 logged out after --duration or SIGINT/SIGTERM; 1 the session ended otherwise\n"
            "(kicked out, reconnecting gave up, the audio device failed, a message was refused); 2 usage "
            "error;\n"
            "3 login failed; 4 publishing or playing failed.\n");
}

QString cliVersion()
{
    return QStringLiteral("earshot-cli " EARSHOT_VERSION);
}

} // namespace earshot::cli
