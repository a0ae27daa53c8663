# earshot-server (RPM %post): the service user, the app credentials, the systemd unit.
getent group earshot >/dev/null || groupadd --system earshot
getent passwd earshot >/dev/null || useradd --system --gid earshot --home-dir /nonexistent \
    --no-create-home --shell /sbin/nologin --comment "Earshot voice chat server" earshot
if [ ! -e /etc/earshot/apps.json ]; then
    app_sign=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
    server_secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
    umask 077
    printf '{\n    "apps": [\n        { "app_id": 1, "app_sign": "%s", "server_secret": "%s" }\n    ]\n}\n' \
        "$app_sign" "$server_secret" > /etc/earshot/apps.json.new
    chown root:earshot /etc/earshot/apps.json.new
    chmod 0640 /etc/earshot/apps.json.new
    mv /etc/earshot/apps.json.new /etc/earshot/apps.json
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    # $1 is 1 on a first installation: enable and start, as Debian's package does.
    if [ "$1" -eq 1 ]; then
        systemctl enable --now earshot-server.service >/dev/null 2>&1 || :
    else
        systemctl try-restart earshot-server.service >/dev/null 2>&1 || :
    fi
fi
