#include <earshot/protocol/JsonReader.h>

#include <QByteArray>
#include <QJsonValue>

#include <cmath>
#include <utility>

namespace earshot::protocol {

namespace {

// Beyond 2^53 a double no longer holds every integer, so two different wire numbers could
// decode to one value; refusing them keeps every accepted number exact.
constexpr double kMaxExactDouble = 9007199254740992.0; // 2^53
constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;

qsizetype base64Chars(qsizetype bytes)
{
    return (bytes + 2) / 3 * 4;
}

} // namespace

JsonReader::JsonReader(QJsonObject object, QString path)
    : JsonReader(std::move(object), std::move(path), std::make_shared<QString>())
{
}

JsonReader::JsonReader(QJsonObject object, QString path, std::shared_ptr<QString> error)
    : m_object(std::move(object)), m_path(std::move(path)), m_error(std::move(error))
{
}

JsonReader JsonReader::nested(const QJsonObject& object, const QString& name)
{
    return JsonReader(object, childPath(name), m_error);
}

void JsonReader::fail(const QString& message)
{
    // The first error is the cause; later ones are usually its consequences.
    if (m_error->isEmpty())
        *m_error = message.isEmpty() ? QStringLiteral("invalid") : message;
}

QString JsonReader::childPath(const QString& name) const
{
    return m_path.isEmpty() ? name : m_path + QLatin1Char('.') + name;
}

void JsonReader::failAt(const QString& name, const char* problem)
{
    if (ok())
        fail(childPath(name) + QLatin1String(": ") + QLatin1String(problem));
}

QJsonValue JsonReader::field(const char* key, bool required)
{
    const QJsonValue value = m_object.value(QLatin1String(key));
    // An optional field may also be null: some producers write absent values that way.
    if (value.isUndefined() || (!required && value.isNull())) {
        if (required)
            failAt(QLatin1String(key), "missing");
        return QJsonValue(QJsonValue::Undefined);
    }
    return value;
}

QString JsonReader::string(const char* key, qsizetype maxBytes)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return {};
    if (!value.isString()) {
        failAt(QLatin1String(key), "not a string");
        return {};
    }
    QString text = value.toString();
    // Every UTF-16 unit takes at least one UTF-8 byte, so a long string fails without encoding.
    if (text.size() > maxBytes || text.toUtf8().size() > maxBytes) {
        failAt(QLatin1String(key), "too long");
        return {};
    }
    return text;
}

QString JsonReader::optionalString(const char* key, qsizetype maxBytes)
{
    if (field(key, false).isUndefined())
        return {};
    return string(key, maxBytes);
}

std::int64_t JsonReader::integer(const char* key, std::int64_t min, std::int64_t max)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return 0;
    if (!value.isDouble()) {
        failAt(QLatin1String(key), "not an integer");
        return 0;
    }
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::trunc(number) != number) {
        failAt(QLatin1String(key), "not an integer");
        return 0;
    }
    if (std::fabs(number) > kMaxExactDouble) {
        failAt(QLatin1String(key), "out of range");
        return 0;
    }
    // Qt keeps integral literals as 64-bit integers, which toDouble() may have rounded into
    // range (2^53 + 1 becomes 2^53); the exact value decides.
    const std::int64_t exact = value.toInteger(static_cast<std::int64_t>(number));
    if (exact > kMaxExactInteger || exact < -kMaxExactInteger || exact < min || exact > max) {
        failAt(QLatin1String(key), "out of range");
        return 0;
    }
    return exact;
}

std::int64_t JsonReader::optionalInteger(const char* key, std::int64_t fallback, std::int64_t min,
                                         std::int64_t max)
{
    if (field(key, false).isUndefined())
        return fallback;
    return integer(key, min, max);
}

bool JsonReader::boolean(const char* key)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return false;
    if (!value.isBool()) {
        failAt(QLatin1String(key), "not a boolean");
        return false;
    }
    return value.toBool();
}

bool JsonReader::optionalBoolean(const char* key, bool fallback)
{
    if (field(key, false).isUndefined())
        return fallback;
    return boolean(key);
}

QByteArray JsonReader::base64(const char* key, qsizetype bytes, qsizetype maxBytes)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return {};
    if (!value.isString()) {
        failAt(QLatin1String(key), "not a string");
        return {};
    }
    const QString text = value.toString();
    const qsizetype limit = bytes > 0 ? bytes : maxBytes;
    // Refuses oversized text before decoding it (0 means no limit beyond the frame's).
    if (limit > 0 && text.size() > base64Chars(limit)) {
        failAt(QLatin1String(key), "wrong size");
        return {};
    }
    // Non-Latin-1 characters become '?', which the strict decoder rejects.
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        failAt(QLatin1String(key), "not valid base64");
        return {};
    }
    if ((bytes > 0 && decoded.decoded.size() != bytes)
        || (limit > 0 && decoded.decoded.size() > limit)) {
        failAt(QLatin1String(key), "wrong size");
        return {};
    }
    return decoded.decoded;
}

QJsonObject JsonReader::object(const char* key)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return {};
    if (!value.isObject()) {
        failAt(QLatin1String(key), "not an object");
        return {};
    }
    return value.toObject();
}

QJsonArray JsonReader::array(const char* key, qsizetype maxItems)
{
    const QJsonValue value = field(key, true);
    if (value.isUndefined())
        return {};
    if (!value.isArray()) {
        failAt(QLatin1String(key), "not an array");
        return {};
    }
    QJsonArray items = value.toArray();
    if (items.size() > maxItems) {
        failAt(QLatin1String(key), "too many items");
        return {};
    }
    return items;
}

QStringList JsonReader::stringList(const char* key, qsizetype maxItems, qsizetype maxBytesEach)
{
    const QJsonArray items = array(key, maxItems);
    QStringList result;
    result.reserve(items.size());
    for (qsizetype i = 0; i < items.size() && ok(); ++i) {
        const QJsonValue item = items.at(i);
        const QString name = QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i);
        if (!item.isString()) {
            failAt(name, "not a string");
            break;
        }
        QString text = item.toString();
        if (text.size() > maxBytesEach || text.toUtf8().size() > maxBytesEach) {
            failAt(name, "too long");
            break;
        }
        result.append(std::move(text));
    }
    if (!ok())
        return {};
    return result;
}

} // namespace earshot::protocol
