#include "RateLimiter.h"

#include <QTest>

using earshot::server::RateLimiter;

class RateLimiterTest : public QObject {
    Q_OBJECT

private slots:
    void burstThenRefuse();
    void refillsAtRate();
    void neverExceedsBurstAfterIdle();
    void clockGoingBackwardsGrantsNothing();
};

void RateLimiterTest::burstThenRefuse()
{
    RateLimiter limiter(30, 10);
    for (int i = 0; i < 30; ++i)
        QVERIFY2(limiter.tryAcquire(1000), qPrintable(QString::number(i)));
    QVERIFY(!limiter.tryAcquire(1000));
}

void RateLimiterTest::refillsAtRate()
{
    RateLimiter limiter(2, 10); // one token every 100 ms
    QVERIFY(limiter.tryAcquire(0));
    QVERIFY(limiter.tryAcquire(0));
    QVERIFY(!limiter.tryAcquire(50));
    QVERIFY(limiter.tryAcquire(100));
    QVERIFY(!limiter.tryAcquire(150));
    QVERIFY(limiter.tryAcquire(250));
}

void RateLimiterTest::neverExceedsBurstAfterIdle()
{
    RateLimiter limiter(3, 10);
    QVERIFY(limiter.tryAcquire(0));
    int granted = 0;
    while (limiter.tryAcquire(1'000'000))
        ++granted;
    QCOMPARE(granted, 3);
}

void RateLimiterTest::clockGoingBackwardsGrantsNothing()
{
    RateLimiter limiter(1, 10);
    QVERIFY(limiter.tryAcquire(10'000));
    QVERIFY(!limiter.tryAcquire(0));
    QVERIFY(!limiter.tryAcquire(10'050));
    QVERIFY(limiter.tryAcquire(10'100));
}

QTEST_APPLESS_MAIN(RateLimiterTest)
#include "RateLimiterTest.moc"
