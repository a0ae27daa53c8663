#pragma once

#include "LoginRequest.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace earshot::ui {

// Where and as whom to join: server address, AppID, room, user ID and name, and the AppSign or
// a token. Remembers recent servers and rooms (given by the caller), checks what it can before
// asking the engine, and shows why a login failed in a full sentence. Offers to host a room on
// this computer instead.
class LoginPanel : public QWidget {
    Q_OBJECT

public:
    explicit LoginPanel(QWidget* parent = nullptr);

    void setRequest(const LoginRequest& request);
    // What the fields hold now; `*problem` (if given) says in a sentence what is missing or
    // malformed, empty when the request can be sent.
    [[nodiscard]] LoginRequest request(QString* problem = nullptr) const;
    void setRecentServers(const QStringList& servers);
    void setRecentRooms(const QStringList& rooms);
    // While a login is under way the fields are locked.
    void setBusy(bool busy);
    // Makes "Host a room on this computer" the default button (no server configured yet).
    void setHostingSuggested(bool suggested);
    void showError(const QString& sentence);
    void clearError();
    [[nodiscard]] QString errorShown() const;

    // For tests and the command line: the widgets by role.
    [[nodiscard]] QComboBox* serverField() const { return m_server; }
    [[nodiscard]] QLineEdit* appIdField() const { return m_appId; }
    [[nodiscard]] QComboBox* authMethodField() const { return m_authMethod; }
    [[nodiscard]] QLineEdit* secretField() const { return m_secret; }
    [[nodiscard]] QComboBox* roomField() const { return m_room; }
    [[nodiscard]] QLineEdit* userIdField() const { return m_userId; }
    [[nodiscard]] QLineEdit* userNameField() const { return m_userName; }
    [[nodiscard]] QPushButton* joinButton() const { return m_join; }
    [[nodiscard]] QPushButton* hostButton() const { return m_host; }

signals:
    void joinRequested(const earshot::ui::LoginRequest& request);
    void hostRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void submit();
    void retranslate();

    QLabel* m_heading;
    QFormLayout* m_form;
    QComboBox* m_server;
    QLineEdit* m_appId;
    QComboBox* m_authMethod;
    QLineEdit* m_secret;
    QComboBox* m_room;
    QLineEdit* m_userId;
    QLineEdit* m_userName;
    QLabel* m_error;
    QPushButton* m_join;
    QLabel* m_hostHint;
    QPushButton* m_host;
};

} // namespace earshot::ui
