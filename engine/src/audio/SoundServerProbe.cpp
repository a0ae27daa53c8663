#include "audio/SoundServerProbe.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#ifdef __linux__
#include <cerrno>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#endif

namespace earshot::audio {

namespace {

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

std::vector<std::string> socketPaths()
{
    std::vector<std::string> paths;
    // PULSE_SERVER is a space-separated list of addresses; only local ones can be probed.
    const std::string servers = environment("PULSE_SERVER");
    std::size_t start = 0;
    while (start < servers.size()) {
        std::size_t end = servers.find(' ', start);
        if (end == std::string::npos)
            end = servers.size();
        std::string_view entry(servers.data() + start, end - start);
        if (entry.starts_with("unix:"))
            paths.emplace_back(entry.substr(5));
        else if (entry.starts_with('/'))
            paths.emplace_back(entry);
        start = end + 1;
    }
    const std::string runtime = environment("XDG_RUNTIME_DIR");
    if (servers.empty()) {
        const std::string pulseRuntime = environment("PULSE_RUNTIME_PATH");
        if (!pulseRuntime.empty())
            paths.push_back(pulseRuntime + "/native");
        else if (!runtime.empty())
            paths.push_back(runtime + "/pulse/native");
    }
    if (!runtime.empty())
        paths.push_back(runtime + "/pipewire-0");
    return paths;
}

#ifdef __linux__
bool accepts(const std::string& path)
{
    sockaddr_un address{};
    if (path.size() >= sizeof(address.sun_path))
        return false;
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return false;
    // A listening Unix socket accepts at once (or says EAGAIN when its backlog is full: still
    // up); nobody listening is ECONNREFUSED, no file ENOENT.
    const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    const bool up = result == 0 || errno == EAGAIN || errno == EINPROGRESS;
    ::close(fd);
    return up;
}
#endif

} // namespace

std::string soundServerFingerprint()
{
#ifdef __linux__
    std::string fingerprint;
    for (const std::string& path : socketPaths()) {
        fingerprint += path;
        struct stat status {};
        if (accepts(path) && ::stat(path.c_str(), &status) == 0) {
            fingerprint += " up ";
            fingerprint += std::to_string(status.st_ino);
        } else {
            fingerprint += " down";
        }
        fingerprint += '\n';
    }
    return fingerprint;
#else
    return {};
#endif
}

} // namespace earshot::audio
