#include "LevelMeter.h"

#include <QPainter>
#include <QTimerEvent>

#include <algorithm>

namespace earshot::ui {

namespace {
constexpr int kDecayIntervalMs = 40;
constexpr float kDecayPerTick = 4.0f; // level points per tick: about 100 points per second
} // namespace

LevelMeter::LevelMeter(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Sound level"));
}

void LevelMeter::setLevel(float level)
{
    m_level = std::clamp(level, 0.0f, 100.0f);
    if (m_level >= m_shown) {
        m_shown = m_level;
        update();
    } else if (m_decayTimer == 0) {
        m_decayTimer = startTimer(kDecayIntervalMs);
    }
}

void LevelMeter::setThreshold(int threshold)
{
    m_threshold = threshold;
    update();
}

void LevelMeter::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    update();
}

QSize LevelMeter::sizeHint() const
{
    return { 160, 10 };
}

QSize LevelMeter::minimumSizeHint() const
{
    return { 40, 6 };
}

void LevelMeter::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_decayTimer)
        return QWidget::timerEvent(event);
    m_shown = std::max(m_level, m_shown - kDecayPerTick);
    if (m_shown <= m_level) {
        killTimer(m_decayTimer);
        m_decayTimer = 0;
    }
    update();
}

void LevelMeter::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = frame.height() / 2.0;
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::AlternateBase));
    painter.drawRoundedRect(frame, radius, radius);

    if (m_shown > 0.0f) {
        QRectF bar = frame;
        bar.setWidth(std::max(frame.height(), frame.width() * qreal(m_shown) / 100.0));
        const QColor colour = m_active ? QColor(0x3b, 0xa5, 0x5d) : palette().color(QPalette::Highlight);
        painter.setBrush(colour);
        painter.drawRoundedRect(bar, radius, radius);
    }
    if (m_threshold >= 0) {
        const qreal x = frame.left() + frame.width() * m_threshold / 100.0;
        painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
        painter.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()));
    }
}

} // namespace earshot::ui
