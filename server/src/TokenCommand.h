#pragma once

#include <QStringList>
#include <QTextStream>

namespace earshot::server {

// `earshot-server token ...`: the reference token generator for an app's back end (API.md §7).
// Prints one token line on `out`; errors and usage go to `err`. Returns the process exit code.
int runTokenCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace earshot::server
