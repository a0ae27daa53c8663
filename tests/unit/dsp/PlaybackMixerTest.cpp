#include "dsp/PlaybackMixer.h"

#include <QTest>

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

using earshot::dsp::PlaybackMixer;

namespace {

constexpr int kSampleRateHz = 48000;
constexpr int kChannels = 2;
constexpr int kFrames = 480;
constexpr std::size_t kSamples = static_cast<std::size_t>(kFrames) * kChannels;

// An interleaved stereo sine, different on the two channels.
std::vector<float> sine(double frequencyHz, float amplitude)
{
    std::vector<float> samples;
    for (int frame = 0; frame < kFrames; ++frame) {
        const double phase = 2.0 * M_PI * frequencyHz * frame / kSampleRateHz;
        samples.push_back(amplitude * static_cast<float>(std::sin(phase)));
        samples.push_back(amplitude * static_cast<float>(std::cos(phase)));
    }
    return samples;
}

} // namespace

class PlaybackMixerTest : public QObject {
    Q_OBJECT

private slots:
    void twoStreamsSumExactlyBelowTheKnee();
    void perStreamMuteAndVolume();
    void masterVolume();
    void emptyStreamIsSilenceAndOutputIsAlwaysWritten();
    void twelveFullScaleStreamsStayWithinFullScale();
    void limiterIsTransparentForQuietInput();
    void limiterCurve();
};

void PlaybackMixerTest::twoStreamsSumExactlyBelowTheKnee()
{
    PlaybackMixer mixer(PlaybackMixer::kMaxStreams, kChannels, kSampleRateHz);
    const std::vector<float> a = sine(440.0, 0.4f);
    const std::vector<float> b = sine(1000.0, 0.3f);
    const std::span<const float> streams[] = { a, b };
    std::vector<float> output(kSamples, 99.0f);
    mixer.mix(streams, output, kFrames);
    for (std::size_t i = 0; i < kSamples; ++i)
        QCOMPARE(output[i], a[i] + b[i]);
}

void PlaybackMixerTest::perStreamMuteAndVolume()
{
    PlaybackMixer mixer(3, kChannels, kSampleRateHz);
    mixer.setStreamMuted(0, true);
    mixer.setStreamVolume(1, 50);
    mixer.setStreamVolume(2, 200);
    QVERIFY(mixer.isStreamMuted(0));
    QVERIFY(!mixer.isStreamMuted(1));
    QCOMPARE(mixer.streamVolume(1), 50);
    QCOMPARE(mixer.streamVolume(2), 200);
    // Amplitudes that keep every sum below the limiter's knee (0.3 + 0.2 + 0.2).
    const std::vector<float> a = sine(440.0, 0.3f);
    const std::vector<float> b = sine(700.0, 0.4f);
    const std::vector<float> c = sine(300.0, 0.1f);
    const std::span<const float> streams[] = { a, b, c };
    std::vector<float> output(kSamples);
    mixer.mix(streams, output, kFrames);
    for (std::size_t i = 0; i < kSamples; ++i)
        QCOMPARE(output[i], b[i] * 0.5f + c[i] * 2.0f);

    // Unmuting ramps stream 0 in: after the ramp it is in the sum at unity.
    mixer.setStreamMuted(0, false);
    mixer.mix(streams, output, kFrames);
    mixer.mix(streams, output, kFrames);
    for (std::size_t i = 0; i < kSamples; ++i)
        QCOMPARE(output[i], a[i] + b[i] * 0.5f + c[i] * 2.0f);
}

void PlaybackMixerTest::masterVolume()
{
    PlaybackMixer mixer(2, kChannels, kSampleRateHz);
    mixer.setMasterVolume(50);
    QCOMPARE(mixer.masterVolume(), 50);
    const std::vector<float> a = sine(440.0, 0.4f);
    const std::vector<float> b = sine(1000.0, 0.3f);
    const std::span<const float> streams[] = { a, b };
    std::vector<float> output(kSamples);
    mixer.mix(streams, output, kFrames);
    for (std::size_t i = 0; i < kSamples; ++i)
        QCOMPARE(output[i], (a[i] + b[i]) * 0.5f);

    mixer.setMasterMuted(true);
    QVERIFY(mixer.isMasterMuted());
    mixer.mix(streams, output, kFrames); // the ramp down
    mixer.mix(streams, output, kFrames);
    for (const float sample : output)
        QCOMPARE(sample, 0.0f);
}

void PlaybackMixerTest::emptyStreamIsSilenceAndOutputIsAlwaysWritten()
{
    PlaybackMixer mixer(4, kChannels, kSampleRateHz);
    const std::vector<float> b = sine(440.0, 0.4f);
    const std::span<const float> streams[] = { {}, b };
    std::vector<float> output(kSamples, 99.0f);
    mixer.mix(streams, output, kFrames);
    QCOMPARE(output, b);
    mixer.mix({}, output, kFrames);
    for (const float sample : output)
        QCOMPARE(sample, 0.0f);
}

void PlaybackMixerTest::twelveFullScaleStreamsStayWithinFullScale()
{
    PlaybackMixer mixer(PlaybackMixer::kMaxStreams, kChannels, kSampleRateHz);
    mixer.setMasterVolume(200);
    std::vector<std::vector<float>> blocks;
    for (int stream = 0; stream < PlaybackMixer::kMaxStreams; ++stream) {
        mixer.setStreamVolume(stream, 200);
        // Half of them full-scale square waves in phase (the worst case), half sines.
        if (stream % 2 == 0)
            blocks.emplace_back(kSamples, stream % 4 == 0 ? 1.0f : -1.0f);
        else
            blocks.push_back(sine(100.0 * stream, 1.0f));
    }
    blocks[0][7] = 1.0f;
    std::vector<std::span<const float>> streams(blocks.begin(), blocks.end());
    std::vector<float> output(kSamples);
    for (int block = 0; block < 3; ++block) {
        mixer.mix(streams, output, kFrames);
        for (const float sample : output)
            QVERIFY2(sample >= -1.0f && sample <= 1.0f, qPrintable(QString::number(sample)));
    }
    // All twelve in phase at +1: the output is pinned near full scale, not wrapped or silenced.
    for (auto& samples : blocks)
        std::fill(samples.begin(), samples.end(), 1.0f);
    mixer.mix(streams, output, kFrames);
    for (const float sample : output)
        QVERIFY(sample > 0.99f && sample <= 1.0f);
}

void PlaybackMixerTest::limiterIsTransparentForQuietInput()
{
    PlaybackMixer mixer(1, kChannels, kSampleRateHz);
    // A sine just below the knee, in several blocks: bit-exact.
    const std::vector<float> quiet = sine(997.0, PlaybackMixer::kLimiterKnee);
    const std::span<const float> streams[] = { quiet };
    std::vector<float> output(kSamples);
    for (int block = 0; block < 3; ++block) {
        mixer.mix(streams, output, kFrames);
        QCOMPARE(output, quiet);
    }
}

void PlaybackMixerTest::limiterCurve()
{
    const float knee = PlaybackMixer::kLimiterKnee;
    QCOMPARE(PlaybackMixer::limit(0.0f), 0.0f);
    QCOMPARE(PlaybackMixer::limit(0.5f), 0.5f);
    QCOMPARE(PlaybackMixer::limit(-knee), -knee);
    QCOMPARE(PlaybackMixer::limit(knee), knee);
    QCOMPARE(PlaybackMixer::limit(1000.0f), 1.0f);
    QCOMPARE(PlaybackMixer::limit(-INFINITY), -1.0f);
    QCOMPARE(PlaybackMixer::limit(NAN), 0.0f);
    QVERIFY(std::abs(20.0 * std::log10(knee) + 1.0) < 1e-4); // −1 dBFS
    // Above the knee: odd, monotonic, continuous with slope ≤ 1, below full scale.
    float previous = knee;
    for (float x = knee + 0.001f; x < 4.0f; x += 0.001f) {
        const float y = PlaybackMixer::limit(x);
        QCOMPARE(PlaybackMixer::limit(-x), -y);
        QVERIFY(y >= previous);
        QVERIFY(y - previous <= 0.0011f);
        QVERIFY(y <= x && y <= 1.0f);
        previous = y;
    }
}

QTEST_APPLESS_MAIN(PlaybackMixerTest)
#include "PlaybackMixerTest.moc"
