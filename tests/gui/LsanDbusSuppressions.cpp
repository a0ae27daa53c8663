// Compiled into TrayIconTest under AddressSanitizer. On X11, Qt's tray icon first looks for a
// StatusNotifier host on the session bus; libdbus keeps a 1 KiB buffer of that connection for
// the life of the process (its shared connection is never closed), which LeakSanitizer reports
// at exit from an unsymbolised libdbus frame.
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __lsan_default_suppressions()
{
    return "leak:libdbus-1.so.3\n";
}
