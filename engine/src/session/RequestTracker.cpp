#include "session/RequestTracker.h"

#include <QtGlobal>

#include <limits>
#include <vector>

namespace earshot::session {

RequestTracker::RequestTracker(std::int32_t timeoutCode, QObject* parent)
    : QObject(parent)
    , m_timeoutCode(timeoutCode)
    , m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RequestTracker::onTimer);
}

RequestTracker::~RequestTracker() = default;

void RequestTracker::addEntry(std::int64_t id, int timeoutMs, std::size_t expectedIndex, Completion completion)
{
    Q_ASSERT(id > 0);
    const bool inserted =
        m_pending.try_emplace(id, Entry{QDeadlineTimer(qMax(timeoutMs, 0)), expectedIndex, std::move(completion)})
            .second;
    Q_ASSERT_X(inserted, "RequestTracker::add", "request id already pending");
    Q_UNUSED(inserted);
    rearm();
}

bool RequestTracker::complete(std::int64_t id, const protocol::SignalBody& reply)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end())
        return false;
    std::int32_t code = 0;
    if (reply.index() == found->second.expectedIndex) {
        code = std::visit(
            [](const auto& body) -> std::int32_t {
                if constexpr (requires { body.code; })
                    return body.code;
                else
                    return 0;
            },
            reply);
    } else if (const auto* generic = std::get_if<protocol::GenericReply>(&reply)) {
        code = generic->code;
    } else {
        return false;
    }
    Completion completion = std::move(found->second.completion);
    m_pending.erase(found);
    rearm();
    // A GenericReply standing in for the expected type reaches a typed completion as a null body:
    // only its code counts.
    completion(code, &reply);
    return true;
}

void RequestTracker::failAll(std::int32_t code)
{
    std::map<std::int64_t, Entry> pending;
    pending.swap(m_pending);
    m_timer.stop();
    for (auto& [id, entry] : pending)
        entry.completion(code, nullptr);
}

void RequestTracker::onTimer()
{
    // Taken out first: a completion may add or fail requests.
    std::vector<std::pair<std::int64_t, Completion>> expired;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadline.hasExpired()) {
            expired.emplace_back(it->first, std::move(it->second.completion));
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    rearm();
    for (auto& [id, completion] : expired)
        completion(m_timeoutCode, nullptr);
}

void RequestTracker::rearm()
{
    if (m_pending.empty()) {
        m_timer.stop();
        return;
    }
    qint64 earliestMs = std::numeric_limits<qint64>::max();
    for (const auto& [id, entry] : m_pending)
        earliestMs = qMin(earliestMs, entry.deadline.remainingTime());
    m_timer.start(int(qBound<qint64>(0, earliestMs, qint64{std::numeric_limits<int>::max()})));
}

} // namespace earshot::session
