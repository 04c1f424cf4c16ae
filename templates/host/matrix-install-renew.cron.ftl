# Renews the ACME certificate of ${domain} twice a day (hosts without systemd). Written by matrix-install up.
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
${minute} 3,15 * * * root ${cron_arg(java)} -jar ${cron_arg(agent_jar)} renew --state-dir ${cron_arg(state_dir)} >/dev/null 2>&1
