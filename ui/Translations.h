#pragma once

#include <QObject>
#include <QTranslator>

namespace earshot::ui {

// The app's languages: its own texts (translations/earshot_app_*.ts), the engine's error
// sentences and Qt's own dialogs, switched together. Widgets follow through LanguageChange.
//
// Thread: the GUI thread.
class Translations : public QObject {
    Q_OBJECT

public:
    explicit Translations(QObject* parent = nullptr);
    ~Translations() override;

    // "" follows the system's language; otherwise a locale name ("en", "zh_CN"). Unknown
    // languages fall back to English, the source language.
    void setLanguage(const QString& language);
    // The languages offered in settings: locale name and the language's own name.
    [[nodiscard]] static QList<std::pair<QString, QString>> available();
    // The folder holding the app's compiled translations (":/earshot/i18n").
    [[nodiscard]] static QString resourcePath();

private:
    QTranslator m_app;
    QTranslator m_engine;
    QTranslator m_qt;
};

} // namespace earshot::ui
