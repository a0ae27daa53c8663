#pragma once

#include <QLoggingCategory>

// The server's logging categories; enable with QT_LOGGING_RULES="earshot.server.*.debug=true".
// Nothing logged through them may contain a key, an AppSign, a token or a resume secret.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSignalling)
Q_DECLARE_LOGGING_CATEGORY(lcRooms)
Q_DECLARE_LOGGING_CATEGORY(lcMedia)
