#include "PushToTalkKeyFilter.h"

#include <QEvent>
#include <QKeyEvent>

namespace earshot::ui {

PushToTalkKeyFilter::PushToTalkKeyFilter(QObject* parent)
    : QObject(parent)
{
}

void PushToTalkKeyFilter::setKey(const QKeySequence& key)
{
    m_key = key;
    if (m_pressed) {
        m_pressed = false;
        emit pressedChanged(false);
    }
}

bool PushToTalkKeyFilter::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type type = event->type();
    if (m_key.isEmpty() || (type != QEvent::KeyPress && type != QEvent::KeyRelease)
        || (type == QEvent::KeyRelease && !m_pressed))
        return QObject::eventFilter(watched, event);
    const auto* keyEvent = static_cast<QKeyEvent*>(event);
    // Held keys repeat; only the first press and the real release count. Modifiers are ignored so
    // that talking while holding Shift still works.
    if (keyEvent->isAutoRepeat() || keyEvent->key() != m_key[0].key())
        return QObject::eventFilter(watched, event);
    const bool pressed = type == QEvent::KeyPress;
    if (pressed != m_pressed) {
        m_pressed = pressed;
        emit pressedChanged(pressed);
    }
    return QObject::eventFilter(watched, event);
}

} // namespace earshot::ui
