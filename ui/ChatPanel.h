#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;

namespace earshot::ui {

// The room's text chat: messages with sender and time, an input line that shows how much of
// the 1024-byte limit a message uses, and the reasons a message was not sent, in plain words.
class ChatPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxMessageBytes = 1024; // API.md §5

    explicit ChatPanel(QWidget* parent = nullptr);

    void appendMessage(const QString& sender, const QString& text, const QDateTime& time, bool own);
    // A line from the app itself (joins, leaves, errors), set apart from what people wrote.
    void appendNotice(const QString& text);
    void setEnabledForRoom(bool inRoom);
    void clearInput();
    [[nodiscard]] QLineEdit* input() const { return m_input; }
    [[nodiscard]] QTextBrowser* log() const { return m_log; }

signals:
    void sendRequested(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateLimit();
    void submit();
    void retranslate();

    QLabel* m_title;
    QTextBrowser* m_log;
    QLineEdit* m_input;
    QLabel* m_limit;
    QPushButton* m_send;
};

} // namespace earshot::ui
