# earshot-server (RPM %preun): stop and disable on the last removal ($1 = 0), not on upgrades.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
    systemctl disable --now earshot-server.service >/dev/null 2>&1 || :
fi
