# Refreshes the images of ${domain} once a day: pull, recreate what changed, roll back by itself when the new
# release is not healthy, prune dangling images. Each run adds a line to update-history.log. Written by matrix-install up.
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
${minute?c} ${hour?c} * * * root ${cron_arg(java)} -jar ${cron_arg(agent_jar)} refresh --state-dir ${cron_arg(state_dir)} >/dev/null 2>&1
