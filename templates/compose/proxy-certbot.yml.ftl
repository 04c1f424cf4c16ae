# The public proxy: jonasal/nginx-certbot terminating TLS for ${domain}; certbot inside it obtains and
# renews the certificate into the nginx_secrets volume. Managed by matrix-install.
services:
  nginx:
    image: ${yaml(images.proxy)}
    restart: unless-stopped
    labels:
      org.matrix-install.inputs: ${yaml((inputs.nginx)!"")}
    network_mode: host
    environment:
      CERTBOT_EMAIL: ${yaml(email)}
    env_file:
      - ${yaml(paths.certbot_env)}
    volumes:
      - nginx_secrets:/etc/letsencrypt
      - ${yaml(paths.user_conf_dir + ":/etc/nginx/user_conf.d:ro")}
      - ${yaml(paths.certbot_image_redirector + ":/etc/nginx/conf.d/redirector.conf:ro")}
      - ${yaml(paths.certbot_trust_dir + ":/etc/matrix-install/trust:ro")}

volumes:
  nginx_secrets:
