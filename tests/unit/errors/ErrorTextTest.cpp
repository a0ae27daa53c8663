#include "KnownErrorCodes.h"

#include <earshot/ErrorText.h>
#include <earshot/protocol/ErrorCode.h>

#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QTest>
#include <QTranslator>

#include <algorithm>
#include <thread>
#include <vector>

using earshot::errorText;
using earshot::Language;
using earshot::protocol::ErrorCode;
using earshot::protocol::toInt;

namespace {

bool containsHan(const QString& text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) { return c.script() == QChar::Script_Han; });
}

QList<int> unknownCodes()
{
    return { -1, 1, 999, 1000000, 1000003, 1006000, 1006007, 1009016, 2147483647, -2147483647 - 1 };
}

} // namespace

class ErrorTextTest : public QObject {
    Q_OBJECT

private slots:
    // First, while the embedded Chinese translation is not loaded yet.
    void concurrentFirstUseGivesTheSameText();
    void translationsAreEmbedded();
    void scanFindsTheCodesOfErrorCodeH();
    void everyCodeHasASentenceInBothLanguages_data();
    void everyCodeHasASentenceInBothLanguages();
    void examples_data();
    void examples();
    void unknownCodeNamesTheNumber_data();
    void unknownCodeNamesTheNumber();
    void defaultLanguageIsEnglishWithoutTranslators();
    void defaultFollowsTheInstalledTranslator();
    void englishLocaleLoadsTheEnglishFile();
};

// Several threads race to the first Chinese lookup (the lazy load of the translator); each gets
// the full text. Under TSan this is the check of the lazy initialisation.
void ErrorTextTest::concurrentFirstUseGivesTheSameText()
{
    const int code = toInt(ErrorCode::LoginAuthFailed);
    constexpr int kThreads = 8;
    std::vector<QString> texts(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&texts, i, code] { texts[i] = errorText(code, Language::SimplifiedChinese); });
    for (std::thread& thread : threads)
        thread.join();
    QVERIFY(containsHan(texts[0]));
    for (const QString& text : texts)
        QCOMPARE(text, texts[0]);
}

// The .qm files are resources of the static library earshot_errors; linking earshot::errors is
// enough to register them (no Q_INIT_RESOURCE in this test).
void ErrorTextTest::translationsAreEmbedded()
{
    QCOMPARE(earshot::engineTranslationsPath(), QStringLiteral(":/earshot/i18n"));
    QVERIFY(QFile::exists(QStringLiteral(":/earshot/i18n/earshot_engine_zh_CN.qm")));
    QVERIFY(QFile::exists(QStringLiteral(":/earshot/i18n/earshot_engine_en.qm")));
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral("earshot_engine_zh_CN"), earshot::engineTranslationsPath()));
    QVERIFY(!translator.isEmpty());
    QCOMPARE(translator.language(), QStringLiteral("zh_CN"));
}

// The helper the tests rely on finds the codes of API.md §6.
void ErrorTextTest::scanFindsTheCodesOfErrorCodeH()
{
    const QList<int> codes = earshot::test::knownErrorCodes();
    QCOMPARE(codes.first(), 0);
    for (const ErrorCode code : { ErrorCode::EngineNotCreated, ErrorCode::LoginAuthFailed,
             ErrorCode::TokenLacksPublishPrivilege, ErrorCode::DeviceGeneric, ErrorCode::DeviceInvalidId,
             ErrorCode::DeviceNoPermission, ErrorCode::DeviceZeroCapture, ErrorCode::DeviceInUse,
             ErrorCode::DeviceUnplugged, ErrorCode::MessageTooFast })
        QVERIFY2(codes.contains(toInt(code)), qPrintable(QString::number(toInt(code))));
    QVERIFY(codes.size() >= 59);
}

void ErrorTextTest::everyCodeHasASentenceInBothLanguages_data()
{
    QTest::addColumn<int>("code");
    for (const int code : earshot::test::knownErrorCodes())
        QTest::addRow("%d", code) << code;
}

// A real sentence for each code, not the unknown-code text nor the short log name, and a
// Chinese one that is not the English left untranslated.
void ErrorTextTest::everyCodeHasASentenceInBothLanguages()
{
    QFETCH(int, code);
    const QString english = errorText(code, Language::English);
    const QString chinese = errorText(code, Language::SimplifiedChinese);
    const QString logName = QString::fromLatin1(earshot::protocol::errorName(static_cast<ErrorCode>(code)));

    QVERIFY(!english.isEmpty());
    QCOMPARE(english.trimmed(), english);
    QVERIFY2(english.front().isUpper(), qPrintable(english));
    QVERIFY2(!english.startsWith(QLatin1String("Unknown error")), qPrintable(english));
    QVERIFY2(english.compare(logName, Qt::CaseInsensitive) != 0, qPrintable(english));

    QVERIFY(!chinese.isEmpty());
    QCOMPARE(chinese.trimmed(), chinese);
    QVERIFY2(chinese != english, qPrintable(english));
    QVERIFY2(containsHan(chinese), qPrintable(chinese));
    QVERIFY2(!chinese.startsWith(QStringLiteral("未知错误")), qPrintable(chinese));
}

void ErrorTextTest::examples_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("chinese");
    QTest::newRow("success") << 0 << QStringLiteral("Success.") << QStringLiteral("成功。");
    QTest::newRow("1002033") << toInt(ErrorCode::LoginAuthFailed)
                             << QStringLiteral(
                                    "Login failed: the token is invalid or has expired. Ask the app "
                                    "for a new token.")
                             << QStringLiteral("登录失败：Token 无效或已过期。请通过应用重新获取 Token。");
    QTest::newRow("1006005") << toInt(ErrorCode::DeviceInUse)
                             << QStringLiteral("The audio device is being used by another application. Close "
                                               "that application or choose another device.")
                             << QStringLiteral("音频设备正被其他应用占用。请关闭该应用，或选择其他设备。");
}

void ErrorTextTest::examples()
{
    QFETCH(int, code);
    QFETCH(QString, english);
    QFETCH(QString, chinese);
    QCOMPARE(errorText(code, Language::English), english);
    QCOMPARE(errorText(code, Language::SimplifiedChinese), chinese);
}

void ErrorTextTest::unknownCodeNamesTheNumber_data()
{
    QTest::addColumn<int>("code");
    for (const int code : unknownCodes())
        QTest::addRow("%d", code) << code;
}

void ErrorTextTest::unknownCodeNamesTheNumber()
{
    QFETCH(int, code);
    const QString number = QString::number(code);
    QCOMPARE(errorText(code, Language::English), QStringLiteral("Unknown error (code %1).").arg(number));
    QCOMPARE(
        errorText(code, Language::SimplifiedChinese), QStringLiteral("未知错误（错误码 %1）。").arg(number));
    QCOMPARE(errorText(code), errorText(code, Language::English));
}

void ErrorTextTest::defaultLanguageIsEnglishWithoutTranslators()
{
    for (const int code : earshot::test::knownErrorCodes())
        QCOMPARE(errorText(code), errorText(code, Language::English));
}

// errorText(code) is what the application's translators make of the sentence, at call time;
// errorText(code, language) ignores them.
void ErrorTextTest::defaultFollowsTheInstalledTranslator()
{
    const QList<int> codes = earshot::test::knownErrorCodes();
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("earshot_engine"),
        QStringLiteral("_"), earshot::engineTranslationsPath()));
    QVERIFY(QCoreApplication::installTranslator(&translator));

    for (const int code : codes) {
        QCOMPARE(errorText(code), errorText(code, Language::SimplifiedChinese));
        QVERIFY(errorText(code, Language::English) != errorText(code));
    }
    for (const int code : unknownCodes())
        QCOMPARE(errorText(code), errorText(code, Language::SimplifiedChinese));

    QVERIFY(QCoreApplication::removeTranslator(&translator));
    for (const int code : codes)
        QCOMPARE(errorText(code), errorText(code, Language::English));
}

// A lookup by an English locale finds the English file, which is empty (English is the source
// language), so nothing is translated: without it, a system whose UI languages are English
// then Chinese would make QTranslator::load(QLocale) fall through to the Chinese file.
void ErrorTextTest::englishLocaleLoadsTheEnglishFile()
{
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::English, QLocale::UnitedStates),
        QStringLiteral("earshot_engine"), QStringLiteral("_"), earshot::engineTranslationsPath()));
    QCOMPARE(translator.language(), QStringLiteral("en"));
    QVERIFY(translator.isEmpty());
    QVERIFY(translator.translate("earshot::ErrorText", "Success.").isEmpty());
}

QTEST_GUILESS_MAIN(ErrorTextTest)
#include "ErrorTextTest.moc"
