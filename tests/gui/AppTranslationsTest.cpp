// The desktop app's translations are current and complete: running lupdate over ui/ now would not
// change the source texts of translations/earshot_app_*.ts (so CI fails when someone changes a
// text without refreshing them), and every Chinese text is translated, keeping its placeholders.
// Also that the compiled translations are embedded and switch the app's language.

#include <Translations.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct TsMessage {
    QString context;
    QString source;
    QString translation;
    QString type; // "", "unfinished", "vanished" or "obsolete"
};

QList<TsMessage> readTs(const QString& path, QString* error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            message.context = context;
            messages.append(std::exchange(message, TsMessage {}));
        }
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name"))
            context = xml.readElementText();
        else if (xml.name() == QLatin1String("source"))
            message.source = xml.readElementText();
        else if (xml.name() == QLatin1String("translation")) {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            message.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

// The live texts (not vanished or obsolete), as "context | source".
QSet<QString> liveSources(const QList<TsMessage>& messages)
{
    QSet<QString> sources;
    for (const TsMessage& message : messages) {
        if (message.type != QLatin1String("vanished") && message.type != QLatin1String("obsolete"))
            sources.insert(message.context + QStringLiteral(" | ") + message.source);
    }
    return sources;
}

QStringList placeholders(const QString& text)
{
    static const QRegularExpression kPlaceholder(QStringLiteral("%(L?)([1-9][0-9]?)"));
    QStringList found;
    for (const QRegularExpressionMatch& match : kPlaceholder.globalMatch(text))
        found.append(match.captured(0));
    found.sort();
    return found;
}

QString tsPath(const QString& language)
{
    return QStringLiteral(EARSHOT_TRANSLATIONS_DIR "/earshot_app_%1.ts").arg(language);
}

} // namespace

class AppTranslationsTest : public QObject {
    Q_OBJECT

private slots:
    void filesMatchTheSources_data();
    void filesMatchTheSources();
    void chineseIsComplete();
    void compiledTranslationsAreEmbedded();
};

void AppTranslationsTest::filesMatchTheSources_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

// lupdate run now over a copy of the file: the same live texts as the committed file.
void AppTranslationsTest::filesMatchTheSources()
{
    QFETCH(QString, language);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString copy = directory.filePath(QStringLiteral("earshot_app_%1.ts").arg(language));
    QVERIFY(QFile::copy(tsPath(language), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess lupdate;
    lupdate.start(QStringLiteral(EARSHOT_LUPDATE),
        { QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-no-obsolete"),
            QStringLiteral(EARSHOT_UI_SOURCE_DIR), QStringLiteral("-ts"), copy });
    QVERIFY(lupdate.waitForFinished(60'000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());

    QString error;
    const QSet<QString> committed = liveSources(readTs(tsPath(language), &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QSet<QString> current = liveSources(readTs(copy, &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QSet<QString> missing = current - committed;
    const QSet<QString> stale = committed - current;
    QVERIFY2(missing.isEmpty() && stale.isEmpty(),
        qPrintable(QStringLiteral("%1 is stale; run the earshot_ui_lupdate target.\nNew texts:\n  %2\nRemoved texts:\n  %3")
                       .arg(tsPath(language), QStringList(missing.values()).join(QStringLiteral("\n  ")),
                           QStringList(stale.values()).join(QStringLiteral("\n  ")))));
}

void AppTranslationsTest::chineseIsComplete()
{
    QString error;
    const QList<TsMessage> messages = readTs(tsPath(QStringLiteral("zh_CN")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!messages.isEmpty());
    for (const TsMessage& message : messages) {
        const QString where = message.context + QStringLiteral(": ") + message.source;
        QVERIFY2(message.type.isEmpty(), qPrintable(QStringLiteral("not finished (%1): %2").arg(message.type, where)));
        QVERIFY2(!message.translation.isEmpty(), qPrintable(QStringLiteral("empty: ") + where));
        QVERIFY2(placeholders(message.translation) == placeholders(message.source),
            qPrintable(QStringLiteral("placeholders differ: ") + where));
    }
}

void AppTranslationsTest::compiledTranslationsAreEmbedded()
{
    QVERIFY(QFile::exists(earshot::ui::Translations::resourcePath() + QStringLiteral("/earshot_app_zh_CN.qm")));
    earshot::ui::Translations translations;
    translations.setLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(QCoreApplication::translate("earshot::ui::ChatPanel", "Send"), QStringLiteral("发送"));
    translations.setLanguage(QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("earshot::ui::ChatPanel", "Send"), QStringLiteral("Send"));
}

QTEST_MAIN(AppTranslationsTest)
#include "AppTranslationsTest.moc"
