#include "CliPeer.h"

#include <QTest>

namespace earshot::gui {

CliPeer::CliPeer()
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
        [this] { m_stdout += m_process.readAllStandardOutput(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
        [this] { m_stderr += m_process.readAllStandardError(); });
}

CliPeer::~CliPeer()
{
    stop();
}

bool CliPeer::start(const QStringList& arguments)
{
    m_process.start(QStringLiteral(EARSHOT_CLI_BINARY), arguments);
    return m_process.waitForStarted(10'000);
}

bool CliPeer::waitForOutput(const QByteArray& text, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_stdout.contains(text); }, timeoutMs);
}

void CliPeer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    // Runs the event loop meanwhile, so the app under test sees the peer leave.
    if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 10'000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace earshot::gui
