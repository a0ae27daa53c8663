// The publisher and player state machines (API.md §3): NoPublish → PublishRequesting →
// Publishing, NoPlay → PlayRequesting → Playing, with the server's replies, streams that appear
// later, and the quality and sound-level reports.
#include "api/EnginePrivate.h"
#include "api/QualityEstimator.h"

#include <QPointer>

#include <algorithm>
#include <cmath>

namespace earshot {

namespace {

// What the codec, the frame and the devices add to the one-way delay beyond the network and
// the jitter buffer (PERFORMANCE.md: frame 20 + lookahead 6.5 + 3A ~14 + device buffering).
constexpr double kFixedPipelineDelayMs = 50.0;

} // namespace

void Engine::Private::setPublisherState(PublisherState state, int errorCode)
{
    const bool changed = state != publisherState;
    publisherState = state;
    if (changed || errorCode != 0)
        emit q->publisherStateUpdate(publishStreamId, state, errorCode, {});
}

void Engine::Private::setPlayerState(const QString& streamId, PlayEntry& entry, PlayerState state, int errorCode)
{
    const bool changed = state != entry.state;
    entry.state = state;
    if (changed || errorCode != 0)
        emit q->playerStateUpdate(streamId, state, errorCode, {});
}

void Engine::Private::requestPublish()
{
    const QString streamId = publishStreamId;
    const QString extraInfo = publishExtraInfo;
    onSession([streamId, extraInfo](session::SignallingClient& c) { c.publish(streamId, extraInfo); });
}

void Engine::Private::onPublishReplied(const QString& streamId, int errorCode, std::uint32_t ssrc)
{
    if (streamId != publishStreamId || publisherState == PublisherState::NoPublish)
        return; // stopped meanwhile
    if (errorCode == protocol::toInt(protocol::ErrorCode::ConnectionBrokenRetrying))
        return; // retried after the reconnect
    if (errorCode != 0 || ssrc == 0) {
        setPublisherState(PublisherState::NoPublish, errorCode != 0 ? errorCode : protocol::toInt(protocol::ErrorCode::PublishForbidden));
        publishStreamId.clear();
        return;
    }
    publishSsrc = ssrc;
    lastPublishBytes = 0;
    onMedia([ssrc](mediasession::MediaSession& session) { session.startPublishing(ssrc); });
    setPublisherState(PublisherState::Publishing, 0);
}

void Engine::Private::requestPlay(const QString& streamId)
{
    onSession([streamId](session::SignallingClient& c) { c.play(streamId); });
}

void Engine::Private::onPlayReplied(const QString& streamId, int errorCode, std::uint32_t ssrc,
                                    std::uint64_t highestSequence, bool pending)
{
    const auto it = plays.find(streamId);
    if (it == plays.end())
        return; // stopped meanwhile
    if (errorCode == protocol::toInt(protocol::ErrorCode::ConnectionBrokenRetrying))
        return;
    if (errorCode != 0) {
        PlayEntry entry = plays.take(streamId);
        setPlayerState(streamId, entry, PlayerState::NoPlay, errorCode);
        return;
    }
    if (pending || ssrc == 0)
        return; // waits for the stream's ADD (onStreamUpdate)
    if (it->ssrc == ssrc)
        return;
    startMediaPlay(streamId, *it, ssrc, highestSequence);
}

void Engine::Private::startMediaPlay(const QString& streamId, PlayEntry& entry, std::uint32_t ssrc,
                                     std::uint64_t highestSequence)
{
    entry.ssrc = ssrc;
    entry.lastConcealedMs = 0;
    entry.lastBytes = 0;
    QPointer<Engine> engine(q);
    onMedia([ssrc, streamId, highestSequence, engine, this](mediasession::MediaSession& session) {
        const bool started = session.startPlaying(ssrc, streamId, highestSequence);
        if (!started) {
            QMetaObject::invokeMethod(engine, [this, streamId] {
                const auto it = plays.find(streamId);
                if (it == plays.end())
                    return;
                PlayEntry removed = plays.take(streamId);
                setPlayerState(streamId, removed, PlayerState::NoPlay, protocol::toInt(protocol::ErrorCode::TooManyPlays));
            }, Qt::QueuedConnection);
        }
    });
    applyPlayVolume(streamId);
    setPlayerState(streamId, entry, PlayerState::Playing, 0);
}

void Engine::Private::applyPlayVolume(const QString& streamId)
{
    const auto it = plays.constFind(streamId);
    if (it == plays.cend() || it->ssrc == 0)
        return;
    const std::uint32_t ssrc = it->ssrc;
    const int volume = it->volume;
    const bool muted = it->muted;
    onMedia([ssrc, volume, muted](mediasession::MediaSession& session) {
        session.setPlayVolume(ssrc, volume);
        session.setPlayMuted(ssrc, muted);
    });
}

void Engine::Private::reportQuality()
{
    QPointer<Engine> engine(q);
    const double intervalSeconds = qualityTimer.interval() / 1000.0;
    onMedia([engine, this, intervalSeconds](mediasession::MediaSession& session) {
        const mediasession::PublishSnapshot publish = session.publishSnapshot();
        const QList<mediasession::PlaySnapshot> played = session.playSnapshots();
        QMetaObject::invokeMethod(engine, [this, publish, played, intervalSeconds] {
            const int rttMs = publish.rttMs;
            if (publisherState == PublisherState::Publishing) {
                PublishStreamQuality quality;
                const std::int64_t bytes = publish.payloadBytesSent - lastPublishBytes;
                lastPublishBytes = publish.payloadBytesSent;
                quality.audioSendBytesPerSecondKbps = std::max<std::int64_t>(bytes, 0) * 8.0 / 1000.0 / intervalSeconds;
                quality.rttMs = rttMs;
                for (const double loss : std::as_const(subscriberLoss))
                    quality.packetLossRate = std::max(quality.packetLossRate, loss);
                quality.redundantFrames = publish.redundantFrames;
                api::QualityInputs inputs;
                inputs.haveData = publish.packetsSent > 0;
                inputs.oneWayDelayMs = std::max(rttMs, 0) / 2.0 + kFixedPipelineDelayMs;
                inputs.residualLossRate = std::pow(quality.packetLossRate, publish.redundantFrames + 1);
                inputs.bitrateKbps = audioConfig.bitrateKbps;
                quality.mos = api::QualityEstimator::mos(inputs);
                quality.level = api::QualityEstimator::level(inputs);
                emit q->publisherQualityUpdate(publishStreamId, quality);
            }
            for (const mediasession::PlaySnapshot& snapshot : played) {
                for (auto it = plays.begin(); it != plays.end(); ++it) {
                    if (it->ssrc != snapshot.ssrc)
                        continue;
                    PlayStreamQuality quality;
                    const std::int64_t bytes = snapshot.payloadBytesReceived - it->lastBytes;
                    it->lastBytes = snapshot.payloadBytesReceived;
                    quality.audioRecvKbps = std::max<std::int64_t>(bytes, 0) * 8.0 / 1000.0 / intervalSeconds;
                    quality.rttMs = rttMs;
                    if (snapshot.packetsExpected > 0)
                        quality.packetLossRate = std::clamp(
                            1.0 - double(snapshot.packetsReceived) / double(snapshot.packetsExpected), 0.0, 1.0);
                    quality.jitterMs = snapshot.jitter.jitterMs;
                    quality.jitterBufferDelayMs = snapshot.jitter.currentDelayMs;
                    quality.concealedMs = snapshot.jitter.concealedMs - it->lastConcealedMs;
                    it->lastConcealedMs = snapshot.jitter.concealedMs;
                    api::QualityInputs inputs;
                    inputs.haveData = snapshot.jitter.decodedPackets > 0;
                    inputs.oneWayDelayMs = std::max(rttMs, 0) / 2.0 + quality.jitterBufferDelayMs + kFixedPipelineDelayMs;
                    inputs.residualLossRate
                        = std::clamp(double(quality.concealedMs) / (1000.0 * intervalSeconds), 0.0, 1.0);
                    inputs.bitrateKbps = std::max(quality.audioRecvKbps, 6.0);
                    quality.mos = api::QualityEstimator::mos(inputs);
                    quality.level = api::QualityEstimator::level(inputs);
                    emit q->playerQualityUpdate(it.key(), quality);
                }
            }
        }, Qt::QueuedConnection);
    });
}

void Engine::Private::reportLevels()
{
    const dsp::LevelMeter& captured = media->pipeline().capture().level();
    emit q->capturedSoundLevelUpdate(
        SoundLevelInfo {captured.exactLevel(), captured.voiceActivity() == dsp::VoiceActivity::Speech});
    QPointer<Engine> engine(q);
    onMedia([engine, this](mediasession::MediaSession& session) {
        const QList<mediasession::PlaySnapshot> played = session.playSnapshots();
        QMetaObject::invokeMethod(engine, [this, played] {
            QHash<QString, SoundLevelInfo> levels;
            for (const mediasession::PlaySnapshot& snapshot : played) {
                for (auto it = plays.cbegin(); it != plays.cend(); ++it) {
                    if (it->ssrc == snapshot.ssrc)
                        levels.insert(it.key(), {snapshot.level, snapshot.voiceActivity == dsp::VoiceActivity::Speech});
                }
            }
            emit q->remoteSoundLevelUpdate(levels);
        }, Qt::QueuedConnection);
    });
}

} // namespace earshot
