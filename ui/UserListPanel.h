#pragma once

#include <earshot/EngineTypes.h>

#include <QHash>
#include <QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace earshot::ui {

class LevelMeter;

// Everyone in the room: who speaks now (a live level), whose microphone is off, who publishes,
// and whom you have muted or turned down. The context menu sets a user's volume (0–200 %) and
// mutes them for you only.
class UserListPanel : public QWidget {
    Q_OBJECT

public:
    explicit UserListPanel(QWidget* parent = nullptr);

    void addUser(const User& user, bool isLocalUser = false);
    void removeUser(const QString& userId);
    void clear();
    [[nodiscard]] bool hasUser(const QString& userId) const { return m_rows.contains(userId); }
    [[nodiscard]] int userCount() const { return int(m_rows.size()); }
    void setLevel(const QString& userId, float level, bool speaking);
    void setPublishing(const QString& userId, bool publishing);
    void setMicrophoneMuted(const QString& userId, bool muted);
    void setLocallyMuted(const QString& userId, bool muted);
    void setVolume(const QString& userId, int volume);
    [[nodiscard]] QTreeWidget* tree() const { return m_tree; }

    // Opens the context menu of a user (also what a right click does); public for tests.
    void showUserMenu(const QString& userId, const QPoint& globalPosition);

signals:
    void volumeChangeRequested(const QString& userId, int volume);
    void muteRequested(const QString& userId, bool muted);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        QTreeWidgetItem* item = nullptr;
        LevelMeter* meter = nullptr;
        bool local = false;
        bool speaking = false;
        bool publishing = false;
        bool microphoneMuted = false;
        bool locallyMuted = false;
        int volume = 100;
    };
    void refresh(Row& row);
    void retranslate();

    QLabel* m_title;
    QTreeWidget* m_tree;
    QHash<QString, Row> m_rows;
};

} // namespace earshot::ui
