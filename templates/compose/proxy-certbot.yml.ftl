# The public proxy: nginx terminating TLS for ${domain}. Managed by matrix-install.
services:
  nginx:
    image: "${images.proxy?json_string}"
    restart: unless-stopped
    network_mode: host
    environment:
      CERTBOT_EMAIL: "${email?json_string}"
    env_file:
      - "${paths.certbot_env?json_string}"
    volumes:
      - nginx_secrets:/etc/letsencrypt
      - "${paths.user_conf_dir?json_string}:/etc/nginx/user_conf.d"

volumes:
  nginx_secrets:
