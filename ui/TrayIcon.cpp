#include "TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace earshot::ui {

namespace {

// A round badge drawn in code: green when connected, grey otherwise.
QIcon badge(bool connected)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(connected ? QColor(0x3b, 0xa5, 0x5d) : QColor(0x8a, 0x8a, 0x8a));
    painter.drawEllipse(QRectF(2, 2, 28, 28));
    painter.setBrush(Qt::white);
    painter.drawRoundedRect(QRectF(12, 7, 8, 13), 4, 4); // a microphone
    painter.drawRect(QRectF(15, 20, 2, 5));
    return QIcon(pixmap);
}

} // namespace

TrayIcon::TrayIcon(QAction* muteMicrophone, QAction* leave, QAction* quit, QObject* parent)
    : QObject(parent)
    , m_menu(std::make_unique<QMenu>())
    , m_show(new QAction(this))
{
    m_menu->addAction(m_show);
    m_menu->addSeparator();
    m_menu->addAction(muteMicrophone);
    m_menu->addAction(leave);
    m_menu->addSeparator();
    m_menu->addAction(quit);
    connect(m_show, &QAction::triggered, this, &TrayIcon::showWindowRequested);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_icon = new QSystemTrayIcon(badge(false), this);
        m_icon->setContextMenu(m_menu.get());
        connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger)
                emit showWindowRequested();
        });
        m_icon->show();
    }
    retranslate();
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::setConnectionState(ConnectionState state, const QString& roomId)
{
    m_state = state;
    m_roomId = roomId;
    if (m_icon)
        m_icon->setIcon(badge(state == ConnectionState::Connected));
    retranslate();
}

bool TrayIcon::isShown() const
{
    return m_icon != nullptr && m_icon->isVisible();
}

QString TrayIcon::toolTip() const
{
    return m_icon != nullptr ? m_icon->toolTip() : QString();
}

void TrayIcon::retranslate()
{
    m_show->setText(tr("Show Earshot"));
    if (m_icon) {
        m_icon->setToolTip(m_state == ConnectionState::Connected ? tr("Earshot: in room %1").arg(m_roomId)
                                                                 : tr("Earshot: not in a room"));
    }
}

} // namespace earshot::ui
