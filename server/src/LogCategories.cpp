#include "LogCategories.h"

Q_LOGGING_CATEGORY(lcServer, "earshot.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSignalling, "earshot.server.signalling", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRooms, "earshot.server.rooms", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMedia, "earshot.server.media", QtInfoMsg)
