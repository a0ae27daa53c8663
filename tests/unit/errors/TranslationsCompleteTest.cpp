#include "KnownErrorCodes.h"

#include <earshot/ErrorText.h>

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QTest>
#include <QXmlStreamReader>

#include <utility>

using earshot::errorText;
using earshot::Language;

namespace {

// The source text of the unknown-code sentence, the one message of the table not keyed by a code.
const QString kUnknownErrorSource = QStringLiteral("Unknown error (code %1).");

struct TsMessage {
    QString source;
    QString translation;
    QString type; // the translation's type attribute: "", "unfinished", "vanished" or "obsolete"
    bool numerus = false;
};

struct TsFile {
    QString language;
    QList<TsMessage> messages;
    QString error; // empty when the file was read whole
};

TsFile readTs(const QString& path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return ts;
    }
    QXmlStreamReader xml(&file);
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == QLatin1String("message"))
            ts.messages.append(std::exchange(message, TsMessage {}));
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("TS")) {
            ts.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (xml.name() == QLatin1String("message")) {
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (xml.name() == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            message.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    if (xml.hasError())
        ts.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return ts;
}

QString tsPath(const char* name)
{
    return QStringLiteral(EARSHOT_TRANSLATIONS_DIR "/") + QLatin1String(name);
}

// The %1..%99 placeholders of a text, sorted, so a translation must keep every argument.
QStringList placeholders(const QString& text)
{
    static const QRegularExpression kPlaceholder(QStringLiteral("%(L?)([1-9][0-9]?)"));
    QStringList found;
    for (const QRegularExpressionMatch& match : kPlaceholder.globalMatch(text))
        found.append(match.captured(0));
    found.sort();
    return found;
}

// The English sentences the code uses: the source texts the .ts files must hold.
QSet<QString> tableSources()
{
    QSet<QString> sources { kUnknownErrorSource };
    for (const int code : earshot::test::knownErrorCodes())
        sources.insert(errorText(code, Language::English));
    return sources;
}

QSet<QString> sourcesOf(const TsFile& ts)
{
    QSet<QString> sources;
    for (const TsMessage& message : ts.messages)
        sources.insert(message.source);
    return sources;
}

QString describe(const QSet<QString>& texts)
{
    QStringList list = texts.values();
    list.sort();
    return list.join(QStringLiteral("\n    "));
}

} // namespace

class TranslationsCompleteTest : public QObject {
    Q_OBJECT

private slots:
    void chineseFileIsComplete();
    void filesHoldExactlyTheTableSentences();
    void everyCodeIsTranslated_data();
    void everyCodeIsTranslated();
};

// Each message of earshot_engine_zh_CN.ts is finished, current (lupdate marks a sentence removed
// from the code vanished, or obsolete in older files) and keeps the placeholders of its source.
void TranslationsCompleteTest::chineseFileIsComplete()
{
    const TsFile ts = readTs(tsPath("earshot_engine_zh_CN.ts"));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QCOMPARE(ts.language, QStringLiteral("zh_CN"));
    QVERIFY(!ts.messages.isEmpty());

    QStringList problems;
    for (const TsMessage& message : ts.messages) {
        const QString problem = [&]() -> QString {
            if (message.source.isEmpty())
                return QStringLiteral("empty source");
            if (message.type == QLatin1String("unfinished"))
                return QStringLiteral("unfinished");
            if (message.type == QLatin1String("vanished") || message.type == QLatin1String("obsolete"))
                return QStringLiteral("%1: no longer in the code, delete it").arg(message.type);
            if (!message.type.isEmpty())
                return QStringLiteral("translation type \"%1\"").arg(message.type);
            if (message.numerus)
                return QStringLiteral("numerus form (the engine's texts have none)");
            if (message.translation.trimmed().isEmpty())
                return QStringLiteral("empty translation");
            if (placeholders(message.translation) != placeholders(message.source))
                return QStringLiteral("placeholders differ from the source");
            return {};
        }();
        if (!problem.isEmpty())
            problems.append(QStringLiteral("%1: \"%2\"").arg(problem, message.source));
    }
    QVERIFY2(problems.isEmpty(),
        qPrintable(QStringLiteral("earshot_engine_zh_CN.ts (run lupdate, see engine/src/errors/"
                                  "CMakeLists.txt, then translate):\n  ")
            + problems.join(QStringLiteral("\n  "))));
}

// Both .ts files hold the sentences of the code, no more and no fewer: lupdate has been run
// since the last change of a sentence.
void TranslationsCompleteTest::filesHoldExactlyTheTableSentences()
{
    const QSet<QString> table = tableSources();
    for (const char* name : { "earshot_engine_zh_CN.ts", "earshot_engine_en.ts" }) {
        const TsFile ts = readTs(tsPath(name));
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        const QSet<QString> file = sourcesOf(ts);
        QVERIFY2(file == table,
            qPrintable(
                QStringLiteral("%1 is out of step with ErrorText.cpp (run lupdate, see "
                               "engine/src/errors/CMakeLists.txt)\n  missing:\n    %2\n  extra:\n    %3")
                    .arg(QLatin1String(name), describe(table - file), describe(file - table))));
    }
}

void TranslationsCompleteTest::everyCodeIsTranslated_data()
{
    QTest::addColumn<int>("code");
    for (const int code : earshot::test::knownErrorCodes())
        QTest::addRow("%d", code) << code;
    QTest::newRow("unknown code") << 1234567;
}

// The embedded translation (what the build compiled from the .ts file) has every sentence:
// a missing one would come back in English.
void TranslationsCompleteTest::everyCodeIsTranslated()
{
    QFETCH(int, code);
    QVERIFY2(errorText(code, Language::SimplifiedChinese) != errorText(code, Language::English),
        qPrintable(errorText(code, Language::English)));
}

QTEST_APPLESS_MAIN(TranslationsCompleteTest)
#include "TranslationsCompleteTest.moc"
