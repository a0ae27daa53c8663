#pragma once

#include <earshot/protocol/SignalMessage.h>

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <map>
#include <type_traits>
#include <variant>

namespace earshot::session {

// Correlates requests with their replies by envelope id, and makes sure each one ends exactly
// once: with its reply, with a timeout, or with failAll(). Every completion runs on the tracker's
// thread, from complete(), failAll() or the tracker's timer; it may add, complete or fail
// requests itself. Owned by SignallingClient; session thread only.
class RequestTracker : public QObject {
    Q_OBJECT

public:
    // `code`: the reply's code, timeoutCode when no reply came in time, or failAll()'s code.
    // `reply`: the reply (of the expected type or a GenericReply), null when none came.
    using Completion = std::function<void(std::int32_t code, const protocol::SignalBody* reply)>;

    explicit RequestTracker(std::int32_t timeoutCode, QObject* parent = nullptr);
    ~RequestTracker() override;

    // Waits up to timeoutMs for the reply to request `id`, which must be a Reply or, for a request
    // the server refused before looking at it, a GenericReply. An id already pending is a bug.
    template <typename Reply>
    void add(std::int64_t id, int timeoutMs, std::function<void(std::int32_t code, const Reply* reply)> completion)
    {
        addEntry(id, timeoutMs, indexOf<Reply>(),
                 [completion = std::move(completion)](std::int32_t code, const protocol::SignalBody* body) {
                     completion(code, body != nullptr ? std::get_if<Reply>(body) : nullptr);
                 });
    }

    // Hands a reply to its request. False when nobody waits for `id`, or the reply is of another
    // type than the request expects (the request then stays pending: hostile input must not
    // complete it).
    bool complete(std::int64_t id, const protocol::SignalBody& reply);

    // Completes every pending request with `code` and no reply (connection lost, logout).
    void failAll(std::int32_t code);

    [[nodiscard]] std::size_t pendingCount() const noexcept { return m_pending.size(); }

private:
    struct Entry {
        QDeadlineTimer deadline;
        std::size_t expectedIndex = 0;
        Completion completion;
    };

    template <typename Reply, std::size_t I = 0>
    static constexpr std::size_t indexOf()
    {
        static_assert(I < std::variant_size_v<protocol::SignalBody>, "not a signalling message");
        if constexpr (std::is_same_v<std::variant_alternative_t<I, protocol::SignalBody>, Reply>)
            return I;
        else
            return indexOf<Reply, I + 1>();
    }

    void addEntry(std::int64_t id, int timeoutMs, std::size_t expectedIndex, Completion completion);
    void onTimer();
    void rearm();

    std::int32_t m_timeoutCode;
    std::map<std::int64_t, Entry> m_pending;
    QTimer m_timer; // single shot, at the earliest deadline
};

} // namespace earshot::session
