#include "SystemAudioEnvironment.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace earshot::integration {

namespace {

QString withSystemAudioTsanSuppressions(const QProcessEnvironment& environment)
{
    static const QRegularExpression kSuppressions(QStringLiteral("suppressions=([^ :]+)"));
    QString options = environment.value(QStringLiteral("TSAN_OPTIONS"));
    QByteArray combined;
    const QRegularExpressionMatch match = kSuppressions.match(options);
    if (match.hasMatch()) {
        QFile preset(match.captured(1));
        if (preset.open(QIODevice::ReadOnly))
            combined = preset.readAll() + '\n';
        options.remove(match.capturedStart(0), match.capturedLength(0));
    }
    QFile own(QStringLiteral(EARSHOT_TSAN_SYSTEM_AUDIO_SUPPRESSIONS));
    if (own.open(QIODevice::ReadOnly))
        combined += own.readAll();
    static QTemporaryDir directory; // lives as long as the test process
    const QString path = directory.filePath(QStringLiteral("tsan.supp"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(combined) != combined.size())
        return environment.value(QStringLiteral("TSAN_OPTIONS"));
    return options.trimmed() + QStringLiteral(" suppressions=") + path;
}

} // namespace

QProcessEnvironment systemAudioChildEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString lsan = environment.value(QStringLiteral("LSAN_OPTIONS"));
    environment.insert(QStringLiteral("LSAN_OPTIONS"),
                       (lsan.isEmpty() ? QString() : lsan + QLatin1Char(':'))
                           + QStringLiteral("suppressions=" EARSHOT_LSAN_AUDIO_SUPPRESSIONS ":fast_unwind_on_malloc=0"));
    environment.insert(QStringLiteral("TSAN_OPTIONS"), withSystemAudioTsanSuppressions(environment));
    return environment;
}

} // namespace earshot::integration
