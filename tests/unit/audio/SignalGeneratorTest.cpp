#include "audio/SignalGenerator.h"

#include "SignalAnalysis.h"

#include <QTest>

#include <cmath>
#include <vector>

using earshot::audio::SignalGenerator;
using earshot::audio::SignalGeneratorConfig;
using earshot::audio::SignalKind;
namespace analysis = earshot::audio::test;

class SignalGeneratorTest : public QObject {
    Q_OBJECT

private slots:
    void silenceIsZero();
    void toneHasItsFrequencyAndLevelAcrossCalls();
    void clickTrainHasItsPeriod();
    void resetRestarts();
};

void SignalGeneratorTest::silenceIsZero()
{
    SignalGenerator generator(SignalGeneratorConfig{}, 48000, 2);
    std::vector<float> samples(960, 1.0f);
    generator.generate(samples);
    QCOMPARE(analysis::rms(samples), 0.0);
}

void SignalGeneratorTest::toneHasItsFrequencyAndLevelAcrossCalls()
{
    SignalGeneratorConfig config;
    config.kind = SignalKind::Tone;
    config.frequencyHz = 440.0;
    config.amplitude = 0.3f;
    SignalGenerator generator(config, 48000, 2);
    std::vector<float> all;
    std::vector<float> period(480 * 2);
    for (int i = 0; i < 100; ++i) { // 1 s in 10 ms periods: phase must carry over
        generator.generate(period);
        all.insert(all.end(), period.begin(), period.end());
    }
    const std::vector<float> left = analysis::channelOf(all, 2, 0);
    QCOMPARE(left, analysis::channelOf(all, 2, 1));
    QVERIFY(std::abs(analysis::zeroCrossingFrequencyHz(left, 48000) - 440.0) < 0.01);
    QVERIFY(std::abs(analysis::rms(left) - 0.3 / std::sqrt(2.0)) < 1e-3);
    QVERIFY(analysis::maxStep(left) < 0.3 * 2 * 3.15 * 440 / 48000); // no seam between periods
}

void SignalGeneratorTest::clickTrainHasItsPeriod()
{
    SignalGeneratorConfig config;
    config.kind = SignalKind::ClickTrain;
    config.clickPeriodMs = 100;
    config.amplitude = 0.8f;
    SignalGenerator generator(config, 8000, 1);
    std::vector<float> samples(8000); // 1 s
    for (std::size_t start = 0; start < samples.size(); start += 333)
        generator.generate(std::span<float>(samples).subspan(start, std::min<std::size_t>(333, samples.size() - start)));
    std::vector<std::size_t> clicks;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (samples[i] != 0.0f) {
            QCOMPARE(samples[i], 0.8f);
            clicks.push_back(i);
        }
    }
    QCOMPARE(clicks.size(), std::size_t{10});
    for (std::size_t i = 0; i < clicks.size(); ++i)
        QCOMPARE(clicks[i], i * 800);
}

void SignalGeneratorTest::resetRestarts()
{
    SignalGeneratorConfig config;
    config.kind = SignalKind::Tone;
    SignalGenerator generator(config, 48000, 1);
    std::vector<float> first(100);
    std::vector<float> again(100);
    generator.generate(first);
    generator.reset();
    generator.generate(again);
    QCOMPARE(again, first);
}

QTEST_APPLESS_MAIN(SignalGeneratorTest)
#include "SignalGeneratorTest.moc"
