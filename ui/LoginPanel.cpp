#include "LoginPanel.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace earshot::ui {

namespace {

// "host:port" is what people type; the engine needs ws://host:port/.
QUrl serverUrl(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    const bool hasScheme = trimmed.contains(QStringLiteral("://"));
    QUrl url = QUrl::fromUserInput(hasScheme ? trimmed : QStringLiteral("ws://") + trimmed);
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    return url;
}

void setItems(QComboBox* box, const QStringList& items)
{
    const QString current = box->currentText();
    box->clear();
    box->addItems(items);
    box->setCurrentText(current.isEmpty() && !items.isEmpty() ? items.first() : current);
}

} // namespace

LoginPanel::LoginPanel(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_form(new QFormLayout)
    , m_server(new QComboBox(this))
    , m_appId(new QLineEdit(this))
    , m_authMethod(new QComboBox(this))
    , m_secret(new QLineEdit(this))
    , m_room(new QComboBox(this))
    , m_userId(new QLineEdit(this))
    , m_userName(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_join(new QPushButton(this))
    , m_hostHint(new QLabel(this))
    , m_host(new QPushButton(this))
{
    setObjectName(QStringLiteral("loginPanel"));
    QFont heading = m_heading->font();
    heading.setPointSizeF(heading.pointSizeF() * 1.4);
    heading.setBold(true);
    m_heading->setFont(heading);
    m_server->setEditable(true);
    m_server->setObjectName(QStringLiteral("server"));
    m_room->setEditable(true);
    m_room->setObjectName(QStringLiteral("room"));
    m_appId->setObjectName(QStringLiteral("appId"));
    m_authMethod->setObjectName(QStringLiteral("authMethod"));
    m_authMethod->addItem(QString(), int(AuthMethod::AppSign));
    m_authMethod->addItem(QString(), int(AuthMethod::Token));
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secret->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_userId->setObjectName(QStringLiteral("userId"));
    m_userName->setObjectName(QStringLiteral("userName"));
    m_error->setObjectName(QStringLiteral("loginError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d83c3e;"));
    m_error->hide();
    m_join->setObjectName(QStringLiteral("join"));
    m_join->setDefault(true);
    m_host->setObjectName(QStringLiteral("host"));
    m_hostHint->setWordWrap(true);

    // Labels made here (an empty text would make QFormLayout leave them out); retranslate()
    // gives them their text.
    m_form->addRow(new QLabel(this), m_server);
    m_form->addRow(new QLabel(this), m_appId);
    m_form->addRow(m_authMethod, m_secret);
    m_form->addRow(new QLabel(this), m_room);
    m_form->addRow(new QLabel(this), m_userId);
    m_form->addRow(new QLabel(this), m_userName);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addLayout(m_form);
    layout->addWidget(m_error);
    layout->addWidget(m_join);
    layout->addSpacing(16);
    layout->addWidget(m_hostHint);
    layout->addWidget(m_host);
    layout->addStretch(1);

    connect(m_join, &QPushButton::clicked, this, &LoginPanel::submit);
    for (QLineEdit* field : { m_appId, m_secret, m_userId, m_userName })
        connect(field, &QLineEdit::returnPressed, this, &LoginPanel::submit);
    connect(m_host, &QPushButton::clicked, this, &LoginPanel::hostRequested);
    connect(m_authMethod, &QComboBox::currentIndexChanged, this, &LoginPanel::retranslate);
    retranslate();
}

void LoginPanel::setRequest(const LoginRequest& request)
{
    if (!request.server.isEmpty())
        m_server->setCurrentText(request.server.toString());
    if (request.appId != 0)
        m_appId->setText(QString::number(request.appId));
    m_authMethod->setCurrentIndex(m_authMethod->findData(int(request.authMethod)));
    if (!request.secret.isEmpty())
        m_secret->setText(request.secret);
    if (!request.roomId.isEmpty())
        m_room->setCurrentText(request.roomId);
    if (!request.userId.isEmpty())
        m_userId->setText(request.userId);
    if (!request.userName.isEmpty())
        m_userName->setText(request.userName);
}

LoginRequest LoginPanel::request(QString* problem) const
{
    LoginRequest request;
    request.server = serverUrl(m_server->currentText());
    bool appIdOk = false;
    request.appId = m_appId->text().trimmed().toUInt(&appIdOk);
    request.authMethod = AuthMethod(m_authMethod->currentData().toInt());
    request.secret = m_secret->text().trimmed();
    request.roomId = m_room->currentText().trimmed();
    request.userId = m_userId->text().trimmed();
    request.userName = m_userName->text().trimmed();
    if (problem) {
        // The engine checks identifiers and keys (and says why in its own words); only what
        // it cannot see as a field is checked here.
        problem->clear();
        const QString scheme = request.server.scheme();
        if (!request.server.isValid() || request.server.host().isEmpty()
            || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")))
            *problem = tr("Enter the server's address, for example ws://192.168.1.20:7400/.");
        else if (!appIdOk || request.appId == 0)
            *problem = tr("Enter the AppID as a positive whole number, as the server's operator gave it to you.");
    }
    return request;
}

void LoginPanel::setRecentServers(const QStringList& servers)
{
    setItems(m_server, servers);
}

void LoginPanel::setRecentRooms(const QStringList& rooms)
{
    setItems(m_room, rooms);
}

void LoginPanel::setBusy(bool busy)
{
    for (QWidget* field : std::initializer_list<QWidget*> { m_server, m_appId, m_authMethod, m_secret, m_room,
             m_userId, m_userName, m_join, m_host })
        field->setEnabled(!busy);
}

void LoginPanel::setHostingSuggested(bool suggested)
{
    // With no server known, hosting is the way in: Enter should do that.
    m_join->setDefault(!suggested);
    m_host->setDefault(suggested);
    if (suggested)
        m_host->setFocus();
}

void LoginPanel::showError(const QString& sentence)
{
    m_error->setText(sentence);
    m_error->show();
}

void LoginPanel::clearError()
{
    m_error->clear();
    m_error->hide();
}

QString LoginPanel::errorShown() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void LoginPanel::submit()
{
    QString problem;
    const LoginRequest login = request(&problem);
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    clearError();
    emit joinRequested(login);
}

void LoginPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LoginPanel::retranslate()
{
    m_heading->setText(tr("Join a room"));
    const auto label = [this](QWidget* field, const QString& text) {
        if (auto* buddy = qobject_cast<QLabel*>(m_form->labelForField(field))) {
            buddy->setText(text);
            buddy->setBuddy(field);
        }
    };
    label(m_server, tr("&Server:"));
    label(m_appId, tr("&AppID:"));
    label(m_room, tr("&Room:"));
    label(m_userId, tr("&User ID:"));
    label(m_userName, tr("&Name:"));
    m_server->lineEdit()->setPlaceholderText(tr("ws://host:7400/"));
    m_userName->setPlaceholderText(tr("Shown to others; the user ID if empty"));
    m_authMethod->setItemText(0, tr("AppSign"));
    m_authMethod->setItemText(1, tr("Token"));
    const bool token = AuthMethod(m_authMethod->currentData().toInt()) == AuthMethod::Token;
    m_secret->setPlaceholderText(token ? tr("The token your app's service issued") : tr("64 hexadecimal digits"));
    m_join->setText(tr("&Join"));
    m_hostHint->setText(tr("No server? Host a room on this computer; others on your network can join it."));
    m_host->setText(tr("&Host a room on this computer"));
}

} // namespace earshot::ui
