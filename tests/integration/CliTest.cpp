// earshot-cli as a user runs it: real earshot-cli processes against the real earshot-server,
// observed through their exit codes, their --events lines and their --output WAV files. Usage
// errors, a refused login, a tone from one process heard in another's WAV, --play-all following
// a stream that appears later, broadcast messages in order, SIGTERM/SIGINT logging out cleanly,
// publishes the server refuses, a token login and a session kicked out.

#include "ServerProcess.h"
#include "SystemAudioEnvironment.h"
#include "TestApp.h"
#include "TestClient.h"
#include "audio/WavReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <optional>
#include <vector>

using namespace earshot;
using namespace earshot::integration;

namespace {

constexpr int kTimeoutMs = 15000;
constexpr int kRateHz = 48000;

// An event pattern: every field given must be in the event with that value.
bool matches(const QJsonObject& event, const QJsonObject& pattern)
{
    for (auto it = pattern.begin(); it != pattern.end(); ++it) {
        if (event.value(it.key()) != it.value())
            return false;
    }
    return true;
}

QJsonObject eventNamed(const QString& name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("event"), name);
    return fields;
}

QJsonObject user(const QString& userId)
{
    return { { QStringLiteral("userID"), userId }, { QStringLiteral("userName"), userId } };
}

// roomStreamUpdate of one stream of `userId` (whose name is its ID: no --user-name).
QJsonObject streamUpdate(const QString& updateType, const QString& streamId, const QString& userId)
{
    return eventNamed(QStringLiteral("roomStreamUpdate"),
        { { QStringLiteral("updateType"), updateType },
            { QStringLiteral("streamList"),
                QJsonArray { QJsonObject { { QStringLiteral("streamID"), streamId },
                    { QStringLiteral("extraInfo"), QString() },
                    { QStringLiteral("user"), user(userId) } } } } });
}

QJsonObject roomState(const QString& reason, int errorCode = 0)
{
    return eventNamed(QStringLiteral("roomStateChanged"),
        { { QStringLiteral("reason"), reason }, { QStringLiteral("errorCode"), errorCode } });
}

QJsonObject publisherState(const QString& streamId, const QString& state, int errorCode = 0)
{
    return eventNamed(QStringLiteral("publisherStateUpdate"),
        { { QStringLiteral("streamID"), streamId }, { QStringLiteral("state"), state },
            { QStringLiteral("errorCode"), errorCode } });
}

QJsonObject playerState(const QString& streamId, const QString& state, int errorCode = 0)
{
    return eventNamed(QStringLiteral("playerStateUpdate"),
        { { QStringLiteral("streamID"), streamId }, { QStringLiteral("state"), state },
            { QStringLiteral("errorCode"), errorCode } });
}

// One earshot-cli child process: stdout read as JSON event lines, stderr kept for diagnostics.
class CliProcess {
public:
    explicit CliProcess(QString name)
        : m_name(std::move(name))
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readEvents(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
            [this] { m_stderr += m_process.readAllStandardError(); });
    }
    ~CliProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void start(const QStringList& arguments)
    {
        m_process.start(QStringLiteral(EARSHOT_CLI_BINARY), arguments);
        QVERIFY2(m_process.waitForStarted(kTimeoutMs), qPrintable(m_process.errorString()));
    }

    // Waits (running the event loop) for an event matching `pattern`.
    bool waitFor(const QJsonObject& pattern, int timeoutMs = kTimeoutMs)
    {
        const bool seen = QTest::qWaitFor([&] { return indexOf(pattern) >= 0; }, timeoutMs);
        if (!seen)
            qWarning().noquote() << m_name << "never printed"
                                 << QJsonDocument(pattern).toJson(QJsonDocument::Compact) << "\n"
                                 << dump();
        return seen;
    }

    // Waits for the exit; the exit code, or -1 when the process did not exit normally in time.
    int waitForExit(int timeoutMs = kTimeoutMs)
    {
        static_cast<void>(
            QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs));
        if (m_process.state() != QProcess::NotRunning || m_process.exitStatus() != QProcess::NormalExit) {
            qWarning().noquote() << m_name << "did not exit normally\n" << dump();
            return -1;
        }
        readEvents();
        m_stderr += m_process.readAllStandardError();
        return m_process.exitCode();
    }

    void signal(int signalNumber) { ::kill(static_cast<pid_t>(m_process.processId()), signalNumber); }

    int indexOf(const QJsonObject& pattern, int from = 0) const
    {
        for (int i = std::max(from, 0); i < m_events.size(); ++i) {
            if (matches(m_events[i], pattern))
                return i;
        }
        return -1;
    }
    std::optional<QJsonObject> find(const QJsonObject& pattern) const
    {
        const int i = indexOf(pattern);
        return i >= 0 ? std::optional(m_events[i]) : std::nullopt;
    }
    // True when the patterns match events in this order (others may come between).
    bool hasInOrder(const QList<QJsonObject>& patterns) const
    {
        int at = -1;
        for (const QJsonObject& pattern : patterns) {
            at = indexOf(pattern, at + 1);
            if (at < 0) {
                qWarning().noquote() << m_name << "lacks, in order,"
                                     << QJsonDocument(pattern).toJson(QJsonDocument::Compact) << "\n"
                                     << dump();
                return false;
            }
        }
        return true;
    }
    QList<QJsonObject> all(const QJsonObject& pattern) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject& e : m_events) {
            if (matches(e, pattern))
                found << e;
        }
        return found;
    }

    const QList<QJsonObject>& events() const { return m_events; }
    // Every stdout line was a JSON object.
    bool printedOnlyEvents() const { return !m_badLines; }
    const QByteArray& standardError() const { return m_stderr; }
    QString dump() const
    {
        QString text = QStringLiteral("--- %1 events:\n").arg(m_name);
        for (const QJsonObject& e : m_events)
            text += QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)) + u'\n';
        return text + QStringLiteral("--- %1 stderr:\n").arg(m_name)
            + QString::fromUtf8(m_stderr.right(8000));
    }

private:
    void readEvents()
    {
        m_pending += m_process.readAllStandardOutput();
        qsizetype newline = 0;
        while ((newline = m_pending.indexOf('\n')) >= 0) {
            const QByteArray line = m_pending.left(newline);
            m_pending.remove(0, newline + 1);
            QJsonParseError error {};
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (!document.isObject()) {
                qWarning().noquote() << m_name << "printed a line that is not a JSON object:" << line;
                m_badLines = true;
                continue;
            }
            m_events << document.object();
        }
    }

    QString m_name;
    QProcess m_process;
    QByteArray m_pending;
    QByteArray m_stderr;
    QList<QJsonObject> m_events;
    bool m_badLines = false;
};

// What a WAV holds, in 100 ms blocks: RMS and the zero-crossing frequency.
struct ToneAnalysis {
    int blocks = 0;
    int toneBlocks = 0; // loud blocks at the expected frequency
    double toneRms = 0.0; // their mean RMS
    qint64 firstSoundFrame = -1; // the first sample above the silence threshold
};

ToneAnalysis analyseTone(const QString& path, double frequencyHz)
{
    ToneAnalysis analysis;
    audio::WavReader reader;
    std::vector<float> samples;
    if (reader.open(path.toStdString()) != audio::WavError::None
        || reader.readAll(samples) != audio::WavError::None) {
        qWarning("cannot read %s", qPrintable(path));
        return analysis;
    }
    if (reader.info().sampleRateHz != kRateHz || reader.info().channels != 1
        || reader.info().sampleFormat != audio::WavSampleFormat::Pcm16) {
        qWarning("%s is not 48 kHz mono 16-bit", qPrintable(path));
        return analysis;
    }
    const auto loud
        = std::find_if(samples.begin(), samples.end(), [](float s) { return std::abs(s) > 0.05f; });
    analysis.firstSoundFrame = loud == samples.end() ? -1 : qint64(loud - samples.begin());
    constexpr std::size_t kBlock = kRateHz / 10;
    for (std::size_t start = 0; start + kBlock <= samples.size(); start += kBlock) {
        double energy = 0.0;
        int crossings = 0;
        for (std::size_t i = start; i < start + kBlock; ++i) {
            energy += double(samples[i]) * samples[i];
            if (i > start && (samples[i - 1] < 0.0f) != (samples[i] < 0.0f))
                ++crossings;
        }
        const double rms = std::sqrt(energy / kBlock);
        const double hz = crossings / 2.0 / 0.1;
        ++analysis.blocks;
        if (rms > 0.1 && std::abs(hz - frequencyHz) <= 10.0) {
            ++analysis.toneBlocks;
            analysis.toneRms += rms;
        }
    }
    if (analysis.toneBlocks > 0)
        analysis.toneRms /= analysis.toneBlocks;
    return analysis;
}

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void usageErrors_data();
    void usageErrors();
    void helpAndVersion();
    void devicesListsWithoutTheSoundLibrariesNoise();
    void wrongAppSignExitsWithLoginFailed();
    void toneArrivesInTheListenersWav_data();
    void toneArrivesInTheListenersWav();
    void playAllFollowsAStreamThatAppearsLater();
    void messagesArriveInOrder();
    void terminationLogsOutCleanly();
    void refusedPublishExitsWithStreamFailed();
    void tokenWithoutPublishPrivilege();
    void kickedOutExitsWithFailure();

private:
    QStringList roomArguments(const QString& room, const QString& user) const;
    QString path(const QString& name) const { return m_directory.filePath(name); }

    ServerProcess m_server;
    QTemporaryDir m_directory;
};

void CliTest::initTestCase()
{
    QVERIFY(m_directory.isValid());
    QVERIFY(m_server.start());
}

void CliTest::cleanup()
{
    m_server.printLogIfFailed();
}

QStringList CliTest::roomArguments(const QString& room, const QString& user) const
{
    return { QStringLiteral("--server"), m_server.signallingUrl().toString(), QStringLiteral("--app-id"),
        QString::number(kAppA.appId), QStringLiteral("--app-sign"), QString::fromLatin1(kAppA.appSignHex),
        QStringLiteral("--room"), room, QStringLiteral("--user"), user };
}

void CliTest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    const QStringList room = roomArguments(QStringLiteral("usage-room"), QStringLiteral("usage-user"));
    const QString hex = QString::fromLatin1(kAppA.appSignHex);
    const QString url = m_server.signallingUrl().toString();
    QStringList thirteenPlays = room;
    for (int i = 0; i < 13; ++i)
        thirteenPlays << QStringLiteral("--play") << QStringLiteral("s%1").arg(i);

    QTest::newRow("nothing") << QStringList {};
    QTest::newRow("unknown option") << (room + QStringList { QStringLiteral("--bogus") });
    QTest::newRow("unknown command") << QStringList { QStringLiteral("frobnicate") };
    QTest::newRow("option without value") << QStringList { QStringLiteral("--server") };
    QTest::newRow("no server") << room.mid(2);
    QTest::newRow("no room") << room.mid(0, 6) + room.mid(8);
    QTest::newRow("no user") << room.mid(0, 8);
    QTest::newRow("http server") << QStringList {
        QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:1/")
    } + room.mid(2);
    QTest::newRow("app id not a number")
        << QStringList { QStringLiteral("--server"), url, QStringLiteral("--app-id"), QStringLiteral("abc") }
            + room.mid(4);
    QTest::newRow("app id 0") << QStringList {
        QStringLiteral("--server"), url, QStringLiteral("--app-id"), QStringLiteral("0")
    } + room.mid(4);
    QTest::newRow("neither sign nor token") << room.mid(0, 4) + room.mid(6);
    QTest::newRow("sign and token") << (room
        + QStringList { QStringLiteral("--token"), QStringLiteral("t") });
    QTest::newRow("sign not hex") << room.mid(0, 4)
            + QStringList { QStringLiteral("--app-sign"), QString(64, u'z') } + room.mid(6);
    QTest::newRow("sign too short") << room.mid(0, 4)
            + QStringList { QStringLiteral("--app-sign"), hex.left(10) } + room.mid(6);
    QTest::newRow("negative tone") << (room + QStringList { QStringLiteral("--tone"), QStringLiteral("-5") });
    QTest::newRow("tone and input") << (room
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--input"),
            path(QStringLiteral("none.wav")) });
    QTest::newRow("missing input file")
        << (room + QStringList { QStringLiteral("--input"), path(QStringLiteral("none.wav")) });
    QTest::newRow("output and output device") << (room
        + QStringList { QStringLiteral("--output"), path(QStringLiteral("o.wav")),
            QStringLiteral("--output-device"), QStringLiteral("1") });
    QTest::newRow("tone and output device") << (room
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--output-device"),
            QStringLiteral("1") });
    QTest::newRow("output in a missing folder")
        << (room + QStringList { QStringLiteral("--output"), path(QStringLiteral("no/such/dir/o.wav")) });
    QTest::newRow("duration 0") << (room + QStringList { QStringLiteral("--duration"), QStringLiteral("0") });
    QTest::newRow("duration not a number")
        << (room + QStringList { QStringLiteral("--duration"), QStringLiteral("soon") });
    QTest::newRow("device period 0") << (room
        + QStringList { QStringLiteral("--device-period-ms"), QStringLiteral("0") });
    QTest::newRow("device period not a number") << (room
        + QStringList { QStringLiteral("--device-period-ms"), QStringLiteral("fast") });
    QTest::newRow("playback queue negative") << (room
        + QStringList { QStringLiteral("--playback-queue-ms"), QStringLiteral("-1") });
    QTest::newRow("frame 15 ms") << (room
        + QStringList { QStringLiteral("--frame-ms"), QStringLiteral("15") });
    QTest::newRow("frame not a number")
        << (room + QStringList { QStringLiteral("--frame-ms"), QStringLiteral("twenty") });
    QTest::newRow("bad publish stream")
        << (room + QStringList { QStringLiteral("--publish"), QStringLiteral("a b") });
    QTest::newRow("bad play stream") << (room
        + QStringList { QStringLiteral("--play"), QStringLiteral("a/b") });
    QTest::newRow("thirteen plays") << thirteenPlays;
    QTest::newRow("empty message") << (room + QStringList { QStringLiteral("--message"), QString() });
    QTest::newRow("message too long")
        << (room + QStringList { QStringLiteral("--message"), QString(1025, u'm') });
    // Values only the engine judges: refused before anything is sent.
    QTest::newRow("bad room ID") << roomArguments(QStringLiteral("bad room"), QStringLiteral("u"))
            + QStringList { QStringLiteral("--output"), path(QStringLiteral("bad-room.wav")) };
    QTest::newRow("user ID too long") << roomArguments(QStringLiteral("r"), QString(64, u'u'))
            + QStringList { QStringLiteral("--output"), path(QStringLiteral("bad-user.wav")) };
}

void CliTest::usageErrors()
{
    QFETCH(QStringList, arguments);
    CliProcess cli(QStringLiteral("cli"));
    cli.start(arguments);
    QCOMPARE(cli.waitForExit(), 2);
    QVERIFY2(cli.standardError().contains("Usage:"), cli.standardError().constData());
    QVERIFY2(
        cli.standardError().startsWith("earshot-cli: ") || cli.standardError().contains("\nearshot-cli: "),
        cli.standardError().constData());
    QVERIFY(cli.events().isEmpty());
}

void CliTest::helpAndVersion()
{
    QProcess help;
    help.start(QStringLiteral(EARSHOT_CLI_BINARY), { QStringLiteral("--help") });
    QVERIFY(help.waitForFinished(kTimeoutMs));
    QCOMPARE(help.exitCode(), 0);
    const QByteArray text = help.readAllStandardOutput();
    for (const char* option : { "--server", "--app-sign", "--token", "--publish", "--tone", "--play-all",
             "--output", "--duration", "--events", "--message", "--low-delay-codec", "devices", "Exit codes" })
        QVERIFY2(text.contains(option), option);

    QProcess version;
    version.start(QStringLiteral(EARSHOT_CLI_BINARY), { QStringLiteral("--version") });
    QVERIFY(version.waitForFinished(kTimeoutMs));
    QCOMPARE(version.exitCode(), 0);
    QVERIFY(version.readAllStandardOutput().startsWith("earshot-cli "));
}

// On a machine without a sound card (this one) PortAudio's ALSA and JACK back ends used to
// print some eighty lines about missing cards and servers on stderr; earshot-cli silences the
// libraries (earshot::silenceAudioBackendMessages) and says what it has to say itself.
void CliTest::devicesListsWithoutTheSoundLibrariesNoise()
{
    QProcess devices;
    // Listing devices is the one thing here that opens the system's audio libraries.
    devices.setProcessEnvironment(systemAudioChildEnvironment());
    devices.start(QStringLiteral(EARSHOT_CLI_BINARY), { QStringLiteral("devices") });
    QVERIFY(devices.waitForFinished(kTimeoutMs));
    const QByteArray errors = devices.readAllStandardError();
    QVERIFY2(devices.exitCode() == 0, errors.right(3000).constData());
    QVERIFY2(!errors.contains("ALSA lib"), errors.left(2000).constData());
    QVERIFY2(!errors.contains("jack server"), errors.left(2000).constData());
    QVERIFY2(!errors.contains("JackShm"), errors.left(2000).constData());
}

void CliTest::wrongAppSignExitsWithLoginFailed()
{
    QStringList arguments = roomArguments(uniqueId(QStringLiteral("room")), uniqueId(QStringLiteral("user")));
    arguments[5] = QString::fromLatin1(kUnregisteredKeyHex);
    arguments << QStringLiteral("--output") << path(QStringLiteral("refused.wav"))
              << QStringLiteral("--events");
    CliProcess cli(QStringLiteral("refused"));
    cli.start(arguments);
    QCOMPARE(cli.waitForExit(), 3);
    QVERIFY(cli.hasInOrder(
        { roomState(QStringLiteral("Logining")), roomState(QStringLiteral("LoginFailed"), 1001005) }));
    QVERIFY(cli.find(eventNamed(QStringLiteral("roomStateUpdate"),
        { { QStringLiteral("state"), QStringLiteral("Disconnected") },
            { QStringLiteral("errorCode"), 1001005 } })));
    QVERIFY2(cli.standardError().contains("1001005"), cli.standardError().constData());
}

void CliTest::toneArrivesInTheListenersWav_data()
{
    QTest::addColumn<QStringList>("speakerOptions");
    QTest::newRow("Opus voice mode") << QStringList {};
    QTest::newRow("Opus low-delay mode, no playback queue")
        << QStringList { QStringLiteral("--low-delay-codec"), QStringLiteral("--playback-queue-ms"),
               QStringLiteral("0") };
}

// The example: a tone published by one process is in the other's output WAV, and the
// two device-start times bound the delay.
void CliTest::toneArrivesInTheListenersWav()
{
    QFETCH(QStringList, speakerOptions);
    const QString room = uniqueId(QStringLiteral("room"));
    const QString stream = uniqueId(QStringLiteral("tone"));
    const QString speakerId = uniqueId(QStringLiteral("speaker"));
    const QString output = path(QStringLiteral("listener.wav"));
    CliProcess listener(QStringLiteral("listener"));
    listener.start(roomArguments(room, uniqueId(QStringLiteral("listener")))
        + QStringList { QStringLiteral("--play"), stream, QStringLiteral("--output"), output,
            QStringLiteral("--duration"), QStringLiteral("5"), QStringLiteral("--events"),
            QStringLiteral("--device-period-ms"), QStringLiteral("2.5") }); // 120 frames
    QVERIFY(listener.waitFor(roomState(QStringLiteral("Logined"))));
    CliProcess speaker(QStringLiteral("speaker"));
    speaker.start(roomArguments(room, speakerId)
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--publish"), stream,
            QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--events"),
            QStringLiteral("--device-period-ms"), QStringLiteral("5") }
        + speakerOptions);
    QCOMPARE(speaker.waitForExit(), 0);
    QCOMPARE(listener.waitForExit(), 0);

    QVERIFY(speaker.hasInOrder({ roomState(QStringLiteral("Logining")), roomState(QStringLiteral("Logined")),
        publisherState(stream, QStringLiteral("PublishRequesting")),
        publisherState(stream, QStringLiteral("Publishing")), eventNamed(QStringLiteral("captureStarted")),
        eventNamed(QStringLiteral("publisherCapturedAudioFirstFrame")),
        publisherState(stream, QStringLiteral("NoPublish")), roomState(QStringLiteral("Logout")) }));
    QVERIFY(listener.hasInOrder({ roomState(QStringLiteral("Logined")),
        playerState(stream, QStringLiteral("PlayRequesting")),
        streamUpdate(QStringLiteral("Add"), stream, speakerId),
        playerState(stream, QStringLiteral("Playing")), eventNamed(QStringLiteral("playbackStarted")),
        eventNamed(QStringLiteral("playerRecvAudioFirstFrame"), { { QStringLiteral("streamID"), stream } }),
        streamUpdate(QStringLiteral("Delete"), stream, speakerId), roomState(QStringLiteral("Logout")) }));
    // "t" counts up from the start of each process.
    for (const CliProcess* process : { &speaker, &listener }) {
        QVERIFY(process->printedOnlyEvents());
        qint64 last = 0;
        for (const QJsonObject& e : process->events()) {
            QVERIFY(e.value(QStringLiteral("t")).isDouble());
            QVERIFY(e.value(QStringLiteral("t")).toInteger() >= last);
            last = e.value(QStringLiteral("t")).toInteger();
        }
    }

    const ToneAnalysis tone = analyseTone(output, 440.0);
    qInfo("listener WAV: %d of %d blocks hold the 440 Hz tone, RMS %.3f", tone.toneBlocks, tone.blocks,
        tone.toneRms);
    QVERIFY(tone.toneBlocks >= 25); // of the ~3.5 s both ran
    QVERIFY(tone.toneRms > 0.15); // the tone's 0.3 peak is 0.21 RMS
    QVERIFY(tone.firstSoundFrame >= 0);

    const qint64 captureStarted = speaker.find(eventNamed(QStringLiteral("captureStarted")))
                                      ->value(QStringLiteral("unixMicros"))
                                      .toInteger();
    const qint64 playbackStarted = listener.find(eventNamed(QStringLiteral("playbackStarted")))
                                       ->value(QStringLiteral("unixMicros"))
                                       .toInteger();
    QVERIFY(captureStarted > 1'600'000'000'000'000 && playbackStarted > 1'600'000'000'000'000);
    // The first sound in the listener's WAV was captured after the speaker's capture began.
    const qint64 firstSoundUnixMicros = playbackStarted + tone.firstSoundFrame * 1'000'000 / kRateHz;
    const double delayMs = double(firstSoundUnixMicros - captureStarted) / 1000.0;
    qInfo("first sound heard %.1f ms after the capture started", delayMs);
    QVERIFY2(delayMs > 0.0 && delayMs < 2000.0, qPrintable(QString::number(delayMs)));
}

void CliTest::playAllFollowsAStreamThatAppearsLater()
{
    const QString room = uniqueId(QStringLiteral("room"));
    const QString stream = uniqueId(QStringLiteral("later"));
    const QString speakerId = uniqueId(QStringLiteral("speaker"));
    const QString output = path(QStringLiteral("play-all.wav"));
    CliProcess listener(QStringLiteral("listener"));
    listener.start(roomArguments(room, uniqueId(QStringLiteral("listener")))
        + QStringList { QStringLiteral("--play-all"), QStringLiteral("--output"), output,
            QStringLiteral("--duration"), QStringLiteral("5"), QStringLiteral("--events") });
    QVERIFY(listener.waitFor(roomState(QStringLiteral("Logined"))));
    QTest::qWait(300); // nothing to play yet
    QVERIFY(listener.all(eventNamed(QStringLiteral("playerStateUpdate"))).isEmpty());

    CliProcess speaker(QStringLiteral("speaker"));
    speaker.start(roomArguments(room, speakerId)
        + QStringList { QStringLiteral("--tone"), QStringLiteral("660"), QStringLiteral("--publish"), stream,
            QStringLiteral("--duration"), QStringLiteral("2.5"), QStringLiteral("--events") });
    QCOMPARE(speaker.waitForExit(), 0);
    QCOMPARE(listener.waitForExit(), 0);
    // Started on ADD, stopped on DELETE (not left waiting for a stream that went away).
    QVERIFY(listener.hasInOrder({ streamUpdate(QStringLiteral("Add"), stream, speakerId),
        playerState(stream, QStringLiteral("PlayRequesting")), playerState(stream, QStringLiteral("Playing")),
        eventNamed(QStringLiteral("playerRecvAudioFirstFrame"), { { QStringLiteral("streamID"), stream } }),
        streamUpdate(QStringLiteral("Delete"), stream, speakerId),
        playerState(stream, QStringLiteral("NoPlay")), roomState(QStringLiteral("Logout")) }));
    const ToneAnalysis tone = analyseTone(output, 660.0);
    qInfo("play-all WAV: %d of %d blocks hold the 660 Hz tone", tone.toneBlocks, tone.blocks);
    QVERIFY(tone.toneBlocks >= 15);
}

void CliTest::messagesArriveInOrder()
{
    const QString room = uniqueId(QStringLiteral("room"));
    const QString senderId = uniqueId(QStringLiteral("sender"));
    const QStringList texts { QStringLiteral("one"), QStringLiteral("two"),
        QStringLiteral("three, with spaces"), QStringLiteral("vier \u00fc \u4f60\u597d") };
    CliProcess receiver(QStringLiteral("receiver"));
    receiver.start(roomArguments(room, uniqueId(QStringLiteral("receiver")))
        + QStringList { QStringLiteral("--output"), path(QStringLiteral("receiver.wav")),
            QStringLiteral("--duration"), QStringLiteral("3"), QStringLiteral("--events") });
    QVERIFY(receiver.waitFor(roomState(QStringLiteral("Logined"))));
    QStringList arguments = roomArguments(room, senderId)
        + QStringList { QStringLiteral("--output"), path(QStringLiteral("sender.wav")),
              QStringLiteral("--duration"), QStringLiteral("1"), QStringLiteral("--events") };
    for (const QString& text : texts)
        arguments << QStringLiteral("--message") << text;
    CliProcess sender(QStringLiteral("sender"));
    sender.start(arguments);
    QCOMPARE(sender.waitForExit(), 0);
    QCOMPARE(receiver.waitForExit(), 0);

    QStringList received;
    for (const QJsonObject& e : receiver.all(eventNamed(QStringLiteral("IMRecvBroadcastMessage")))) {
        QCOMPARE(e.value(QStringLiteral("roomID")).toString(), room);
        for (const QJsonValue& message : e.value(QStringLiteral("messageList")).toArray()) {
            QCOMPARE(message[QStringLiteral("fromUser")].toObject(), user(senderId));
            QVERIFY(message[QStringLiteral("messageID")].toInteger() > 0);
            QVERIFY(message[QStringLiteral("sendTime")].toInteger() > 0);
            received << message[QStringLiteral("message")].toString();
        }
    }
    QCOMPARE(received, texts);
    const QList<QJsonObject> sent = sender.all(eventNamed(QStringLiteral("broadcastMessageSent")));
    QCOMPARE(sent.size(), texts.size());
    for (const QJsonObject& e : sent)
        QCOMPARE(e.value(QStringLiteral("errorCode")).toInt(), 0);
    QVERIFY(sender.all(eventNamed(QStringLiteral("IMRecvBroadcastMessage"))).isEmpty()); // not echoed
}

// SIGTERM and SIGINT: logout, the others see the user and the stream leave (stopped, not
// dropped), exit 0.
void CliTest::terminationLogsOutCleanly()
{
    const QString room = uniqueId(QStringLiteral("room"));
    const QString stream = uniqueId(QStringLiteral("term"));
    const QString speakerId = uniqueId(QStringLiteral("speaker"));
    const QString watcherId = uniqueId(QStringLiteral("watcher"));
    CliProcess watcher(QStringLiteral("watcher"));
    watcher.start(roomArguments(room, watcherId)
        + QStringList { QStringLiteral("--notify-users"), QStringLiteral("--play-all"),
            QStringLiteral("--output"), path(QStringLiteral("watcher.wav")), QStringLiteral("--events") });
    QVERIFY(watcher.waitFor(roomState(QStringLiteral("Logined"))));
    CliProcess speaker(QStringLiteral("speaker"));
    speaker.start(roomArguments(room, speakerId)
        + QStringList { QStringLiteral("--notify-users"), QStringLiteral("--tone"), QStringLiteral("300"),
            QStringLiteral("--publish"), stream, QStringLiteral("--events") });
    QVERIFY(speaker.waitFor(publisherState(stream, QStringLiteral("Publishing"))));
    QVERIFY(watcher.waitFor(
        eventNamed(QStringLiteral("playerRecvAudioFirstFrame"), { { QStringLiteral("streamID"), stream } })));
    QVERIFY(watcher.find(eventNamed(QStringLiteral("roomUserUpdate"),
        { { QStringLiteral("updateType"), QStringLiteral("Add") },
            { QStringLiteral("userList"), QJsonArray { user(speakerId) } } })));

    speaker.signal(SIGTERM);
    QCOMPARE(speaker.waitForExit(), 0);
    QVERIFY(speaker.hasInOrder(
        { publisherState(stream, QStringLiteral("NoPublish")), roomState(QStringLiteral("Logout")) }));
    QJsonObject stopped = streamUpdate(QStringLiteral("Delete"), stream, speakerId);
    stopped.insert(QStringLiteral("extendedData"), QStringLiteral("{\"reason\":1}"));
    QVERIFY(watcher.waitFor(stopped));
    QVERIFY(watcher.waitFor(eventNamed(QStringLiteral("roomUserUpdate"),
        { { QStringLiteral("updateType"), QStringLiteral("Delete") },
            { QStringLiteral("userList"), QJsonArray { user(speakerId) } } })));

    watcher.signal(SIGINT);
    QCOMPARE(watcher.waitForExit(), 0);
    QVERIFY(watcher.hasInOrder(
        { playerState(stream, QStringLiteral("NoPlay")), roomState(QStringLiteral("Logout")) }));
}

// The server refuses a second live stream with the same ID (1003028): exit code 4.
void CliTest::refusedPublishExitsWithStreamFailed()
{
    const QString room = uniqueId(QStringLiteral("room"));
    const QString stream = uniqueId(QStringLiteral("taken"));
    CliProcess first(QStringLiteral("first"));
    first.start(roomArguments(room, uniqueId(QStringLiteral("first")))
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--publish"), stream,
            QStringLiteral("--events") });
    QVERIFY(first.waitFor(publisherState(stream, QStringLiteral("Publishing"))));
    CliProcess second(QStringLiteral("second"));
    second.start(roomArguments(room, uniqueId(QStringLiteral("second")))
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--publish"), stream,
            QStringLiteral("--duration"), QStringLiteral("10"), QStringLiteral("--events") });
    QCOMPARE(second.waitForExit(), 4);
    QVERIFY(second.hasInOrder({ publisherState(stream, QStringLiteral("PublishRequesting")),
        publisherState(stream, QStringLiteral("NoPublish"), 1003028), roomState(QStringLiteral("Logout")) }));
    QVERIFY2(second.standardError().contains("1003028"), second.standardError().constData());
    first.signal(SIGTERM);
    QCOMPARE(first.waitForExit(), 0);
}

// --token instead of --app-sign: the login works, the publish the token withholds fails (4).
void CliTest::tokenWithoutPublishPrivilege()
{
    const QString userId = uniqueId(QStringLiteral("listener"));
    const QString stream = uniqueId(QStringLiteral("forbidden"));
    QStringList arguments = roomArguments(uniqueId(QStringLiteral("room")), userId);
    arguments[4] = QStringLiteral("--token");
    arguments[5] = makeToken(kAppA, userId, 600, payloadWithoutPublish());
    CliProcess cli(QStringLiteral("token"));
    cli.start(arguments
        + QStringList { QStringLiteral("--tone"), QStringLiteral("440"), QStringLiteral("--publish"), stream,
            QStringLiteral("--duration"), QStringLiteral("10"), QStringLiteral("--events") });
    QCOMPARE(cli.waitForExit(), 4);
    QVERIFY(cli.hasInOrder({ roomState(QStringLiteral("Logined")),
        publisherState(stream, QStringLiteral("PublishRequesting")),
        publisherState(stream, QStringLiteral("NoPublish"), 1003072), roomState(QStringLiteral("Logout")) }));
}

// The same user ID logging in elsewhere kicks the first session out (1002050): exit code 1.
void CliTest::kickedOutExitsWithFailure()
{
    const QString room = uniqueId(QStringLiteral("room"));
    const QString userId = uniqueId(QStringLiteral("twice"));
    const QStringList options { QStringLiteral("--output"), path(QStringLiteral("kicked.wav")),
        QStringLiteral("--events") };
    CliProcess first(QStringLiteral("first"));
    first.start(roomArguments(room, userId) + options);
    QVERIFY(first.waitFor(roomState(QStringLiteral("Logined"))));
    CliProcess second(QStringLiteral("second"));
    second.start(roomArguments(room, userId) + options
        + QStringList { QStringLiteral("--duration"), QStringLiteral("1") });
    QCOMPARE(first.waitForExit(), 1);
    QVERIFY(first.hasInOrder(
        { roomState(QStringLiteral("Logined")), roomState(QStringLiteral("KickOut"), 1002050) }));
    QVERIFY2(first.standardError().contains("1002050"), first.standardError().constData());
    QCOMPARE(second.waitForExit(), 0);
}

QTEST_GUILESS_MAIN(CliTest)
#include "CliTest.moc"
