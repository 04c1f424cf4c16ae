# Refreshes the images of ${domain}: the unattended `update` (pull, recreate what changed, roll back by itself),
# then prunes dangling images. Written by matrix-install up.
[Unit]
Description=matrix-install image refresh for ${domain}
After=docker.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${systemd_arg(java)} -jar ${systemd_arg(agent_jar)} refresh --state-dir ${systemd_arg(state_dir)}
