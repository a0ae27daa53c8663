// Linked into the PortAudio tests of a ThreadSanitizer build only (tests/unit/audio/CMakeLists.txt).
// TSan starts with these options; TSAN_OPTIONS still overrides them.
extern "C" const char* __tsan_default_options();

extern "C" const char* __tsan_default_options()
{
    // The sound tests run pactl and pulseaudio through QProcess, which forks a process that
    // already has threads (Qt's, PortAudio's) and execs at once; TSan would otherwise die there
    // ("starting new threads after multi-threaded fork is not supported").
    return "die_after_fork=0";
}
