// QualityEstimator: the E-model figures behind publisher/playerQualityUpdate. Known points of
// G.107 (R = 93.2 with no impairment, MOS 4.41), monotonic in delay and loss, the levels'
// bands, and Unknown without data.
#include "api/QualityEstimator.h"

#include <QTest>

using earshot::StreamQualityLevel;
using earshot::api::QualityEstimator;
using earshot::api::QualityInputs;

class QualityEstimatorTest : public QObject {
    Q_OBJECT

private slots:
    void noImpairmentIsExcellent();
    void delayAndLossLowerTheScore();
    void levels_data();
    void levels();
    void unknownWithoutData();
};

void QualityEstimatorTest::noImpairmentIsExcellent()
{
    QualityInputs inputs;
    inputs.haveData = true;
    inputs.bitrateKbps = 48.0;
    QCOMPARE(QualityEstimator::rFactor(inputs), 93.2);
    QVERIFY(qAbs(QualityEstimator::mos(inputs) - 4.41) < 0.01);
    QCOMPARE(QualityEstimator::level(inputs), StreamQualityLevel::Excellent);
}

void QualityEstimatorTest::delayAndLossLowerTheScore()
{
    QualityInputs inputs;
    inputs.haveData = true;
    double previous = QualityEstimator::mos(inputs);
    for (double delay : {50.0, 150.0, 250.0, 400.0, 800.0}) {
        inputs.oneWayDelayMs = delay;
        const double mos = QualityEstimator::mos(inputs);
        QVERIFY2(mos < previous, qPrintable(QString::number(delay)));
        previous = mos;
    }
    inputs.oneWayDelayMs = 0.0;
    previous = QualityEstimator::mos(inputs);
    for (double loss : {0.01, 0.05, 0.1, 0.2, 0.5}) {
        inputs.residualLossRate = loss;
        const double mos = QualityEstimator::mos(inputs);
        QVERIFY2(mos < previous, qPrintable(QString::number(loss)));
        previous = mos;
    }
    // A low bitrate costs quality too.
    inputs.residualLossRate = 0.0;
    inputs.bitrateKbps = 8.0;
    QVERIFY(QualityEstimator::mos(inputs) < 4.2);
    // Nothing below 1 or above 4.5, whatever comes in.
    inputs.oneWayDelayMs = 1e9;
    inputs.residualLossRate = 5.0;
    QCOMPARE(QualityEstimator::mos(inputs), 1.0);
}

void QualityEstimatorTest::levels_data()
{
    QTest::addColumn<double>("delayMs");
    QTest::addColumn<double>("loss");
    QTest::addColumn<StreamQualityLevel>("level");
    QTest::newRow("clean LAN") << 20.0 << 0.0 << StreamQualityLevel::Excellent;
    QTest::newRow("3 % residual loss") << 100.0 << 0.03 << StreamQualityLevel::Good;
    QTest::newRow("6 % residual loss") << 100.0 << 0.06 << StreamQualityLevel::Medium;
    QTest::newRow("10 % residual loss") << 150.0 << 0.10 << StreamQualityLevel::Bad;
    QTest::newRow("30 % residual loss") << 300.0 << 0.30 << StreamQualityLevel::Die;
}

void QualityEstimatorTest::levels()
{
    QFETCH(double, delayMs);
    QFETCH(double, loss);
    QFETCH(StreamQualityLevel, level);
    QualityInputs inputs;
    inputs.haveData = true;
    inputs.oneWayDelayMs = delayMs;
    inputs.residualLossRate = loss;
    QCOMPARE(QualityEstimator::level(inputs), level);
}

void QualityEstimatorTest::unknownWithoutData()
{
    QualityInputs inputs;
    QCOMPARE(QualityEstimator::mos(inputs), 0.0);
    QCOMPARE(QualityEstimator::level(inputs), StreamQualityLevel::Unknown);
}

QTEST_APPLESS_MAIN(QualityEstimatorTest)
#include "QualityEstimatorTest.moc"
