// How the engine's three threads are joined: the session thread's SignallingClient and the
// media thread's MediaSession talk to the owning thread through queued connections (context:
// the Engine), and to each other directly for the media fallback and the receiver reports.
#include "api/EnginePrivate.h"

namespace earshot {

void Engine::Private::connectSession()
{
    using session::SignallingClient;
    SignallingClient* c = client;
    Engine* e = q;
    QObject::connect(c, &SignallingClient::loginSucceeded, e, [this](const session::LoginResult& result) {
        onLoginSucceeded(result);
    });
    QObject::connect(c, &SignallingClient::loginFailed, e, [this](int code) { onLoginFailed(code); });
    QObject::connect(c, &SignallingClient::connectionLost, e, [this](int code) { onConnectionLost(code); });
    QObject::connect(c, &SignallingClient::reconnected, e,
                     [this](session::ReconnectKind kind, const session::LoginResult& result) {
                         onReconnected(kind, result);
                     });
    QObject::connect(c, &SignallingClient::reconnectFailed, e, [this](int code) {
        onSessionEnded(RoomStateChangedReason::ReconnectFailed, code);
    });
    QObject::connect(c, &SignallingClient::kickedOut, e, [this](int code) {
        onSessionEnded(RoomStateChangedReason::KickOut, code);
    });
    QObject::connect(c, &SignallingClient::publishReplied, e, [this](const QString& streamId, int code, quint32 ssrc) {
        onPublishReplied(streamId, code, ssrc);
    });
    QObject::connect(c, &SignallingClient::playReplied, e,
                     [this](const QString& streamId, int code, quint32 ssrc, quint64 highest, bool pending) {
                         onPlayReplied(streamId, code, ssrc, highest, pending);
                     });
    QObject::connect(c, &SignallingClient::userUpdate, e,
                     [this](protocol::UpdateType type, const QList<protocol::UserInfo>& users) {
                         QList<User> list;
                         for (const protocol::UserInfo& info : users)
                             list.append(userOf(info));
                         emit q->roomUserUpdate(roomId, static_cast<UpdateType>(type), list);
                     });
    QObject::connect(c, &SignallingClient::streamUpdate, e,
                     [this](protocol::UpdateType type, protocol::StreamDeleteReason reason,
                            const QList<protocol::StreamInfo>& streams) { onStreamUpdate(type, reason, streams); });
    QObject::connect(c, &SignallingClient::broadcastMessages, e,
                     [this](const QList<protocol::BroadcastMessageInfo>& messages) {
                         QList<BroadcastMessageInfo> list;
                         for (const protocol::BroadcastMessageInfo& m : messages)
                             list.append({m.message, m.messageId, static_cast<std::uint64_t>(m.sendTimeMs),
                                          userOf(m.fromUser)});
                         emit q->IMRecvBroadcastMessage(roomId, list);
                     });
    QObject::connect(c, &SignallingClient::customCommand, e,
                     [this](const protocol::UserInfo& from, const QString& command) {
                         emit q->IMRecvCustomCommand(roomId, userOf(from), command);
                     });
    QObject::connect(c, &SignallingClient::broadcastMessageReplied, e, [this](quint64 tag, int code, quint64 id) {
        emit q->broadcastMessageSent(static_cast<int>(tag), code, id);
    });
    QObject::connect(c, &SignallingClient::customCommandReplied, e, [this](quint64 tag, int code) {
        emit q->customCommandSent(static_cast<int>(tag), code);
    });
    QObject::connect(c, &SignallingClient::roomExtraInfoUpdate, e,
                     [this](const QList<protocol::RoomExtraInfoItem>& items) {
                         for (const protocol::RoomExtraInfoItem& item : items)
                             emit q->roomExtraInfoUpdate(roomId, item.key, item.value);
                     });
    QObject::connect(c, &SignallingClient::streamExtraInfoUpdate, e,
                     [this](const QList<protocol::StreamInfo>& streams) {
                         QList<Stream> list;
                         for (const protocol::StreamInfo& info : streams) {
                             if (roomStreams.contains(info.streamId))
                                 roomStreams[info.streamId].extraInfo = info.extraInfo;
                             list.append(streamOf(info));
                         }
                         emit q->roomStreamExtraInfoUpdate(roomId, list);
                     });
    QObject::connect(c, &SignallingClient::onlineCountUpdate, e, [this](qint64 count) {
        emit q->roomOnlineUserCountUpdate(roomId, static_cast<int>(count));
    });
    QObject::connect(c, &SignallingClient::tokenWillExpire, e, [this](qint64 remain) {
        emit q->roomTokenWillExpire(roomId, static_cast<int>(remain));
    });
    QObject::connect(c, &SignallingClient::receiverReport, e,
                     [this](const protocol::UserInfo& from, const protocol::ReceiverReport& report) {
                         subscriberLoss.insert(from.userId, report.fractionLost / 256.0);
                     });
    // Straight to the media thread: the redundancy reacts to the worst receiver.
    QObject::connect(c, &SignallingClient::receiverReport, media.get(),
                     [m = media.get()](const protocol::UserInfo&, const protocol::ReceiverReport& report) {
                         m->onReceiverReport(report);
                     });
    QObject::connect(c, &SignallingClient::mediaFrameReceived, media.get(),
                     [m = media.get()](const QByteArray& frame) { m->onFallbackFrame(frame); });
}

void Engine::Private::connectMedia()
{
    using mediasession::MediaSession;
    MediaSession* m = media.get();
    QObject::connect(m, &MediaSession::mediaFrameToSend, client,
                     [c = client](const QByteArray& frame) { c->sendMediaFrame(frame); });
    QObject::connect(m, &MediaSession::mediaReportReady, client,
                     [c = client](const QList<protocol::ReceiverReport>& reports) { c->sendMediaReports(reports); });
    QObject::connect(m, &MediaSession::capturedAudioFirstFrame, q, [this] { emit q->publisherCapturedAudioFirstFrame(); });
    QObject::connect(m, &MediaSession::playFirstFrame, q, [this](std::uint32_t ssrc) {
        for (auto it = plays.cbegin(); it != plays.cend(); ++it) {
            if (it->ssrc == ssrc)
                emit q->playerRecvAudioFirstFrame(it.key());
        }
    });
    QObject::connect(m, &MediaSession::deviceError, q, [this](int code) { emit q->audioDeviceError(code); });
    // Hot-plug: a device that appeared or vanished, once per direction it can do (queued from the
    // media thread, so its type is registered).
    qRegisterMetaType<audio::AudioDeviceInfo>();
    const auto reportDevice = [this](AudioDeviceState state, const audio::AudioDeviceInfo& device) {
        const DeviceInfo info {QString::fromStdString(device.id), QString::fromStdString(device.name), false};
        if (device.maxInputChannels > 0) {
            DeviceInfo input = info;
            input.isDefault = device.isDefaultInput;
            emit q->audioDeviceStateChanged(state, AudioDeviceType::Input, input);
        }
        if (device.maxOutputChannels > 0) {
            DeviceInfo output = info;
            output.isDefault = device.isDefaultOutput;
            emit q->audioDeviceStateChanged(state, AudioDeviceType::Output, output);
        }
    };
    QObject::connect(m, &MediaSession::deviceAdded, q, [reportDevice](const audio::AudioDeviceInfo& device) {
        reportDevice(AudioDeviceState::Added, device);
    });
    QObject::connect(m, &MediaSession::deviceRemoved, q, [reportDevice](const audio::AudioDeviceInfo& device) {
        reportDevice(AudioDeviceState::Deleted, device);
    });
    // The engine's device is duplex: both directions start together.
    QObject::connect(m, &MediaSession::deviceStarted, q, [this](qint64 unixMicros) {
        emit q->audioDeviceStarted(AudioDeviceType::Input, unixMicros);
        emit q->audioDeviceStarted(AudioDeviceType::Output, unixMicros);
    });
}

} // namespace earshot
