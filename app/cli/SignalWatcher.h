#pragma once

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace earshot::cli {

// Turns SIGINT and SIGTERM into the Qt signal terminationRequested() on the thread that made
// the watcher, through a self-pipe: the POSIX handler only write()s one byte (async-signal-safe)
// and a QSocketNotifier reads it in the event loop. After the first signal the default
// dispositions are restored, so a second Ctrl-C ends a client whose clean exit is stuck.
//
// One instance per process (the pipe is process-wide, as signal dispositions are). Thread: the
// one running the event loop.
class SignalWatcher : public QObject {
    Q_OBJECT

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // False when the pipe could not be made (the signals then keep their default effect).
    [[nodiscard]] bool isWatching() const { return m_notifier != nullptr; }

signals:
    // The number of the signal received (SIGINT or SIGTERM).
    void terminationRequested(int signalNumber);

private:
    void onReadable();

    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace earshot::cli
