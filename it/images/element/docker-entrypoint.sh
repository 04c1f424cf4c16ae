#!/bin/sh
# Copies /app/config.json to where nginx serves /config.json from (so, like the official image,
# a changed config needs a container restart) and writes the site for ELEMENT_WEB_PORT.
set -eu

port=${ELEMENT_WEB_PORT:-80}
served=/tmp/element-web-config

mkdir -p "$served"
if [ -f /app/config.json ]; then
    cp /app/config.json "$served/config.json"
    chmod 644 "$served/config.json"
else
    echo "element-web: no /app/config.json mounted; /config.json will answer 404" >&2
    rm -f "$served/config.json"
fi

cat > /etc/nginx/conf.d/element-web.conf <<SITE
server {
    listen $port default_server;
    server_name _;
    root /app;
    index index.html;
    # Like the official image's docker/nginx-templates/default.conf.template: no-cache for what changes with a
    # release, and no security headers (Element's README leaves those to the server in front, matrix-install's proxy).
    location = /index.html {
        add_header Cache-Control "no-cache";
    }
    location = /version {
        add_header Cache-Control "no-cache";
    }
    location = /config.json {
        alias $served/config.json;
        add_header Cache-Control "no-cache";
    }
    location / {
        try_files \$uri \$uri/ /index.html;
    }
}
SITE

exec "$@"
