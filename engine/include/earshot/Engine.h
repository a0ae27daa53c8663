#pragma once
// The Earshot engine: the public API of API.md, shaped like the ZEGO Express SDK's real-time
// voice product. Include <earshot/Engine.h>, link earshot::engine.
//
// Threads. An Engine belongs to the thread that created it (the "owning thread", normally the
// GUI thread): every call is made there, and every signal is emitted there (queued from the
// engine's session and media threads). Calls never block on the network or a device: they
// check their arguments and the state synchronously, return an API.md §6 code (0 = accepted),
// and report the outcome later through the state signals. A call from another thread is
// refused with 1000017 (−1000017 for the message calls) and a warning; nothing changes.
//
// Units: volumes 0–200 (100 = unity), levels 0–100, times in milliseconds unless named
// otherwise, bitrates in kbit/s.

#include <earshot/EngineTypes.h>
#include <earshot/ErrorText.h>

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace earshot {

// Options that are not in the reference API: devices for tests, bots and the headless client,
// and the timing of the signalling (tests shorten it).
struct EngineOptions {
    // Capture from this WAV (looping at the end when inputLoop) instead of the microphone;
    // empty: the system's devices. A tone generator when inputToneHz > 0 (sent without Opus
    // DTX, which would take the steady tone for background noise and stop sending it).
    QString inputWavPath;
    bool inputLoop = false;
    double inputToneHz = 0.0;
    // Play into this WAV (48 kHz, 16-bit) instead of the speaker; empty: the system's devices.
    // The WAV / tone device opens at the first publish or play and then stays open until the
    // engine is destroyed, so the WAV holds everything from there on (silence while nothing
    // plays) and the input WAV is read once, not restarted.
    QString outputWavPath;
    // No devices at all (silence in, output discarded): for servers, bots, API tests.
    bool nullDevices = false;
    // Device period in milliseconds, 1 to 100, fractions allowed (2.5 ms is 120 frames at 48 kHz;
    // rounded to whole frames). Shorter periods cost CPU and save latency.
    double devicePeriodMs = 10.0;
    // Audio kept queued for the speaker beyond one device period, 0 to 100 ms. It covers the
    // media thread's wake-ups and scheduling; every millisecond of it is a millisecond of
    // mouth-to-ear latency, too little is a crackle on a loaded machine.
    int playbackQueueMs = 10;
    int frameDurationMs = 20; // Opus frame: 10, 20, 40 or 60
    // Opus in its restricted low-delay mode (CELT only) instead of its voice mode: 2.5 ms of
    // lookahead instead of 6.5, so 4 ms less mouth-to-ear delay, at the price of SILK (speech
    // below ~24 kbit/s sounds worse) and of in-band FEC (RED redundancy, driven by the
    // receivers' loss reports, still protects the stream). Receivers need no setting.
    bool lowDelayCodec = false;
    int reconnectGiveUpMs = 20 * 60 * 1000; // RECONNECT_FAILED after this long (API.md: 20 min)
    int loginTimeoutMs = 10'000;
    int qualityIntervalMs = 3000; // publisher/playerQualityUpdate period
    // Send media to this UDP port on the server's host instead of the one the server announces
    // (0: the announced one): for an impairment relay in tests, or a port-forwarding proxy.
    quint16 mediaPortOverride = 0;
};

class Engine : public QObject {
    Q_OBJECT

public:
    // ---- Lifecycle (API.md §1) -------------------------------------------------------------

    // Creates an engine. Errors (in *errorCode, null returned): 1001000 appID 0, 1001001
    // appSign not 64 characters, 1001002 appSign not hex (an empty appSign is fine: tokens),
    // 1000017 a server URL that is not ws:// or wss://, or an EngineOptions value out of its
    // range (frame duration, device period, playback queue). Thread: becomes the owning thread.
    [[nodiscard]] static std::unique_ptr<Engine> create(const EngineProfile& profile, int* errorCode = nullptr,
                                                        const EngineOptions& options = {});
    // Destroys synchronously: logs out (best effort), stops every stream, closes the devices
    // and joins the engine's threads. Thread: owning.
    ~Engine() override;

    // The default instance (ZEGO's createEngine/getEngine/destroyEngine). createEngine()
    // returns the existing one if there is one. destroyEngine() is asynchronous: it returns at
    // once, after which getEngine() is null, the old engine emits no more signals and must not
    // be called; it logs out, stops every stream and closes the devices on the engine's own
    // threads, then deletes the engine and calls `done` (if any) from the calling thread's
    // event loop. With no default engine `done` is called at once. A createEngine() meanwhile
    // makes a new engine. Thread: one thread for all three, with an event loop.
    static Engine* createEngine(const EngineProfile& profile, int* errorCode = nullptr,
                                const EngineOptions& options = {});
    static Engine* getEngine();
    static void destroyEngine(const std::function<void()>& done = {});

    // Earshot is voice-only: false is accepted (and the default); true returns 1000017.
    int enableCamera(bool enable);
    [[nodiscard]] const EngineProfile& profile() const;

    // ---- Room (API.md §2) -----------------------------------------------------------------

    // Logs in; the outcome comes as roomStateChanged(Logined | LoginFailed). Errors: 1002001
    // already in a room, 1002005–1002013 bad userID/userName/roomID, 1002067 neither AppSign
    // nor token.
    int loginRoom(const QString& roomID, const User& user, const RoomConfig& config = {});
    // Leaves the room (the current one when roomID is empty): stops publishing and playing,
    // always succeeds locally (roomStateChanged(Logout)). Errors: 1002002 not in that room.
    int logoutRoom(const QString& roomID = {});
    // Errors: 1002002, 1000017 empty token.
    int renewToken(const QString& roomID, const QString& token);
    // Errors: 1002002, 1000017 empty key, 1009002 value over 1024 bytes.
    int setRoomExtraInfo(const QString& roomID, const QString& key, const QString& value);
    // Room and current user, empty when logged out.
    [[nodiscard]] QString currentRoomID() const;
    [[nodiscard]] RoomState roomState() const;

    // ---- Publishing (API.md §3) -----------------------------------------------------------

    // Errors: 1000002 not logged in, 1000014/1000015/1000016 bad streamID, 1003023 already
    // publishing another stream. Outcome: publisherStateUpdate.
    int startPublishingStream(const QString& streamID);
    int stopPublishingStream();
    // Errors: 1000002, 1009002 over 1024 bytes, 1000017 not publishing.
    int setStreamExtraInfo(const QString& extraInfo);
    int muteMicrophone(bool mute);
    [[nodiscard]] bool isMicrophoneMuted() const;
    // Tells the room the microphone state (remoteMicStateUpdate) and sends silence.
    int mutePublishStreamAudio(bool mute);
    // 0–200; errors: 1000017 out of range.
    int setCaptureVolume(int volume);
    // Takes effect at the next startPublishingStream. Errors: 1000017 (bitrate 6–510, channels 1–2).
    int setAudioConfig(const AudioConfig& config);
    [[nodiscard]] AudioConfig audioConfig() const;
    int setTransmissionMode(TransmissionMode mode);
    void setPushToTalk(bool pressed);
    // Voice activation's criterion: 0 (the default) lets the voice detector decide, which
    // follows the background noise; 1–100 opens on the captured level instead, on the scale of
    // capturedSoundLevelUpdate (0 = -60 dBFS, 100 = 0 dBFS, linear in dB), every 10 ms block that
    // reaches it opening the gate with the usual 100 ms pre-roll and 300 ms hangover. For a
    // threshold the user sets on a level meter. Errors: 1000017 outside 0–100. Thread: owning.
    int setVoiceActivationThreshold(int level);

    // ---- Playing (API.md §3) --------------------------------------------------------------

    // Errors: 1000002, 1000014–1000016, 1004010 over 12 streams. A stream that does not exist
    // yet is waited for (PlayRequesting). Playing a stream already played is accepted (no-op).
    int startPlayingStream(const QString& streamID);
    // Errors: 1000017 not playing that stream. Resets its volume and mute.
    int stopPlayingStream(const QString& streamID);
    int mutePlayStreamAudio(const QString& streamID, bool mute);
    int muteAllPlayStreamAudio(bool mute);
    int setPlayVolume(const QString& streamID, int volume);
    int setAllPlayStreamVolume(int volume);
    // 0 <= minMs <= maxMs <= 4000. Errors: 1000017.
    int setPlayStreamBufferIntervalRange(const QString& streamID, int minMs, int maxMs);

    // ---- Devices, 3A, levels, recording -----------------------------------------------------

    [[nodiscard]] QList<DeviceInfo> getAudioDeviceList(AudioDeviceType type) const;
    [[nodiscard]] QString getDefaultAudioDeviceID(AudioDeviceType type) const;
    // The user's device for a direction (empty: the system default). Errors: 1006002 unknown
    // device. An open device moves at once. With system devices the engine follows hot-plug:
    // when the chosen device vanishes or fails it falls back to the default (audioDeviceError,
    // then audioDeviceStateChanged(Deleted)), and returns to the chosen one when it comes back.
    int useAudioDevice(AudioDeviceType type, const QString& deviceID);
    int enableAEC(bool enable);
    int setAECMode(AECMode mode);
    int enableAGC(bool enable);
    int enableANS(bool enable);
    int setANSMode(ANSMode mode);
    int enableTransientANS(bool enable);
    // 100–3000 ms. Errors: 1000017.
    int startSoundLevelMonitor(int intervalMs = 100);
    int stopSoundLevelMonitor();
    // .wav, .ogg or .opus. Errors: 1000017 other extensions or a file that cannot be created.
    int startRecordingCapturedData(const QString& path);
    int stopRecordingCapturedData();

    // ---- Room messages (API.md §4) ----------------------------------------------------------

    // Returns a positive sequence number and answers with broadcastMessageSent(seq, code,
    // messageID), or a negative error code: -1000002, -1009001 empty, -1009002 over 1024 bytes,
    // -1009005 wrong room.
    int sendBroadcastMessage(const QString& roomID, const QString& message);
    // Empty toUserIDs: the whole room. As sendBroadcastMessage; answers with customCommandSent.
    int sendCustomCommand(const QString& roomID, const QString& command, const QStringList& toUserIDs);

signals:
    void roomStateUpdate(const QString& roomID, earshot::RoomState state, int errorCode, const QString& extendedData);
    void roomStateChanged(const QString& roomID, earshot::RoomStateChangedReason reason, int errorCode,
                          const QString& extendedData);
    void roomUserUpdate(const QString& roomID, earshot::UpdateType updateType, const QList<earshot::User>& users);
    // DELETE carries {"reason": StreamDeleteReason} in extendedData.
    void roomStreamUpdate(const QString& roomID, earshot::UpdateType updateType,
                          const QList<earshot::Stream>& streams, const QString& extendedData);
    void roomStreamExtraInfoUpdate(const QString& roomID, const QList<earshot::Stream>& streams);
    void roomExtraInfoUpdate(const QString& roomID, const QString& key, const QString& value);
    void roomOnlineUserCountUpdate(const QString& roomID, int count);
    void roomTokenWillExpire(const QString& roomID, int remainSeconds);

    void publisherStateUpdate(const QString& streamID, earshot::PublisherState state, int errorCode,
                              const QString& extendedData);
    void playerStateUpdate(const QString& streamID, earshot::PlayerState state, int errorCode,
                           const QString& extendedData);
    void publisherCapturedAudioFirstFrame();
    void playerRecvAudioFirstFrame(const QString& streamID);
    void publisherQualityUpdate(const QString& streamID, const earshot::PublishStreamQuality& quality);
    void playerQualityUpdate(const QString& streamID, const earshot::PlayStreamQuality& quality);
    void remoteMicStateUpdate(const QString& streamID, bool muted);

    void capturedSoundLevelUpdate(const earshot::SoundLevelInfo& level);
    void remoteSoundLevelUpdate(const QHash<QString, earshot::SoundLevelInfo>& levels);
    // A system device appeared or vanished (PortAudio devices, checked every 2 s on the engine's
    // media thread: ALSA cards, and on Linux the PulseAudio/PipeWire server stopping or
    // starting), once per direction it can do. Never with virtual or null devices.
    void audioDeviceStateChanged(earshot::AudioDeviceState state, earshot::AudioDeviceType type,
                                 const earshot::DeviceInfo& device);
    // A device failed (1006001–1006006); the engine carries on without it.
    void audioDeviceError(int errorCode);
    // Earshot's addition: the audio device has started, and `unixMicros` is the wall-clock time
    // (microseconds since the Unix epoch, std::chrono::system_clock read right before the
    // device starts) of its first period. The system's devices open at the first publish or
    // play and close when there is neither, so this comes again at every reopening; the device
    // is duplex, so it comes for Input and then for Output. The virtual device (EngineOptions
    // inputWavPath, inputToneHz, outputWavPath) opens once: this is the time of the first
    // sample taken from its input and of the first sample written to its output WAV, so the
    // delay from a capture in one process to a playback in another can be measured from the
    // two files.
    void audioDeviceStarted(earshot::AudioDeviceType type, qint64 unixMicros);

    void IMRecvBroadcastMessage(const QString& roomID, const QList<earshot::BroadcastMessageInfo>& messages);
    void IMRecvCustomCommand(const QString& roomID, const earshot::User& fromUser, const QString& command);
    void broadcastMessageSent(int sequence, int errorCode, quint64 messageID);
    void customCommandSent(int sequence, int errorCode);

private:
    struct Private;
    explicit Engine(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace earshot
