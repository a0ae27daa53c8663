// The media path against a real earshot-server (DESIGN.md §2, §4, §5): binding, forwarding to
// players only, mute/stop, replay and forgery defences, ownership of SSRCs, hostile datagrams,
// re-publishing, NAT rebinding, the audio level, the WebSocket fallback and receiver reports.
// MediaTestPeer plays the client's media side at the protocol level.

#include "MediaTestPeer.h"
#include "ServerProcess.h"
#include "TestClient.h"

#include <earshot/protocol/ErrorCode.h>
#include <earshot/protocol/MediaControl.h>

#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTest>
#include <QUdpSocket>

using namespace earshot::integration;
using namespace earshot::protocol;

namespace {

// How long a test listens to conclude that media (correctly) does not come.
constexpr int kQuietMs = 300;
constexpr int kTimeoutMs = 5000;

QString dropped(const char* reason)
{
    return QStringLiteral("earshot_media_dropped_total{reason=\"%1\"}").arg(QLatin1String(reason));
}

const QString kForwarded = QStringLiteral("earshot_media_packets_forwarded_total");
const QString kRebinds = QStringLiteral("earshot_media_rebinds_total");
const QString kBinaryDropped = QStringLiteral("earshot_signal_binary_frames_dropped_total");

// A logged-in client with its media side. The peer goes first on destruction.
struct Member {
    std::unique_ptr<TestClient> client;
    std::unique_ptr<MediaTestPeer> media;
    explicit operator bool() const { return client && media && media->isValid(); }
    TestClient* operator->() const { return client.get(); }
};

// A publishes `stream`; B, in the same room, plays it.
struct Stage {
    QString room = uniqueId("room");
    QString stream = uniqueId("stream");
    Member a;
    Member b;
    std::uint32_t ssrc = 0;
};

} // namespace

class ServerMediaTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void lateJoinerAfterSequenceWrapOpensTheStream();

    void bindAnswersWithRtt();
    void playerReceivesPublisherPacketsByteExact();
    void playInOtherRoomIsRefusedAndGetsNoMedia();
    void memberWhoDoesNotPlayGetsNoMedia();
    void pendingPlayStartsOnPublish();
    void mutePlayStopsAndResumesMedia();
    void stopPlayStopsMedia();
    void replayedPacketIsDropped();
    void corruptedPacketIsDropped_data();
    void corruptedPacketIsDropped();
    void foreignSsrcFromBoundSessionIsNotOwner();
    void garbageFromUnboundSocketIsDropped();
    void datagramAboveReceiveBufferIsCounted();
    void republishGetsNewSsrcAndPlayerFollows();
    void publisherNatRebindingMovesRoute();
    void playerRebindMovesRoute();
    void audioLevelArrivesIntact();
    void webSocketPlayerReceivesUdpMedia();
    void webSocketPublisherReachesUdpPlayer();
    void mediaReportReachesPublisher();
    void binaryFramesBeforeLoginAreDropped();

private:
    Member join(const QString& roomId, const QString& userBase, MediaVia via = MediaVia::Udp,
                bool bind = true);
    std::uint32_t publish(Member& member, const QString& streamId);
    bool play(Member& member, const QString& streamId, std::uint32_t expectedSsrc);
    bool stage(Stage& s, MediaVia playerVia = MediaVia::Udp);
    bool deliver(Member& from, std::uint32_t ssrc, std::uint64_t first, int count, Member& to,
                 MediaVia arrivalVia = MediaVia::Udp, std::optional<std::uint8_t> audioLevel = std::nullopt);
    qint64 metric(const QString& name);
    bool waitForMetric(const QString& name, qint64 expected);

    ServerProcess m_server;
};

void ServerMediaTest::initTestCase()
{
    QVERIFY(m_server.start());
}

void ServerMediaTest::cleanupTestCase()
{
    QVERIFY(m_server.stop());
    QCOMPARE(m_server.exitCode(), 0);
}

void ServerMediaTest::cleanup()
{
    m_server.printLogIfFailed();
}

Member ServerMediaTest::join(const QString& roomId, const QString& userBase, MediaVia via, bool bind)
{
    Member member;
    member.client = TestClient::joinRoom(m_server.signallingUrl(), kAppA, roomId, uniqueId(userBase));
    if (!member.client)
        return {};
    if (member.client->hello().mediaPort != m_server.mediaUrl().port()) {
        qWarning() << "hello.mediaPort" << member.client->hello().mediaPort << "is not the media port"
                   << m_server.mediaUrl().port();
        return {};
    }
    member.media = std::make_unique<MediaTestPeer>(*member.client, 0, via);
    if (bind && !member.media->bind())
        return {};
    return member;
}

std::uint32_t ServerMediaTest::publish(Member& member, const QString& streamId)
{
    const auto reply = member->request<PublishReply>(publishRequest(streamId));
    if (!reply || reply->code != 0 || reply->ssrc == 0) {
        qWarning() << "publish of" << streamId << "failed with code" << codeOf(reply);
        return 0;
    }
    return reply->ssrc;
}

bool ServerMediaTest::play(Member& member, const QString& streamId, std::uint32_t expectedSsrc)
{
    const auto reply = member->request<PlayReply>(PlayRequest{.streamId = streamId});
    if (reply && reply->code == 0 && !reply->pending && reply->ssrc == expectedSsrc)
        return true;
    qWarning() << "play of" << streamId << ": code" << codeOf(reply) << "pending"
               << (reply && reply->pending) << "SSRC" << (reply ? reply->ssrc : 0) << "expected" << expectedSsrc;
    return false;
}

bool ServerMediaTest::stage(Stage& s, MediaVia playerVia)
{
    s.a = join(s.room, "alice");
    s.b = join(s.room, "bob", playerVia);
    if (!s.a || !s.b)
        return false;
    s.ssrc = publish(s.a, s.stream);
    return s.ssrc != 0 && play(s.b, s.stream, s.ssrc);
}

bool ServerMediaTest::deliver(Member& from, std::uint32_t ssrc, std::uint64_t first, int count, Member& to,
                              MediaVia arrivalVia, std::optional<std::uint8_t> audioLevel)
{
    return deliverMedia(*from.media, ssrc, first, count, *to.media, arrivalVia, audioLevel);
}

qint64 ServerMediaTest::metric(const QString& name)
{
    QByteArray body;
    if (m_server.httpGet(QStringLiteral("/metrics"), &body) != 200)
        return -1;
    const QByteArray prefix = name.toUtf8() + ' ';
    for (const QByteArray& line : body.split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().toLongLong();
    qWarning() << "no metric" << name;
    return -1;
}

// Counters move on the media thread after the packet; wait for them, then compare exactly.
bool ServerMediaTest::waitForMetric(const QString& name, qint64 expected)
{
    qint64 value = -1;
    if (TestClient::waitUntil([&] { return (value = metric(name)) == expected; }, kTimeoutMs)
        && TestClient::waitUntil([&] { return metric(name) != expected; }, 100) == false)
        return true;
    qWarning() << name << "is" << value << ", expected" << expected;
    return false;
}

// A player that joins a stream whose 16-bit sequence already wrapped learns where the stream is
// from the play reply; without that it could not find the rollover counter of the nonce.
void ServerMediaTest::lateJoinerAfterSequenceWrapOpensTheStream()
{
    const QString room = uniqueId("room");
    const QString stream = uniqueId("stream");
    Member a = join(room, "alice");
    QVERIFY(a);
    const std::uint32_t ssrc = publish(a, stream);
    QVERIFY(ssrc != 0);
    // Steps under half the sequence space keep the server's unwrapper on track, so five
    // packets carry the stream past its first wrap.
    const qint64 received = metric(QStringLiteral("earshot_media_packets_total"));
    const std::uint64_t steps[] = {0, 20'000, 40'000, 60'000, 65'540};
    for (const std::uint64_t extended : steps)
        a.media->sendMedia(ssrc, extended, testPayload(extended));
    QVERIFY(waitForMetric(QStringLiteral("earshot_media_packets_total"), received + 5));

    Member b = join(room, "bob");
    Member c = join(room, "carol");
    QVERIFY(b && c);
    const auto reply = b->request<PlayReply>(PlayRequest{.streamId = stream});
    QCOMPARE(codeOf(reply), 0);
    QCOMPARE(reply->ssrc, ssrc);
    QCOMPARE(reply->highestSequence, std::uint64_t(65'540));
    b.media->joinStream(ssrc, reply->highestSequence);
    QVERIFY(play(c, stream, ssrc)); // carol ignores the reference: ROC 0, like a naive client

    a.media->sendMedia(ssrc, 65'541, testPayload(65'541));
    const auto packet = b.media->waitForMedia();
    QVERIFY(packet);
    QCOMPARE(packet->extendedSequence, std::uint64_t(65'541));
    QCOMPARE(packet->plaintext, testPayload(65'541));
    QVERIFY(TestClient::waitUntil([&] { return c.media->openFailures() == 1; }, kTimeoutMs));
}

void ServerMediaTest::bindAnswersWithRtt()
{
    Member a = join(uniqueId("room"), "alice", MediaVia::Udp, false);
    QVERIFY(a);
    const qint64 binds = metric(QStringLiteral("earshot_media_binds_total"));
    const auto rttUs = a.media->bind();
    QVERIFY(rttUs);
    QVERIFY2(*rttUs >= 0 && *rttUs < 2'000'000, qPrintable(QString::number(*rttUs)));
    QCOMPARE(a.media->lastBindAckVia(), MediaVia::Udp);
    QVERIFY(waitForMetric(QStringLiteral("earshot_media_binds_total"), binds + 1));
    // A keepalive Bind is answered again, with its own sequence.
    QVERIFY(a.media->bind());
    QCOMPARE(a.media->bindAckCount(), 2);
}

void ServerMediaTest::playerReceivesPublisherPacketsByteExact()
{
    Stage s;
    QVERIFY(stage(s));
    const qint64 forwarded = metric(kForwarded);
    QVERIFY(deliver(s.a, s.ssrc, 0, 50, s.b));
    QVERIFY(waitForMetric(kForwarded, forwarded + 50));
    QVERIFY(s.a.media->expectNoMedia(kQuietMs)); // the publisher never hears itself
    QCOMPARE(s.b.media->openFailures(), 0);
}

void ServerMediaTest::playInOtherRoomIsRefusedAndGetsNoMedia()
{
    Stage s;
    QVERIFY(stage(s));
    Member c = join(uniqueId("room"), "carol");
    QVERIFY(c);
    const auto reply = c->request<PlayReply>(PlayRequest{.streamId = s.stream});
    QCOMPARE(codeOf(reply), toInt(ErrorCode::PlayNotAuthorized));
    QCOMPARE(reply->ssrc, 0u);
    QVERIFY(deliver(s.a, s.ssrc, 0, 10, s.b));
    QVERIFY(c.media->expectNoMedia(kQuietMs));
}

void ServerMediaTest::memberWhoDoesNotPlayGetsNoMedia()
{
    Stage s;
    QVERIFY(stage(s));
    Member d = join(s.room, "dave");
    QVERIFY(d);
    QVERIFY(deliver(s.a, s.ssrc, 0, 10, s.b));
    QVERIFY(d.media->expectNoMedia(kQuietMs));
}

void ServerMediaTest::pendingPlayStartsOnPublish()
{
    Stage s;
    s.a = join(s.room, "alice");
    s.b = join(s.room, "bob");
    QVERIFY(s.a && s.b);
    const auto pending = s.b->request<PlayReply>(PlayRequest{.streamId = s.stream});
    QCOMPARE(codeOf(pending), 0);
    QVERIFY(pending->pending);
    QCOMPARE(pending->ssrc, 0u);

    s.ssrc = publish(s.a, s.stream);
    QVERIFY(s.ssrc != 0);
    const auto added = s.b->waitForEvent<StreamUpdateEvent>(kTimeoutMs, [&](const StreamUpdateEvent& e) {
        return e.updateType == UpdateType::Add && streamIdsOf(e.streams).contains(s.stream);
    });
    QVERIFY(added);
    QCOMPARE(added->streams.first().ssrc, s.ssrc);
    QVERIFY(deliver(s.a, s.ssrc, 0, 10, s.b));
}

void ServerMediaTest::mutePlayStopsAndResumesMedia()
{
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 3, s.b));

    QCOMPARE(codeOf(s.b->request<GenericReply>(MutePlayRequest{.streamId = s.stream, .mute = true})), 0);
    for (std::uint64_t i = 3; i < 8; ++i)
        s.a.media->sendMedia(s.ssrc, i, testPayload(i));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));

    QCOMPARE(codeOf(s.b->request<GenericReply>(MutePlayRequest{.streamId = s.stream, .mute = false})), 0);
    QVERIFY(deliver(s.a, s.ssrc, 8, 5, s.b));
    // Muting a stream one does not play is refused.
    QCOMPARE(codeOf(s.b->request<GenericReply>(MutePlayRequest{.streamId = uniqueId("stream"), .mute = true})),
             toInt(ErrorCode::StreamNotFound));
}

void ServerMediaTest::stopPlayStopsMedia()
{
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 3, s.b));
    QCOMPARE(codeOf(s.b->request<GenericReply>(StopPlayRequest{.streamId = s.stream})), 0);
    for (std::uint64_t i = 3; i < 8; ++i)
        s.a.media->sendMedia(s.ssrc, i, testPayload(i));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    // Playing again resumes.
    QVERIFY(play(s.b, s.stream, s.ssrc));
    QVERIFY(deliver(s.a, s.ssrc, 8, 3, s.b));
}

void ServerMediaTest::replayedPacketIsDropped()
{
    Stage s;
    QVERIFY(stage(s));
    QList<QByteArray> captured;
    for (std::uint64_t i = 0; i < 5; ++i)
        captured << s.a.media->sendMedia(s.ssrc, i, testPayload(i));
    QCOMPARE(int(s.b.media->waitForMedia(5, kTimeoutMs).size()), 5);

    const qint64 replays = metric(dropped("replay"));
    s.a.media->sendRaw(captured[4]); // the newest
    s.a.media->sendRaw(captured[1]); // an older one, still inside the window
    QVERIFY(deliver(s.a, s.ssrc, 5, 1, s.b)); // the next fresh packet is the next to arrive
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    QVERIFY(waitForMetric(dropped("replay"), replays + 2));
    QCOMPARE(s.b.media->openFailures(), 0);
}

void ServerMediaTest::corruptedPacketIsDropped_data()
{
    QTest::addColumn<int>("byteOffset"); // negative: from the end
    QTest::addColumn<int>("bitMask");
    // The packets carry the audio level: a 20-byte header, then the ciphertext, then the tag.
    QTest::newRow("payload") << 25 << 0x01;
    QTest::newRow("tag") << -3 << 0x80;
    QTest::newRow("marker") << 1 << 0x80;
    QTest::newRow("payload type") << 1 << 0x01;
    QTest::newRow("timestamp") << 6 << 0x10;
    QTest::newRow("audio level") << 17 << 0x02;
}

void ServerMediaTest::corruptedPacketIsDropped()
{
    QFETCH(int, byteOffset);
    QFETCH(int, bitMask);
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 1, s.b, MediaVia::Udp, 40));

    const qint64 failures = metric(dropped("authentication"));
    const qint64 replays = metric(dropped("replay"));
    const QByteArray original = s.a.media->sealMedia(s.ssrc, 1, testPayload(1), 40);
    QByteArray corrupted = original;
    const qsizetype offset = byteOffset >= 0 ? byteOffset : corrupted.size() + byteOffset;
    corrupted[offset] = char(corrupted[offset] ^ bitMask);
    s.a.media->sendRaw(corrupted);
    QVERIFY(waitForMetric(dropped("authentication"), failures + 1));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));

    // The forgery advanced nothing: the genuine packet with that sequence still gets through.
    s.a.media->sendRaw(original);
    const auto genuine = s.b.media->waitForMedia();
    QVERIFY(genuine);
    QCOMPARE(genuine->extendedSequence, 1u);
    QCOMPARE(genuine->plaintext, testPayload(1));
    QCOMPARE(metric(dropped("replay")), replays);
}

void ServerMediaTest::foreignSsrcFromBoundSessionIsNotOwner()
{
    Stage s;
    QVERIFY(stage(s));
    Member d = join(s.room, "dave");
    QVERIFY(d);
    const qint64 notOwner = metric(dropped("not_owner"));
    // D seals with its own key (the only one it has) but claims A's stream, from its bound address...
    d.media->sendMedia(s.ssrc, 0, testPayload(0));
    QVERIFY(waitForMetric(dropped("not_owner"), notOwner + 1));
    // ...and on its WebSocket.
    d.media->setSendVia(MediaVia::WebSocket);
    d.media->sendMedia(s.ssrc, 1, testPayload(1));
    QVERIFY(waitForMetric(dropped("not_owner"), notOwner + 2));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    // A's own packets with those sequences are untouched.
    QVERIFY(deliver(s.a, s.ssrc, 0, 2, s.b));
}

void ServerMediaTest::garbageFromUnboundSocketIsDropped()
{
    Stage s;
    QVERIFY(stage(s));
    QUdpSocket stranger;
    stranger.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(stranger.bind(QHostAddress::LocalHost, 0));
    const auto send = [&](const QByteArray& bytes) {
        QCOMPARE(stranger.writeDatagram(bytes, QHostAddress::LocalHost, quint16(m_server.mediaUrl().port())),
                 bytes.size());
    };
    QRandomGenerator random(20240611);
    QByteArray noise(200, '\0');
    random.fillRange(reinterpret_cast<quint32*>(noise.data()), noise.size() / 4);
    noise[0] = char(noise[0] & 0x3f); // RTP version 0

    RtpHeader header;
    header.ssrc = s.ssrc ^ 0x5a5a5a5au; // nobody's
    header.sequence = 7;
    QByteArray unknownSsrc(12, '\0');
    QVERIFY(header.write({reinterpret_cast<std::uint8_t*>(unknownSsrc.data()), 12}) == 12);
    unknownSsrc += QByteArray(40, '\x11');
    // A's SSRC and a sequence ahead of A's, with a made-up tag: must not authenticate, nor move A.
    QByteArray forged = s.a.media->sealMedia(s.ssrc, 100, testPayload(100));
    forged[forged.size() - 1] = char(forged[forged.size() - 1] ^ 0x55);

    const QStringList reasons{dropped("malformed"), dropped("oversized"), dropped("unknown_ssrc"), kRebinds};
    QList<qint64> before;
    for (const QString& name : reasons)
        before << metric(name);
    // The forged packet fails to authenticate; it counts as not_owner instead when the kernel
    // gave the stranger a port an earlier test's client had bound (ports get reused), so the
    // two reasons are checked together.
    const auto unopened = [&] {
        return metric(dropped("authentication")) + metric(dropped("not_owner"));
    };
    const qint64 unopenedBefore = unopened();

    const QList<QByteArray> garbage{noise, QByteArray("\x80\x6f\x00", 3), QByteArray(1600, '\x80'),
                                    unknownSsrc, forged};
    for (qsizetype i = 0; i < garbage.size(); ++i) {
        send(garbage[i]);
        QVERIFY(deliver(s.a, s.ssrc, std::uint64_t(i) + 1, 1, s.b)); // A → B keeps flowing
    }
    const QList<qint64> expected{before[0] + 2, before[1] + 1, before[2] + 1, before[3]};
    for (qsizetype i = 0; i < reasons.size(); ++i)
        QVERIFY(waitForMetric(reasons[i], expected[i]));
    QVERIFY(TestClient::waitUntil([&] { return unopened() == unopenedBefore + 1; }, kTimeoutMs));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    QCOMPARE(s.b.media->openFailures(), 0);
}

void ServerMediaTest::datagramAboveReceiveBufferIsCounted()
{
    // Larger than the server's 2048-byte receive slots: it arrives truncated. It must still be
    // dropped as oversized (and counted as received), and must not disturb the batch around it.
    Stage s;
    QVERIFY(stage(s));
    QUdpSocket stranger;
    stranger.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(stranger.bind(QHostAddress::LocalHost, 0));
    const qint64 oversized = metric(dropped("oversized"));
    const qint64 received = metric(QStringLiteral("earshot_media_packets_total"));
    s.a.media->sendMedia(s.ssrc, 0, testPayload(0));
    QCOMPARE(stranger.writeDatagram(QByteArray(4000, '\x80'), QHostAddress::LocalHost,
                                    quint16(m_server.mediaUrl().port())),
             qint64(4000));
    for (std::uint64_t i = 1; i < 4; ++i)
        s.a.media->sendMedia(s.ssrc, i, testPayload(i));
    const std::vector<ReceivedMedia> packets = s.b.media->waitForMedia(4, kTimeoutMs);
    QCOMPARE(int(packets.size()), 4);
    for (std::uint64_t i = 0; i < 4; ++i)
        QCOMPARE(packets[i].plaintext, testPayload(i));
    QVERIFY(waitForMetric(dropped("oversized"), oversized + 1));
    QVERIFY(waitForMetric(QStringLiteral("earshot_media_packets_total"), received + 5));
}

void ServerMediaTest::republishGetsNewSsrcAndPlayerFollows()
{
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 3, s.b));
    s.b->discardEvents<StreamUpdateEvent>(); // the first publish's

    QCOMPARE(codeOf(s.a->request<GenericReply>(UnpublishRequest{.streamId = s.stream})), 0);
    QVERIFY(s.b->waitForEvent<StreamUpdateEvent>(kTimeoutMs, [&](const StreamUpdateEvent& e) {
        return e.updateType == UpdateType::Delete && streamIdsOf(e.streams).contains(s.stream);
    }));
    const std::uint32_t newSsrc = publish(s.a, s.stream);
    QVERIFY(newSsrc != 0);
    QVERIFY(newSsrc != s.ssrc);
    const auto added = s.b->waitForEvent<StreamUpdateEvent>(kTimeoutMs, [&](const StreamUpdateEvent& e) {
        return e.updateType == UpdateType::Add && streamIdsOf(e.streams).contains(s.stream);
    });
    QVERIFY(added);
    QCOMPARE(added->streams.first().ssrc, newSsrc);

    // B is still playing: the new stream reaches it from its first packet; the old SSRC is dead.
    const qint64 unknown = metric(dropped("unknown_ssrc"));
    s.a.media->sendMedia(s.ssrc, 3, testPayload(3));
    QVERIFY(waitForMetric(dropped("unknown_ssrc"), unknown + 1));
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    QVERIFY(deliver(s.a, newSsrc, 0, 10, s.b));
}

void ServerMediaTest::publisherNatRebindingMovesRoute()
{
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 3, s.b));
    const quint16 oldPort = s.a.media->localPort();
    const qint64 rebinds = metric(kRebinds);

    s.a.media->rebindSocket(); // the NAT hands A a new port; A just keeps sending
    QVERIFY(s.a.media->localPort() != oldPort);
    QVERIFY(deliver(s.a, s.ssrc, 3, 10, s.b));
    QVERIFY(waitForMetric(kRebinds, rebinds + 1));
}

void ServerMediaTest::playerRebindMovesRoute()
{
    Stage s;
    QVERIFY(stage(s));
    QVERIFY(deliver(s.a, s.ssrc, 0, 3, s.b));
    const qint64 rebinds = metric(kRebinds);

    s.b.media->rebindSocket();
    QVERIFY(s.b.media->bind());
    QVERIFY(waitForMetric(kRebinds, rebinds + 1));
    QVERIFY(deliver(s.a, s.ssrc, 3, 10, s.b)); // on the new socket...
    QVERIFY(s.b.media->expectNoMedia(kQuietMs));
    QCOMPARE(s.b.media->staleSocketDatagrams(), 0); // ...and only there
}

void ServerMediaTest::audioLevelArrivesIntact()
{
    Stage s;
    QVERIFY(stage(s));
    struct Level {
        std::optional<std::uint8_t> level;
        bool voice;
    };
    const QList<Level> levels{{0, true}, {30, true}, {90, false}, {127, false}, {std::nullopt, false}};
    QList<QByteArray> sent;
    for (qsizetype i = 0; i < levels.size(); ++i)
        sent << s.a.media->sendMedia(s.ssrc, std::uint64_t(i), testPayload(std::uint64_t(i)), levels[i].level,
                                     levels[i].voice);
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const auto packet = s.b.media->waitForMedia();
        QVERIFY(packet);
        QCOMPARE(packet->header.audioLevel, levels[i].level);
        QCOMPARE(packet->header.voiceActivity, levels[i].voice);
        QCOMPARE(packet->headerBytes.size(), qsizetype(levels[i].level ? kRtpHeaderWithAudioLevelBytes
                                                                        : kRtpFixedHeaderBytes));
        QCOMPARE(packet->headerBytes, sent[i].left(packet->headerBytes.size()));
    }
}

void ServerMediaTest::webSocketPlayerReceivesUdpMedia()
{
    Stage s;
    s.a = join(s.room, "alice");
    s.b = join(s.room, "bob", MediaVia::WebSocket, false);
    QVERIFY(s.a && s.b);
    QVERIFY(s.b.media->bind()); // Binds as binary frames only; B's UDP socket never sends
    QCOMPARE(s.b.media->lastBindAckVia(), MediaVia::WebSocket);
    s.ssrc = publish(s.a, s.stream);
    QVERIFY(s.ssrc != 0);
    QVERIFY(play(s.b, s.stream, s.ssrc));
    QVERIFY(deliver(s.a, s.ssrc, 0, 20, s.b, MediaVia::WebSocket, 55));
    QCOMPARE(s.b->unparsableFrameCount(), 0);
}

void ServerMediaTest::webSocketPublisherReachesUdpPlayer()
{
    Stage s;
    QVERIFY(stage(s));
    s.a.media->setSendVia(MediaVia::WebSocket); // no Bind needed: the media itself proves A
    QVERIFY(deliver(s.a, s.ssrc, 0, 20, s.b, MediaVia::Udp, 12));
    // A binds on the WebSocket too and keeps publishing there.
    QVERIFY(s.a.media->bind());
    QCOMPARE(s.a.media->lastBindAckVia(), MediaVia::WebSocket);
    QVERIFY(deliver(s.a, s.ssrc, 20, 5, s.b));
}

void ServerMediaTest::mediaReportReachesPublisher()
{
    Stage s;
    QVERIFY(stage(s));
    Member e = join(s.room, "erin");
    QVERIFY(e);
    const QString otherStream = uniqueId("stream");
    const std::uint32_t otherSsrc = publish(e, otherStream);
    QVERIFY(otherSsrc != 0);

    ReceiverReport report;
    report.streamId = s.stream;
    report.ssrc = s.ssrc;
    report.fractionLost = 12;
    report.cumulativeLost = 3;
    report.highestSequence = 70000;
    report.jitterSamples = 480;
    report.packetsReceived = 1000;
    report.rttMs = 42;
    ReceiverReport notPlayed = report; // B does not play E's stream
    notPlayed.streamId = otherStream;
    notPlayed.ssrc = otherSsrc;
    s.b->sendRawText(serializeSignalMessage(0, MediaReportEvent{{notPlayed, report}}));

    const auto received = s.a->waitForEvent<ReceiverReportEvent>(kTimeoutMs);
    QVERIFY(received);
    QCOMPARE(received->roomId, s.room);
    QCOMPARE(received->fromUser.userId, s.b->userId());
    QCOMPARE(received->report, report);
    QVERIFY(e->expectNoEvent<ReceiverReportEvent>(kQuietMs));
    QVERIFY(s.a->expectNoEvent<ReceiverReportEvent>(0));

    // A member who does not play A's stream cannot report on it either.
    e->sendRawText(serializeSignalMessage(0, MediaReportEvent{{report}}));
    QVERIFY(s.a->expectNoEvent<ReceiverReportEvent>(kQuietMs));
}

void ServerMediaTest::binaryFramesBeforeLoginAreDropped()
{
    const QString room = uniqueId("room");
    TestClient client(m_server.signallingUrl());
    QVERIFY(client.connectToServer());
    const qint64 droppedFrames = metric(kBinaryDropped);
    const qint64 received = metric(QStringLiteral("earshot_media_packets_total"));
    QByteArray rtpLike(40, '\x22');
    rtpLike[0] = char(0x80);
    rtpLike[1] = char(kMediaControlPayloadType);
    client.sendRawBinary(rtpLike);
    client.sendRawBinary(QByteArray(300, '\x01'));
    client.sendRawBinary(QByteArray(1, '\0'));
    QVERIFY(waitForMetric(kBinaryDropped, droppedFrames + 3));
    QCOMPARE(metric(QStringLiteral("earshot_media_packets_total")), received); // never reached media
    QVERIFY(client.isConnected());

    QCOMPARE(codeOf(client.loginAppSign(kAppA, room, uniqueId("alice"))), 0);
    MediaTestPeer media(client, 0, MediaVia::WebSocket);
    QVERIFY(media.isValid());
    QVERIFY(media.bind()); // and the same connection carries media after login
    QCOMPARE(media.lastBindAckVia(), MediaVia::WebSocket);
}

QTEST_GUILESS_MAIN(ServerMediaTest)
#include "ServerMediaTest.moc"
