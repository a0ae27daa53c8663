#pragma once

#include "AudioSettings.h"

#include <QFrame>
#include <QKeySequence>

class QComboBox;
class QKeySequenceEdit;
class QLabel;
class QSlider;
class QToolButton;

namespace earshot::ui {

class LevelMeter;

// Your own microphone: mute, the live level, whether you are heard right now, and how you
// transmit (continuously, on voice above a threshold, or while a key is held).
class PublishPanel : public QFrame {
    Q_OBJECT

public:
    explicit PublishPanel(QWidget* parent = nullptr);

    void setMicrophoneMuted(bool muted);
    void setLevel(float level, bool speaking);
    void setTransmitting(bool transmitting);
    void setPublishState(PublisherState state, int errorCode);
    void setTransmission(const TransmissionSettings& settings);
    void setPushToTalkKey(const QKeySequence& key);
    [[nodiscard]] TransmissionSettings transmission() const;

    [[nodiscard]] LevelMeter* levelMeter() const { return m_level; }
    [[nodiscard]] QToolButton* muteButton() const { return m_mute; }

signals:
    void microphoneMuteRequested(bool muted);
    void transmissionChangeRequested(const earshot::ui::TransmissionSettings& settings);
    void pushToTalkKeyChangeRequested(const QKeySequence& key);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateModeWidgets();

    QLabel* m_title;
    QToolButton* m_mute;
    LevelMeter* m_level;
    QLabel* m_status;
    QLabel* m_modeLabel;
    QComboBox* m_mode;
    QLabel* m_thresholdLabel;
    QSlider* m_threshold;
    QLabel* m_keyLabel;
    QKeySequenceEdit* m_key;
    PublisherState m_publishState = PublisherState::NoPublish;
    int m_errorCode = 0;
    bool m_transmitting = false;
};

} // namespace earshot::ui
