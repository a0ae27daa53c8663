#include "codec/RedundancyPolicy.h"

#include <QList>
#include <QTest>

#include <cstdint>
#include <limits>

using earshot::codec::RedundancyDecision;
using earshot::codec::RedundancyPolicy;
using earshot::codec::RedundancyPolicyConfig;

namespace {

// One receiver report and the decision expected right after it. Expected-loss percentages are
// worked out by hand from the documented rule: smoothed loss s (rises at once, else halves the
// gap per report), residual s^(N+1) with the new N, rounded up, capped at 25.
struct Step {
    double loss = 0.0;
    std::int64_t nowMs = 0;
    int frames = 0;
    int percent = 0;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

Q_DECLARE_METATYPE(Step)
Q_DECLARE_METATYPE(QList<Step>)

class RedundancyPolicyTest : public QObject {
    Q_OBJECT

private slots:
    void hysteresis_data();
    void hysteresis();
    void resetForgetsEverything();
    void customThresholds();
};

void RedundancyPolicyTest::hysteresis_data()
{
    QTest::addColumn<QList<Step>>("steps");

    QTest::newRow("clean link") << QList<Step> {{0.0, 0, 0, 0}, {0.01, 5000, 0, 1}};
    QTest::newRow("just below 5 %: FEC only") << QList<Step> {{0.049, 0, 0, 5}};
    QTest::newRow("5 %: one frame") << QList<Step> {{0.05, 0, 1, 1}};
    QTest::newRow("15 %: two frames at once") << QList<Step> {{0.15, 0, 2, 1}};
    QTest::newRow("20 %: two frames") << QList<Step> {{0.20, 0, 2, 1}};
    QTest::newRow("one frame held, then dropped") << QList<Step> {
        {0.06, 0, 1, 1},
        {0.03, 5000, 1, 1},  // between 2 % and 5 %: hold the level
        {0.01, 10'000, 1, 1}, // below 2 %: the hold starts
        {0.01, 15'000, 1, 1},
        {0.01, 20'000, 0, 2}, // 10 s below: drop; s = 0.014375 -> 2 %
    };
    QTest::newRow("hovering never drops") << QList<Step> {
        {0.06, 0, 1, 1},
        {0.04, 4000, 1, 1},
        {0.06, 8000, 1, 1},
        {0.01, 12'000, 1, 1}, // hold starts
        {0.03, 16'000, 1, 1}, // broken: back above 2 %
        {0.01, 20'000, 1, 1}, // hold restarts
        {0.01, 29'000, 1, 1}, // 9 s: not yet
        {0.01, 30'000, 0, 2}, // s = 0.0128125
    };
    QTest::newRow("two, then one, then none") << QList<Step> {
        {0.20, 0, 2, 1},
        {0.05, 3000, 2, 1},   // below 10 %: hold starts
        {0.05, 13'000, 1, 1}, // 2 -> 1; 5 % is not below 2 %, so no new hold
        {0.00, 18'000, 1, 1}, // hold for 1 -> 0 starts
        {0.00, 28'000, 0, 3}, // s = 0.021875
        {0.00, 33'000, 0, 2}, // s decays: 0.0109375
    };
    QTest::newRow("quiet after heavy loss steps down once per hold") << QList<Step> {
        {0.30, 0, 2, 3}, // 0.3^3 = 2.7 %
        {0.00, 1000, 2, 1},
        {0.00, 11'000, 1, 1}, // 2 -> 1 and the next hold starts here
        {0.00, 16'000, 1, 1},
        {0.00, 21'000, 0, 2},
    };
    QTest::newRow("expected loss is capped") << QList<Step> {{1.0, 0, 2, 25}, {0.6, 1000, 2, 25}};
    QTest::newRow("garbage input") << QList<Step> {
        {0.10, 0, 1, 1},
        {kNaN, 1000, 1, 1},  // ignored
        {-0.5, 2000, 1, 1},  // clamps to 0: hold starts
        {2.0, 3000, 2, 25},  // clamps to 1
    };
    QTest::newRow("clock going backwards adds no time") << QList<Step> {
        {0.10, 50'000, 1, 1},
        {0.00, 60'000, 1, 1}, // hold starts
        {0.00, 40'000, 1, 1}, // counts as 60'000
        {0.00, 70'000, 0, 2},
    };
}

void RedundancyPolicyTest::hysteresis()
{
    QFETCH(QList<Step>, steps);
    RedundancyPolicy policy;
    QCOMPARE(policy.decision(), (RedundancyDecision {0, 0}));
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step& step = steps[i];
        const RedundancyDecision decision = policy.onLossReport(step.loss, step.nowMs);
        const QByteArray where = QByteArray("step ") + QByteArray::number(i);
        QVERIFY2(decision == policy.decision(), where);
        QVERIFY2(decision.redundantFrames == step.frames,
                 where + ": frames " + QByteArray::number(decision.redundantFrames));
        QVERIFY2(decision.expectedLossPercent == step.percent,
                 where + ": percent " + QByteArray::number(decision.expectedLossPercent));
    }
}

void RedundancyPolicyTest::resetForgetsEverything()
{
    RedundancyPolicy policy;
    (void)policy.onLossReport(0.5, 1000);
    QCOMPARE(policy.decision().redundantFrames, 2);
    policy.reset();
    QCOMPARE(policy.decision(), (RedundancyDecision {0, 0}));
    // The clock starts afresh too: an earlier time is not "backwards" after a reset.
    QCOMPARE(policy.onLossReport(0.0, 0), (RedundancyDecision {0, 0}));
}

void RedundancyPolicyTest::customThresholds()
{
    RedundancyPolicyConfig config;
    config.oneFrameAtLoss = 0.02;
    config.twoFramesAtLoss = 0.5;
    config.backToNoneBelowLoss = 0.01;
    config.holdMs = 0;              // drop as soon as a report is below
    config.maxExpectedLossPercent = 10;
    RedundancyPolicy policy(config);
    QCOMPARE(policy.onLossReport(0.03, 0).redundantFrames, 1);
    QCOMPARE(policy.onLossReport(0.40, 1).redundantFrames, 1);
    QCOMPARE(policy.onLossReport(0.40, 2).expectedLossPercent, 10); // 0.4^2 = 16 %, capped
    QCOMPARE(policy.onLossReport(0.005, 3).redundantFrames, 0);     // hold 0: immediate
}

QTEST_GUILESS_MAIN(RedundancyPolicyTest)
#include "RedundancyPolicyTest.moc"
