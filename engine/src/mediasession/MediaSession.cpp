#include "mediasession/MediaSession.h"

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
    if (!m_device)
        return;
    m_device->close();
    m_device.reset();
    updateDevice();
}

void MediaSession::shutdown()
{
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
    if (!m_device)
        return;
    const audio::AudioError error = m_device->checkHealth();
    if (error == audio::AudioError::None)
        return;
    qCWarning(lcMediaSession) << "audio device failed:" << audio::audioErrorText(error);
    m_device->close();
    m_device.reset();
    m_serviceTimer.stop();
    m_deviceTimer.stop();
    emit deviceError(static_cast<int>(error));
}

void MediaSession::updateDevice()
{
    const bool needed = m_publishSsrc != 0 || !m_played.isEmpty();
    if (needed && !m_device && m_config.makeDevice) {
        std::unique_ptr<audio::AudioDevice> device = m_config.makeDevice();
        audio::AudioError error = device ? device->open(m_config.device, m_pipeline->deviceCallback())
                                         : audio::AudioError::Generic;
        std::int64_t startedUnixMicros = 0;
        if (error == audio::AudioError::None) {
            startedUnixMicros = unixMicros();
            error = device->start();
        }
        if (error != audio::AudioError::None) {
            qCWarning(lcMediaSession) << "cannot open the audio device:" << audio::audioErrorText(error);
            if (device)
                device->close();
            emit deviceError(static_cast<int>(error));
            return;
        }
        m_device = std::move(device);
        m_serviceTimer.start();
        m_deviceTimer.start();
        emit deviceStarted(startedUnixMicros);
    } else if (!needed && m_device && m_config.deviceLifetime == DeviceLifetime::WhileNeeded) {
        m_device->close();
        m_device.reset();
        m_serviceTimer.stop();
        m_deviceTimer.stop();
    }
}

} // namespace earshot::mediasession
