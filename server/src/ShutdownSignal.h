#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace earshot::server {

// Turns SIGTERM and SIGINT into a Qt signal on the thread that created it, through a self-pipe:
// the POSIX handler only writes one byte (async-signal-safe); the event loop does the rest.
// One instance per process.
class ShutdownSignal : public QObject {
    Q_OBJECT

public:
    ShutdownSignal();
    ~ShutdownSignal() override;

signals:
    void requested();

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace earshot::server
