#include "StreamPanel.h"

#include "LevelMeter.h"
#include "QualityBars.h"

#include <earshot/ErrorText.h>

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

namespace earshot::ui {

StreamPanel::StreamPanel(const Stream& stream, QWidget* parent)
    : QFrame(parent)
    , m_stream(stream)
    , m_name(new QLabel(this))
    , m_state(new QLabel(this))
    , m_level(new LevelMeter(this))
    , m_volume(new QSlider(Qt::Horizontal, this))
    , m_volumeValue(new QLabel(this))
    , m_mute(new QToolButton(this))
    , m_quality(new QualityBars(this))
{
    setObjectName(QStringLiteral("stream:") + stream.streamID);
    setFrameShape(QFrame::StyledPanel);
    m_name->setText(stream.user.userName.isEmpty() ? stream.user.userID : stream.user.userName);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_state->setObjectName(QStringLiteral("streamState"));
    m_state->setWordWrap(true);
    m_volume->setObjectName(QStringLiteral("streamVolume"));
    m_volume->setRange(0, 200);
    m_volume->setValue(100);
    m_volume->setPageStep(10);
    m_volumeValue->setMinimumWidth(m_volumeValue->fontMetrics().horizontalAdvance(QStringLiteral("200 %")));
    m_volumeValue->setText(QStringLiteral("100 %"));
    m_mute->setObjectName(QStringLiteral("streamMute"));
    m_mute->setCheckable(true);
    m_mute->setAutoRaise(true);

    auto* layout = new QGridLayout(this);
    layout->addWidget(m_name, 0, 0);
    layout->addWidget(m_quality, 0, 2, Qt::AlignRight);
    layout->addWidget(m_level, 1, 0, 1, 3);
    layout->addWidget(m_volume, 2, 0);
    layout->addWidget(m_volumeValue, 2, 1);
    layout->addWidget(m_mute, 2, 2);
    layout->addWidget(m_state, 3, 0, 1, 3);
    layout->setColumnStretch(0, 1);

    connect(m_volume, &QSlider::valueChanged, this, [this](int volume) {
        m_volumeValue->setText(QStringLiteral("%1 %").arg(volume));
        emit volumeChangeRequested(m_stream.streamID, volume);
    });
    connect(m_mute, &QToolButton::toggled, this, [this](bool muted) { emit muteRequested(m_stream.streamID, muted); });
    retranslate();
}

void StreamPanel::setPlayerState(PlayerState state, int errorCode)
{
    m_playerState = state;
    m_errorCode = errorCode;
    retranslate();
}

void StreamPanel::setLevel(float level, bool speaking)
{
    m_level->setLevel(level);
    m_level->setActive(speaking);
}

void StreamPanel::setVolume(int volume)
{
    const QSignalBlocker blocker(m_volume);
    m_volume->setValue(volume);
    m_volumeValue->setText(QStringLiteral("%1 %").arg(volume));
}

void StreamPanel::setMuted(bool muted)
{
    const QSignalBlocker blocker(m_mute);
    m_mute->setChecked(muted);
    retranslate();
}

void StreamPanel::setRemoteMicrophoneMuted(bool muted)
{
    m_remoteMuted = muted;
    retranslate();
}

void StreamPanel::setQuality(const PlayStreamQuality& quality)
{
    m_quality->setQuality(quality);
}

void StreamPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void StreamPanel::retranslate()
{
    m_mute->setText(m_mute->isChecked() ? tr("Unmute") : tr("Mute"));
    m_mute->setToolTip(m_mute->isChecked() ? tr("You do not hear this stream. Click to hear it again.")
                                           : tr("Stop hearing this stream (only for you)."));
    m_volume->setToolTip(tr("Volume of this stream for you, 0 to 200 %."));
    QString state;
    switch (m_playerState) {
    case PlayerState::NoPlay:
        state = m_errorCode != 0 ? earshot::errorText(m_errorCode) : tr("Not playing.");
        break;
    case PlayerState::PlayRequesting:
        state = tr("Connecting to the stream…");
        break;
    case PlayerState::Playing:
        state = m_remoteMuted ? tr("Playing; their microphone is muted.") : tr("Playing.");
        break;
    }
    m_state->setText(state);
}

} // namespace earshot::ui
