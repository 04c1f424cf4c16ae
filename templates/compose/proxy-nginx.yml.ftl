# The public proxy: nginx for ${domain} (TLS mode ${tls_mode}). Managed by matrix-install.
# Certificates are written by matrix-install under ${paths.letsencrypt_dir} and mounted read-only
# at the seed's /etc/letsencrypt paths.
services:
  nginx:
    image: ${yaml(images.nginx)}
    restart: unless-stopped
    labels:
      org.matrix-install.inputs: ${yaml((inputs.nginx)!"")}
    network_mode: host
    volumes:
      - ${yaml(paths.user_conf_dir + ":/etc/nginx/conf.d:ro")}
      - ${yaml(paths.letsencrypt_dir + ":/etc/letsencrypt:ro")}
      - ${yaml(paths.acme_webroot + ":/var/www/acme:ro")}
