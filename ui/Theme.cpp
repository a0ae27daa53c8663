#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace earshot::ui {

namespace {

QPalette darkPalette()
{
    // Greys in the range voice apps use at night: dark enough not to glare, light enough that
    // panels stand apart.
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor highlight(0x58, 0x65, 0xf2);
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x38, 0x3a, 0x40));
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x94, 0x9b, 0xa4));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3c, 0x42));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    palette.setColor(QPalette::Link, QColor(0x00, 0xa8, 0xfc));
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x55));
    palette.setColor(QPalette::Mid, QColor(0x24, 0x25, 0x29));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        palette.setColor(QPalette::Disabled, role, QColor(0x80, 0x84, 0x8e));
    return palette;
}

QPalette lightPalette()
{
    QPalette palette = QStyleFactory::create(QStringLiteral("Fusion"))->standardPalette();
    palette.setColor(QPalette::AlternateBase, QColor(0xe3, 0xe5, 0xe8));
    palette.setColor(QPalette::Highlight, QColor(0x58, 0x65, 0xf2));
    palette.setColor(QPalette::BrightText, QColor(0xd8, 0x3c, 0x3e));
    return palette;
}

} // namespace

void Theme::apply(ThemeMode mode)
{
    QApplication::setStyle(QStringLiteral("Fusion"));
    switch (mode) {
    case ThemeMode::Dark:
        QApplication::setPalette(darkPalette());
        break;
    case ThemeMode::Light:
        QApplication::setPalette(lightPalette());
        break;
    case ThemeMode::System:
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    }
}

} // namespace earshot::ui
