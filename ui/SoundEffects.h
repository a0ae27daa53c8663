#pragma once

#include <QObject>
#include <QTemporaryDir>

#include <memory>

class QSoundEffect;

namespace earshot::ui {

// Short cues when someone joins or leaves the room, and the playback of the microphone test.
// The cues are synthesised at start-up (two soft sine chimes, rising for a join and falling for
// a leave) rather than shipped as files: nothing to package, nothing to license.
//
// Thread: the GUI thread.
class SoundEffects : public QObject {
    Q_OBJECT

public:
    explicit SoundEffects(QObject* parent = nullptr);
    ~SoundEffects() override;

    void setEnabled(bool enabled) { m_enabled = enabled; }
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    void playJoin();
    void playLeave();
    // Plays a WAV file whatever the cue setting (the microphone test).
    void playFile(const QString& wavPath);

private:
    void play(std::unique_ptr<QSoundEffect>& effect, const QString& fileName, bool rising);

    bool m_enabled = true;
    QTemporaryDir m_directory;
    std::unique_ptr<QSoundEffect> m_join;
    std::unique_ptr<QSoundEffect> m_leave;
    std::unique_ptr<QSoundEffect> m_file;
};

} // namespace earshot::ui
