#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>

namespace earshot::cli {

// What earshot-cli was asked to do.
enum class CliCommand {
    Run, // log in and publish / play / send until --duration or a signal
    ListDevices, // `earshot-cli devices`
    ShowHelp,
    ShowVersion,
};

// The command line of earshot-cli, parsed and checked (QCommandLineParser):
//
//   earshot-cli --server URL --app-id N (--app-sign HEX | --token TOKEN) --room ROOM --user USER
//               [--user-name NAME] [--notify-users]
//               [--publish STREAM_ID] [--input FILE.wav | --tone HZ | --input-device ID]
//               [--play STREAM_ID]... [--play-all] [--output FILE.wav | --output-device ID]
//               [--device-period-ms N] [--frame-ms 10|20|40|60] [--duration SECONDS] [--events]
//               [--message TEXT]...
//   earshot-cli devices
//
// parse() checks what can be checked without a server: required options, numbers, the AppSign's
// 64 hex digits, the URL's scheme, that the input WAV exists, exclusive choices, message sizes.
// The identifier rules (room, user, stream IDs) are the engine's; CliSession reports its
// rejections as usage errors too. A plain value type; thread: any.
struct CliOptions {
    CliCommand command = CliCommand::Run;

    // Room.
    QUrl server; // ws:// or wss://
    std::uint32_t appId = 0; // > 0
    QString appSign; // 64 hex digits, or empty when a token is used
    QString token;
    QString roomId;
    QString userId;
    QString userName; // the user ID when not given
    bool notifyUsers = false; // RoomConfig::isUserStatusNotify

    // Publishing. The input is a WAV file, a tone, a PortAudio device, or the default device.
    QString publishStreamId; // empty: does not publish
    QString inputWavPath;
    double toneHz = 0.0; // > 0: a sine tone of this frequency
    QString inputDeviceId;

    // Playing. The output is a WAV file, a PortAudio device, or the default device.
    QStringList playStreamIds;
    bool playAll = false; // every stream in the room, following roomStreamUpdate
    QString outputWavPath;
    QString outputDeviceId;

    double devicePeriodMs = 10.0; // 1–100, fractions allowed (2.5)
    int playbackQueueMs = 10; // EngineOptions::playbackQueueMs
    int frameDurationMs = 20; // Opus frame: 10, 20, 40 or 60 (EngineOptions::frameDurationMs)
    bool lowDelayCodec = false; // EngineOptions::lowDelayCodec
    double durationSeconds = 0.0; // > 0: log out this long after logging in; 0: until a signal
    bool events = false; // JSON lines on stdout instead of text on stderr
    QStringList messages; // broadcast after logging in, in order

    // The virtual (WAV / tone) device serves both directions: true when either side uses it.
    [[nodiscard]] bool usesVirtualDevice() const
    {
        return !inputWavPath.isEmpty() || toneHz > 0.0 || !outputWavPath.isEmpty();
    }
};

// The outcome of CliOptions parsing: the options, or the usage error to print (exit code 2).
struct CliParseResult {
    CliOptions options;
    QString error; // empty when the command line is usable
    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// Parses `arguments` (the program name first, as QCoreApplication::arguments()).
[[nodiscard]] CliParseResult parseCliOptions(const QStringList& arguments);

// The --help text: the synopsis above, every option, the exit codes.
[[nodiscard]] QString cliUsage();
// The --version text: "earshot-cli VERSION".
[[nodiscard]] QString cliVersion();

} // namespace earshot::cli
