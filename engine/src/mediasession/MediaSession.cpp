#include "mediasession/MediaSession.h"

#include "audio/DeviceChanges.h"
#include "audio/DeviceWatcher.h"
#include "net/MediaTransport.h"
#include "net/ReceiverStatistics.h"

#include <QLoggingCategory>

#include <chrono>
#include <cmath>

Q_LOGGING_CATEGORY(lcMediaSession, "earshot.media")

namespace earshot::mediasession {

namespace {

std::int64_t monotonicUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Wall-clock time, for aligning recordings across processes (deviceStarted).
std::int64_t unixMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// LevelMeter's 0–100 (−60…0 dBFS) as RFC 6464's 0–127 −dBov (0 loudest).
std::uint8_t rtpAudioLevel(float level)
{
    const float dbov = -60.0f + 60.0f * level / 100.0f;
    return static_cast<std::uint8_t>(std::clamp(std::lround(-dbov), 0L, 127L));
}

} // namespace

std::unique_ptr<MediaSession> MediaSession::create(MediaSessionConfig config, codec::CodecError* error)
{
    auto forwarder = std::make_unique<PacketForwarder>();
    std::unique_ptr<media::AudioPipeline> pipeline = media::AudioPipeline::create(config.pipeline, *forwarder, error);
    if (!pipeline)
        return nullptr;
    return std::unique_ptr<MediaSession>(new MediaSession(std::move(config), std::move(forwarder), std::move(pipeline)));
}

MediaSession::MediaSession(MediaSessionConfig config, std::unique_ptr<PacketForwarder> forwarder,
                           std::unique_ptr<media::AudioPipeline> pipeline)
    : m_config(std::move(config))
    , m_forwarder(std::move(forwarder))
    , m_pipeline(std::move(pipeline))
    , m_serviceTimer(this)
    , m_deviceTimer(this)
{
    m_forwarder->target = this;
    m_pipeline->capture().setSending(false);
    m_serviceTimer.setTimerType(Qt::PreciseTimer);
    m_serviceTimer.setInterval(std::max(1, m_config.servicePeriodMs));
    connect(&m_serviceTimer, &QTimer::timeout, this, &MediaSession::service);
    m_deviceTimer.setInterval(std::max(50, m_config.deviceHealthPeriodMs));
    connect(&m_deviceTimer, &QTimer::timeout, this, &MediaSession::checkDevice);
}

MediaSession::~MediaSession()
{
    // No report is posted once the watcher is stopped.
    if (m_watcher)
        m_watcher->stop();
    // The device's thread calls into the pipeline until the device is closed.
    if (m_device)
        m_device->close();
    m_device.reset();
    m_transport.reset();
}

void MediaSession::connectTransport(const net::MediaTransportConfig& config, protocol::MediaKeys keys)
{
    m_transport.reset();
    net::FallbackChannel& fallback = *this;
    net::MediaPacketSink& sink = *this;
    m_transport = std::make_unique<net::MediaTransport>(config, std::move(keys), fallback, sink);
    connect(m_transport.get(), &net::MediaTransport::reportsReady, this, &MediaSession::mediaReportReady);
    // Registered streams survive a transport change (a fresh login keeps playing what it played).
    for (auto it = m_played.cbegin(); it != m_played.cend(); ++it)
        m_transport->addIncomingStream(it.key(), QString::number(it.key()));
    m_transport->start();
}

void MediaSession::disconnectTransport()
{
    stopPublishing();
    const QList<std::uint32_t> played = m_played.keys();
    for (const std::uint32_t ssrc : played)
        stopPlaying(ssrc);
    m_transport.reset();
}

void MediaSession::startPublishing(std::uint32_t ssrc)
{
    m_publishSsrc = ssrc;
    m_capturedReported = false;
    m_pipeline->capture().setSending(true);
    updateDevice();
}

void MediaSession::stopPublishing()
{
    m_publishSsrc = 0;
    m_pipeline->capture().setSending(false);
    updateDevice();
}

bool MediaSession::startPlaying(std::uint32_t ssrc, const QString& streamId, std::uint64_t highestSequence)
{
    if (m_played.contains(ssrc))
        return true;
    const int slot = m_pipeline->addStream();
    if (slot < 0)
        return false;
    m_played.insert(ssrc, PlayedStream {slot, false, 0});
    if (m_transport)
        m_transport->addIncomingStream(ssrc, streamId, highestSequence);
    updateDevice();
    return true;
}

void MediaSession::stopPlaying(std::uint32_t ssrc)
{
    const auto it = m_played.find(ssrc);
    if (it == m_played.end())
        return;
    m_pipeline->removeStream(it->slot);
    m_played.erase(it);
    if (m_transport)
        m_transport->removeIncomingStream(ssrc);
    updateDevice();
}

void MediaSession::setPlayVolume(std::uint32_t ssrc, int volume)
{
    const auto it = m_played.constFind(ssrc);
    if (it != m_played.cend())
        m_pipeline->mixer().setStreamVolume(it->slot, volume);
}

void MediaSession::setPlayMuted(std::uint32_t ssrc, bool muted)
{
    const auto it = m_played.constFind(ssrc);
    if (it != m_played.cend())
        m_pipeline->mixer().setStreamMuted(it->slot, muted);
}

bool MediaSession::setBufferIntervalRange(std::uint32_t ssrc, int minMs, int maxMs)
{
    const auto it = m_played.constFind(ssrc);
    if (it == m_played.cend())
        return false;
    return m_pipeline->stream(it->slot)->setBufferIntervalRange(minMs, maxMs) == jitter::JitterError::None;
}

void MediaSession::useDevice(bool input, const std::string& deviceId)
{
    (input ? m_config.device.inputDeviceId : m_config.device.outputDeviceId) = deviceId;
    if (std::optional<audio::DeviceSelector>& selector = input ? m_inputSelector : m_outputSelector) {
        // The selector keeps the device when the choice resolves to the one already open.
        const std::optional<audio::DeviceSelection> selection = selector->setPreferredDevice(deviceId, m_snapshot);
        if (!selection)
            return;
    }
    if (!m_device)
        return;
    closeDevice();
    updateDevice();
}

void MediaSession::watchDevices()
{
    if (m_watcher || !m_config.devices)
        return;
    m_inputSelector.emplace(audio::DeviceDirection::Input, m_config.device.inputDeviceId);
    m_outputSelector.emplace(audio::DeviceDirection::Output, m_config.device.outputDeviceId);
    m_watcher = std::make_unique<audio::DeviceWatcher>(*m_config.devices);
    // The listener runs on the watcher's thread: it only posts the report to this one.
    m_snapshot = m_watcher->start(
        [this](const audio::DeviceChanges& changes) {
            QMetaObject::invokeMethod(this, [this, changes] { onDevicesChanged(changes); }, Qt::QueuedConnection);
        },
        std::chrono::milliseconds(std::max(50, m_config.deviceWatchIntervalMs)));
    static_cast<void>(m_inputSelector->update(m_snapshot));
    static_cast<void>(m_outputSelector->update(m_snapshot));
}

void MediaSession::shutdown()
{
    if (m_watcher)
        m_watcher->stop();
    m_watcher.reset(); // reports posted before the stop are ignored
    disconnectTransport();
    if (m_device)
        m_device->close();
    m_device.reset();
    m_serviceTimer.stop();
    m_deviceTimer.stop();
    m_pipeline->recorder().stop();
}

void MediaSession::onFallbackFrame(const QByteArray& frame)
{
    if (m_transport)
        m_transport->onFallbackFrame(frame);
}

void MediaSession::onReceiverReport(const protocol::ReceiverReport& report)
{
    if (report.ssrc != m_publishSsrc || m_publishSsrc == 0)
        return;
    const auto nowMs = monotonicUs() / 1000;
    m_pipeline->capture().onLossReport(report.fractionLost / 256.0, nowMs);
}

PublishSnapshot MediaSession::publishSnapshot() const
{
    const media::CaptureStatistics& statistics = m_pipeline->capture().statistics();
    PublishSnapshot snapshot;
    snapshot.payloadBytesSent = statistics.payloadBytesSent;
    snapshot.packetsSent = statistics.packetsSent;
    snapshot.redundantFrames = m_pipeline->capture().redundancy().redundantFrames;
    snapshot.rttMs = m_transport ? m_transport->rttMs() : -1;
    return snapshot;
}

QList<PlaySnapshot> MediaSession::playSnapshots() const
{
    QList<PlaySnapshot> snapshots;
    for (auto it = m_played.cbegin(); it != m_played.cend(); ++it) {
        PlaySnapshot snapshot;
        snapshot.ssrc = it.key();
        snapshot.payloadBytesReceived = it->payloadBytes;
        const media::PlayoutStream* stream = m_pipeline->stream(it->slot);
        snapshot.jitter = stream->jitterStatistics();
        snapshot.level = stream->level().exactLevel();
        snapshot.voiceActivity = stream->level().voiceActivity();
        if (const net::ReceiverStatistics* statistics = m_transport ? m_transport->statistics(it.key()) : nullptr) {
            snapshot.packetsExpected = statistics->expected();
            snapshot.packetsReceived = statistics->packetsReceived();
        }
        snapshots.append(snapshot);
    }
    return snapshots;
}

void MediaSession::onEncodedPacket(const media::EncodedPacket& packet)
{
    if (!m_transport || m_publishSsrc == 0)
        return;
    protocol::RtpHeader header;
    header.marker = packet.marker;
    header.timestamp = packet.timestamp;
    header.ssrc = m_publishSsrc;
    const dsp::LevelMeter& level = m_pipeline->capture().level();
    header.audioLevel = rtpAudioLevel(level.exactLevel());
    header.voiceActivity = level.voiceActivity() == dsp::VoiceActivity::Speech;
    if (!m_transport->sendMedia(header, packet.payload)) {
        // An unsent packet takes no sequence number, so the repeats in the next ones would
        // point at the wrong packets: start the history afresh.
        m_pipeline->capture().clearRedundancyHistory();
    }
}

void MediaSession::onMediaPacket(const protocol::RtpHeader& header, std::uint64_t extendedSequence,
                                 std::span<const std::uint8_t> payload)
{
    const auto it = m_played.find(header.ssrc);
    if (it == m_played.end())
        return;
    it->payloadBytes += static_cast<std::int64_t>(payload.size());
    static_cast<void>(
        m_pipeline->stream(it->slot)->insert(extendedSequence, header.timestamp, payload, monotonicUs()));
}

void MediaSession::sendMediaFrame(const QByteArray& packet)
{
    emit mediaFrameToSend(packet);
}

void MediaSession::service()
{
    m_pipeline->service();
    if (!m_capturedReported && m_publishSsrc != 0 && m_pipeline->capture().hasCapturedAudio()) {
        m_capturedReported = true;
        emit capturedAudioFirstFrame();
    }
    for (auto it = m_played.begin(); it != m_played.end(); ++it) {
        if (!it->firstFrameReported && m_pipeline->stream(it->slot)->hasPlayedAudio()) {
            it->firstFrameReported = true;
            emit playFirstFrame(it.key());
        }
    }
}

void MediaSession::checkDevice()
{
    if (!m_device) {
        // Hot-plug: the device failed or could not open; try again now and then (a watcher
        // report also retries), quietly, when the selectors have something to open.
        const auto now = std::chrono::steady_clock::now();
        if (m_watcher && isDeviceNeeded() && hasSelectedDevice()
            && now - m_lastRetry >= std::chrono::milliseconds(m_config.deviceWatchIntervalMs)) {
            m_lastRetry = now;
            static_cast<void>(openDevice(OpenFailure::Quiet));
        }
        return;
    }
    const audio::AudioError error = m_device->checkHealth();
    if (error == audio::AudioError::None)
        return;
    qCWarning(lcMediaSession) << "audio device failed:" << audio::audioErrorText(error);
    closeDevice();
    emit deviceError(static_cast<int>(error));
    if (!m_watcher) {
        m_deviceTimer.stop();
        return;
    }
    // Fall back: the stream is closed, so the watcher's next enumeration is fresh; meanwhile
    // the selectors say what to open (the default when the preferred device failed).
    static_cast<void>(m_inputSelector->reportFailure(m_snapshot));
    static_cast<void>(m_outputSelector->reportFailure(m_snapshot));
    m_lastRetry = std::chrono::steady_clock::now();
    m_watcher->pollNow();
}

void MediaSession::onDevicesChanged(const audio::DeviceChanges& changes)
{
    if (!m_watcher)
        return; // stopped (shutdown) after this report was posted
    for (const audio::AudioDeviceInfo& device : changes.removed)
        emit deviceRemoved(device);
    for (const audio::AudioDeviceInfo& device : changes.added)
        emit deviceAdded(device);
    m_snapshot = changes.current;
    const std::optional<audio::DeviceSelection> input = m_inputSelector->update(m_snapshot);
    const std::optional<audio::DeviceSelection> output = m_outputSelector->update(m_snapshot);
    if (!isDeviceNeeded())
        return; // the selections apply at the next opening
    if (!m_device) {
        if (hasSelectedDevice()) {
            m_lastRetry = std::chrono::steady_clock::now();
            static_cast<void>(openDevice(OpenFailure::Quiet));
        }
        return;
    }
    if (!input && !output)
        return;
    const bool rescan = (input && input->reason == audio::SelectionReason::RescanNeeded)
        || (output && output->reason == audio::SelectionReason::RescanNeeded);
    qCInfo(lcMediaSession) << "audio device selection changed; reopening";
    closeDevice();
    if (rescan) {
        // With the stream closed, PortAudio can re-enumerate.
        m_snapshot = m_config.devices->enumerate();
        static_cast<void>(m_inputSelector->update(m_snapshot));
        static_cast<void>(m_outputSelector->update(m_snapshot));
        m_watcher->pollNow();
    }
    static_cast<void>(openDevice(OpenFailure::Report));
}

bool MediaSession::hasSelectedDevice() const
{
    const audio::StreamDirections directions = m_config.device.directions;
    return (audio::hasInput(directions) && !m_inputSelector->current().deviceId.empty())
        || (audio::hasOutput(directions) && !m_outputSelector->current().deviceId.empty());
}

bool MediaSession::openDevice(OpenFailure failure)
{
    audio::AudioStreamConfig config = m_config.device;
    if (m_inputSelector)
        config.inputDeviceId = m_inputSelector->current().deviceId;
    if (m_outputSelector)
        config.outputDeviceId = m_outputSelector->current().deviceId;
    std::unique_ptr<audio::AudioDevice> device = m_config.makeDevice();
    audio::AudioError error = device ? device->open(config, m_pipeline->deviceCallback()) : audio::AudioError::Generic;
    std::int64_t startedUnixMicros = 0;
    if (error == audio::AudioError::None) {
        startedUnixMicros = unixMicros();
        error = device->start();
    }
    if (error != audio::AudioError::None) {
        if (device)
            device->close();
        if (failure == OpenFailure::Report) {
            qCWarning(lcMediaSession) << "cannot open the audio device:" << audio::audioErrorText(error);
            emit deviceError(static_cast<int>(error));
        }
        // With hot-plug, the health timer retries while the device is needed.
        if (m_watcher)
            m_deviceTimer.start();
        return false;
    }
    m_device = std::move(device);
    m_serviceTimer.start();
    m_deviceTimer.start();
    emit deviceStarted(startedUnixMicros);
    return true;
}

void MediaSession::closeDevice()
{
    if (!m_device)
        return;
    m_device->close();
    m_device.reset();
    m_serviceTimer.stop();
}

void MediaSession::updateDevice()
{
    const bool needed = isDeviceNeeded();
    if (needed && !m_device && m_config.makeDevice) {
        watchDevices();
        static_cast<void>(openDevice(OpenFailure::Report));
    } else if (!needed && m_device && m_config.deviceLifetime == DeviceLifetime::WhileNeeded) {
        closeDevice();
        m_deviceTimer.stop();
    } else if (!needed && !m_device) {
        m_deviceTimer.stop(); // no retries for a device nobody needs
    }
}

} // namespace earshot::mediasession
