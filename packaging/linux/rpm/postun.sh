# earshot-server (RPM %postun): the generated credentials go with the last removal.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
fi
if [ "$1" -eq 0 ]; then
    rm -f /etc/earshot/apps.json
fi
