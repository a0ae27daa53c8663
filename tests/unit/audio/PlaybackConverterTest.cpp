#include "audio/PlaybackConverter.h"

#include "SignalAnalysis.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using earshot::audio::AudioFormat;
using earshot::audio::PlaybackConverter;
namespace analysis = earshot::audio::test;

namespace {

// Engine periods of a continuous tone (or a constant), counting how often it is asked.
class ToneSource final : public PlaybackConverter::Source {
public:
    ToneSource(AudioFormat format, double frequencyHz, float constant = 0.0f)
        : m_format(format)
        , m_frequencyHz(frequencyHz)
        , m_constant(constant)
    {
    }

    void renderPeriod(float* engineOutput) override
    {
        for (int frame = 0; frame < m_format.framesPerPeriod; ++frame, ++m_frame) {
            const float value = m_frequencyHz > 0.0
                ? static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * m_frequencyHz * static_cast<double>(m_frame)
                                                    / m_format.sampleRateHz))
                : m_constant;
            for (int channel = 0; channel < m_format.channels; ++channel)
                engineOutput[frame * m_format.channels + channel] = value;
        }
        ++m_periods;
    }

    AudioFormat m_format;
    double m_frequencyHz;
    float m_constant;
    std::int64_t m_frame = 0;
    int m_periods = 0;
};

} // namespace

class PlaybackConverterTest : public QObject {
    Q_OBJECT

private slots:
    void fillsIrregularDeviceBlocksAt44kStereo();
    void sameFormatIsSampleExact();
    void clipsToFullScale();
};

// Device blocks of varying size at another rate and channel count: every block is filled, the
// tone comes out continuous (no seams between engine periods) and the engine is asked for
// exactly as many periods as the device consumed.
void PlaybackConverterTest::fillsIrregularDeviceBlocksAt44kStereo()
{
    const AudioFormat engine; // 48 kHz mono, 480 frames
    PlaybackConverter converter;
    QVERIFY(converter.init(44100, 2, engine, 441, 4));
    ToneSource source(engine, 300.0);

    const int sizes[] = {441, 100, 441, 7, 441, 300, 1};
    std::vector<float> device;
    std::vector<float> block(441 * 2);
    int deviceFrames = 0;
    for (int i = 0; deviceFrames < 2 * 44100; ++i) {
        const int frames = sizes[i % std::size(sizes)];
        std::fill(block.begin(), block.end(), 9.0f); // anything not overwritten shows up
        converter.render(block.data(), frames, source);
        device.insert(device.end(), block.begin(), block.begin() + frames * 2);
        deviceFrames += frames;
    }
    for (const float sample : device)
        QVERIFY(sample >= -1.0f && sample <= 1.0f);
    const std::vector<float> left = analysis::channelOf(device, 2, 0);
    QCOMPARE(left, analysis::channelOf(device, 2, 1));
    const auto body = std::span<const float>(left).subspan(2000, left.size() - 4000);
    QVERIFY(std::abs(analysis::zeroCrossingFrequencyHz(body, 44100) - 300.0) < 0.5);
    QVERIFY(std::abs(analysis::rms(body) - 0.5 / std::sqrt(2.0)) < 0.005);
    // A 300 Hz tone at 0.5 moves at most 2π·300·0.5/44100 ≈ 0.021 per sample.
    QVERIFY2(analysis::maxStep(body) < 0.025, qPrintable(QString::number(analysis::maxStep(body))));
    // Periods asked ≈ device time (plus at most one period held in the FIFO and the filter).
    const double expectedPeriods = deviceFrames * 48000.0 / 44100.0 / 480.0;
    QVERIFY2(source.m_periods >= expectedPeriods && source.m_periods <= expectedPeriods + 2,
             qPrintable(QStringLiteral("%1 periods for %2").arg(source.m_periods).arg(expectedPeriods)));
}

void PlaybackConverterTest::sameFormatIsSampleExact()
{
    const AudioFormat engine{48000, 2, 480};
    PlaybackConverter converter;
    QVERIFY(converter.init(48000, 2, engine, 480, 4));
    ToneSource reference(engine, 1000.0);
    ToneSource source(engine, 1000.0);
    std::vector<float> expected(960 * 3);
    for (int i = 0; i < 3; ++i)
        reference.renderPeriod(expected.data() + i * 960);

    std::vector<float> device(960 * 3);
    // 256 + 480 + 224 + 480 = 1440 frames in uneven blocks.
    converter.render(device.data(), 256, source);
    converter.render(device.data() + 256 * 2, 480, source);
    converter.render(device.data() + 736 * 2, 224, source);
    converter.render(device.data() + 960 * 2, 480, source);
    QCOMPARE(device, expected);
    QCOMPARE(source.m_periods, 3);

    converter.reset(); // a new stream starts on a period boundary
    source = ToneSource(engine, 1000.0);
    std::vector<float> again(960);
    converter.render(again.data(), 480, source);
    QCOMPARE(again, std::vector<float>(expected.begin(), expected.begin() + 960));
}

void PlaybackConverterTest::clipsToFullScale()
{
    const AudioFormat engine;
    PlaybackConverter converter;
    QVERIFY(converter.init(48000, 1, engine, 480, 4));
    ToneSource loud(engine, 0.0, 3.0f);
    std::vector<float> device(480);
    converter.render(device.data(), 480, loud);
    for (const float sample : device)
        QCOMPARE(sample, 1.0f);
}

QTEST_APPLESS_MAIN(PlaybackConverterTest)
#include "PlaybackConverterTest.moc"
