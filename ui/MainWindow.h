#pragma once

#include <QHash>
#include <QMainWindow>

class QAction;
class QLabel;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QVBoxLayout;

namespace earshot::ui {

class ChatPanel;
class ConnectionIndicator;
class LoginPanel;
class PublishPanel;
class StreamPanel;
class UserListPanel;

// Lays the panels out and holds the window's actions; it has no behaviour of its own (the
// AppController wires panels, actions and the room together). Two pages: the login panel, and
// the room (your microphone and the streams on the left, the people on the right, the chat
// below). The connection indicator lives in the status bar.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] LoginPanel* loginPanel() const { return m_login; }
    [[nodiscard]] PublishPanel* publishPanel() const { return m_publish; }
    [[nodiscard]] UserListPanel* userListPanel() const { return m_users; }
    [[nodiscard]] ChatPanel* chatPanel() const { return m_chat; }
    [[nodiscard]] ConnectionIndicator* connectionIndicator() const { return m_indicator; }

    // Takes ownership; panels are shown in the order they are added.
    void addStreamPanel(StreamPanel* panel);
    void removeStreamPanel(const QString& streamId);
    void removeAllStreamPanels();
    [[nodiscard]] StreamPanel* streamPanel(const QString& streamId) const { return m_streams.value(streamId); }
    [[nodiscard]] int streamPanelCount() const { return int(m_streams.size()); }

    void showRoomPage(bool inRoom);
    [[nodiscard]] bool isRoomPageShown() const;
    // The line under the title while hosting ("Others join at …"); empty hides it.
    void setHostInformation(const QString& text);
    void setRoomTitle(const QString& title);

    QAction* leaveAction() const { return m_leave; }
    QAction* quitAction() const { return m_quit; }
    QAction* muteMicrophoneAction() const { return m_muteMicrophone; }
    QAction* muteSpeakerAction() const { return m_muteSpeaker; }
    QAction* settingsAction() const { return m_settings; }
    QAction* hostAction() const { return m_host; }
    QAction* copyInviteAction() const { return m_copyInvite; }
    QAction* aboutAction() const { return m_about; }

signals:
    // The window is being closed by the user (the controller decides: quit or hide to tray).
    void closeRequested();

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* makeRoomPage();
    void createActions();
    void retranslate();

    LoginPanel* m_login;
    PublishPanel* m_publish;
    UserListPanel* m_users;
    ChatPanel* m_chat;
    ConnectionIndicator* m_indicator;
    QStackedWidget* m_pages;
    QLabel* m_roomTitle;
    QLabel* m_hostInformation;
    QLabel* m_noStreams;
    QScrollArea* m_streamScroll;
    QVBoxLayout* m_streamLayout;
    QHash<QString, StreamPanel*> m_streams;
    QMenu* m_roomMenu = nullptr;
    QMenu* m_audioMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_leave = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_muteMicrophone = nullptr;
    QAction* m_muteSpeaker = nullptr;
    QAction* m_settings = nullptr;
    QAction* m_host = nullptr;
    QAction* m_copyInvite = nullptr;
    QAction* m_about = nullptr;
};

} // namespace earshot::ui
