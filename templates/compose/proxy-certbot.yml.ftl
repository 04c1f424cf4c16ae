# The public proxy: jonasal/nginx-certbot terminating TLS for ${domain}; certbot inside it obtains and
# renews the certificate into the nginx_secrets volume. Managed by matrix-install.
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
      - "${paths.user_conf_dir?j_string}:/etc/nginx/user_conf.d:ro"
      - "${paths.certbot_image_redirector?j_string}:/etc/nginx/conf.d/redirector.conf:ro"
      - "${paths.certbot_trust_dir?j_string}:/etc/matrix-install/trust:ro"

volumes:
  nginx_secrets:
