<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>earshot::ui::AppController</name>
    <message>
        <source>This computer could not host a room: its network ports could not be opened. Close other Earshot servers and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join me in Earshot: server %1, AppID %2, room %3.
With the app: earshot %4 --join
With the command line: earshot-cli %4 --user YOUR_NAME --publish YOUR_NAME --play-all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was lost; reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You joined room %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are hosting this room. Others on your network join at %1 with AppID %2; Room ▸ Copy Invitation copies everything they need.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The invitation is on the clipboard; paste it to whoever should join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Earshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Earshot %1&lt;/h3&gt;&lt;p&gt;Voice chat for rooms of people, on your own server or hosted on this computer.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room to test your microphone: it opens when you join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speak now; you will hear yourself in a few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is how others hear you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::ChatPanel</name>
    <message>
        <source>Write to everyone in the room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room to chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message is too long to send; shorten it a little.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::ConnectionIndicator</name>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to room %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection lost; reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were removed from the room.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::LevelMeter</name>
    <message>
        <source>Sound level</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::LoginPanel</name>
    <message>
        <source>Enter the server&apos;s address, for example ws://192.168.1.20:7400/.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the AppID as a positive whole number, as the server&apos;s operator gave it to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;AppID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ws://host:7400/</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown to others; the user ID if empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AppSign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token your app&apos;s service issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>64 hexadecimal digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server? Host a room on this computer; others on your network can join it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host a room on this computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::MainWindow</name>
    <message>
        <source>Earshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host a Room on This Computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy Invitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mute Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deafen (Mute Everyone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Earshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody else is talking in this room yet. Invite someone to join it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::PublishPanel</name>
    <message>
        <source>Your microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute or unmute your microphone (Ctrl+M).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Transmit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continuously</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On voice activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While a key is held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;hreshold:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your voice is sent when the level passes this mark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push-to-talk &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click, then press the key to hold while you talk. It works while this window is active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting to send your voice…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sending: join a room to talk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Muted: nobody hears you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others hear you now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silent until you talk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold %1 to talk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::QualityBars</name>
    <message>
        <source>Connection quality: not measured yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round trip: %1
Packet loss: %2 %
Jitter: %3 ms
MOS: %4 of 4.5
Received: %5 kbit/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::SettingsDialog</name>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Speaker:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Echo cancellation (for speakers rather than headphones)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Noise suppression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic &amp;gain control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microphone &amp;volume:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio &amp;quality:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basic (16 kbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard (48 kbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard stereo (56 kbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High (128 kbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High stereo (192 kbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jitter buffer (ms):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The least audio held back to smooth out network delays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The most audio held back; more survives a worse network but adds delay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records a few seconds of your microphone and plays them back to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Appearance:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play a sound when someone joins or leaves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::StreamPanel</name>
    <message>
        <source>Unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You do not hear this stream. Click to hear it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop hearing this stream (only for you).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volume of this stream for you, 0 to 200 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not playing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the stream…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playing; their microphone is muted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playing.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::TrayIcon</name>
    <message>
        <source>Show Earshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earshot: in room %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earshot: not in a room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>earshot::ui::UserListPanel</name>
    <message>
        <source>In this room (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaking.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends audio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only listens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their microphone is muted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Muted by you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volume %1 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute for me</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
