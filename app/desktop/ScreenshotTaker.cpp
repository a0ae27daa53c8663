#include "ScreenshotTaker.h"

#include <LevelMeter.h>
#include <MainWindow.h>
#include <StreamPanel.h>

#include <QPixmap>

namespace earshot::desktop {

ScreenshotTaker::ScreenshotTaker(ui::MainWindow* window, QString path, ScreenshotMoment moment, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_path(std::move(path))
{
    if (moment == ScreenshotMoment::AfterStart) {
        QTimer::singleShot(kLayoutMs, this, &ScreenshotTaker::save);
        return;
    }
    connect(&m_poll, &QTimer::timeout, this, &ScreenshotTaker::poll);
    m_poll.start(200);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_poll.stop();
        qWarning("earshot: --screenshot: nobody spoke in time");
        emit done(false);
    });
    m_timeout.start(kTimeoutMs);
}

void ScreenshotTaker::poll()
{
    if (m_settling || !m_window->isRoomPageShown())
        return;
    const auto panels = m_window->findChildren<ui::StreamPanel*>();
    for (const ui::StreamPanel* panel : panels) {
        if (panel->levelMeter()->level() > 0.0f) {
            m_settling = true;
            QTimer::singleShot(kSettleMs, this, &ScreenshotTaker::save);
            return;
        }
    }
}

void ScreenshotTaker::save()
{
    m_poll.stop();
    m_timeout.stop();
    const bool saved = m_window->grab().save(m_path, "PNG");
    if (!saved)
        qWarning("earshot: --screenshot: cannot write %s", qPrintable(m_path));
    emit done(saved);
}

} // namespace earshot::desktop
