#include "SettingsDialog.h"

#include "Translations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace earshot::ui {

namespace {

constexpr int kMaxJitterMs = 4000;

void selectData(QComboBox* box, const QVariant& data)
{
    const int index = box->findData(data);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

} // namespace

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent)
    , m_tabs(new QTabWidget(this))
    , m_inputLabel(new QLabel(this))
    , m_input(new QComboBox(this))
    , m_outputLabel(new QLabel(this))
    , m_output(new QComboBox(this))
    , m_echo(new QCheckBox(this))
    , m_noise(new QCheckBox(this))
    , m_gainControl(new QCheckBox(this))
    , m_gainLabel(new QLabel(this))
    , m_gain(new QSlider(Qt::Horizontal, this))
    , m_qualityLabel(new QLabel(this))
    , m_quality(new QComboBox(this))
    , m_jitterLabel(new QLabel(this))
    , m_jitterMin(new QSpinBox(this))
    , m_jitterMax(new QSpinBox(this))
    , m_micTest(new QPushButton(this))
    , m_micTestStatus(new QLabel(this))
    , m_languageLabel(new QLabel(this))
    , m_language(new QComboBox(this))
    , m_themeLabel(new QLabel(this))
    , m_theme(new QComboBox(this))
    , m_sounds(new QCheckBox(this))
    , m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    m_tabs->addTab(makeAudioPage(), QString());
    m_tabs->addTab(makeAppearancePage(), QString());
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(m_close, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);

    // Only the person changes the preferred devices; a list that lost the device shows the
    // default meanwhile and selects it again when it returns (hot-plug).
    connect(m_input, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updating)
            m_preferredInput = m_input->currentData().toString();
    });
    connect(m_output, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updating)
            m_preferredOutput = m_output->currentData().toString();
    });
    for (QComboBox* box : { m_input, m_output, m_quality, m_language, m_theme })
        connect(box, &QComboBox::currentIndexChanged, this, &SettingsDialog::emitChanged);
    for (QCheckBox* box : { m_echo, m_noise, m_gainControl, m_sounds })
        connect(box, &QCheckBox::toggled, this, &SettingsDialog::emitChanged);
    connect(m_gain, &QSlider::valueChanged, this, &SettingsDialog::emitChanged);
    connect(m_jitterMin, &QSpinBox::valueChanged, this, [this](int minMs) {
        m_jitterMax->setMinimum(minMs);
        emitChanged();
    });
    connect(m_jitterMax, &QSpinBox::valueChanged, this, &SettingsDialog::emitChanged);
    connect(m_micTest, &QPushButton::clicked, this, &SettingsDialog::microphoneTestRequested);
    setDevices(AudioDeviceType::Input, {});
    setDevices(AudioDeviceType::Output, {});
    retranslate();
}

QWidget* SettingsDialog::makeAudioPage()
{
    auto* page = new QWidget(this);
    m_input->setObjectName(QStringLiteral("inputDevice"));
    m_output->setObjectName(QStringLiteral("outputDevice"));
    m_noise->setObjectName(QStringLiteral("noiseSuppression"));
    m_jitterMax->setObjectName(QStringLiteral("jitterMax"));
    m_quality->setObjectName(QStringLiteral("qualityPreset"));
    m_gain->setRange(0, 200);
    m_gain->setValue(100);
    for (const auto preset : { AudioConfigPreset::BasicQuality, AudioConfigPreset::StandardQuality,
             AudioConfigPreset::StandardQualityStereo, AudioConfigPreset::HighQuality,
             AudioConfigPreset::HighQualityStereo })
        m_quality->addItem(QString(), int(preset));
    for (QSpinBox* box : { m_jitterMin, m_jitterMax }) {
        box->setRange(0, kMaxJitterMs);
        box->setSingleStep(20);
    }
    m_micTestStatus->setWordWrap(true);

    auto* form = new QFormLayout(page);
    form->addRow(m_inputLabel, m_input);
    form->addRow(m_outputLabel, m_output);
    form->addRow(QString(), m_echo);
    form->addRow(QString(), m_noise);
    form->addRow(QString(), m_gainControl);
    form->addRow(m_gainLabel, m_gain);
    form->addRow(m_qualityLabel, m_quality);
    auto* jitter = new QHBoxLayout;
    jitter->addWidget(m_jitterMin);
    jitter->addWidget(new QLabel(QStringLiteral("–"), page));
    jitter->addWidget(m_jitterMax);
    form->addRow(m_jitterLabel, jitter);
    form->addRow(m_micTest, m_micTestStatus);
    m_inputLabel->setBuddy(m_input);
    m_outputLabel->setBuddy(m_output);
    m_gainLabel->setBuddy(m_gain);
    m_qualityLabel->setBuddy(m_quality);
    m_jitterLabel->setBuddy(m_jitterMin);
    return page;
}

QWidget* SettingsDialog::makeAppearancePage()
{
    auto* page = new QWidget(this);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(QString(), QString());
    for (const auto& [locale, name] : Translations::available())
        m_language->addItem(name, locale);
    m_theme->addItem(QString(), int(ThemeMode::System));
    m_theme->addItem(QString(), int(ThemeMode::Light));
    m_theme->addItem(QString(), int(ThemeMode::Dark));
    auto* form = new QFormLayout(page);
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_themeLabel, m_theme);
    form->addRow(QString(), m_sounds);
    m_languageLabel->setBuddy(m_language);
    m_themeLabel->setBuddy(m_theme);
    return page;
}

void SettingsDialog::setValues(const Values& values)
{
    const QScopedValueRollback updating(m_updating, true);
    m_preferredInput = values.audio.inputDeviceId;
    m_preferredOutput = values.audio.outputDeviceId;
    selectData(m_input, m_preferredInput);
    selectData(m_output, m_preferredOutput);
    m_echo->setChecked(values.audio.echoCancellation);
    m_noise->setChecked(values.audio.noiseSuppression);
    m_gainControl->setChecked(values.audio.automaticGain);
    m_gain->setValue(values.audio.captureVolume);
    selectData(m_quality, int(values.audio.qualityPreset));
    m_jitterMin->setValue(values.audio.jitterMinMs);
    m_jitterMax->setMinimum(values.audio.jitterMinMs);
    m_jitterMax->setValue(values.audio.jitterMaxMs);
    selectData(m_language, values.language);
    selectData(m_theme, int(values.theme));
    m_sounds->setChecked(values.sounds);
}

SettingsDialog::Values SettingsDialog::values() const
{
    Values values;
    values.audio.inputDeviceId = m_preferredInput;
    values.audio.outputDeviceId = m_preferredOutput;
    values.audio.echoCancellation = m_echo->isChecked();
    values.audio.noiseSuppression = m_noise->isChecked();
    values.audio.automaticGain = m_gainControl->isChecked();
    values.audio.captureVolume = m_gain->value();
    values.audio.qualityPreset = AudioConfigPreset(m_quality->currentData().toInt());
    values.audio.jitterMinMs = m_jitterMin->value();
    values.audio.jitterMaxMs = m_jitterMax->value();
    values.language = m_language->currentData().toString();
    values.theme = ThemeMode(m_theme->currentData().toInt());
    values.sounds = m_sounds->isChecked();
    return values;
}

void SettingsDialog::setDevices(AudioDeviceType type, const QList<DeviceInfo>& devices)
{
    const bool input = type == AudioDeviceType::Input;
    QComboBox* box = input ? m_input : m_output;
    const QScopedValueRollback updating(m_updating, true);
    box->clear();
    box->addItem(tr("System default"), QString());
    for (const DeviceInfo& device : devices)
        box->addItem(device.deviceName, device.deviceID);
    selectData(box, input ? m_preferredInput : m_preferredOutput);
}

void SettingsDialog::setMicrophoneTestStatus(const QString& status, bool canStart)
{
    m_micTestStatus->setText(status);
    m_micTest->setEnabled(canStart);
}

void SettingsDialog::emitChanged()
{
    if (!m_updating)
        emit changed(values());
}

void SettingsDialog::showEvent(QShowEvent* event)
{
    emit devicesRefreshRequested();
    QDialog::showEvent(event);
}

void SettingsDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings"));
    m_tabs->setTabText(0, tr("Audio"));
    m_tabs->setTabText(1, tr("Appearance"));
    m_inputLabel->setText(tr("&Microphone:"));
    m_outputLabel->setText(tr("&Speaker:"));
    m_echo->setText(tr("&Echo cancellation (for speakers rather than headphones)"));
    m_noise->setText(tr("&Noise suppression"));
    m_gainControl->setText(tr("Automatic &gain control"));
    m_gainLabel->setText(tr("Microphone &volume:"));
    m_qualityLabel->setText(tr("Audio &quality:"));
    const char* const presets[] = { QT_TR_NOOP("Basic (16 kbit/s)"), QT_TR_NOOP("Standard (48 kbit/s)"),
        QT_TR_NOOP("Standard stereo (56 kbit/s)"), QT_TR_NOOP("High (128 kbit/s)"),
        QT_TR_NOOP("High stereo (192 kbit/s)") };
    for (int i = 0; i < m_quality->count(); ++i)
        m_quality->setItemText(i, tr(presets[i]));
    m_jitterLabel->setText(tr("&Jitter buffer (ms):"));
    m_jitterMin->setToolTip(tr("The least audio held back to smooth out network delays."));
    m_jitterMax->setToolTip(tr("The most audio held back; more survives a worse network but adds delay."));
    m_micTest->setText(tr("&Test microphone"));
    m_micTest->setToolTip(tr("Records a few seconds of your microphone and plays them back to you."));
    if (m_input->count() > 0)
        m_input->setItemText(0, tr("System default"));
    if (m_output->count() > 0)
        m_output->setItemText(0, tr("System default"));
    m_languageLabel->setText(tr("&Language:"));
    m_language->setItemText(0, tr("System language"));
    m_themeLabel->setText(tr("&Appearance:"));
    m_theme->setItemText(0, tr("Follow the system"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    m_sounds->setText(tr("Play a sound when someone joins or leaves"));
    m_close->setText(tr("Close"));
}

} // namespace earshot::ui
