// earshot-bench-latency: mouth-to-ear latency between two earshot-cli processes through a real
// earshot-server on this machine (docs/PERFORMANCE.md, "Mouth-to-ear latency").
//
//   earshot-bench-latency [--frames 10,20] [--periods 2.5,5,10] [--seconds 30] [--background-db -40]
//                         [--playback-queue-ms MS] [--low-delay-codec]
//                         [--server PATH] [--cli PATH] [--output-dir DIR]
//
// For each Opus frame duration × device period: a fresh earshot-server on loopback (ephemeral
// ports, the test app given with --app); a publisher, `earshot-cli --publish clicks --input
// click.wav`; and, once it publishes, a listener, `earshot-cli --play clicks --output out.wav
// --events`. Both run on the virtual WAV device with the period and frame given.
//
// click.wav is a train of 1 ms clicks 450–550 ms apart over quiet noise (LatencyBenchSupport.h).
// Each process prints the wall-clock time of the first sample of its WAV (captureStarted,
// playbackStarted), so a click's mouth-to-ear latency is its time in out.wav minus its time in
// click.wav, both on the wall clock: one machine, one clock. Clicks heard in the listener's first
// 2 s after its first audio (the jitter buffer's start) are skipped.
//
// Also printed: the listener's join-to-first-audio (the publisher already publishing), the
// CPU of each process per second of its runtime (wait4() for the clients, /proc for the
// server), what the listener's engine reports of its jitter buffer, and the parts of the delay
// that can be named. PASS/FAIL against the target (median ≤ 40 ms with 20 ms frames and
// 5 ms periods); the exit code is 0 either way, 1 when a run could not be made.
#include "BenchSupport.h"
#include "LatencyBenchSupport.h"
#include "PipelineBenchSupport.h"
#include "TestApp.h"
#include "codec/OpusAudioEncoder.h"
#include "media/AudioPipeline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace earshot;
using namespace earshot::bench;
using earshot::integration::kAppA;

constexpr double kSkipSeconds = 2.0; // after the first audio: the jitter buffer's start
// A dropout: this many zero samples in a row (0.5 ms); noise at -40 dBFS is ±330 LSB in the
// 16-bit WAV, so a run of exact zeros cannot be decoded audio.
constexpr std::size_t kDropoutFrames = 24;
constexpr double kCountDropoutsAboveDb = -100.0;
constexpr double kDetectThreshold = 0.1; // of a click's amplitude; the clicks have 0.5
constexpr int kMinClickSpacingFrames = 200 * kFramesPerMs;
constexpr int kStartTimeoutMs = 10'000;
constexpr int kExitMarginMs = 20'000; // beyond --duration, for login, logout and teardown
constexpr int kTargetFrameMs = 20;
constexpr int kTargetPeriodMs = 5;
constexpr double kTargetMedianMs = 40.0;

struct Options {
    std::vector<int> framesMs;
    QStringList periods; // passed to --device-period-ms as written
    double seconds = 30.0;
    double backgroundDb = -40.0;
    int playbackQueueMs = -1; // --playback-queue-ms for both clients; -1: their default
    bool lowDelayCodec = false; // --low-delay-codec for the publisher
    QString server;
    QString cli;
    QString outputDir;
};

struct RunResult {
    int frameMs = 0;
    QString period;
    QString failure; // empty when the run worked
    int expectedClicks = 0;
    std::vector<double> latenciesMs;
    double inputDetectionErrorMs = 0.0; // the detector on click.wav against the clicks' true centres
    double joinFromSpawnMs = -1.0, joinFromLoginMs = -1.0;
    double loginMs = -1.0, playRequestMs = -1.0, firstAudioMs = -1.0;
    std::vector<double> jitterBufferMs, jitterMs;
    double publisherKbps = 0.0;
    double publisherCpuPercent = 0.0, listenerCpuPercent = 0.0, serverCpuPercent = 0.0;
    double lookaheadMs = 0.0;
    double playbackQueueMs = 0.0; // one device period + AudioPipelineConfig::playbackQueueMs
    // Stretches of digital silence in the counted part of out.wav: with noise between the
    // clicks every decoded sample is non-zero, so these are the listener's device underruns
    // (or a jitter buffer that stopped and rebuffered). -1: not counted (digital silence sent).
    int dropouts = -1;
    double dropoutMs = 0.0;

    [[nodiscard]] double medianMs() const { return percentile(latenciesMs, 50.0); }
    // The median of the last quarter of the clicks: nearer the jitter buffer's steady state,
    // which it reaches by shedding its start-up excess in small steps.
    [[nodiscard]] double lastQuarterMedianMs() const
    {
        const auto quarter = static_cast<std::ptrdiff_t>((latenciesMs.size() + 3) / 4);
        return percentile(std::vector<double>(latenciesMs.end() - quarter, latenciesMs.end()), 50.0);
    }
};

QStringList roomArguments(const BenchServer& server, const QString& room, const QString& user)
{
    return { QStringLiteral("--server"), server.signallingUrl().toString(), QStringLiteral("--app-id"),
        QString::number(kAppA.appId), QStringLiteral("--app-sign"), QString::fromLatin1(kAppA.appSignHex),
        QStringLiteral("--room"), room, QStringLiteral("--user"), user };
}

// Polls the children (and runs the event loop, which keeps the server's stdout drained) every
// `stepMs` until `done` or the timeout. False on the timeout.
template<typename Done> bool waitUntil(std::vector<CliChild*> children, int timeoutMs, int stepMs, Done done)
{
    const std::int64_t deadline = steadyNs() + std::int64_t(timeoutMs) * 1'000'000;
    for (;;) {
        for (CliChild* child : children)
            child->poll();
        if (done())
            return true;
        if (steadyNs() > deadline)
            return false;
        runEventLoopFor(stepMs);
    }
}

qint64 eventTime(const CliChild::Event* event)
{
    return event != nullptr ? event->json.value(QStringLiteral("t")).toInteger(-1) : -1;
}

double opusLookaheadMs(int frameMs, bool lowDelay)
{
    codec::EncoderConfig config;
    config.frameDuration = static_cast<codec::FrameDuration>(frameMs);
    if (lowDelay)
        config.application = codec::OpusApplication::LowDelay;
    const codec::EncoderCreateResult created = codec::OpusAudioEncoder::create(config);
    return created.encoder ? created.encoder->lookaheadFrames() / double(kFramesPerMs) : 0.0;
}

void printTail(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray text = file.readAll();
    std::fprintf(stderr, "--- %s (end):\n%s\n", qPrintable(path), text.right(3000).constData());
}

// One frame duration × device period: server, publisher, listener, then the analysis.
RunResult runOne(const Options& options, const ClickTrain& train, const QString& clickWav, const QDir& dir,
    int frameMs, const QString& period)
{
    RunResult result;
    result.frameMs = frameMs;
    result.period = period;
    result.lookaheadMs = opusLookaheadMs(frameMs, options.lowDelayCodec);
    result.playbackQueueMs = period.toDouble()
        + (options.playbackQueueMs >= 0 ? options.playbackQueueMs : media::AudioPipelineConfig {}.playbackQueueMs);
    const QString tag = QStringLiteral("f%1-p%2").arg(frameMs).arg(QString(period).replace(u'.', u'_'));
    const QString stream = QStringLiteral("clicks");
    const QString outputWav = dir.filePath(QStringLiteral("out-%1.wav").arg(tag));
    QStringList audioArguments { QStringLiteral("--frame-ms"), QString::number(frameMs),
        QStringLiteral("--device-period-ms"), period, QStringLiteral("--events") };
    if (options.playbackQueueMs >= 0)
        audioArguments << QStringLiteral("--playback-queue-ms") << QString::number(options.playbackQueueMs);
    if (options.lowDelayCodec)
        audioArguments << QStringLiteral("--low-delay-codec"); // the listener ignores it

    BenchServer server;
    const std::int64_t serverStartNs = steadyNs();
    if (!server.start(options.server)) {
        result.failure = QStringLiteral("earshot-server did not start");
        return result;
    }
    const QString room = QStringLiteral("latency-%1").arg(tag);
    CliChild publisher;
    if (!publisher.start(options.cli,
            roomArguments(server, room, QStringLiteral("publisher")) + audioArguments
                + QStringList { QStringLiteral("--publish"), stream, QStringLiteral("--input"), clickWav,
                    QStringLiteral("--duration"), QString::number(options.seconds + 1.0) },
            dir.filePath(QStringLiteral("publisher-%1.jsonl").arg(tag)),
            dir.filePath(QStringLiteral("publisher-%1.log").arg(tag)))) {
        result.failure = QStringLiteral("cannot start earshot-cli");
        return result;
    }
    const QJsonObject publishing { { QStringLiteral("streamID"), stream },
        { QStringLiteral("state"), QStringLiteral("Publishing") } };
    if (!waitUntil({ &publisher }, kStartTimeoutMs, 2,
            [&] {
                return !publisher.running()
                    || (publisher.find(QStringLiteral("publisherStateUpdate"), publishing) != nullptr
                        && publisher.find(QStringLiteral("captureStarted")) != nullptr);
            })
        || !publisher.running()) {
        result.failure = publisher.running()
            ? QStringLiteral("the publisher did not start publishing")
            : QStringLiteral("the publisher exited with code %1 before publishing (2: usage error)")
                  .arg(publisher.exitCode());
        printTail(publisher.logPath());
        return result;
    }

    CliChild listener;
    if (!listener.start(options.cli,
            roomArguments(server, room, QStringLiteral("listener")) + audioArguments
                + QStringList { QStringLiteral("--play"), stream, QStringLiteral("--output"), outputWav,
                    QStringLiteral("--duration"), QString::number(options.seconds) },
            dir.filePath(QStringLiteral("listener-%1.jsonl").arg(tag)),
            dir.filePath(QStringLiteral("listener-%1.log").arg(tag)))) {
        result.failure = QStringLiteral("cannot start earshot-cli");
        return result;
    }
    // Finely until the first audio (join-to-first-audio is read off the bench's clock), then
    // coarsely, to leave the cores to the processes measured.
    static_cast<void>(waitUntil({ &publisher, &listener }, kStartTimeoutMs, 1, [&] {
        return !listener.running() || listener.find(QStringLiteral("playerRecvAudioFirstFrame")) != nullptr;
    }));
    const int exitTimeoutMs = int(options.seconds * 1000.0) + kExitMarginMs;
    const bool exited = waitUntil({ &publisher, &listener }, exitTimeoutMs, 50,
        [&] { return !publisher.running() && !listener.running(); });
    const double serverCpuSeconds = sampleCpu(server.pid()).statSeconds;
    result.serverCpuPercent = 100.0 * serverCpuSeconds / (double(steadyNs() - serverStartNs) / 1e9);
    server.stop();
    if (!exited) {
        publisher.kill();
        listener.kill();
        result.failure = QStringLiteral("the clients did not exit in time");
        return result;
    }
    if (publisher.exitCode() != 0 || listener.exitCode() != 0) {
        result.failure = QStringLiteral("exit codes: publisher %1, listener %2")
                             .arg(publisher.exitCode())
                             .arg(listener.exitCode());
        printTail(publisher.logPath());
        printTail(listener.logPath());
        return result;
    }
    server.discardLog();
    result.publisherCpuPercent = 100.0 * publisher.cpuSeconds() / publisher.wallSeconds();
    result.listenerCpuPercent = 100.0 * listener.cpuSeconds() / listener.wallSeconds();

    // Join: the listener's process start (the bench's clock) and its loginRoom call (its own
    // "t", in ms, on which the parts are read too) to its first audio frame.
    const CliChild::Event* firstFrame = listener.find(QStringLiteral("playerRecvAudioFirstFrame"));
    const CliChild::Event* playbackStarted = listener.find(QStringLiteral("playbackStarted"));
    const CliChild::Event* captureStarted = publisher.find(QStringLiteral("captureStarted"));
    if (firstFrame == nullptr || playbackStarted == nullptr || captureStarted == nullptr) {
        result.failure = QStringLiteral("no audio arrived (events missing)");
        return result;
    }
    const qint64 loggingIn = eventTime(listener.find(
        QStringLiteral("roomStateChanged"), { { QStringLiteral("reason"), QStringLiteral("Logining") } }));
    const qint64 loggedIn = eventTime(listener.find(
        QStringLiteral("roomStateChanged"), { { QStringLiteral("reason"), QStringLiteral("Logined") } }));
    const qint64 playing = eventTime(listener.find(QStringLiteral("playerStateUpdate"),
        { { QStringLiteral("streamID"), stream }, { QStringLiteral("state"), QStringLiteral("Playing") } }));
    const qint64 firstFrameT = eventTime(firstFrame);
    result.joinFromSpawnMs = double(firstFrame->seenNs - listener.spawnNs()) / 1e6;
    result.joinFromLoginMs = double(firstFrameT - loggingIn);
    result.loginMs = double(loggedIn - loggingIn);
    result.playRequestMs = double(playing - loggedIn);
    result.firstAudioMs = double(firstFrameT - playing);

    for (const CliChild::Event* event : listener.all(QStringLiteral("playerQualityUpdate"))) {
        const QJsonObject quality = event->json.value(QStringLiteral("quality")).toObject();
        result.jitterBufferMs.push_back(quality.value(QStringLiteral("jitterBufferDelayMs")).toDouble());
        result.jitterMs.push_back(quality.value(QStringLiteral("jitterMs")).toDouble());
    }
    std::vector<double> kbps;
    for (const CliChild::Event* event : publisher.all(QStringLiteral("publisherQualityUpdate")))
        kbps.push_back(event->json.value(QStringLiteral("quality"))
                           .toObject()
                           .value(QStringLiteral("audioSendBytesPerSecondKbps"))
                           .toDouble());
    result.publisherKbps = median(kbps);

    // The clicks, on the wall clock.
    std::vector<float> heard;
    std::string error;
    if (!readWavMono48k(outputWav.toStdString(), heard, error)) {
        result.failure = QStringLiteral("cannot read %1: %2").arg(outputWav, QString::fromStdString(error));
        return result;
    }
    const double captureMicros = double(captureStarted->json.value(QStringLiteral("unixMicros")).toInteger());
    const double playbackMicros
        = double(playbackStarted->json.value(QStringLiteral("unixMicros")).toInteger());
    const auto toMicros = [](double frame) { return frame * 1e6 / kRateHz; };
    std::vector<double> sentMicros;
    std::vector<double> detectionErrors;
    for (const ClickDetection& click : findClicks(train.samples, kDetectThreshold, kMinClickSpacingFrames)) {
        sentMicros.push_back(captureMicros + toMicros(click.frame));
        const auto nearest = std::min_element(train.clickFrames.begin(), train.clickFrames.end(),
            [&](double a, double b) { return std::abs(a - click.frame) < std::abs(b - click.frame); });
        detectionErrors.push_back(std::abs(*nearest - click.frame) / kFramesPerMs);
    }
    result.inputDetectionErrorMs
        = detectionErrors.empty() ? 0.0 : *std::max_element(detectionErrors.begin(), detectionErrors.end());
    // The first audio reached the device at about the first-frame event (ms since playbackStarted).
    const double skipFrames
        = (double(firstFrameT - eventTime(playbackStarted)) / 1000.0 + kSkipSeconds) * kRateHz;
    std::vector<double> heardMicros;
    double lastClickFrame = 0.0; // the counted part ends here: after it the input may have ended
    for (const ClickDetection& click : findClicks(heard, kDetectThreshold, kMinClickSpacingFrames)) {
        if (click.frame >= skipFrames) {
            heardMicros.push_back(playbackMicros + toMicros(click.frame));
            lastClickFrame = std::max(lastClickFrame, double(click.frame));
        }
    }
    result.latenciesMs = pairClicks(sentMicros, heardMicros);
    if (options.backgroundDb > kCountDropoutsAboveDb) {
        const Dropouts dropouts = findDropouts(heard, static_cast<std::size_t>(std::max(0.0, skipFrames)),
            static_cast<std::size_t>(lastClickFrame), kDropoutFrames);
        result.dropouts = dropouts.count;
        result.dropoutMs = double(dropouts.frames) / kFramesPerMs;
    }
    // Expected: the clicks sent that, at the median latency, fall in the counted part of out.wav.
    const double typicalMicros = result.latenciesMs.empty() ? 0.0 : result.medianMs() * 1000.0;
    const double firstCounted = playbackMicros + toMicros(skipFrames);
    const double lastHeard = playbackMicros + toMicros(double(heard.size()) - kClickFrames);
    result.expectedClicks = int(std::count_if(sentMicros.begin(), sentMicros.end(), [&](double sent) {
        return sent + typicalMicros >= firstCounted && sent + typicalMicros < lastHeard;
    }));
    return result;
}

std::string join(const std::vector<double>& values, const char* pattern)
{
    std::string text;
    for (const double value : values) {
        if (!text.empty())
            text += ' ';
        text += format(pattern, value);
    }
    return text.empty() ? "–" : text;
}

void printRun(const RunResult& r)
{
    std::printf("\n== frame %d ms, device period %s ms\n", r.frameMs, qPrintable(r.period));
    if (!r.failure.isEmpty()) {
        std::printf("  FAILED: %s\n", qPrintable(r.failure));
        std::fflush(stdout);
        return;
    }
    std::printf("  clicks found            %zu of %d expected (after the first %.0f s of audio)\n",
        r.latenciesMs.size(), r.expectedClicks, kSkipSeconds);
    std::printf("  mouth-to-ear ms         median %.1f  p10 %.1f  p90 %.1f  min %.1f  max %.1f\n",
        r.medianMs(), percentile(r.latenciesMs, 10.0), percentile(r.latenciesMs, 90.0),
        percentile(r.latenciesMs, 0.0), percentile(r.latenciesMs, 100.0));
    std::printf("  each click ms           %s\n", join(r.latenciesMs, "%.1f").c_str());
    std::printf(
        "  detector check          the clicks found in click.wav lie within %.3f ms of their true centres\n",
        r.inputDetectionErrorMs);
    std::printf(
        "  join to first audio     %.0f ms from the listener's process start, %.0f ms from its loginRoom\n"
        "                          (login %.0f, play request %.0f, then to the first audio played %.0f ms)\n",
        r.joinFromSpawnMs, r.joinFromLoginMs, r.loginMs, r.playRequestMs, r.firstAudioMs);
    if (r.dropouts >= 0)
        std::printf("  dropouts                %d (%.1f ms of digital silence in out.wav between the first and last click counted)\n",
            r.dropouts, r.dropoutMs);
    std::printf("  jitter buffer (engine)  %s ms buffered; jitter estimate %s ms\n",
        join(r.jitterBufferMs, "%.0f").c_str(), join(r.jitterMs, "%.1f").c_str());
    std::printf("  publisher send rate     %.1f kbit/s (median of its quality reports)\n", r.publisherKbps);
    std::printf("  CPU per s of runtime    publisher %.2f %%, listener %.2f %%, server %.2f %% of one core\n",
        r.publisherCpuPercent, r.listenerCpuPercent, r.serverCpuPercent);
    std::fflush(stdout);
}

void printSummary(const std::vector<RunResult>& results, const Options& options)
{
    std::printf("\n== summary\n\n");
    Table table({ "frame", "device period", "clicks found", "mouth-to-ear median", "p10", "p90",
        "last quarter", "dropouts", "join → first audio (process / loginRoom)", "CPU publisher / listener / server" });
    for (const RunResult& r : results) {
        if (!r.failure.isEmpty()) {
            table.addRow({ format("%d ms", r.frameMs), r.period.toStdString() + " ms",
                "failed: " + r.failure.toStdString() });
            continue;
        }
        table.addRow({ format("%d ms", r.frameMs), r.period.toStdString() + " ms",
            format("%zu / %d", r.latenciesMs.size(), r.expectedClicks), format("%.1f ms", r.medianMs()),
            format("%.1f", percentile(r.latenciesMs, 10.0)), format("%.1f", percentile(r.latenciesMs, 90.0)),
            format("%.1f", r.lastQuarterMedianMs()),
            r.dropouts >= 0 ? format("%d (%.1f ms)", r.dropouts, r.dropoutMs) : std::string("–"),
            format("%.0f / %.0f ms", r.joinFromSpawnMs, r.joinFromLoginMs),
            format(
                "%.2f / %.2f / %.2f %%", r.publisherCpuPercent, r.listenerCpuPercent, r.serverCpuPercent) });
    }
    table.print();

    std::printf("\nThe parts that can be named (ms): the encoder's frame, Opus's lookahead and the playback\n"
                "queue's target (one device period + AudioPipelineConfig::playbackQueueMs). What is left of\n"
                "the median is the jitter buffer's wait plus the small rest (media-thread wake-ups, the\n"
                "network, the render block's phase, the virtual device's timing). Beside it the jitter buffer's\n"
                "level as the listener's engine reported it (jitterBufferDelayMs, every 3 s): a snapshot\n"
                "that swings by a packet, highest just after one arrives, while an arriving packet waits\n"
                "behind the level just before it.\n\n");
    Table parts({ "frame", "device period", "measured median", "frame", "Opus lookahead",
        "playback queue target", "left: jitter buffer + rest", "jitter buffer reported" });
    for (const RunResult& r : results) {
        if (!r.failure.isEmpty())
            continue;
        const double named = r.frameMs + r.lookaheadMs + r.playbackQueueMs;
        parts.addRow(
            { format("%d ms", r.frameMs), r.period.toStdString() + " ms", format("%.1f", r.medianMs()),
                format("%d", r.frameMs), format("%.1f", r.lookaheadMs), format("%.1f", r.playbackQueueMs),
                format("%.1f", r.medianMs() - named), join(r.jitterBufferMs, "%.0f") });
    }
    parts.print();

    const auto target = std::find_if(results.begin(), results.end(), [](const RunResult& r) {
        return r.frameMs == kTargetFrameMs && r.period.toDouble() == kTargetPeriodMs && r.failure.isEmpty();
    });
    if (target == results.end()) {
        std::printf("\nTarget: median mouth-to-ear within %.0f ms with %d ms frames and %d ms periods: "
                    "not measured (not in the matrix, or the run failed)\n",
            kTargetMedianMs, kTargetFrameMs, kTargetPeriodMs);
        return;
    }
    // A median bought with dropouts is no pass: the device ran dry somewhere.
    const bool pass = target->medianMs() <= kTargetMedianMs && target->dropouts <= 0;
    const std::string queue = options.playbackQueueMs >= 0 ? format("%d ms", options.playbackQueueMs)
                                                           : std::string("the default");
    std::printf("\nTarget: median mouth-to-ear within %.0f ms with %d ms frames and %d ms periods: %s (%.1f ms, "
                "%d dropouts; playback queue %s, Opus %s mode)\n",
        kTargetMedianMs, kTargetFrameMs, kTargetPeriodMs, pass ? "PASS" : "FAIL", target->medianMs(),
        std::max(target->dropouts, 0), queue.c_str(), options.lowDelayCodec ? "low-delay" : "voice");
}

std::optional<Options> parseOptions(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Mouth-to-ear latency between two earshot-cli processes through earshot-server."));
    parser.addHelpOption();
    const QCommandLineOption frames(QStringLiteral("frames"),
        QStringLiteral("Opus frame durations in ms, comma-separated (10,20)."), QStringLiteral("LIST"),
        QStringLiteral("10,20"));
    const QCommandLineOption periods(QStringLiteral("periods"),
        QStringLiteral("Device periods in ms, comma-separated, passed to --device-period-ms (2.5,5,10)."),
        QStringLiteral("LIST"), QStringLiteral("2.5,5,10"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
        QStringLiteral("Length of the click train (30: the jitter buffer sheds its start-up allowance in the "
                       "first 5 s, and the median should be its steady state)."),
        QStringLiteral("S"), QStringLiteral("30"));
    const QCommandLineOption background(QStringLiteral("background-db"),
        QStringLiteral("Noise between the clicks, dBFS RMS; -200 for digital silence (-40)."),
        QStringLiteral("DB"), QStringLiteral("-40"));
    const QCommandLineOption playbackQueue(QStringLiteral("playback-queue-ms"),
        QStringLiteral("Passed to both clients' --playback-queue-ms (default: theirs, 10)."), QStringLiteral("MS"));
    const QCommandLineOption lowDelayCodec(QStringLiteral("low-delay-codec"),
        QStringLiteral("The publisher's Opus in restricted low-delay mode (earshot-cli --low-delay-codec)."));
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("earshot-server binary."),
        QStringLiteral("PATH"), QStringLiteral(EARSHOT_SERVER_BINARY));
    const QCommandLineOption cli(QStringLiteral("cli"), QStringLiteral("earshot-cli binary."),
        QStringLiteral("PATH"), QStringLiteral(EARSHOT_CLI_BINARY));
    const QCommandLineOption outputDir(QStringLiteral("output-dir"),
        QStringLiteral("Keep click.wav, the WAVs heard and the event lines here (default: a temporary "
                       "folder, removed unless a run fails)."),
        QStringLiteral("DIR"));
    parser.addOptions({ frames, periods, seconds, background, playbackQueue, lowDelayCodec, server, cli, outputDir });
    parser.process(app);

    Options options;
    for (const QString& frame : parser.value(frames).split(u',', Qt::SkipEmptyParts))
        options.framesMs.push_back(frame.toInt());
    options.periods = parser.value(periods).split(u',', Qt::SkipEmptyParts);
    options.seconds = parser.value(seconds).toDouble();
    options.backgroundDb = parser.value(background).toDouble();
    if (parser.isSet(playbackQueue))
        options.playbackQueueMs = std::clamp(parser.value(playbackQueue).toInt(), 0, 100);
    options.lowDelayCodec = parser.isSet(lowDelayCodec);
    options.server = parser.value(server);
    options.cli = parser.value(cli);
    options.outputDir = parser.value(outputDir);
    const bool framesOk = !options.framesMs.empty()
        && std::all_of(options.framesMs.begin(), options.framesMs.end(),
            [](int ms) { return ms == 10 || ms == 20 || ms == 40 || ms == 60; });
    if (!framesOk || options.periods.isEmpty() || options.seconds < 4.0 || options.seconds > 600.0) {
        std::fprintf(
            stderr, "out of range: --frames of 10, 20, 40, 60; --periods not empty; 4 <= --seconds <= 600\n");
        return std::nullopt;
    }
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const std::optional<Options> options = parseOptions(app);
    if (!options)
        return 2;

    QTemporaryDir temporary(QDir::temp().filePath(QStringLiteral("earshot-bench-latency-XXXXXX")));
    const QDir dir(options->outputDir.isEmpty() ? temporary.path() : options->outputDir);
    if (!options->outputDir.isEmpty() && !QDir().mkpath(options->outputDir)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(options->outputDir));
        return 1;
    }
    const ClickTrain train = makeClickTrain(options->seconds, options->backgroundDb, 1);
    const QString clickWav = dir.filePath(QStringLiteral("click.wav"));
    if (!writeWav(clickWav.toStdString(), train.samples))
        return 1;

    const MachineInfo machine = machineInfo();
    std::printf(
        "earshot-bench-latency: mouth-to-ear latency, two earshot-cli processes through earshot-server\n"
        "machine:  %ld CPUs online, %s, load average %s at start\n"
        "build:    %s (the bench; the binaries below are run as they are)\n"
        "server:   %s\n"
        "client:   %s (virtual WAV device; the publisher's 3A is off, as for every --input)\n"
        "input:    %zu clicks (1 ms, %.0f Hz) 450-550 ms apart over %.0f s, noise at %.0f dBFS between\n"
        "files:    %s\n",
        machine.processors, machine.cpuModel.c_str(), machine.loadAverage.c_str(), EARSHOT_BENCH_BUILD_TYPE,
        qPrintable(options->server), qPrintable(options->cli), train.clickFrames.size(), kClickHz,
        options->seconds, options->backgroundDb, qPrintable(dir.path()));
    if (QByteArray(EARSHOT_BENCH_BUILD_TYPE) != "Release"
        && QByteArray(EARSHOT_BENCH_BUILD_TYPE) != "RelWithDebInfo")
        std::printf(
            "WARNING:  not an optimised build; the CPU figures say little (scripts/bench builds Release)\n");
    std::fflush(stdout);

    std::vector<RunResult> results;
    for (const int frameMs : options->framesMs) {
        for (const QString& period : options->periods) {
            results.push_back(runOne(*options, train, clickWav, dir, frameMs, period));
            printRun(results.back());
        }
    }
    printSummary(results, *options);
    const bool anyFailed = std::any_of(
        results.begin(), results.end(), [](const RunResult& r) { return !r.failure.isEmpty(); });
    if (anyFailed && options->outputDir.isEmpty()) {
        temporary.setAutoRemove(false);
        std::printf("\nA run failed: its files are kept in %s\n", qPrintable(dir.path()));
    }
    return anyFailed ? 1 : 0;
}
