#pragma once

#include <QObject>
#include <QTimer>

namespace earshot::ui {
class MainWindow;
}

namespace earshot::desktop {

// When the picture is taken.
enum class ScreenshotMoment {
    WhenSomeoneSpeaks, // in a room, once a stream panel shows a level, and the meters settled
    AfterStart,        // the login page, once the window is laid out
};

// For the documentation's screenshots (scripts/screenshots): waits for the moment, saves the
// window as a PNG and reports done(). Gives up (done(false)) after kTimeoutMs.
class ScreenshotTaker : public QObject {
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 30'000;
    static constexpr int kSettleMs = 4'000; // a quality report (every 3 s) arrives meanwhile
    static constexpr int kLayoutMs = 1'000;

    ScreenshotTaker(ui::MainWindow* window, QString path, ScreenshotMoment moment, QObject* parent = nullptr);

signals:
    void done(bool saved);

private:
    void poll();
    void save();

    ui::MainWindow* m_window;
    const QString m_path;
    QTimer m_poll;
    QTimer m_timeout;
    bool m_settling = false;
};

} // namespace earshot::desktop
