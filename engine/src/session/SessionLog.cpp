#include "session/SessionLog.h"

namespace earshot::session {

Q_LOGGING_CATEGORY(lcSession, "earshot.session")

} // namespace earshot::session
