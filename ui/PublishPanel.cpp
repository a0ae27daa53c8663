#include "PublishPanel.h"

#include "LevelMeter.h"

#include <earshot/ErrorText.h>

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

namespace earshot::ui {

PublishPanel::PublishPanel(QWidget* parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_mute(new QToolButton(this))
    , m_level(new LevelMeter(this))
    , m_status(new QLabel(this))
    , m_modeLabel(new QLabel(this))
    , m_mode(new QComboBox(this))
    , m_thresholdLabel(new QLabel(this))
    , m_threshold(new QSlider(Qt::Horizontal, this))
    , m_keyLabel(new QLabel(this))
    , m_key(new QKeySequenceEdit(this))
{
    setObjectName(QStringLiteral("publishPanel"));
    setFrameShape(QFrame::StyledPanel);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_mute->setObjectName(QStringLiteral("microphoneMute"));
    m_mute->setCheckable(true);
    m_mute->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_status->setWordWrap(true);
    m_mode->setObjectName(QStringLiteral("transmissionMode"));
    m_mode->addItem(QString(), int(TransmissionMode::Continuous));
    m_mode->addItem(QString(), int(TransmissionMode::VoiceActivation));
    m_mode->addItem(QString(), int(TransmissionMode::PushToTalk));
    m_threshold->setObjectName(QStringLiteral("voiceThreshold"));
    m_threshold->setRange(1, 100);
    m_threshold->setValue(TransmissionSettings {}.voiceThreshold);
    m_modeLabel->setBuddy(m_mode);
    m_thresholdLabel->setBuddy(m_threshold);
    m_keyLabel->setBuddy(m_key);

    auto* layout = new QGridLayout(this);
    layout->addWidget(m_title, 0, 0);
    layout->addWidget(m_mute, 0, 1, Qt::AlignRight);
    layout->addWidget(m_level, 1, 0, 1, 2);
    layout->addWidget(m_status, 2, 0, 1, 2);
    layout->addWidget(m_modeLabel, 3, 0);
    layout->addWidget(m_mode, 3, 1);
    layout->addWidget(m_thresholdLabel, 4, 0);
    layout->addWidget(m_threshold, 4, 1);
    layout->addWidget(m_keyLabel, 5, 0);
    layout->addWidget(m_key, 5, 1);
    layout->setColumnStretch(1, 1);

    connect(m_mute, &QToolButton::toggled, this, &PublishPanel::microphoneMuteRequested);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateModeWidgets();
        retranslate();
        emit transmissionChangeRequested(transmission());
    });
    connect(m_threshold, &QSlider::valueChanged, this, [this](int threshold) {
        m_level->setThreshold(threshold);
        emit transmissionChangeRequested(transmission());
    });
    connect(m_key, &QKeySequenceEdit::editingFinished, this, [this] {
        // One key, not a chord: push-to-talk follows a key being held down.
        const QKeySequence key = m_key->keySequence().isEmpty() ? QKeySequence()
                                                                : QKeySequence(m_key->keySequence()[0]);
        m_key->setKeySequence(key);
        retranslate();
        emit pushToTalkKeyChangeRequested(key);
    });
    retranslate();
    updateModeWidgets();
}

TransmissionSettings PublishPanel::transmission() const
{
    return { TransmissionMode(m_mode->currentData().toInt()), m_threshold->value() };
}

void PublishPanel::setTransmission(const TransmissionSettings& settings)
{
    const QSignalBlocker modeBlocker(m_mode);
    const QSignalBlocker thresholdBlocker(m_threshold);
    m_mode->setCurrentIndex(m_mode->findData(int(settings.mode)));
    m_threshold->setValue(settings.voiceThreshold);
    updateModeWidgets();
}

void PublishPanel::setPushToTalkKey(const QKeySequence& key)
{
    m_key->setKeySequence(key);
    retranslate();
}

void PublishPanel::setMicrophoneMuted(bool muted)
{
    const QSignalBlocker blocker(m_mute);
    m_mute->setChecked(muted);
    retranslate();
}

void PublishPanel::setLevel(float level, bool speaking)
{
    m_level->setLevel(level);
    m_level->setActive(speaking && m_transmitting);
}

void PublishPanel::setTransmitting(bool transmitting)
{
    m_transmitting = transmitting;
    retranslate();
}

void PublishPanel::setPublishState(PublisherState state, int errorCode)
{
    m_publishState = state;
    m_errorCode = errorCode;
    retranslate();
}

void PublishPanel::updateModeWidgets()
{
    const auto mode = TransmissionMode(m_mode->currentData().toInt());
    const bool voice = mode == TransmissionMode::VoiceActivation;
    const bool key = mode == TransmissionMode::PushToTalk;
    m_thresholdLabel->setVisible(voice);
    m_threshold->setVisible(voice);
    m_level->setThreshold(voice ? m_threshold->value() : -1);
    m_keyLabel->setVisible(key);
    m_key->setVisible(key);
}

void PublishPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void PublishPanel::retranslate()
{
    m_title->setText(tr("Your microphone"));
    m_mute->setText(m_mute->isChecked() ? tr("Unmute") : tr("Mute"));
    m_mute->setToolTip(tr("Mute or unmute your microphone (Ctrl+M)."));
    m_modeLabel->setText(tr("&Transmit:"));
    m_mode->setItemText(0, tr("Continuously"));
    m_mode->setItemText(1, tr("On voice activity"));
    m_mode->setItemText(2, tr("While a key is held"));
    m_thresholdLabel->setText(tr("T&hreshold:"));
    m_threshold->setToolTip(tr("Your voice is sent when the level passes this mark."));
    m_keyLabel->setText(tr("Push-to-talk &key:"));
    m_key->setToolTip(tr("Click, then press the key to hold while you talk. It works while this window is active."));
    const auto mode = TransmissionMode(m_mode->currentData().toInt());
    QString status;
    if (m_errorCode != 0)
        status = earshot::errorText(m_errorCode);
    else if (m_publishState == PublisherState::PublishRequesting)
        status = tr("Starting to send your voice…");
    else if (m_publishState == PublisherState::NoPublish)
        status = tr("Not sending: join a room to talk.");
    else if (m_mute->isChecked())
        status = tr("Muted: nobody hears you.");
    else
        status = m_transmitting ? tr("Others hear you now.")
            : mode == TransmissionMode::PushToTalk && !m_key->keySequence().isEmpty()
            ? tr("Hold %1 to talk.").arg(m_key->keySequence().toString(QKeySequence::NativeText))
            : tr("Silent until you talk.");
    m_status->setText(status);
}

} // namespace earshot::ui
