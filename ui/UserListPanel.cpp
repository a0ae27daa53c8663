#include "UserListPanel.h"

#include "LevelMeter.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSlider>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWidgetAction>

namespace earshot::ui {

namespace {
constexpr int kUserIdRole = Qt::UserRole;
constexpr int kUserNameRole = Qt::UserRole + 1;
enum Column { NameColumn = 0, LevelColumn = 1, ColumnCount = 2 };
} // namespace

UserListPanel::UserListPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("userList"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(LevelColumn, QHeaderView::Fixed);
    m_tree->header()->resizeSection(LevelColumn, 70);
    m_tree->header()->setStretchLastSection(false);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tree);

    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        if (const QTreeWidgetItem* item = m_tree->itemAt(position))
            showUserMenu(item->data(NameColumn, kUserIdRole).toString(), m_tree->viewport()->mapToGlobal(position));
    });
    retranslate();
}

void UserListPanel::addUser(const User& user, bool isLocalUser)
{
    if (m_rows.contains(user.userID))
        return;
    Row row;
    row.local = isLocalUser;
    row.item = new QTreeWidgetItem(m_tree);
    row.item->setData(NameColumn, kUserIdRole, user.userID);
    row.item->setData(NameColumn, kUserNameRole, user.userName.isEmpty() ? user.userID : user.userName);
    row.meter = new LevelMeter(m_tree);
    row.meter->setFixedHeight(8);
    m_tree->setItemWidget(row.item, LevelColumn, row.meter);
    refresh(m_rows.insert(user.userID, row).value());
    m_title->setText(tr("In this room (%1)").arg(m_rows.size()));
}

void UserListPanel::removeUser(const QString& userId)
{
    const auto it = m_rows.find(userId);
    if (it == m_rows.end())
        return;
    delete it->item; // also deletes its item widget
    m_rows.erase(it);
    m_title->setText(tr("In this room (%1)").arg(m_rows.size()));
}

void UserListPanel::clear()
{
    m_tree->clear();
    m_rows.clear();
    retranslate();
}

void UserListPanel::setLevel(const QString& userId, float level, bool speaking)
{
    const auto it = m_rows.find(userId);
    if (it == m_rows.end())
        return;
    it->meter->setLevel(level);
    it->meter->setActive(speaking);
    if (it->speaking != speaking) {
        it->speaking = speaking;
        refresh(*it);
    }
}

void UserListPanel::setPublishing(const QString& userId, bool publishing)
{
    if (const auto it = m_rows.find(userId); it != m_rows.end()) {
        it->publishing = publishing;
        refresh(*it);
    }
}

void UserListPanel::setMicrophoneMuted(const QString& userId, bool muted)
{
    if (const auto it = m_rows.find(userId); it != m_rows.end()) {
        it->microphoneMuted = muted;
        refresh(*it);
    }
}

void UserListPanel::setLocallyMuted(const QString& userId, bool muted)
{
    if (const auto it = m_rows.find(userId); it != m_rows.end()) {
        it->locallyMuted = muted;
        refresh(*it);
    }
}

void UserListPanel::setVolume(const QString& userId, int volume)
{
    if (const auto it = m_rows.find(userId); it != m_rows.end()) {
        it->volume = volume;
        refresh(*it);
    }
}

void UserListPanel::refresh(Row& row)
{
    QFont font = m_tree->font();
    font.setBold(row.speaking);
    font.setItalic(row.local);
    row.item->setFont(NameColumn, font);
    QStringList notes;
    if (row.local)
        notes << tr("This is you.");
    if (row.speaking)
        notes << tr("Speaking.");
    notes << (row.publishing ? tr("Sends audio.") : tr("Only listens."));
    if (row.microphoneMuted)
        notes << tr("Their microphone is muted.");
    if (row.locallyMuted)
        notes << tr("Muted by you.");
    if (row.volume != 100)
        notes << tr("Volume %1 %.").arg(row.volume);
    row.item->setToolTip(NameColumn, notes.join(QLatin1Char(' ')));
    // Symbols rather than icon files: they read in both themes and need no assets.
    QString prefix;
    if (row.microphoneMuted || row.locallyMuted)
        prefix = QStringLiteral("\u2298 "); // circled slash: muted
    else if (row.speaking)
        prefix = QStringLiteral("\u25C9 "); // fisheye: speaking
    row.item->setText(NameColumn, prefix + row.item->data(NameColumn, kUserNameRole).toString());
    // No colour when silent, so the row follows the palette when the theme changes.
    row.item->setData(NameColumn, Qt::ForegroundRole, row.speaking ? QVariant(QBrush(QColor(0x3b, 0xa5, 0x5d))) : QVariant());
}

void UserListPanel::showUserMenu(const QString& userId, const QPoint& globalPosition)
{
    const auto it = m_rows.constFind(userId);
    if (it == m_rows.cend() || it->local)
        return;
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("userMenu"));

    auto* volumeBox = new QWidget(menu);
    auto* volumeLayout = new QHBoxLayout(volumeBox);
    auto* volumeLabel = new QLabel(tr("Volume"), volumeBox);
    auto* slider = new QSlider(Qt::Horizontal, volumeBox);
    auto* value = new QLabel(QStringLiteral("%1 %").arg(it->volume), volumeBox);
    slider->setObjectName(QStringLiteral("userVolume"));
    slider->setRange(0, 200);
    slider->setValue(it->volume);
    slider->setMinimumWidth(140);
    volumeLayout->addWidget(volumeLabel);
    volumeLayout->addWidget(slider);
    volumeLayout->addWidget(value);
    auto* volumeAction = new QWidgetAction(menu);
    volumeAction->setDefaultWidget(volumeBox);
    menu->addAction(volumeAction);
    connect(slider, &QSlider::valueChanged, this, [this, userId, value](int volume) {
        value->setText(QStringLiteral("%1 %").arg(volume));
        emit volumeChangeRequested(userId, volume);
    });
    QAction* reset = menu->addAction(tr("Reset volume"));
    connect(reset, &QAction::triggered, this, [this, userId] { emit volumeChangeRequested(userId, 100); });
    menu->addSeparator();
    QAction* mute = menu->addAction(tr("Mute for me"));
    mute->setObjectName(QStringLiteral("userMute"));
    mute->setCheckable(true);
    mute->setChecked(it->locallyMuted);
    connect(mute, &QAction::toggled, this, [this, userId](bool muted) { emit muteRequested(userId, muted); });
    menu->popup(globalPosition);
}

void UserListPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        for (Row& row : m_rows)
            refresh(row);
    }
    QWidget::changeEvent(event);
}

void UserListPanel::retranslate()
{
    m_title->setText(tr("In this room (%1)").arg(m_rows.size()));
}

} // namespace earshot::ui
