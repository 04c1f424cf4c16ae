# Renews the ACME certificate of ${domain} when it expires within 30 days. Written by matrix-install up.
[Unit]
Description=matrix-install certificate renewal for ${domain}
After=docker.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${systemd_arg(java)} -jar ${systemd_arg(agent_jar)} renew --state-dir ${systemd_arg(state_dir)}
