#pragma once

#include "AppRegistry.h"
#include "RoomService.h"
#include "ServerConfig.h"
#include "ServerCounters.h"
#include "SignallingServer.h"
#include "media/MediaWorker.h"

#include <memory>

namespace earshot::server {

// The whole server assembled from its configuration: apps, room logic, signalling front and
// media port. main.cpp only parses arguments, starts it and prints readyLine().
class EarshotServer {
public:
    explicit EarshotServer(ServerConfig config);
    ~EarshotServer();

    // Binds every port. Empty string on success, else a sentence for the operator.
    QString start();
    // "earshot-server ready signalling=ws://HOST:PORT media=udp://HOST:PORT http=http://HOST:PORT"
    QString readyLine() const;
    // Tells clients and closes their connections; the caller quits the event loop afterwards.
    void shutdown();

private:
    ServerConfig m_config;
    AppRegistry m_apps;
    ServerCounters m_counters;
    std::unique_ptr<MediaWorker> m_media;
    std::unique_ptr<RoomService> m_rooms;
    std::unique_ptr<SignallingServer> m_signalling;
};

} // namespace earshot::server
