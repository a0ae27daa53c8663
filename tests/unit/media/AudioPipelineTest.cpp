// The pipeline test: virtual device → 3A → gate → Opus → simulated lossy, jittery
// channel → jitter buffer → mixer → virtual device, in real time with the real clock thread of
// VirtualAudioDevice and this test's thread as the media thread. The output must be the input
// delayed (cross-correlation), with losses concealed or recovered.
#include "MediaTestSignals.h"
#include "SimulatedLink.h"

#include "apm/AudioProcessor.h"
#include "audio/VirtualAudioDevice.h"
#include "audio/WavReader.h"
#include "audio/WavWriter.h"
#include "media/AudioPipeline.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <optional>
#include <thread>

using namespace earshot;
using namespace earshot::media;
using namespace earshot::media::test;

namespace {

struct PipelineRun {
    std::vector<float> input;
    std::vector<float> output;
    jitter::JitterStatistics jitter;
    PlayoutStatistics playout;
    CaptureStatistics capture;
    std::int64_t underrunSamples = 0;
    std::int64_t overflowSamples = 0;
    std::int64_t referenceErrors = 0;
    std::int64_t sent = 0;
    std::int64_t dropped = 0;
    Alignment alignment;
    std::vector<float> recording; // what the pipeline recorded, when asked to
};

std::int64_t steadyNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Runs `input` through the whole pipeline in real time and returns what the device played.
PipelineRun runPipeline(const AudioPipelineConfig& config, const LinkConfig& linkConfig, double reportedLoss,
                        std::vector<float> input, bool record = false)
{
    PipelineRun run;
    run.input = std::move(input);
    QTemporaryDir directory;
    const std::string inputPath = directory.filePath("in.wav").toStdString();
    const std::string outputPath = directory.filePath("out.wav").toStdString();
    const std::string recordingPath = directory.filePath("recording.wav").toStdString();
    {
        audio::WavWriter writer;
        if (writer.open(inputPath, kRateHz, 1, audio::WavSampleFormat::Float32) != audio::WavError::None
            || writer.write(run.input) != audio::WavError::None || writer.close() != audio::WavError::None) {
            qWarning("cannot write the input WAV");
            return run;
        }
    }

    SimulatedLink link(linkConfig, steadyNowUs);
    codec::CodecError error = codec::CodecError::Internal;
    std::unique_ptr<AudioPipeline> pipeline = AudioPipeline::create(config, link, &error);
    if (!pipeline) {
        qWarning("AudioPipeline::create failed: %s", codec::errorText(error));
        return run;
    }
    const int slot = pipeline->addStream();
    if (reportedLoss > 0.0)
        pipeline->capture().onLossReport(reportedLoss, 0);

    if (record && pipeline->recorder().start(recordingPath) != record::RecordingError::None) {
        qWarning("the recorder did not start");
        return run;
    }

    audio::VirtualDeviceConfig deviceConfig;
    deviceConfig.inputWavPath = inputPath;
    deviceConfig.outputWavPath = outputPath;
    deviceConfig.outputSampleFormat = audio::WavSampleFormat::Float32;
    audio::VirtualAudioDevice device(deviceConfig);
    audio::AudioStreamConfig streamConfig;
    streamConfig.engineFormat.channels = config.channels;
    streamConfig.engineFormat.framesPerPeriod = config.devicePeriodFrames;
    if (device.open(streamConfig, pipeline->deviceCallback()) != audio::AudioError::None
        || device.start() != audio::AudioError::None) {
        qWarning("the virtual device did not start");
        return run;
    }

    // The media thread: deliver what the network brought, then let the pipeline work.
    using namespace std::chrono_literals;
    std::optional<std::chrono::steady_clock::time_point> finishedAt;
    while (!finishedAt || std::chrono::steady_clock::now() - *finishedAt < 800ms) {
        link.deliver(*pipeline->stream(slot));
        pipeline->service();
        if (!finishedAt && device.inputFinished())
            finishedAt = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(1ms);
    }
    device.stop();
    device.close();
    if (record) {
        pipeline->recorder().stop();
        audio::WavReader recording;
        if (recording.open(recordingPath) != audio::WavError::None
            || recording.readAll(run.recording) != audio::WavError::None)
            qWarning("cannot read the recording");
    }

    run.jitter = pipeline->stream(slot)->jitterStatistics();
    run.playout = pipeline->stream(slot)->statistics();
    run.capture = pipeline->capture().statistics();
    run.underrunSamples = pipeline->bridge().playbackUnderrunSamples();
    run.referenceErrors = pipeline->statistics().referenceErrors;
    run.overflowSamples = pipeline->bridge().captureOverflowSamples();
    run.sent = link.sent();
    run.dropped = link.dropped();

    audio::WavReader reader;
    if (reader.open(outputPath) != audio::WavError::None || reader.readAll(run.output) != audio::WavError::None)
        qWarning("cannot read the output WAV");
    run.alignment = align(run.input, run.output, kRateHz / 2);
    qInfo("delay %.1f ms, waveform r=%.3f, envelope r=%.3f; sent %lld, dropped %lld, RED recovered %lld, "
          "FEC %lld, lost %lld, concealed %lld ms, late %lld, jitter-buffer delay %.1f ms (target %.1f), "
          "device underruns %lld samples, capture overflow %lld",
          double(run.alignment.delayFrames) * 1000.0 / kRateHz, run.alignment.waveformCorrelation,
          run.alignment.envelopeCorrelation, static_cast<long long>(run.sent), static_cast<long long>(run.dropped),
          static_cast<long long>(run.jitter.redundancyRecovered), static_cast<long long>(run.jitter.fecRecoveredFrames),
          static_cast<long long>(run.jitter.lostPackets), static_cast<long long>(run.jitter.concealedMs),
          static_cast<long long>(run.jitter.latePackets), run.jitter.currentDelayMs, run.jitter.targetDelayMs,
          static_cast<long long>(run.underrunSamples), static_cast<long long>(run.overflowSamples));
    return run;
}

AudioPipelineConfig plainConfig(int periodFrames)
{
    AudioPipelineConfig config;
    config.devicePeriodFrames = periodFrames;
    config.processing = false;
    config.capture.encoder.bitrateBps = 64'000;
    return config;
}

// The share of the input's loud 20 ms windows whose counterpart in the output has at least a
// quarter of their RMS: audio that was lost and not concealed shows up as windows of silence.
// The counterpart is looked for within ±kStretchMs of the found delay, as the jitter buffer's
// time-stretching moves the delay by a few milliseconds while it plays.
constexpr std::ptrdiff_t kStretchFrames = kRateHz / 1000 * 30;

double coveredShare(const PipelineRun& run)
{
    constexpr std::size_t kWindow = kRateHz / 50;
    const std::vector<double> in = envelope(run.input, kWindow);
    const std::span<const float> output(run.output);
    int loud = 0;
    int covered = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::ptrdiff_t centre = static_cast<std::ptrdiff_t>(i * kWindow) + run.alignment.delayFrames;
        if (in[i] < 0.05 || centre + kStretchFrames + static_cast<std::ptrdiff_t>(kWindow) > std::ssize(output))
            continue;
        ++loud;
        double best = 0.0;
        for (std::ptrdiff_t at = std::max<std::ptrdiff_t>(0, centre - kStretchFrames); at <= centre + kStretchFrames;
             at += kRateHz / 1000) {
            best = std::max(best, envelope(output.subspan(static_cast<std::size_t>(at), kWindow), kWindow).front());
        }
        if (best >= 0.25 * in[i])
            ++covered;
    }
    return loud > 0 ? double(covered) / loud : 0.0;
}

// Waveform correlation per 250 ms segment, each at its own delay near the found one (see
// segmentedWaveformCorrelation): the codec's fidelity, whatever the stretching did to the delay.
double waveformCorrelation(const PipelineRun& run)
{
    return segmentedWaveformCorrelation(run.input, run.output, run.alignment.delayFrames, kRateHz / 4, kStretchFrames);
}

} // namespace

class AudioPipelineTest : public QObject {
    Q_OBJECT

private slots:
    void cleanChannel_data();
    void cleanChannel();
    void lossyJitteryChannel_data();
    void lossyJitteryChannel();
    void renderBlocksFollowThePeriod_data();
    void renderBlocksFollowThePeriod();
    void fullProcessing_data();
    void fullProcessing();
    void recordsWhatIsSent();
};

void AudioPipelineTest::cleanChannel_data()
{
    QTest::addColumn<int>("periodFrames");
    QTest::newRow("10 ms periods") << 480;
    QTest::newRow("5 ms periods") << 240;
    QTest::newRow("2.5 ms periods") << 120;
}

// A clean channel: the output is the input, delayed by the pipeline's latency, waveform and all.
void AudioPipelineTest::cleanChannel()
{
    QFETCH(int, periodFrames);
    const PipelineRun run = runPipeline(plainConfig(periodFrames), {}, 0.0, speechLike(3.0));
    QVERIFY(!run.output.empty());
    QVERIFY2(waveformCorrelation(run) > 0.8, qPrintable(QString::number(waveformCorrelation(run))));
    QVERIFY(run.alignment.envelopeCorrelation > 0.9);
    // Latency: a 20 ms frame, Opus's lookahead, 5 ms of network, the jitter buffer (one packet
    // + margin + startup jitter) and the playback queue. Far below 250 ms, above the 26.5 ms
    // the codec alone takes.
    const double delayMs = double(run.alignment.delayFrames) * 1000.0 / kRateHz;
    QVERIFY2(delayMs > 26.5 && delayMs < 250.0, qPrintable(QString::number(delayMs)));
    QCOMPARE(run.dropped, 0);
    QCOMPARE(run.jitter.lostPackets, 0);
    QVERIFY(coveredShare(run) > 0.99);
    QCOMPARE(run.jitter.concealedMs, 0);
}

void AudioPipelineTest::lossyJitteryChannel_data()
{
    QTest::addColumn<double>("loss");
    QTest::addColumn<bool>("redundancy");
    QTest::newRow("10% loss, 40 ms jitter, RED") << 0.10 << true;
    QTest::newRow("10% loss, 40 ms jitter, FEC/PLC only") << 0.10 << false;
    QTest::newRow("20% loss, 40 ms jitter, RED") << 0.20 << true;
}

// Loss and 40 ms of jitter (reordering included): the jitter buffer grows to hold the jitter,
// the repeats and Opus FEC rebuild what they can, PLC covers the rest, and no loud part of the
// input goes missing from the output.
void AudioPipelineTest::lossyJitteryChannel()
{
    QFETCH(double, loss);
    QFETCH(bool, redundancy);
    LinkConfig link;
    link.lossFraction = loss;
    link.jitterUs = 40'000;
    link.seed = 11;
    const PipelineRun run = runPipeline(plainConfig(240), link, redundancy ? loss : 0.0, speechLike(3.0));
    QVERIFY(!run.output.empty());
    QVERIFY(run.dropped > 0);
    QVERIFY2(run.alignment.envelopeCorrelation > 0.9, qPrintable(QString::number(run.alignment.envelopeCorrelation)));
    // Concealment fades out over a long loss burst; the repeats leave hardly anything to it.
    const double covered = coveredShare(run);
    QVERIFY2(covered > (redundancy ? 0.97 : 0.9), qPrintable(QString::number(covered)));
    if (redundancy) {
        // Most losses came back as repeats; few were left to conceal.
        QVERIFY(run.jitter.redundancyRecovered > 0);
        QVERIFY2(run.jitter.lostPackets * 3 < run.dropped,
                 qPrintable(QStringLiteral("%1 of %2").arg(run.jitter.lostPackets).arg(run.dropped)));
    } else {
        QCOMPARE(run.jitter.redundancyRecovered, 0);
        QVERIFY(run.jitter.concealedMs > 0);
    }
    // The buffer made room for the jitter rather than conceal late packets.
    QVERIFY2(run.jitter.targetDelayMs >= 40.0, qPrintable(QString::number(run.jitter.targetDelayMs)));
}

void AudioPipelineTest::renderBlocksFollowThePeriod_data()
{
    QTest::addColumn<int>("periodFrames");
    QTest::addColumn<int>("renderFrames");
    QTest::newRow("1 ms") << 48 << 48;
    QTest::newRow("2.5 ms") << 120 << 120;
    QTest::newRow("3 ms: the largest divisor of 10 ms below it") << 144 << 120;
    QTest::newRow("5 ms") << 240 << 240;
    QTest::newRow("10 ms") << 480 << 480;
    QTest::newRow("20 ms: still 10 ms blocks") << 960 << 480;
}

// Playback is rendered in blocks of the device period (up to 10 ms), so the queue ahead of
// the speaker never holds more than its target plus one such block: a fixed 10 ms block would
// overshoot by up to 10 ms at every period. Driven by hand: device callbacks, then service().
void AudioPipelineTest::renderBlocksFollowThePeriod()
{
    QFETCH(int, periodFrames);
    QFETCH(int, renderFrames);
    AudioPipelineConfig config = plainConfig(periodFrames);
    config.processing = true; // the echo canceller's reference is gathered into 10 ms blocks
    config.playbackQueueMs = 2;
    SimulatedLink link({}, steadyNowUs);
    std::unique_ptr<AudioPipeline> pipeline = AudioPipeline::create(config, link);
    QVERIFY(pipeline);
    QCOMPARE(pipeline->renderFrames(), renderFrames);
    const auto target = static_cast<std::size_t>(pipeline->playbackTargetFrames());
    std::vector<float> input(static_cast<std::size_t>(periodFrames), 0.01f);
    std::vector<float> output(static_cast<std::size_t>(periodFrames));
    pipeline->service();
    for (int period = 0; period < 200; ++period) {
        QVERIFY(pipeline->bridge().playbackQueued() >= target);
        QVERIFY(pipeline->bridge().playbackQueued() < target + static_cast<std::size_t>(renderFrames));
        pipeline->deviceCallback().process(input.data(), output.data(), periodFrames);
        pipeline->service();
    }
    QCOMPARE(pipeline->bridge().playbackUnderrunSamples(), 0);
    QCOMPARE(pipeline->statistics().referenceErrors, 0);
    // Every period's capture was processed in 10 ms blocks, whatever the period.
    QCOMPARE(pipeline->statistics().capturedBlocks, 200 * periodFrames / 480);
}

void AudioPipelineTest::fullProcessing_data()
{
    QTest::addColumn<int>("periodFrames");
    QTest::newRow("10 ms periods") << 480;
    QTest::newRow("5 ms periods: the reference gathered") << 240;
}

// Everything on: echo cancellation (fed with the mix), noise suppression, AGC, high-pass. The
// signal still gets through recognisably (AGC and NS change its level and texture).
void AudioPipelineTest::fullProcessing()
{
    QFETCH(int, periodFrames);
    AudioPipelineConfig config = plainConfig(periodFrames);
    config.processing = true;
    const PipelineRun run = runPipeline(config, {}, 0.0, speechLike(3.0, 0.3f));
    QVERIFY(!run.output.empty());
    QCOMPARE(run.capture.processingErrors, 0);
    QCOMPARE(run.referenceErrors, 0);
    QVERIFY2(run.alignment.envelopeCorrelation > 0.8, qPrintable(QString::number(run.alignment.envelopeCorrelation)));
    QVERIFY(run.capture.packetsSent > 100);
}

// startRecordingCapturedData: the recording is what the capture chain sends, here (no 3A,
// continuous transmission) the input itself, undelayed, as 16-bit PCM.
void AudioPipelineTest::recordsWhatIsSent()
{
    const PipelineRun run = runPipeline(plainConfig(240), {}, 0.0, speechLike(2.0), true);
    QVERIFY(run.recording.size() >= run.input.size());
    const Alignment alignment = align(run.input, run.recording, kRateHz / 10);
    QCOMPARE(alignment.delayFrames, 0);
    QVERIFY2(alignment.waveformCorrelation > 0.999, qPrintable(QString::number(alignment.waveformCorrelation)));
}

QTEST_APPLESS_MAIN(AudioPipelineTest)
#include "AudioPipelineTest.moc"
