#pragma once

#include <QString>

namespace earshot {

// The languages the engine's user-facing texts come in (translations/earshot_engine_*.ts).
enum class Language { English, SimplifiedChinese };

// The sentence a person reads for an error code of API.md §6 (the numbers of
// earshot::protocol::ErrorCode, including the device codes 1006001–1006006, and 0 "Success."),
// in the application's current language: whatever the translators installed in
// QCoreApplication make of it, English when none is installed or there is no application
// object. It says what happened and, where the user can act, what to do. A code the engine
// does not know gives "Unknown error (code N)." with the number. Never empty.
// Thread: any (QCoreApplication::translate is thread-safe); call it when the text is shown,
// so a translator installed later is followed.
[[nodiscard]] QString errorText(int code);

// The same sentence in `language`, whatever translators are installed: for logs, the CLI and
// tests. The Chinese texts come from the translation embedded in this library, loaded once on
// first use. Thread: any.
[[nodiscard]] QString errorText(int code, Language language);

// The resource folder holding the engine's compiled translations, ":/earshot/i18n", for an
// application that installs them itself, e.g.
//     translator.load(QLocale(), "earshot_engine", "_", earshot::engineTranslationsPath());
//     QCoreApplication::installTranslator(&translator);
// It holds earshot_engine_zh_CN.qm and earshot_engine_en.qm (English is the source language,
// so the latter is empty: it only stops a lookup by locale from falling back to another file).
// Thread: any.
[[nodiscard]] QString engineTranslationsPath();

} // namespace earshot
