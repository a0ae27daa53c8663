#include "SoundEffects.h"

#include <QFile>
#include <QSoundEffect>
#include <QUrl>
#include <QtEndian>

#include <cmath>
#include <numbers>

namespace earshot::ui {

namespace {

constexpr int kRateHz = 44100;
constexpr double kNoteSeconds = 0.09;
constexpr double kAmplitude = 0.25;

// A two-note chime (a fifth apart) with a smooth envelope, as 16-bit mono PCM in a WAV file.
QByteArray chimeWav(bool rising)
{
    const double low = 660.0;
    const double high = 990.0;
    const int noteSamples = int(kNoteSeconds * kRateHz);
    QByteArray pcm;
    pcm.reserve(noteSamples * 2 * 2);
    for (int note = 0; note < 2; ++note) {
        const double hz = (note == 0) == rising ? low : high;
        for (int i = 0; i < noteSamples; ++i) {
            // Raised-cosine envelope: no clicks at either end.
            const double envelope = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / (noteSamples - 1));
            const double sample = kAmplitude * envelope * std::sin(2.0 * std::numbers::pi * hz * i / kRateHz);
            const auto value = qToLittleEndian(qint16(std::lround(sample * 32767.0)));
            pcm.append(reinterpret_cast<const char*>(&value), sizeof value);
        }
    }
    QByteArray wav;
    const auto append32 = [&wav](quint32 v) {
        v = qToLittleEndian(v);
        wav.append(reinterpret_cast<const char*>(&v), 4);
    };
    const auto append16 = [&wav](quint16 v) {
        v = qToLittleEndian(v);
        wav.append(reinterpret_cast<const char*>(&v), 2);
    };
    wav.append("RIFF");
    append32(quint32(36 + pcm.size()));
    wav.append("WAVEfmt ");
    append32(16);
    append16(1); // PCM
    append16(1); // mono
    append32(kRateHz);
    append32(kRateHz * 2);
    append16(2);
    append16(16);
    wav.append("data");
    append32(quint32(pcm.size()));
    wav.append(pcm);
    return wav;
}

} // namespace

SoundEffects::SoundEffects(QObject* parent)
    : QObject(parent)
{
}

SoundEffects::~SoundEffects() = default;

void SoundEffects::playJoin()
{
    if (m_enabled)
        play(m_join, QStringLiteral("join.wav"), true);
}

void SoundEffects::playLeave()
{
    if (m_enabled)
        play(m_leave, QStringLiteral("leave.wav"), false);
}

void SoundEffects::play(std::unique_ptr<QSoundEffect>& effect, const QString& fileName, bool rising)
{
    // Made on first use, so a session with the cues turned off never opens an audio output.
    if (!effect) {
        if (!m_directory.isValid())
            return;
        const QString path = m_directory.filePath(fileName);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(chimeWav(rising)) < 0)
            return;
        file.close();
        effect = std::make_unique<QSoundEffect>();
        effect->setSource(QUrl::fromLocalFile(path));
        effect->setVolume(0.6f);
    }
    effect->play();
}

void SoundEffects::playFile(const QString& wavPath)
{
    m_file = std::make_unique<QSoundEffect>();
    m_file->setSource(QUrl::fromLocalFile(wavPath));
    m_file->play();
}

} // namespace earshot::ui
