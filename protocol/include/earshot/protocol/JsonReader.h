#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <memory>

namespace earshot::protocol {

// The largest integer a JSON number carries exactly in every implementation (a double's 53-bit
// mantissa): 2^53 - 1. Wire integers that may grow large (ids, times) stay within it.
inline constexpr std::int64_t kMaxJsonInteger = (std::int64_t{1} << 53) - 1;

// Checked reads from one JSON object of hostile origin. Every accessor returns a safe default
// on a missing or mistyped field and records the first such error, so a decoder reads all of
// its fields straight through and asks ok() once at the end. Never throws.
class JsonReader {
public:
    explicit JsonReader(QJsonObject object, QString path = {});

    // Strings longer than maxBytes (UTF-8) are an error.
    QString string(const char* key, qsizetype maxBytes = 4096);
    QString optionalString(const char* key, qsizetype maxBytes = 4096);
    std::int64_t integer(const char* key, std::int64_t min = std::numeric_limits<std::int32_t>::min(),
                         std::int64_t max = std::numeric_limits<std::int32_t>::max());
    std::int64_t optionalInteger(const char* key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max);
    bool boolean(const char* key);
    bool optionalBoolean(const char* key, bool fallback);
    // Base64 (standard alphabet) decoding to exactly `bytes` bytes, or up to maxBytes when bytes is 0
    // (only the frame size bounds it when both are 0).
    QByteArray base64(const char* key, qsizetype bytes, qsizetype maxBytes = 0);
    QJsonObject object(const char* key);
    // Arrays longer than maxItems are an error.
    QJsonArray array(const char* key, qsizetype maxItems);
    QStringList stringList(const char* key, qsizetype maxItems, qsizetype maxBytesEach);
    // A nested object, or an array of at most maxItems objects, each decoded by T::fromJson.
    template <typename T>
    T decode(const char* key);
    template <typename T>
    QList<T> decodeList(const char* key, qsizetype maxItems);

    // A reader for a nested object that reports its errors into this one.
    JsonReader nested(const QJsonObject& object, const QString& name);

    // Records a decoder's own check ("field: problem") unless an error is already recorded.
    void fail(const QString& message);
    bool ok() const { return m_error->isEmpty(); }
    QString error() const { return *m_error; }

private:
    JsonReader(QJsonObject object, QString path, std::shared_ptr<QString> error);
    QJsonValue field(const char* key, bool required);
    QString childPath(const QString& name) const;
    void failAt(const QString& name, const char* problem);

    QJsonObject m_object;
    QString m_path;
    std::shared_ptr<QString> m_error;
};

template <typename T>
T JsonReader::decode(const char* key)
{
    JsonReader child = nested(object(key), QLatin1String(key));
    return T::fromJson(child);
}

template <typename T>
QList<T> JsonReader::decodeList(const char* key, qsizetype maxItems)
{
    const QJsonArray items = array(key, maxItems);
    QList<T> result;
    result.reserve(items.size());
    // Stops at the first bad item: a hostile list is not worth decoding further.
    for (qsizetype i = 0; i < items.size() && ok(); ++i) {
        const QString name = QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i);
        const QJsonValue item = items.at(i);
        if (!item.isObject()) {
            failAt(name, "not an object");
            break;
        }
        JsonReader child = nested(item.toObject(), name);
        result.append(T::fromJson(child));
    }
    return result;
}

} // namespace earshot::protocol
