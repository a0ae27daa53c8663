#pragma once

#include <QKeySequence>
#include <QObject>

namespace earshot::ui {

// Watches the application's key events for the push-to-talk key and reports it held or let go.
// Application-wide, so it works whichever widget has focus; it does not see keys pressed while
// another application is active (that needs a platform-specific global hook).
class PushToTalkKeyFilter : public QObject {
    Q_OBJECT

public:
    explicit PushToTalkKeyFilter(QObject* parent = nullptr);

    void setKey(const QKeySequence& key);
    [[nodiscard]] QKeySequence key() const { return m_key; }

signals:
    void pressedChanged(bool pressed);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QKeySequence m_key;
    bool m_pressed = false;
};

} // namespace earshot::ui
