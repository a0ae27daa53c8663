// The join and leave chimes (Qt Multimedia's QSoundEffect) reach the sound server, and nothing
// does when they are turned off: played against a private PulseAudio daemon whose null sink's
// monitor is recorded with parec. SKIPs without pulseaudio.
#include <SoundEffects.h>

#include "PrivateSoundServer.h"
#include "SignalAnalysis.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <span>
#include <vector>

using earshot::audio::test::PrivateSoundServer;

namespace {

constexpr int kRateHz = 44100;

// RMS (0–1) of each 20 ms of 16-bit mono PCM.
std::vector<double> windowLevels(const QByteArray& pcm)
{
    std::vector<float> samples(static_cast<std::size_t>(pcm.size()) / 2);
    const auto* raw = reinterpret_cast<const qint16*>(pcm.constData());
    std::transform(raw, raw + samples.size(), samples.begin(), [](qint16 sample) { return sample / 32768.0f; });
    const std::size_t window = kRateHz / 50;
    std::vector<double> levels;
    for (std::size_t start = 0; start + window <= samples.size(); start += window)
        levels.push_back(earshot::audio::test::rms(std::span<const float>(samples).subspan(start, window)));
    return levels;
}

// Loud stretches (windows above `threshold`) separated by at least 300 ms of quiet.
int countBursts(const std::vector<double>& levels, double threshold)
{
    int bursts = 0;
    int quietWindows = 1000;
    for (const double level : levels) {
        if (level > threshold) {
            if (quietWindows >= 15)
                ++bursts;
            quietWindows = 0;
        } else {
            ++quietWindows;
        }
    }
    return bursts;
}

} // namespace

class SoundEffectsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void chimesAreHeardUnlessTurnedOff();

private:
    PrivateSoundServer m_server;
    QProcess m_recorder;
};

void SoundEffectsTest::initTestCase()
{
    EARSHOT_USE_PRIVATE_SOUND_SERVER(m_server);
    if (QStandardPaths::findExecutable(QStringLiteral("parec")).isEmpty())
        QSKIP("parec not installed (apt-get install pulseaudio-utils)");
    m_recorder.setProcessEnvironment(m_server.clientEnvironment());
    m_recorder.start(QStringLiteral("parec"),
                     {QStringLiteral("--device=vsink.monitor"), QStringLiteral("--format=s16le"),
                      QStringLiteral("--rate=44100"), QStringLiteral("--channels=1"), QStringLiteral("--latency-msec=20")});
    QVERIFY2(m_recorder.waitForStarted(5000), qPrintable(m_recorder.errorString()));
}

void SoundEffectsTest::cleanupTestCase()
{
    m_recorder.kill();
    m_recorder.waitForFinished(5000);
}

void SoundEffectsTest::chimesAreHeardUnlessTurnedOff()
{
    earshot::ui::SoundEffects sounds;
    // One recording over three moments 2.5 s apart: a chime while turned off, then a join and a
    // leave chime turned on. The monitor delivers in bursts, so the recording is judged whole:
    // exactly two chimes in it.
    m_recorder.readAllStandardOutput();
    QByteArray pcm;
    const auto keepRecording = [this, &pcm](int ms) {
        QTest::qWait(ms);
        pcm += m_recorder.readAllStandardOutput();
    };
    sounds.setEnabled(false);
    sounds.playJoin();
    keepRecording(2500);
    sounds.setEnabled(true);
    sounds.playJoin();
    keepRecording(2500);
    sounds.playLeave();
    keepRecording(4000);
    pcm.truncate(pcm.size() & ~qsizetype(1));

    const std::vector<double> levels = windowLevels(pcm);
    QVERIFY2(levels.size() > 100, qPrintable(QStringLiteral("parec recorded %1 bytes").arg(pcm.size())));
    // The chime peaks at 0.25 × volume 0.6 = 0.15 (about 0.1 RMS); silence is 0.
    QCOMPARE(countBursts(levels, 0.03), 2);
}

QTEST_MAIN(SoundEffectsTest)
#include "SoundEffectsTest.moc"
