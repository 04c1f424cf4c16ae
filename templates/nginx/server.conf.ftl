<#-- One server block file for every TLS mode; the mode decides which listeners exist. -->
<#assign tls = tls_mode != "external">
# ${domain}: Matrix client and federation traffic to Synapse, everything else to Element Web.
# TLS mode: ${tls_mode}. Managed by matrix-install.
<#if tls_mode != "nginx-certbot">
<#-- nginx-certbot's image brings its own port-80 server (challenges and redirect). -->

server {
    listen ${ports.http?c};
    server_name ${domain};
<#if tls>

    # ACME HTTP-01 challenges: matrix-install writes each token as a file in the webroot.
    location ^~ /.well-known/acme-challenge/ {
        alias /var/www/acme/;
        default_type text/plain;
    }

    location / {
        return 301 https://$host$request_uri;
    }
}
<#else>
<#-- external: the operator's proxy terminates TLS and forwards plain HTTP here. -->
    # Behind a TLS-terminating proxy: keep the scheme and client address it reports.
    set $forwarded_proto $http_x_forwarded_proto;
    if ($forwarded_proto = "") {
        set $forwarded_proto $scheme;
    }
<@routes proto="$forwarded_proto" client="$proxy_add_x_forwarded_for"/>
}
</#if>
</#if>
<#if tls>

server {
    listen ${ports.https?c} ssl http2;
    listen ${ports.federation?c} ssl http2 default_server;
    server_name ${domain};

    ssl_certificate         /etc/letsencrypt/live/${domain}/fullchain.pem;
    ssl_certificate_key     /etc/letsencrypt/live/${domain}/privkey.pem;
    ssl_trusted_certificate /etc/letsencrypt/live/${domain}/chain.pem;

    # Modern TLS (TLS 1.2 and 1.3, forward-secret AEAD ciphers only).
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:MatrixTLS:10m;
    ssl_session_timeout 1d;
    ssl_session_tickets off;

<@routes proto="$scheme" client="$remote_addr"/>
}
</#if>
<#macro routes proto client>
    # add_header in a location replaces the server's, so every location that adds one repeats HSTS.
    <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>

    location = /.well-known/matrix/server {
        default_type application/json;
        add_header Access-Control-Allow-Origin * always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
        return 200 '{"m.server": "${domain}:443"}';
    }

    location = /.well-known/matrix/client {
        default_type application/json;
        add_header Access-Control-Allow-Origin * always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
        return 200 '{"m.homeserver": {"base_url": "https://${domain}"}}';
    }

    # The admin API stays private: reach it on 127.0.0.1:${ports.synapse?c} (ssh -L ${ports.synapse?c}:127.0.0.1:${ports.synapse?c} ...).
    location ^~ /_synapse/admin {
        return 404;
    }

    location ~ ^(/_matrix|/_synapse/client) {
        # No URI part: Synapse must see the request path exactly as the client sent it.
        proxy_pass http://127.0.0.1:${ports.synapse?c};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For ${client};
        proxy_set_header X-Forwarded-Proto ${proto};
        proxy_http_version 1.1;
        client_max_body_size 50M;
    }

    location / {
        proxy_pass http://127.0.0.1:${ports.element?c};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For ${client};
        proxy_set_header X-Forwarded-Proto ${proto};
    }
</#macro>
