# Once a day, at a time derived from the domain. Written by matrix-install up.
[Unit]
Description=matrix-install image refresh for ${domain}, daily

[Timer]
OnCalendar=*-*-* ${hour?c}:${minute?c}:00
Persistent=true

[Install]
WantedBy=timers.target
