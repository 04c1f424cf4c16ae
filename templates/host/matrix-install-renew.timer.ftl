# Twice a day, at a random minute, as Let's Encrypt asks of clients. Written by matrix-install up.
[Unit]
Description=matrix-install certificate renewal for ${domain}, twice a day

[Timer]
OnCalendar=*-*-* 03,15:00:00
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target
