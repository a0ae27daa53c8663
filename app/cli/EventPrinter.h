#pragma once

#include <earshot/Engine.h>

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

namespace earshot::cli {

// How earshot-cli reports what happens.
enum class EventFormat {
    Text, // readable lines on stderr, for a person
    JsonLines, // --events: one JSON object per line on stdout, for scripts and tests
};

// Prints every signal of an Engine. JsonLines: {"t": <ms since the printer was made>, "event":
// "<the signal's name in Engine.h>", ...the arguments under their API.md names} with enum
// values by name ("reason": "Logined"), lists as arrays of objects, extendedData as the string
// the engine gave. The device-start signal becomes two events with the names of the audio
// paths, "captureStarted" and "playbackStarted", carrying "unixMicros" (the wall-clock time of
// the first sample of the input and of the output). Text: one line on stderr for each event a
// person follows, errors with their English text. Each line is flushed at once.
//
// Thread: the engine's owning thread (the signals arrive there).
class EventPrinter : public QObject {
    Q_OBJECT

public:
    explicit EventPrinter(EventFormat format, QObject* parent = nullptr);

    // Connects to every signal of `engine`, which must outlive the connections (or this).
    void attach(const Engine& engine);

    // "earshot-cli: text" on stderr, in both formats: the reason for a non-zero exit code, a
    // refused call.
    void error(const QString& text);
    // A line on stderr in the Text format only (what the client is doing).
    void note(const QString& text);

    [[nodiscard]] EventFormat format() const { return m_format; }

private:
    // One event: the JSON line (JsonLines) or `text` (Text; nothing when empty).
    void print(const QString& event, const QJsonObject& arguments, const QString& text);
    void attachRoom(const Engine& engine);
    void attachStreams(const Engine& engine);
    void attachDevicesAndMessages(const Engine& engine);

    EventFormat m_format;
    QElapsedTimer m_clock;
};

} // namespace earshot::cli
