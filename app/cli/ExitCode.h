#pragma once

namespace earshot::cli {

// earshot-cli's exit status (also listed in cliUsage()).
enum class ExitCode {
    Success = 0, // ran for --duration or until SIGINT/SIGTERM, then logged out
    Failure = 1, // the session ended otherwise: kicked out, reconnecting gave up, the audio
                 // device failed, a broadcast message was refused, the engine would not start
    Usage = 2, // bad command line: unknown or missing options, bad values (also those the
               // engine rejects synchronously: identifiers, device IDs)
    LoginFailed = 3, // roomStateChanged(LoginFailed): the code is on stderr and in the events
    StreamFailed = 4, // publisherStateUpdate(NoPublish) / playerStateUpdate(NoPlay) with a code
};

[[nodiscard]] constexpr int toInt(ExitCode code)
{
    return static_cast<int>(code);
}

} // namespace earshot::cli
