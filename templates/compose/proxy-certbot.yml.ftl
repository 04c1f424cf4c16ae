# The public proxy: nginx terminating TLS for ${domain}. Managed by matrix-install.
services:
  nginx:
    image: "${images.proxy?j_string}"
    restart: unless-stopped
    labels:
      org.matrix-install.inputs: "${(inputs.nginx)!}"
    network_mode: host
    environment:
      CERTBOT_EMAIL: "${email?j_string}"
    env_file:
      - "${paths.certbot_env?j_string}"
    volumes:
      - nginx_secrets:/etc/letsencrypt
      - "${paths.user_conf_dir?j_string}:/etc/nginx/user_conf.d"

volumes:
  nginx_secrets:
