#include "MainWindow.h"

#include "ChatPanel.h"
#include "ConnectionIndicator.h"
#include "LoginPanel.h"
#include "PublishPanel.h"
#include "StreamPanel.h"
#include "UserListPanel.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace earshot::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_login(new LoginPanel(this))
    , m_publish(new PublishPanel(this))
    , m_users(new UserListPanel(this))
    , m_chat(new ChatPanel(this))
    , m_indicator(new ConnectionIndicator(this))
    , m_pages(new QStackedWidget(this))
    , m_roomTitle(new QLabel(this))
    , m_hostInformation(new QLabel(this))
    , m_noStreams(new QLabel(this))
    , m_streamScroll(new QScrollArea(this))
    , m_streamLayout(new QVBoxLayout)
{
    setObjectName(QStringLiteral("mainWindow"));
    createActions();

    // The login form stays a readable width, centred, however wide the window is.
    auto* loginPage = new QWidget(this);
    auto* loginLayout = new QHBoxLayout(loginPage);
    m_login->setMaximumWidth(460);
    loginLayout->addStretch(1);
    loginLayout->addWidget(m_login, 2);
    loginLayout->addStretch(1);
    m_pages->addWidget(loginPage);
    m_pages->addWidget(makeRoomPage());
    setCentralWidget(m_pages);
    statusBar()->addWidget(m_indicator, 1);
    resize(960, 640);
    retranslate();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::makeRoomPage()
{
    auto* page = new QWidget(this);
    QFont title = m_roomTitle->font();
    title.setPointSizeF(title.pointSizeF() * 1.3);
    title.setBold(true);
    m_roomTitle->setFont(title);
    m_hostInformation->setObjectName(QStringLiteral("hostInformation"));
    m_hostInformation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hostInformation->setWordWrap(true);
    m_hostInformation->hide();
    m_noStreams->setForegroundRole(QPalette::PlaceholderText);
    m_noStreams->setWordWrap(true);

    auto* streamsBox = new QWidget(m_streamScroll);
    m_streamLayout->setParent(nullptr);
    streamsBox->setLayout(m_streamLayout);
    m_streamLayout->addWidget(m_noStreams);
    m_streamLayout->addStretch(1);
    m_streamScroll->setWidget(streamsBox);
    m_streamScroll->setWidgetResizable(true);
    m_streamScroll->setFrameShape(QFrame::NoFrame);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_publish);
    leftLayout->addWidget(m_streamScroll, 1);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(left);
    top->addWidget(m_users);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(top);
    vertical->addWidget(m_chat);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_roomTitle);
    layout->addWidget(m_hostInformation);
    layout->addWidget(vertical, 1);
    return page;
}

void MainWindow::createActions()
{
    m_roomMenu = menuBar()->addMenu(QString());
    m_host = m_roomMenu->addAction(QString());
    m_copyInvite = m_roomMenu->addAction(QString());
    m_copyInvite->setEnabled(false);
    m_leave = m_roomMenu->addAction(QString());
    m_leave->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_leave->setEnabled(false);
    m_roomMenu->addSeparator();
    m_settings = m_roomMenu->addAction(QString());
    m_settings->setShortcut(QKeySequence::Preferences);
    if (m_settings->shortcut().isEmpty())
        m_settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_roomMenu->addSeparator();
    m_quit = m_roomMenu->addAction(QString());
    m_quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    m_audioMenu = menuBar()->addMenu(QString());
    m_muteMicrophone = m_audioMenu->addAction(QString());
    m_muteMicrophone->setCheckable(true);
    m_muteMicrophone->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_muteSpeaker = m_audioMenu->addAction(QString());
    m_muteSpeaker->setCheckable(true);
    m_muteSpeaker->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));

    m_helpMenu = menuBar()->addMenu(QString());
    m_about = m_helpMenu->addAction(QString());
}

void MainWindow::addStreamPanel(StreamPanel* panel)
{
    m_streams.insert(panel->streamId(), panel);
    // Before the stretch that keeps the panels at the top.
    m_streamLayout->insertWidget(m_streamLayout->count() - 1, panel);
    m_noStreams->hide();
}

void MainWindow::removeStreamPanel(const QString& streamId)
{
    if (StreamPanel* panel = m_streams.take(streamId))
        panel->deleteLater();
    m_noStreams->setVisible(m_streams.isEmpty());
}

void MainWindow::removeAllStreamPanels()
{
    for (StreamPanel* panel : std::as_const(m_streams))
        panel->deleteLater();
    m_streams.clear();
    m_noStreams->show();
}

void MainWindow::showRoomPage(bool inRoom)
{
    m_pages->setCurrentIndex(inRoom ? 1 : 0);
}

bool MainWindow::isRoomPageShown() const
{
    return m_pages->currentIndex() == 1;
}

void MainWindow::setHostInformation(const QString& text)
{
    m_hostInformation->setText(text);
    m_hostInformation->setVisible(!text.isEmpty());
}

void MainWindow::setRoomTitle(const QString& title)
{
    m_roomTitle->setText(title);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    event->ignore();
    emit closeRequested();
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Earshot"));
    m_roomMenu->setTitle(tr("&Room"));
    m_host->setText(tr("&Host a Room on This Computer"));
    m_copyInvite->setText(tr("&Copy Invitation"));
    m_leave->setText(tr("&Leave Room"));
    m_settings->setText(tr("&Settings…"));
    m_quit->setText(tr("&Quit"));
    m_audioMenu->setTitle(tr("&Audio"));
    m_muteMicrophone->setText(tr("&Mute Microphone"));
    m_muteSpeaker->setText(tr("&Deafen (Mute Everyone)"));
    m_helpMenu->setTitle(tr("&Help"));
    m_about->setText(tr("&About Earshot"));
    m_noStreams->setText(tr("Nobody else is talking in this room yet. Invite someone to join it."));
}

} // namespace earshot::ui
