#include "ChatPanel.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>

namespace earshot::ui {

ChatPanel::ChatPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_log(new QTextBrowser(this))
    , m_input(new QLineEdit(this))
    , m_limit(new QLabel(this))
    , m_send(new QPushButton(this))
{
    setObjectName(QStringLiteral("chat"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_log->setObjectName(QStringLiteral("chatLog"));
    m_log->setOpenExternalLinks(false);
    m_input->setObjectName(QStringLiteral("chatInput"));
    m_send->setObjectName(QStringLiteral("chatSend"));
    m_limit->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title, 0, 0, 1, 3);
    layout->addWidget(m_log, 1, 0, 1, 3);
    layout->addWidget(m_input, 2, 0);
    layout->addWidget(m_limit, 2, 1);
    layout->addWidget(m_send, 2, 2);
    layout->setColumnStretch(0, 1);

    connect(m_input, &QLineEdit::textChanged, this, &ChatPanel::updateLimit);
    connect(m_input, &QLineEdit::returnPressed, this, &ChatPanel::submit);
    connect(m_send, &QPushButton::clicked, this, &ChatPanel::submit);
    retranslate();
    setEnabledForRoom(false);
}

void ChatPanel::appendMessage(const QString& sender, const QString& text, const QDateTime& time, bool own)
{
    const QString colour = own ? palette().color(QPalette::Highlight).name() : palette().color(QPalette::Link).name();
    m_log->append(QStringLiteral("<span style=\"color:gray\">%1</span> <b style=\"color:%2\">%3</b>: %4")
                      .arg(QLocale().toString(time.toLocalTime().time(), QLocale::ShortFormat), colour,
                          sender.toHtmlEscaped(), text.toHtmlEscaped()));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void ChatPanel::appendNotice(const QString& text)
{
    m_log->append(QStringLiteral("<i style=\"color:gray\">%1</i>").arg(text.toHtmlEscaped()));
}

void ChatPanel::setEnabledForRoom(bool inRoom)
{
    m_input->setEnabled(inRoom);
    updateLimit();
    m_input->setPlaceholderText(inRoom ? tr("Write to everyone in the room") : tr("Join a room to chat"));
}

void ChatPanel::clearInput()
{
    m_input->clear();
}

void ChatPanel::updateLimit()
{
    const qsizetype bytes = m_input->text().toUtf8().size();
    const bool tooLong = bytes > kMaxMessageBytes;
    // Shown only near the limit: a counter on every message is noise.
    m_limit->setVisible(bytes > kMaxMessageBytes * 3 / 4);
    m_limit->setText(tr("%1 of %2 bytes").arg(bytes).arg(kMaxMessageBytes));
    m_limit->setForegroundRole(tooLong ? QPalette::BrightText : QPalette::PlaceholderText);
    m_limit->setToolTip(tooLong ? tr("This message is too long to send; shorten it a little.") : QString());
    m_send->setEnabled(m_input->isEnabled() && bytes > 0 && !tooLong);
}

void ChatPanel::submit()
{
    const QString text = m_input->text().trimmed();
    if (!m_send->isEnabled() || text.isEmpty())
        return;
    emit sendRequested(text);
}

void ChatPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ChatPanel::retranslate()
{
    m_title->setText(tr("Room chat"));
    m_send->setText(tr("Send"));
    setEnabledForRoom(m_input->isEnabled());
}

} // namespace earshot::ui
