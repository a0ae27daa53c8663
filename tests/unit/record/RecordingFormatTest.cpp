// Table tests of earshot::record's pure functions: the format a path asks for, and the error
// texts.
#include "record/RecordingError.h"
#include "record/RecordingFormat.h"

#include <QTest>

#include <optional>
#include <string>

using earshot::record::errorText;
using earshot::record::RecordingError;
using earshot::record::RecordingFormat;
using earshot::record::recordingFormatForPath;

Q_DECLARE_METATYPE(std::optional<RecordingFormat>)
Q_DECLARE_METATYPE(RecordingError)

class RecordingFormatTest : public QObject {
    Q_OBJECT

private slots:
    void formatForPath_data();
    void formatForPath();
    void errorTexts_data();
    void errorTexts();
};

void RecordingFormatTest::formatForPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<std::optional<RecordingFormat>>("format");

    const std::optional<RecordingFormat> wav = RecordingFormat::Wav;
    const std::optional<RecordingFormat> ogg = RecordingFormat::OggOpus;
    const std::optional<RecordingFormat> none;
    QTest::newRow("wav") << "/tmp/capture.wav" << wav;
    QTest::newRow("WAV") << "C:/Users/me/CAPTURE.WAV" << wav;
    QTest::newRow("Wav mixed case") << "capture.Wav" << wav;
    QTest::newRow("relative wav") << "recordings/a b.wav" << wav;
    QTest::newRow("ogg") << "/tmp/capture.ogg" << ogg;
    QTest::newRow("OGG") << "capture.OGG" << ogg;
    QTest::newRow("opus") << "capture.opus" << ogg;
    QTest::newRow("Opus mixed case") << "capture.oPuS" << ogg;
    QTest::newRow("double extension") << "capture.tar.ogg" << ogg;
    QTest::newRow("empty") << "" << none;
    QTest::newRow("no extension") << "capture" << none;
    QTest::newRow("extension without dot") << "capturewav" << none;
    QTest::newRow("mp3") << "capture.mp3" << none;
    QTest::newRow("flac") << "capture.flac" << none;
    QTest::newRow("wave") << "capture.wave" << none;
    QTest::newRow("oga") << "capture.oga" << none;
    QTest::newRow("wav then more") << "capture.wav.bak" << none;
    QTest::newRow("directory named .wav") << "/tmp/x.wav/" << none;
    QTest::newRow("extension in directory only") << "/tmp/x.wav/capture" << none;
    QTest::newRow("trailing space") << "capture.wav " << none;
}

void RecordingFormatTest::formatForPath()
{
    QFETCH(QString, path);
    QFETCH(std::optional<RecordingFormat>, format);
    const std::string utf8 = path.toStdString();
    QCOMPARE(recordingFormatForPath(utf8), format);
}

void RecordingFormatTest::errorTexts_data()
{
    QTest::addColumn<RecordingError>("error");
    QTest::addColumn<QString>("text");
    QTest::newRow("None") << RecordingError::None << "success";
    QTest::newRow("UnsupportedFormat") << RecordingError::UnsupportedFormat
                                       << "unsupported recording format (use a .wav, .ogg or .opus path)";
    QTest::newRow("OpenFailed") << RecordingError::OpenFailed << "cannot create the recording file";
    QTest::newRow("WriteFailed") << RecordingError::WriteFailed << "writing the recording file failed";
    QTest::newRow("AlreadyRecording") << RecordingError::AlreadyRecording << "a recording is already running";
}

void RecordingFormatTest::errorTexts()
{
    QFETCH(RecordingError, error);
    QFETCH(QString, text);
    QCOMPARE(QString::fromUtf8(errorText(error)), text);
}

QTEST_APPLESS_MAIN(RecordingFormatTest)
#include "RecordingFormatTest.moc"
