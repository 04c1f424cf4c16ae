# The public proxy: nginx for ${domain} (TLS mode ${tls_mode}). Managed by matrix-install.
# Certificates are written by matrix-install under ${paths.letsencrypt_dir} and mounted read-only
# at the seed's /etc/letsencrypt paths.
services:
  nginx:
    image: "${images.nginx?j_string}"
    restart: unless-stopped
    labels:
      org.matrix-install.inputs: "${(inputs.nginx)!}"
    network_mode: host
    volumes:
      - "${paths.user_conf_dir?j_string}:/etc/nginx/conf.d:ro"
      - "${paths.letsencrypt_dir?j_string}:/etc/letsencrypt:ro"
      - "${paths.acme_webroot?j_string}:/var/www/acme:ro"
