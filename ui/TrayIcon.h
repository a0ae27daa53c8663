#pragma once

#include "ConnectionState.h"

#include <QObject>

#include <memory>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace earshot::ui {

// The notification-area icon: shows whether you are connected and muted, and offers the few
// things people do without opening the window (show it, mute, leave, quit). Absent where the
// desktop has no tray.
class TrayIcon : public QObject {
    Q_OBJECT

public:
    // Shares the window's actions, so the tray and the menus never disagree.
    TrayIcon(QAction* muteMicrophone, QAction* leave, QAction* quit, QObject* parent = nullptr);
    ~TrayIcon() override;

    void setConnectionState(ConnectionState state, const QString& roomId);
    void retranslate();

    // Whether the desktop has a tray and the icon is in it; its tooltip and menu (for tests).
    [[nodiscard]] bool isShown() const;
    [[nodiscard]] QString toolTip() const;
    [[nodiscard]] QMenu* menu() const { return m_menu.get(); }

signals:
    void showWindowRequested();

private:
    std::unique_ptr<QMenu> m_menu;
    QAction* m_show;
    QSystemTrayIcon* m_icon = nullptr;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_roomId;
};

} // namespace earshot::ui
