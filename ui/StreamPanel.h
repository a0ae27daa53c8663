#pragma once

#include <earshot/EngineTypes.h>

#include <QFrame>

class QLabel;
class QSlider;
class QToolButton;

namespace earshot::ui {

class LevelMeter;
class QualityBars;

// One remote stream: who publishes it, whether it plays, how loud it is now, its volume and
// local mute, and the connection quality. Shows what it is told and reports what the user does.
class StreamPanel : public QFrame {
    Q_OBJECT

public:
    explicit StreamPanel(const Stream& stream, QWidget* parent = nullptr);

    [[nodiscard]] QString streamId() const { return m_stream.streamID; }
    void setPlayerState(PlayerState state, int errorCode);
    void setLevel(float level, bool speaking);
    void setVolume(int volume);
    void setMuted(bool muted);
    void setRemoteMicrophoneMuted(bool muted);
    void setQuality(const PlayStreamQuality& quality);

    [[nodiscard]] LevelMeter* levelMeter() const { return m_level; }
    [[nodiscard]] QSlider* volumeSlider() const { return m_volume; }

signals:
    void volumeChangeRequested(const QString& streamId, int volume);
    void muteRequested(const QString& streamId, bool muted);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    const Stream m_stream;
    QLabel* m_name;
    QLabel* m_state;
    LevelMeter* m_level;
    QSlider* m_volume;
    QLabel* m_volumeValue;
    QToolButton* m_mute;
    QualityBars* m_quality;
    PlayerState m_playerState = PlayerState::PlayRequesting;
    int m_errorCode = 0;
    bool m_remoteMuted = false;
};

} // namespace earshot::ui
