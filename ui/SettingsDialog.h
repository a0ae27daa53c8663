#pragma once

#include "AudioSettings.h"
#include "ThemeMode.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTabWidget;

namespace earshot::ui {

// Audio devices and processing, the microphone test, the jitter buffer, language, appearance
// and sounds. Changes apply as they are made (no OK/Cancel to forget), reported through
// changed(); the caller applies and persists them.
class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    struct Values {
        AudioSettings audio;
        QString language; // "" follows the system
        ThemeMode theme = ThemeMode::System;
        bool sounds = true;
    };

    explicit SettingsDialog(QWidget* parent = nullptr);

    void setValues(const Values& values);
    [[nodiscard]] Values values() const;
    // The devices to offer; the chosen one is selected when it is there, otherwise the system
    // default is shown and the choice kept, so it is selected again when it returns (hot-plug).
    void setDevices(AudioDeviceType type, const QList<DeviceInfo>& devices);
    // What the microphone test is doing, in a sentence; whether it can start now.
    void setMicrophoneTestStatus(const QString& status, bool canStart);

signals:
    void changed(const earshot::ui::SettingsDialog::Values& values);
    void microphoneTestRequested();
    // Shown again: the caller lists the devices afresh.
    void devicesRefreshRequested();

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    QWidget* makeAudioPage();
    QWidget* makeAppearancePage();
    void emitChanged();
    void retranslate();

    QTabWidget* m_tabs;
    QLabel* m_inputLabel;
    QComboBox* m_input;
    QLabel* m_outputLabel;
    QComboBox* m_output;
    QCheckBox* m_echo;
    QCheckBox* m_noise;
    QCheckBox* m_gainControl;
    QLabel* m_gainLabel;
    QSlider* m_gain;
    QLabel* m_qualityLabel;
    QComboBox* m_quality;
    QLabel* m_jitterLabel;
    QSpinBox* m_jitterMin;
    QSpinBox* m_jitterMax;
    QPushButton* m_micTest;
    QLabel* m_micTestStatus;
    QLabel* m_languageLabel;
    QComboBox* m_language;
    QLabel* m_themeLabel;
    QComboBox* m_theme;
    QCheckBox* m_sounds;
    QPushButton* m_close;
    bool m_updating = false;
    // The person's device choices (empty: the system default), kept while the device is away.
    QString m_preferredInput;
    QString m_preferredOutput;
};

} // namespace earshot::ui
