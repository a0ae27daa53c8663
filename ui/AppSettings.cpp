#include "AppSettings.h"

#include <QRandomGenerator>
#include <QSettings>

#include <algorithm>

namespace earshot::ui {

namespace {
constexpr int kDefaultHostPort = 7400;
} // namespace

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>())
{
}

AppSettings::AppSettings(const QString& path)
    : m_settings(std::make_unique<QSettings>(path, QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

LoginRequest AppSettings::lastLogin() const
{
    LoginRequest request;
    request.server = m_settings->value(QStringLiteral("login/server")).toUrl();
    request.appId = m_settings->value(QStringLiteral("login/appId"), 0).toUInt();
    request.authMethod = AuthMethod(m_settings->value(QStringLiteral("login/authMethod"), 0).toInt());
    if (request.authMethod == AuthMethod::AppSign)
        request.secret = m_settings->value(QStringLiteral("login/appSign")).toString();
    request.roomId = m_settings->value(QStringLiteral("login/room")).toString();
    request.userId = m_settings->value(QStringLiteral("login/userId")).toString();
    request.userName = m_settings->value(QStringLiteral("login/userName")).toString();
    return request;
}

void AppSettings::setLastLogin(const LoginRequest& request)
{
    m_settings->setValue(QStringLiteral("login/server"), request.server);
    m_settings->setValue(QStringLiteral("login/appId"), request.appId);
    m_settings->setValue(QStringLiteral("login/authMethod"), int(request.authMethod));
    if (request.authMethod == AuthMethod::AppSign)
        m_settings->setValue(QStringLiteral("login/appSign"), request.secret);
    QStringList servers = recentServers();
    addRecent(servers, request.server.toString());
    m_settings->setValue(QStringLiteral("recent/servers"), servers);
    setLastIdentity(request);
}

void AppSettings::setLastIdentity(const LoginRequest& request)
{
    m_settings->setValue(QStringLiteral("login/room"), request.roomId);
    m_settings->setValue(QStringLiteral("login/userId"), request.userId);
    m_settings->setValue(QStringLiteral("login/userName"), request.userName);
    QStringList rooms = recentRooms();
    addRecent(rooms, request.roomId);
    m_settings->setValue(QStringLiteral("recent/rooms"), rooms);
}

void AppSettings::addRecent(QStringList& list, const QString& value)
{
    if (value.isEmpty())
        return;
    list.removeAll(value);
    list.prepend(value);
    while (list.size() > kMaxRecent)
        list.removeLast();
}

QStringList AppSettings::recentServers() const
{
    return m_settings->value(QStringLiteral("recent/servers")).toStringList();
}

QStringList AppSettings::recentRooms() const
{
    return m_settings->value(QStringLiteral("recent/rooms")).toStringList();
}

AudioSettings AppSettings::audio() const
{
    const AudioSettings defaults;
    AudioSettings audio;
    audio.inputDeviceId = m_settings->value(QStringLiteral("audio/inputDevice")).toString();
    audio.outputDeviceId = m_settings->value(QStringLiteral("audio/outputDevice")).toString();
    audio.echoCancellation = m_settings->value(QStringLiteral("audio/echoCancellation"), defaults.echoCancellation).toBool();
    audio.noiseSuppression = m_settings->value(QStringLiteral("audio/noiseSuppression"), defaults.noiseSuppression).toBool();
    audio.automaticGain = m_settings->value(QStringLiteral("audio/automaticGain"), defaults.automaticGain).toBool();
    audio.captureVolume
        = std::clamp(m_settings->value(QStringLiteral("audio/captureVolume"), defaults.captureVolume).toInt(), 0, 200);
    audio.qualityPreset = AudioConfigPreset(std::clamp(
        m_settings->value(QStringLiteral("audio/qualityPreset"), int(defaults.qualityPreset)).toInt(), 0, 4));
    audio.jitterMinMs = std::clamp(m_settings->value(QStringLiteral("audio/jitterMinMs"), defaults.jitterMinMs).toInt(), 0, 4000);
    audio.jitterMaxMs = std::clamp(
        m_settings->value(QStringLiteral("audio/jitterMaxMs"), defaults.jitterMaxMs).toInt(), audio.jitterMinMs, 4000);
    return audio;
}

void AppSettings::setAudio(const AudioSettings& audio)
{
    m_settings->setValue(QStringLiteral("audio/inputDevice"), audio.inputDeviceId);
    m_settings->setValue(QStringLiteral("audio/outputDevice"), audio.outputDeviceId);
    m_settings->setValue(QStringLiteral("audio/echoCancellation"), audio.echoCancellation);
    m_settings->setValue(QStringLiteral("audio/noiseSuppression"), audio.noiseSuppression);
    m_settings->setValue(QStringLiteral("audio/automaticGain"), audio.automaticGain);
    m_settings->setValue(QStringLiteral("audio/captureVolume"), audio.captureVolume);
    m_settings->setValue(QStringLiteral("audio/qualityPreset"), int(audio.qualityPreset));
    m_settings->setValue(QStringLiteral("audio/jitterMinMs"), audio.jitterMinMs);
    m_settings->setValue(QStringLiteral("audio/jitterMaxMs"), audio.jitterMaxMs);
}

TransmissionSettings AppSettings::transmission() const
{
    const TransmissionSettings defaults;
    TransmissionSettings transmission;
    transmission.mode = TransmissionMode(
        std::clamp(m_settings->value(QStringLiteral("transmission/mode"), int(defaults.mode)).toInt(), 0, 2));
    transmission.voiceThreshold = std::clamp(
        m_settings->value(QStringLiteral("transmission/voiceThreshold"), defaults.voiceThreshold).toInt(), 1, 100);
    return transmission;
}

void AppSettings::setTransmission(const TransmissionSettings& transmission)
{
    m_settings->setValue(QStringLiteral("transmission/mode"), int(transmission.mode));
    m_settings->setValue(QStringLiteral("transmission/voiceThreshold"), transmission.voiceThreshold);
}

QKeySequence AppSettings::pushToTalkKey() const
{
    return QKeySequence::fromString(
        m_settings->value(QStringLiteral("transmission/pushToTalkKey"), QStringLiteral("F8")).toString());
}

void AppSettings::setPushToTalkKey(const QKeySequence& key)
{
    m_settings->setValue(QStringLiteral("transmission/pushToTalkKey"), key.toString());
}

QString AppSettings::language() const
{
    return m_settings->value(QStringLiteral("appearance/language")).toString();
}

void AppSettings::setLanguage(const QString& language)
{
    m_settings->setValue(QStringLiteral("appearance/language"), language);
}

ThemeMode AppSettings::theme() const
{
    return ThemeMode(std::clamp(m_settings->value(QStringLiteral("appearance/theme"), 0).toInt(), 0, 2));
}

void AppSettings::setTheme(ThemeMode theme)
{
    m_settings->setValue(QStringLiteral("appearance/theme"), int(theme));
}

bool AppSettings::soundsEnabled() const
{
    return m_settings->value(QStringLiteral("appearance/sounds"), true).toBool();
}

void AppSettings::setSoundsEnabled(bool enabled)
{
    m_settings->setValue(QStringLiteral("appearance/sounds"), enabled);
}

QString AppSettings::hostKey(const QString& name)
{
    const QString key = QStringLiteral("host/") + name;
    QString value = m_settings->value(key).toString();
    if (value.size() != 64) {
        QByteArray bytes(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
        value = QString::fromLatin1(bytes.toHex());
        m_settings->setValue(key, value);
    }
    return value;
}

QString AppSettings::hostAppSign()
{
    return hostKey(QStringLiteral("appSign"));
}

QString AppSettings::hostServerSecret()
{
    return hostKey(QStringLiteral("serverSecret"));
}

int AppSettings::hostPort() const
{
    return m_settings->value(QStringLiteral("host/port"), kDefaultHostPort).toInt();
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
}

void AppSettings::sync()
{
    m_settings->sync();
}

} // namespace earshot::ui
