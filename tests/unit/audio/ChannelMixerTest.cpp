#include "dsp/ChannelMixer.h"

#include <QTest>

#include <vector>

using earshot::dsp::ChannelMixer;

Q_DECLARE_METATYPE(std::vector<float>)

class ChannelMixerTest : public QObject {
    Q_OBJECT

private slots:
    void mixes_data();
    void mixes();
};

void ChannelMixerTest::mixes_data()
{
    QTest::addColumn<int>("inputChannels");
    QTest::addColumn<std::vector<float>>("input");
    QTest::addColumn<int>("outputChannels");
    QTest::addColumn<std::vector<float>>("expected");

    QTest::newRow("mono → mono: copy") << 1 << std::vector<float>{0.1f, 0.2f} << 1 << std::vector<float>{0.1f, 0.2f};
    QTest::newRow("mono → stereo: both sides")
        << 1 << std::vector<float>{0.1f, -0.2f} << 2 << std::vector<float>{0.1f, 0.1f, -0.2f, -0.2f};
    QTest::newRow("stereo → mono: average")
        << 2 << std::vector<float>{0.2f, 0.4f, -1.0f, 1.0f} << 1 << std::vector<float>{0.3f, 0.0f};
    QTest::newRow("4 → mono: average") << 4 << std::vector<float>{0.4f, 0.4f, 0.0f, 0.0f} << 1 << std::vector<float>{0.2f};
    QTest::newRow("stereo → 4: front pair, rest silent")
        << 2 << std::vector<float>{0.1f, 0.2f} << 4 << std::vector<float>{0.1f, 0.2f, 0.0f, 0.0f};
    QTest::newRow("6 → stereo: front left/right")
        << 6 << std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f} << 2 << std::vector<float>{0.1f, 0.2f};
    QTest::newRow("mono → 3: everywhere") << 1 << std::vector<float>{0.5f} << 3 << std::vector<float>{0.5f, 0.5f, 0.5f};
    QTest::newRow("no frames") << 2 << std::vector<float>{} << 1 << std::vector<float>{};
}

void ChannelMixerTest::mixes()
{
    QFETCH(int, inputChannels);
    QFETCH(std::vector<float>, input);
    QFETCH(int, outputChannels);
    QFETCH(std::vector<float>, expected);
    const int frames = static_cast<int>(input.size()) / inputChannels;
    std::vector<float> output(expected.size(), 99.0f);
    ChannelMixer::mix(input, inputChannels, output, outputChannels, frames);
    QCOMPARE(output.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(qFuzzyCompare(1.0f + output[i], 1.0f + expected[i]),
                 qPrintable(QStringLiteral("sample %1: %2, expected %3").arg(i).arg(output[i]).arg(expected[i])));
}

QTEST_APPLESS_MAIN(ChannelMixerTest)
#include "ChannelMixerTest.moc"
