#include "QualityBars.h"

#include <QPainter>

namespace earshot::ui {

namespace {

constexpr int kBarCount = 4;

int litBars(StreamQualityLevel level)
{
    switch (level) {
    case StreamQualityLevel::Excellent:
        return 4;
    case StreamQualityLevel::Good:
        return 3;
    case StreamQualityLevel::Medium:
        return 2;
    case StreamQualityLevel::Bad:
        return 1;
    case StreamQualityLevel::Die:
    case StreamQualityLevel::Unknown:
        break;
    }
    return 0;
}

QColor colourOf(StreamQualityLevel level)
{
    switch (level) {
    case StreamQualityLevel::Excellent:
    case StreamQualityLevel::Good:
        return { 0x3b, 0xa5, 0x5d };
    case StreamQualityLevel::Medium:
        return { 0xe0, 0xa8, 0x00 };
    case StreamQualityLevel::Bad:
    case StreamQualityLevel::Die:
        return { 0xd8, 0x3c, 0x3e };
    case StreamQualityLevel::Unknown:
        break;
    }
    return Qt::gray;
}

} // namespace

QualityBars::QualityBars(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Connection quality: not measured yet."));
}

void QualityBars::setQuality(const PlayStreamQuality& quality)
{
    m_level = quality.level;
    const QString rtt = quality.rttMs >= 0 ? tr("%1 ms").arg(quality.rttMs) : tr("unknown");
    setToolTip(tr("Round trip: %1\nPacket loss: %2 %\nJitter: %3 ms\nMOS: %4 of 4.5\nReceived: %5 kbit/s")
                   .arg(rtt)
                   .arg(quality.packetLossRate * 100.0, 0, 'f', 1)
                   .arg(quality.jitterMs, 0, 'f', 0)
                   .arg(quality.mos, 0, 'f', 2)
                   .arg(quality.audioRecvKbps, 0, 'f', 0));
    update();
}

QSize QualityBars::sizeHint() const
{
    return { 22, 16 };
}

void QualityBars::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    const int lit = litBars(m_level);
    const qreal barWidth = width() / qreal(kBarCount * 2 - 1);
    QColor dim = palette().color(QPalette::WindowText);
    dim.setAlphaF(0.25f);
    for (int bar = 0; bar < kBarCount; ++bar) {
        const qreal barHeight = height() * (bar + 1) / qreal(kBarCount);
        const QRectF r(bar * 2 * barWidth, height() - barHeight, barWidth, barHeight);
        painter.setBrush(bar < lit ? colourOf(m_level) : dim);
        painter.drawRoundedRect(r, 1.0, 1.0);
    }
}

} // namespace earshot::ui
