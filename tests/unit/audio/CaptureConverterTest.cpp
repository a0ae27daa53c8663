#include "audio/CaptureConverter.h"

#include "SignalAnalysis.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using earshot::audio::AudioFormat;
using earshot::audio::CaptureConverter;
namespace analysis = earshot::audio::test;

class CaptureConverterTest : public QObject {
    Q_OBJECT

private slots:
    void stereo44kBecomesMono48k();
    void sameFormatIsACopy();
    void nullInputIsSilence();
    void rejectsBadDeviceFormats();
};

void CaptureConverterTest::stereo44kBecomesMono48k()
{
    CaptureConverter converter;
    const AudioFormat engine; // 48 kHz mono
    QVERIFY(converter.init(44100, 2, engine, 441, 4));
    std::vector<float> block(441 * 2);
    std::vector<float> converted(static_cast<std::size_t>(converter.maxEngineFrames()));
    std::vector<float> all;
    std::size_t frame = 0;
    for (int i = 0; i < 200; ++i) { // 2 s
        for (std::size_t j = 0; j < 441; ++j, ++frame) {
            const auto value = static_cast<float>(0.4 * std::sin(2.0 * std::numbers::pi * 700.0 * static_cast<double>(frame) / 44100.0));
            block[2 * j] = value;     // left: the tone
            block[2 * j + 1] = value; // right: the same, so the mono average keeps the level
        }
        const int frames = converter.convert(block.data(), 441, converted);
        QVERIFY(frames >= 478 && frames <= 482);
        all.insert(all.end(), converted.begin(), converted.begin() + frames);
    }
    QVERIFY(std::abs(static_cast<double>(all.size()) - 96000.0) < 50.0);
    const auto body = std::span<const float>(all).subspan(4800, all.size() - 9600);
    QVERIFY(std::abs(analysis::zeroCrossingFrequencyHz(body, 48000) - 700.0) < 0.5);
    QVERIFY(std::abs(analysis::rms(body) - 0.4 / std::sqrt(2.0)) < 0.005);
}

void CaptureConverterTest::sameFormatIsACopy()
{
    CaptureConverter converter;
    const AudioFormat engine{48000, 2, 480};
    QVERIFY(converter.init(48000, 2, engine, 480, 4));
    QCOMPARE(converter.maxEngineFrames(), 480);
    std::vector<float> block(960);
    for (std::size_t i = 0; i < block.size(); ++i)
        block[i] = static_cast<float>(i) / 1000.0f;
    std::vector<float> converted(960);
    QCOMPARE(converter.convert(block.data(), 480, converted), 480);
    QCOMPARE(converted, block);
}

void CaptureConverterTest::nullInputIsSilence()
{
    CaptureConverter converter;
    QVERIFY(converter.init(48000, 1, AudioFormat{}, 480, 4));
    std::vector<float> converted(480, 1.0f);
    QCOMPARE(converter.convert(nullptr, 480, converted), 480);
    QCOMPARE(analysis::rms(converted), 0.0);
}

void CaptureConverterTest::rejectsBadDeviceFormats()
{
    CaptureConverter converter;
    QVERIFY(!converter.init(0, 1, AudioFormat{}, 480, 4));
    QVERIFY(!converter.init(48000, 0, AudioFormat{}, 480, 4));
    QVERIFY(!converter.init(48000, 1, AudioFormat{}, 0, 4));
    QVERIFY(!converter.init(44100, 1, AudioFormat{}, 441, 42));
}

QTEST_APPLESS_MAIN(CaptureConverterTest)
#include "CaptureConverterTest.moc"
