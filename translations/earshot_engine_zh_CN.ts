<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>earshot::ErrorText</name>
    <message>
        <location filename="../engine/src/errors/ErrorText.cpp" line="+20"/>
        <source>Unknown error (code %1).</source>
        <extracomment>%1 is the numeric error code.</extracomment>
        <translation>未知错误（错误码 %1）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Success.</source>
        <translation>成功。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The engine has not been created. Create the engine first.</source>
        <translation>引擎尚未创建。请先创建引擎。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are not logged in to a room. Log in to a room first.</source>
        <translation>尚未登录房间。请先登录房间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The stream ID is too long: it may have at most 256 characters.</source>
        <translation>流 ID 过长：最多 256 个字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The stream ID is empty. Enter a stream ID.</source>
        <translation>流 ID 为空。请填写流 ID。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The stream ID contains a character that is not allowed. Use only letters, digits, underscores (_) and hyphens (-).</source>
        <translation>流 ID 包含不允许的字符。只能使用字母、数字、下划线（_）和连字符（-）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A parameter is not valid. Check the values passed to the function.</source>
        <translation>参数无效。请检查传入接口的参数值。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The AppID is 0. Use the AppID that was issued for your app.</source>
        <translation>AppID 为 0。请使用为您的应用分配的 AppID。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The AppSign must be exactly 64 characters long.</source>
        <translation>AppSign 的长度必须正好是 64 个字符。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The AppSign may contain only hexadecimal digits (0-9 and a-f).</source>
        <translation>AppSign 只能包含十六进制字符（0-9 和 a-f）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server does not know this AppID. Check that the AppID is correct.</source>
        <translation>服务器无法识别此 AppID。请检查 AppID 是否正确。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The AppSign does not match the AppID. Check that the AppSign is correct.</source>
        <translation>AppSign 与 AppID 不匹配。请检查 AppSign 是否正确。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You are already logged in to a room. Log out of it before logging in to another one.</source>
        <translation>已登录一个房间。请先退出该房间，再登录其他房间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You are not logged in to this room.</source>
        <translation>尚未登录该房间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user ID is empty. Enter a user ID.</source>
        <translation>用户 ID 为空。请填写用户 ID。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user ID contains a character that is not allowed. Use only letters, digits and these symbols: ~!@#$%^&amp;*()_+=-`;&apos;,.&lt;&gt;\</source>
        <translation>用户 ID 包含不允许的字符。只能使用字母、数字和以下符号：~!@#$%^&amp;*()_+=-`;&apos;,.&lt;&gt;\</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user ID is too long: it may have at most 63 characters.</source>
        <translation>用户 ID 过长：最多 63 个字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The user name is empty. Enter a user name.</source>
        <translation>用户名为空。请填写用户名。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user name contains a control character or text that is not valid UTF-8.</source>
        <translation>用户名包含控制字符或无效的 UTF-8 文本。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user name is too long: it may have at most 255 bytes in UTF-8.</source>
        <translation>用户名过长：按 UTF-8 编码最多 255 个字节。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The room ID is empty. Enter a room ID.</source>
        <translation>房间 ID 为空。请填写房间 ID。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The room ID contains a character that is not allowed. Use only letters, digits and these symbols: ~!@#$%^&amp;*()_+=-`;&apos;,.&lt;&gt;\</source>
        <translation>房间 ID 包含不允许的字符。只能使用字母、数字和以下符号：~!@#$%^&amp;*()_+=-`;&apos;,.&lt;&gt;\</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The room ID is too long: it may have at most 127 characters.</source>
        <translation>房间 ID 过长：最多 127 个字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Login failed because of a network problem. Check your network connection and try again.</source>
        <translation>网络异常，登录失败。请检查网络连接后重试。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Login timed out. Check your network connection and try again.</source>
        <translation>登录超时。请检查网络连接后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Login failed: the token is invalid or has expired. Ask the app for a new token.</source>
        <translation>登录失败：Token 无效或已过期。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The room is full: it has reached its maximum number of members. Try again later.</source>
        <translation>房间已满：成员人数已达上限。请稍后再试。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You were removed from the room because the same user ID logged in somewhere else.</source>
        <translation>同一用户 ID 已在其他地方登录，您已被踢出房间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The connection to the server was lost. Reconnecting...</source>
        <translation>与服务器的连接已断开，正在重新连接……</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You have been disconnected from the room.</source>
        <translation>已与房间断开连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting took too long and has been given up. Check your network connection and log in again.</source>
        <translation>重连超时，已停止重连。请检查网络连接后重新登录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You were removed from the room by the app&apos;s server.</source>
        <translation>您已被应用的服务端踢出房间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You were removed from the room because your token expired. Log in again with a new token.</source>
        <translation>Token 已过期，您已被踢出房间。请使用新的 Token 重新登录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Neither an AppSign nor a token was given. Provide one of them to log in.</source>
        <translation>未提供 AppSign 或 Token。请提供其中之一后再登录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The token&apos;s payload is not valid JSON. Ask the app for a new token.</source>
        <translation>Token 的 payload 不是有效的 JSON。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token was issued for a different AppID. Ask the app for a new token.</source>
        <translation>该 Token 是为其他 AppID 签发的。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The token was issued for a different user ID. Ask the app for a new token.</source>
        <translation>该 Token 是为其他用户 ID 签发的。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The token has expired. Ask the app for a new token.</source>
        <translation>Token 已过期。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The token&apos;s version is not supported. Ask the app for a new token.</source>
        <translation>不支持该 Token 的版本。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token is malformed: its nonce is not valid. Ask the app for a new token.</source>
        <translation>Token 格式错误：nonce 无效。请通过应用重新获取 Token。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The renewed token does not allow publishing streams.</source>
        <translation>更新后的 Token 没有推流权限。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You are already publishing another stream. Stop it before publishing a new one.</source>
        <translation>正在推送另一条流。请先停止该推流，再推送新的流。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server has forbidden publishing this stream.</source>
        <translation>服务器已禁止推送该流。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Someone is already publishing a stream with this ID. Use a different stream ID.</source>
        <translation>已有其他用户在使用该流 ID 推流。请更换流 ID。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You are not allowed to publish: the token does not grant the publish privilege.</source>
        <translation>无法推流：Token 未授予推流权限。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stream does not exist. Check the stream ID.</source>
        <translation>该流不存在。请检查流 ID。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are not allowed to play this stream.</source>
        <translation>没有拉取该流的权限。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are already playing the maximum of 12 streams. Stop one before playing another.</source>
        <translation>拉流数量已达上限（12 路）。请先停止一路拉流，再拉取其他流。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server has forbidden playing this stream.</source>
        <translation>服务器已禁止拉取该流。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The audio device reported an error. Check the device or choose another one.</source>
        <translation>音频设备出错。请检查设备，或选择其他设备。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The audio device was not found, or it cannot be used this way. Choose another device.</source>
        <translation>找不到该音频设备，或该设备不支持此用途。请选择其他设备。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The app is not allowed to use the audio device. Allow access in the system&apos;s privacy settings.</source>
        <translation>应用没有使用该音频设备的权限。请在系统的隐私设置中允许访问。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The microphone delivers no sound. Check that it is connected and not muted, or choose another one.</source>
        <translation>麦克风没有采集到声音。请检查麦克风是否已连接且未静音，或选择其他麦克风。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The audio device is being used by another application. Close that application or choose another device.</source>
        <translation>音频设备正被其他应用占用。请关闭该应用，或选择其他设备。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The audio device was unplugged or stopped working. Reconnect it or choose another device.</source>
        <translation>音频设备已被拔出或停止工作。请重新连接该设备，或选择其他设备。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The message is empty. Type something to send.</source>
        <translation>消息内容为空。请输入要发送的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The message is too long: it may have at most 1024 bytes in UTF-8.</source>
        <translation>消息过长：按 UTF-8 编码最多 1024 个字节。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The message is addressed to a room you are not logged in to.</source>
        <translation>该消息发往的房间不是您当前登录的房间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Messages are being sent too fast. Wait a moment and try again.</source>
        <translation>消息发送过于频繁。请稍后再试。</translation>
    </message>
</context>
</TS>
