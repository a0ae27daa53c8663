#include "Translations.h"

#include <earshot/ErrorText.h>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

namespace earshot::ui {

Translations::Translations(QObject* parent)
    : QObject(parent)
{
}

Translations::~Translations()
{
    for (QTranslator* translator : { &m_app, &m_engine, &m_qt })
        QCoreApplication::removeTranslator(translator);
}

QString Translations::resourcePath()
{
    return QStringLiteral(":/earshot/i18n");
}

QList<std::pair<QString, QString>> Translations::available()
{
    return { { QStringLiteral("en"), QStringLiteral("English") },
        { QStringLiteral("zh_CN"), QStringLiteral("\u7b80\u4f53\u4e2d\u6587") } };
}

void Translations::setLanguage(const QString& language)
{
    for (QTranslator* translator : { &m_app, &m_engine, &m_qt })
        QCoreApplication::removeTranslator(translator);
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    // A failed load leaves a translator empty, which translates nothing: English.
    static_cast<void>(m_app.load(locale, QStringLiteral("earshot_app"), QStringLiteral("_"), resourcePath()));
    static_cast<void>(
        m_engine.load(locale, QStringLiteral("earshot_engine"), QStringLiteral("_"), earshot::engineTranslationsPath()));
    static_cast<void>(m_qt.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
        QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    for (QTranslator* translator : { &m_app, &m_engine, &m_qt }) {
        if (!translator->isEmpty())
            QCoreApplication::installTranslator(translator);
    }
}

} // namespace earshot::ui
