#pragma once

#include "audio/AudioDevice.h"
#include "audio/AudioStreamConfig.h"
#include "audio/DeviceEnumerator.h"
#include "audio/DeviceSelector.h"
#include "media/AudioPipeline.h"
#include "media/EncodedPacketSink.h"
#include "net/FallbackChannel.h"
#include "net/MediaPacketSink.h"
#include "net/MediaTransportConfig.h"

#include <earshot/protocol/KeyExchange.h>
#include <earshot/protocol/SignalTypes.h>

#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace earshot::audio {
class DeviceWatcher;
struct DeviceChanges;
}

namespace earshot::net {
class MediaTransport;
}

namespace earshot::mediasession {

// When the session closes its device.
enum class DeviceLifetime {
    WhileNeeded,   // when it neither publishes nor plays (API.md: the microphone is in use only
                   // while publishing)
    UntilShutdown, // at shutdown(): a virtual device's output WAV then covers the whole session,
                   // silence while nothing plays, instead of starting again at every reopening
};

struct MediaSessionConfig {
    media::AudioPipelineConfig pipeline;
    // The device the session opens when it first publishes or plays, and closes as
    // deviceLifetime says.
    std::function<std::unique_ptr<audio::AudioDevice>()> makeDevice;
    DeviceLifetime deviceLifetime = DeviceLifetime::WhileNeeded;
    audio::AudioStreamConfig device; // engineFormat.channels/framesPerPeriod must match the pipeline
    // How often the media thread services the pipeline. A third of the device period keeps the
    // playback queue (one period + 10 ms) from running dry.
    int servicePeriodMs = 2;
    int deviceHealthPeriodMs = 500;
    // Hot-plug (the PortAudio backend only; null for the virtual and null devices): the
    // enumeration a DeviceWatcher polls every deviceWatchIntervalMs on its own thread. The
    // session then keeps one DeviceSelector per direction, reports devices that appear and
    // vanish, falls back to the default when the device in use vanishes or fails and recovers
    // to the preferred one when it returns. Must outlive the session.
    std::shared_ptr<audio::DeviceEnumerator> devices;
    int deviceWatchIntervalMs = 2000;
};

// What the quality callbacks are computed from, per published or played stream; a snapshot
// taken on the media thread.
struct PublishSnapshot {
    std::int64_t payloadBytesSent = 0;
    std::int64_t packetsSent = 0;
    int redundantFrames = 0;
    std::int32_t rttMs = -1;
};
struct PlaySnapshot {
    std::uint32_t ssrc = 0;
    std::int64_t payloadBytesReceived = 0;
    std::int64_t packetsExpected = 0; // RFC 3550 expected / received since the first packet:
    std::int64_t packetsReceived = 0; // the network's loss, before any recovery
    jitter::JitterStatistics jitter;
    dsp::VoiceActivity voiceActivity = dsp::VoiceActivity::Silent;
    float level = 0.0f; // 0–100
};

// The media thread's owner (DESIGN.md §3): the MediaTransport (sockets, crypto), the
// AudioPipeline (devices, 3A, codec, jitter buffers, mix) and the device, joined: encoded
// packets get their RTP header and go out through the transport, authenticated packets go to
// the played stream of their SSRC, receiver reports from subscribers drive the redundancy.
//
// Thread ownership: construct anywhere, then moveToThread() the media thread; every slot runs
// there (the engine calls them through queued invocations) and every signal is emitted there.
// pipeline() may be reached from any thread only for what is documented "any thread" in the
// pipeline's parts (volumes, gate mode, mute, 3A switches, levels, the recorder).
class MediaSession : public QObject,
                     private media::EncodedPacketSink,
                     private net::MediaPacketSink,
                     private net::FallbackChannel {
    Q_OBJECT

public:
    // Errors: null when the pipeline cannot be created (bad audio configuration), with the
    // codec error in `error`. Thread: any; allocates.
    [[nodiscard]] static std::unique_ptr<MediaSession> create(MediaSessionConfig config,
                                                              codec::CodecError* error = nullptr);
    ~MediaSession() override;

    [[nodiscard]] media::AudioPipeline& pipeline() { return *m_pipeline; }

    // Media thread. Starts the transport for a login: where the server's media port is, the
    // session's media ID, the keys of the key exchange (moved in). A running transport is
    // replaced (a fresh login after a reconnect).
    void connectTransport(const net::MediaTransportConfig& config, protocol::MediaKeys keys);
    // Media thread: stops and forgets the transport (logout); publishing and playing stop too.
    void disconnectTransport();

    // Media thread: sends the captured audio as `ssrc` (the server's publish reply).
    void startPublishing(std::uint32_t ssrc);
    void stopPublishing();
    // Media thread: plays the stream `ssrc`; false when 12 streams are already played.
    bool startPlaying(std::uint32_t ssrc, const QString& streamId, std::uint64_t highestSequence);
    void stopPlaying(std::uint32_t ssrc);
    // Media thread: per-stream volume 0–200 / mute of a played stream (ignored when unknown).
    void setPlayVolume(std::uint32_t ssrc, int volume);
    void setPlayMuted(std::uint32_t ssrc, bool muted);
    // Media thread: setPlayStreamBufferIntervalRange; false when not played or out of range.
    bool setBufferIntervalRange(std::uint32_t ssrc, int minMs, int maxMs);

    // Media thread: the devices to open (empty: the system default); a device already open is
    // reopened on the new one. With hot-plug, this is the preferred device of DeviceSelector.
    void useDevice(bool input, const std::string& deviceId);
    // Media thread: starts the hot-plug watcher now (it otherwise starts at the first opening),
    // so devices that appear and vanish are reported while nothing plays. No-op without
    // MediaSessionConfig::devices or when already watching.
    void watchDevices();
    // Media thread: stops everything (transport, device, timers) before the session is handed
    // back to the engine's thread for destruction.
    void shutdown();

    // Media thread: a binary frame from the signalling WebSocket (the UDP fallback).
    void onFallbackFrame(const QByteArray& frame);
    // Media thread: a subscriber's report about our published stream.
    void onReceiverReport(const protocol::ReceiverReport& report);

    // Media thread: snapshots for the quality callbacks.
    [[nodiscard]] PublishSnapshot publishSnapshot() const;
    [[nodiscard]] QList<PlaySnapshot> playSnapshots() const;
    [[nodiscard]] const net::MediaTransport* transport() const { return m_transport.get(); }
    [[nodiscard]] bool isDeviceOpen() const { return m_device != nullptr; }

signals:
    // A packet for the signalling WebSocket (the fallback path); the engine forwards it.
    void mediaFrameToSend(const QByteArray& frame);
    // Receiver reports of the played streams, for a media_report event.
    void mediaReportReady(const QList<earshot::protocol::ReceiverReport>& reports);
    // publisherCapturedAudioFirstFrame / playerRecvAudioFirstFrame.
    void capturedAudioFirstFrame();
    void playFirstFrame(std::uint32_t ssrc);
    // The device failed to open or died (an API.md 10060xx code); the session keeps running
    // without it and tries again at the next publish or play.
    void deviceError(int code);
    // The device has just started (at every opening, see DeviceLifetime): the wall-clock time
    // of its first period, in microseconds since the Unix epoch (std::chrono::system_clock,
    // read right before AudioDevice::start(), whose first period is due at once).
    void deviceStarted(qint64 unixMicros);
    // Hot-plug: a device appeared in / vanished from the backend's enumeration.
    void deviceAdded(const earshot::audio::AudioDeviceInfo& device);
    void deviceRemoved(const earshot::audio::AudioDeviceInfo& device);

private:
    struct PlayedStream {
        int slot = -1;
        bool firstFrameReported = false;
        std::int64_t payloadBytes = 0;
    };

    // The pipeline is created before the session that receives its packets.
    class PacketForwarder final : public media::EncodedPacketSink {
    public:
        void onEncodedPacket(const media::EncodedPacket& packet) override
        {
            if (target != nullptr)
                target->onEncodedPacket(packet);
        }
        media::EncodedPacketSink* target = nullptr;
    };

    MediaSession(MediaSessionConfig config, std::unique_ptr<PacketForwarder> forwarder,
                 std::unique_ptr<media::AudioPipeline> pipeline);
    void onEncodedPacket(const media::EncodedPacket& packet) override;
    void onMediaPacket(const protocol::RtpHeader& header, std::uint64_t extendedSequence,
                       std::span<const std::uint8_t> payload) override;
    void sendMediaFrame(const QByteArray& packet) override;
    void service();
    // Whether a failed opening is reported (deviceError) or retried quietly (hot-plug retries).
    enum class OpenFailure { Report, Quiet };

    void checkDevice();
    void updateDevice();
    bool isDeviceNeeded() const { return m_publishSsrc != 0 || !m_played.isEmpty(); }
    bool openDevice(OpenFailure failure);
    void closeDevice();
    void onDevicesChanged(const audio::DeviceChanges& changes);
    bool hasSelectedDevice() const;

    MediaSessionConfig m_config;
    std::unique_ptr<PacketForwarder> m_forwarder; // the pipeline's sink, forwarding to us
    std::unique_ptr<media::AudioPipeline> m_pipeline;
    std::unique_ptr<net::MediaTransport> m_transport;
    std::unique_ptr<audio::AudioDevice> m_device;
    QTimer m_serviceTimer;
    QTimer m_deviceTimer;
    std::uint32_t m_publishSsrc = 0; // 0: not publishing
    bool m_capturedReported = false;
    QHash<std::uint32_t, PlayedStream> m_played;

    // Hot-plug state (media thread), present once watchDevices() ran. The watcher's listener
    // posts its reports to this thread; the watcher is stopped before the session dies.
    std::unique_ptr<audio::DeviceWatcher> m_watcher;
    std::optional<audio::DeviceSelector> m_inputSelector;
    std::optional<audio::DeviceSelector> m_outputSelector;
    audio::DeviceSnapshot m_snapshot;
    std::chrono::steady_clock::time_point m_lastRetry{};
};

} // namespace earshot::mediasession

Q_DECLARE_METATYPE(earshot::audio::AudioDeviceInfo)
