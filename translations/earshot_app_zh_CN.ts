<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>earshot::ui::AppController</name>
    <message>
        <source>This computer could not host a room: its network ports could not be opened. Close other Earshot servers and try again.</source>
        <translation>无法在这台电脑上主持房间：网络端口无法打开。请关闭其他 Earshot 服务器后重试。</translation>
    </message>
    <message>
        <source>Join me in Earshot: server %1, AppID %2, room %3.
With the app: earshot %4 --join
With the command line: earshot-cli %4 --user YOUR_NAME --publish YOUR_NAME --play-all</source>
        <translation>来 Earshot 和我聊天：服务器 %1，AppID %2，房间 %3。
用应用加入：earshot %4 --join
用命令行加入：earshot-cli %4 --user 你的名字 --publish 你的名字 --play-all</translation>
    </message>
    <message>
        <source>%1 joined.</source>
        <translation>%1 加入了房间。</translation>
    </message>
    <message>
        <source>%1 left.</source>
        <translation>%1 离开了房间。</translation>
    </message>
    <message>
        <source>The connection was lost; reconnecting…</source>
        <translation>连接已断开，正在重新连接…</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>房间 %1</translation>
    </message>
    <message>
        <source>You joined room %1.</source>
        <translation>你已加入房间 %1。</translation>
    </message>
    <message>
        <source>You are hosting this room. Others on your network join at %1 with AppID %2; Room ▸ Copy Invitation copies everything they need.</source>
        <translation>你正在主持这个房间。同一网络中的其他人可通过 %1 和 AppID %2 加入；“房间 ▸ 复制邀请”会复制他们需要的全部信息。</translation>
    </message>
    <message>
        <source>Reconnected.</source>
        <translation>已重新连接。</translation>
    </message>
    <message>
        <source>The invitation is on the clipboard; paste it to whoever should join.</source>
        <translation>邀请已复制到剪贴板，请粘贴给要加入的人。</translation>
    </message>
    <message>
        <source>About Earshot</source>
        <translation>关于 Earshot</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Earshot %1&lt;/h3&gt;&lt;p&gt;Voice chat for rooms of people, on your own server or hosted on this computer.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Earshot %1&lt;/h3&gt;&lt;p&gt;多人房间语音聊天，可使用你自己的服务器，也可在这台电脑上主持。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Join a room to test your microphone: it opens when you join.</source>
        <translation>请先加入房间再测试麦克风：麦克风在加入房间时打开。</translation>
    </message>
    <message>
        <source>Speak now; you will hear yourself in a few seconds.</source>
        <translation>请现在说话，几秒钟后你会听到自己的声音。</translation>
    </message>
    <message>
        <source>This is how others hear you.</source>
        <translation>这就是别人听到的你的声音。</translation>
    </message>
</context>
<context>
    <name>earshot::ui::ChatPanel</name>
    <message>
        <source>Write to everyone in the room</source>
        <translation>发消息给房间里的所有人</translation>
    </message>
    <message>
        <source>Join a room to chat</source>
        <translation>加入房间后即可聊天</translation>
    </message>
    <message>
        <source>%1 of %2 bytes</source>
        <translation>%1 / %2 字节</translation>
    </message>
    <message>
        <source>This message is too long to send; shorten it a little.</source>
        <translation>这条消息太长，无法发送，请稍微缩短一些。</translation>
    </message>
    <message>
        <source>Room chat</source>
        <translation>房间聊天</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>earshot::ui::ConnectionIndicator</name>
    <message>
        <source>Not connected.</source>
        <translation>未连接。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connected to room %1.</source>
        <translation>已连接到房间 %1。</translation>
    </message>
    <message>
        <source>Connection lost; reconnecting…</source>
        <translation>连接已断开，正在重新连接…</translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation>连接失败。</translation>
    </message>
    <message>
        <source>You were removed from the room.</source>
        <translation>你已被移出房间。</translation>
    </message>
</context>
<context>
    <name>earshot::ui::LevelMeter</name>
    <message>
        <source>Sound level</source>
        <translation>音量电平</translation>
    </message>
</context>
<context>
    <name>earshot::ui::LoginPanel</name>
    <message>
        <source>Enter the server&apos;s address, for example ws://192.168.1.20:7400/.</source>
        <translation>请输入服务器地址，例如 ws://192.168.1.20:7400/。</translation>
    </message>
    <message>
        <source>Enter the AppID as a positive whole number, as the server&apos;s operator gave it to you.</source>
        <translation>请输入 AppID（正整数），即服务器管理员提供给你的编号。</translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation>加入房间</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;AppID:</source>
        <translation>AppID(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>房间(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation>用户 ID(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名字(&amp;N)：</translation>
    </message>
    <message>
        <source>ws://host:7400/</source>
        <translation>ws://主机:7400/</translation>
    </message>
    <message>
        <source>Shown to others; the user ID if empty</source>
        <translation>向其他人显示；留空则使用用户 ID</translation>
    </message>
    <message>
        <source>AppSign</source>
        <translation>AppSign</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>The token your app&apos;s service issued</source>
        <translation>你的应用服务签发的令牌</translation>
    </message>
    <message>
        <source>64 hexadecimal digits</source>
        <translation>64 位十六进制数字</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
    </message>
    <message>
        <source>No server? Host a room on this computer; others on your network can join it.</source>
        <translation>没有服务器？在这台电脑上主持一个房间，同一网络中的其他人就能加入。</translation>
    </message>
    <message>
        <source>&amp;Host a room on this computer</source>
        <translation>在这台电脑上主持房间(&amp;H)</translation>
    </message>
</context>
<context>
    <name>earshot::ui::MainWindow</name>
    <message>
        <source>Earshot</source>
        <translation>Earshot</translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation>房间(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Host a Room on This Computer</source>
        <translation>在这台电脑上主持房间(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Copy Invitation</source>
        <translation>复制邀请(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Leave Room</source>
        <translation>离开房间(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Audio</source>
        <translation>音频(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Mute Microphone</source>
        <translation>麦克风静音(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Deafen (Mute Everyone)</source>
        <translation>关闭收听（静音所有人）(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Earshot</source>
        <translation>关于 Earshot(&amp;A)</translation>
    </message>
    <message>
        <source>Nobody else is talking in this room yet. Invite someone to join it.</source>
        <translation>这个房间里还没有其他人在说话。邀请别人加入吧。</translation>
    </message>
</context>
<context>
    <name>earshot::ui::PublishPanel</name>
    <message>
        <source>Your microphone</source>
        <translation>你的麦克风</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Mute or unmute your microphone (Ctrl+M).</source>
        <translation>将麦克风静音或取消静音（Ctrl+M）。</translation>
    </message>
    <message>
        <source>&amp;Transmit:</source>
        <translation>发送方式(&amp;T)：</translation>
    </message>
    <message>
        <source>Continuously</source>
        <translation>持续发送</translation>
    </message>
    <message>
        <source>On voice activity</source>
        <translation>检测到语音时</translation>
    </message>
    <message>
        <source>While a key is held</source>
        <translation>按住按键时</translation>
    </message>
    <message>
        <source>T&amp;hreshold:</source>
        <translation>阈值(&amp;H)：</translation>
    </message>
    <message>
        <source>Your voice is sent when the level passes this mark.</source>
        <translation>音量超过这条标记时发送你的声音。</translation>
    </message>
    <message>
        <source>Push-to-talk &amp;key:</source>
        <translation>按键说话的按键(&amp;K)：</translation>
    </message>
    <message>
        <source>Click, then press the key to hold while you talk. It works while this window is active.</source>
        <translation>点击这里，然后按下说话时要按住的键。仅在本窗口处于活动状态时有效。</translation>
    </message>
    <message>
        <source>Starting to send your voice…</source>
        <translation>正在开始发送你的声音…</translation>
    </message>
    <message>
        <source>Not sending: join a room to talk.</source>
        <translation>未发送：加入房间后即可说话。</translation>
    </message>
    <message>
        <source>Muted: nobody hears you.</source>
        <translation>已静音：没有人能听到你。</translation>
    </message>
    <message>
        <source>Others hear you now.</source>
        <translation>其他人现在能听到你。</translation>
    </message>
    <message>
        <source>Silent until you talk.</source>
        <translation>你说话时才会发送声音。</translation>
    </message>
    <message>
        <source>Hold %1 to talk.</source>
        <translation>按住 %1 说话。</translation>
    </message>
</context>
<context>
    <name>earshot::ui::QualityBars</name>
    <message>
        <source>Connection quality: not measured yet.</source>
        <translation>连接质量：尚未测量。</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Round trip: %1
Packet loss: %2 %
Jitter: %3 ms
MOS: %4 of 4.5
Received: %5 kbit/s</source>
        <translation>往返时延：%1
丢包率：%2 %
抖动：%3 毫秒
MOS：%4（满分 4.5）
接收：%5 kbit/s</translation>
    </message>
</context>
<context>
    <name>earshot::ui::SettingsDialog</name>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation>麦克风(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Speaker:</source>
        <translation>扬声器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Echo cancellation (for speakers rather than headphones)</source>
        <translation>回声消除（使用扬声器而非耳机时）(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Noise suppression</source>
        <translation>噪声抑制(&amp;N)</translation>
    </message>
    <message>
        <source>Automatic &amp;gain control</source>
        <translation>自动增益控制(&amp;G)</translation>
    </message>
    <message>
        <source>Microphone &amp;volume:</source>
        <translation>麦克风音量(&amp;V)：</translation>
    </message>
    <message>
        <source>Audio &amp;quality:</source>
        <translation>音质(&amp;Q)：</translation>
    </message>
    <message>
        <source>Basic (16 kbit/s)</source>
        <translation>基础（16 kbit/s）</translation>
    </message>
    <message>
        <source>Standard (48 kbit/s)</source>
        <translation>标准（48 kbit/s）</translation>
    </message>
    <message>
        <source>Standard stereo (56 kbit/s)</source>
        <translation>标准立体声（56 kbit/s）</translation>
    </message>
    <message>
        <source>High (128 kbit/s)</source>
        <translation>高（128 kbit/s）</translation>
    </message>
    <message>
        <source>High stereo (192 kbit/s)</source>
        <translation>高立体声（192 kbit/s）</translation>
    </message>
    <message>
        <source>&amp;Jitter buffer (ms):</source>
        <translation>抖动缓冲（毫秒）(&amp;J)：</translation>
    </message>
    <message>
        <source>The least audio held back to smooth out network delays.</source>
        <translation>为平滑网络延迟而缓冲的最少音频。</translation>
    </message>
    <message>
        <source>The most audio held back; more survives a worse network but adds delay.</source>
        <translation>缓冲的最多音频；越多越能应对较差的网络，但延迟也越大。</translation>
    </message>
    <message>
        <source>&amp;Test microphone</source>
        <translation>测试麦克风(&amp;T)</translation>
    </message>
    <message>
        <source>Records a few seconds of your microphone and plays them back to you.</source>
        <translation>录下几秒钟麦克风的声音，然后播放给你听。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>&amp;Appearance:</source>
        <translation>外观(&amp;A)：</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Play a sound when someone joins or leaves</source>
        <translation>有人加入或离开时播放提示音</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>earshot::ui::StreamPanel</name>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>You do not hear this stream. Click to hear it again.</source>
        <translation>你听不到这路音频流。点击即可重新收听。</translation>
    </message>
    <message>
        <source>Stop hearing this stream (only for you).</source>
        <translation>不再收听这路音频流（仅对你有效）。</translation>
    </message>
    <message>
        <source>Volume of this stream for you, 0 to 200 %.</source>
        <translation>这路音频流在你这里的音量，0 到 200 %。</translation>
    </message>
    <message>
        <source>Not playing.</source>
        <translation>未播放。</translation>
    </message>
    <message>
        <source>Connecting to the stream…</source>
        <translation>正在连接音频流…</translation>
    </message>
    <message>
        <source>Playing; their microphone is muted.</source>
        <translation>正在播放；对方的麦克风已静音。</translation>
    </message>
    <message>
        <source>Playing.</source>
        <translation>正在播放。</translation>
    </message>
</context>
<context>
    <name>earshot::ui::TrayIcon</name>
    <message>
        <source>Show Earshot</source>
        <translation>显示 Earshot</translation>
    </message>
    <message>
        <source>Earshot: in room %1</source>
        <translation>Earshot：在房间 %1 中</translation>
    </message>
    <message>
        <source>Earshot: not in a room</source>
        <translation>Earshot：不在房间中</translation>
    </message>
</context>
<context>
    <name>earshot::ui::UserListPanel</name>
    <message>
        <source>In this room (%1)</source>
        <translation>房间成员（%1）</translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation>这是你。</translation>
    </message>
    <message>
        <source>Speaking.</source>
        <translation>正在说话。</translation>
    </message>
    <message>
        <source>Sends audio.</source>
        <translation>正在发送音频。</translation>
    </message>
    <message>
        <source>Only listens.</source>
        <translation>只在收听。</translation>
    </message>
    <message>
        <source>Their microphone is muted.</source>
        <translation>对方的麦克风已静音。</translation>
    </message>
    <message>
        <source>Muted by you.</source>
        <translation>已被你静音。</translation>
    </message>
    <message>
        <source>Volume %1 %.</source>
        <translation>音量 %1 %。</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Reset volume</source>
        <translation>恢复音量</translation>
    </message>
    <message>
        <source>Mute for me</source>
        <translation>对我静音</translation>
    </message>
</context>
</TS>
