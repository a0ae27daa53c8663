#include <earshot/protocol/SignalMessage.h>

#include <earshot/protocol/JsonReader.h>

#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <string_view>
#include <type_traits>

namespace earshot::protocol {

namespace {

// Longer than any type name; a longer "type" is refused before it is compared.
constexpr qsizetype kMaxTypeBytes = 64;

using BodyParser = SignalBody (*)(JsonReader& reader);

struct BodyEntry {
    std::string_view type;
    BodyParser parse;
};

template <typename Body>
SignalBody parseBody(JsonReader& reader)
{
    return SignalBody{std::in_place_type<Body>, Body::fromJson(reader)};
}

// One entry per alternative of SignalBody, so a new message type is parseable by being added
// to the variant.
template <typename... Bodies>
constexpr auto makeBodyTable(std::type_identity<std::variant<Bodies...>>)
{
    return std::array<BodyEntry, sizeof...(Bodies)>{BodyEntry{Bodies::kType, &parseBody<Bodies>}...};
}

constexpr auto kBodyTable = makeBodyTable(std::type_identity<SignalBody>{});

constexpr bool typesAreUnique()
{
    for (std::size_t i = 0; i < kBodyTable.size(); ++i) {
        for (std::size_t j = i + 1; j < kBodyTable.size(); ++j) {
            if (kBodyTable[i].type == kBodyTable[j].type)
                return false;
        }
    }
    return true;
}
static_assert(typesAreUnique(), "two signalling messages share a type string");

const BodyEntry* findBody(const QString& type)
{
    for (const BodyEntry& entry : kBodyTable) {
        if (type == QLatin1String(entry.type.data(), static_cast<qsizetype>(entry.type.size())))
            return &entry;
    }
    return nullptr;
}

SignalParseResult failure(SignalParseResult result, const QString& error)
{
    result.ok = false;
    result.error = error;
    return result;
}

} // namespace

SignalParseResult parseSignalMessage(QByteArrayView text)
{
    SignalParseResult result;
    if (text.size() > kMaxSignalMessageBytes)
        return failure(std::move(result), QStringLiteral("message too large"));

    // Parsed in place: the document copies what it keeps.
    const QByteArray bytes = QByteArray::fromRawData(text.data(), text.size());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(std::move(result), QStringLiteral("not JSON: ") + parseError.errorString());
    if (!document.isObject())
        return failure(std::move(result), QStringLiteral("not a JSON object"));

    const QJsonObject object = document.object();
    const QJsonValue version = object.value(QLatin1String("v"));
    if (!version.isDouble() || version.toDouble() != kSignalVersion)
        return failure(std::move(result), QStringLiteral("unsupported version"));

    JsonReader reader(object);
    // The id comes first so that a request with a bad body still gets a reply to its id.
    const std::int64_t id = reader.optionalInteger("id", 0, 0, kMaxJsonInteger);
    if (!reader.ok())
        return failure(std::move(result), reader.error());
    result.id = id;
    result.message.id = id;

    const QString type = reader.string("type", kMaxTypeBytes);
    if (!reader.ok())
        return failure(std::move(result), reader.error());
    const BodyEntry* entry = findBody(type);
    if (entry == nullptr)
        return failure(std::move(result), QStringLiteral("unknown type"));

    result.message.body = entry->parse(reader);
    if (!reader.ok())
        return failure(std::move(result), reader.error());
    result.ok = true;
    return result;
}

QByteArray serializeSignalMessage(const SignalMessage& message)
{
    QJsonObject json = std::visit([](const auto& body) { return body.toJson(); }, message.body);
    json.insert(QStringLiteral("v"), kSignalVersion);
    json.insert(QStringLiteral("type"), QLatin1String(signalTypeName(message.body)));
    if (message.id != 0)
        json.insert(QStringLiteral("id"), qint64{message.id});
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

const char* signalTypeName(const SignalBody& body) noexcept
{
    // A variant is valueless only after an exception during assignment, which Earshot never
    // recovers from; the check keeps std::visit from throwing out of a noexcept function.
    if (body.valueless_by_exception())
        return "invalid";
    return std::visit([](const auto& alternative) {
        return std::remove_cvref_t<decltype(alternative)>::kType;
    }, body);
}

} // namespace earshot::protocol
