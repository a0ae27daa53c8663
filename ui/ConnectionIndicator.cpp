#include "ConnectionIndicator.h"

#include <earshot/ErrorText.h>

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace earshot::ui {

ConnectionIndicator::ConnectionIndicator(QWidget* parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionIndicator"));
    m_dot->setText(QStringLiteral("\u25CF"));
    m_text->setObjectName(QStringLiteral("connectionText"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_text, 1);
    retranslate();
}

void ConnectionIndicator::setState(ConnectionState state, int errorCode, const QString& roomId)
{
    m_state = state;
    m_errorCode = errorCode;
    if (!roomId.isEmpty())
        m_roomId = roomId;
    retranslate();
}

QString ConnectionIndicator::text() const
{
    return m_text->text();
}

void ConnectionIndicator::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConnectionIndicator::retranslate()
{
    QString colour = QStringLiteral("#8a8a8a");
    QString text;
    switch (m_state) {
    case ConnectionState::Disconnected:
        text = tr("Not connected.");
        break;
    case ConnectionState::Connecting:
        colour = QStringLiteral("#e0a800");
        text = tr("Connecting…");
        break;
    case ConnectionState::Connected:
        colour = QStringLiteral("#3ba55d");
        text = tr("Connected to room %1.").arg(m_roomId);
        break;
    case ConnectionState::Reconnecting:
        colour = QStringLiteral("#e0a800");
        text = tr("Connection lost; reconnecting…");
        break;
    case ConnectionState::Failed:
        colour = QStringLiteral("#d83c3e");
        text = m_errorCode != 0 ? earshot::errorText(m_errorCode) : tr("The connection failed.");
        break;
    case ConnectionState::KickedOut:
        colour = QStringLiteral("#d83c3e");
        text = m_errorCode != 0 ? earshot::errorText(m_errorCode) : tr("You were removed from the room.");
        break;
    }
    m_dot->setStyleSheet(QStringLiteral("color: %1;").arg(colour));
    m_text->setText(text);
    setToolTip(text);
}

} // namespace earshot::ui
