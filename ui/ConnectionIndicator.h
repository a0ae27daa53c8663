#pragma once

#include "ConnectionState.h"

#include <QWidget>

class QLabel;

namespace earshot::ui {

// A coloured dot and a short sentence that follow the room's connection state
// (RoomController::connectionStateChanged, itself following the engine's roomStateChanged).
class ConnectionIndicator : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionIndicator(QWidget* parent = nullptr);

    void setState(ConnectionState state, int errorCode, const QString& roomId = {});
    [[nodiscard]] ConnectionState state() const { return m_state; }
    [[nodiscard]] QString text() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QLabel* m_dot;
    QLabel* m_text;
    ConnectionState m_state = ConnectionState::Disconnected;
    int m_errorCode = 0;
    QString m_roomId;
};

} // namespace earshot::ui
