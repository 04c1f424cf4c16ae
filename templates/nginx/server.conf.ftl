<#-- One server block file for every TLS mode; the mode's values (proxy.*) decide which listeners exist. -->
<#assign tls = proxy.terminates_tls>
<#-- http-level names must not clash with another domain's file in the same conf.d. -->
<#assign id = domain?replace(".", "_")?replace("-", "_")>
<#macro listen port params="" loopback=false>
<#if loopback>
    listen 127.0.0.1:${port?c}${params};
<#if ipv6>
    listen [::1]:${port?c}${params};
</#if>
<#else>
    listen ${port?c}${params};
<#if ipv6>
    listen [::]:${port?c}${params};
</#if>
</#if>
</#macro>
# ${domain}: Matrix client and federation traffic to Synapse, everything else to Element Web.
<#if certificate_names?size gt 1>
# Also ${server_host}, the server name (delegation: ${federation.delegation}): its well-known documents and federation.
</#if>
# TLS mode: ${tls_mode}. Managed by matrix-install.
<#if !tls>

# The operator's TLS proxy (${external.trusted_proxy}) is the only source whose X-Forwarded-Proto counts;
# anyone else gets the scheme nginx really saw.
geo $realip_remote_addr $mi_${id}_from_proxy {
    default 0;
    ${external.trusted_proxy} 1;
}

map "$mi_${id}_from_proxy:$http_x_forwarded_proto" $mi_${id}_proto {
    "1:https" https;
    "1:http" http;
    default $scheme;
}
</#if>
<#if !proxy.image_serves_http>
<#-- nginx-certbot's image brings its own port-80 server (challenges and redirect). -->

server {
<@listen port=ports.http loopback=(!tls && external.loopback)/>
    server_name ${certificate_names?join(" ")};
    # No version in the Server header or on nginx's own error pages.
    server_tokens off;
<#if tls>

    # ACME HTTP-01 challenges: matrix-install writes each token as a file in the webroot.
    location ^~ /.well-known/acme-challenge/ {
        alias /var/www/acme/;
        default_type text/plain;
    }

    location / {
        return 301 https://$host${public.https_port_suffix}$request_uri;
    }
}
<#else>
<#-- external: the operator's proxy terminates TLS and forwards plain HTTP here. -->
<#if !external.loopback>
    # Only the operator's proxy (and this host) may talk to this plain-HTTP listener.
    allow ${external.trusted_proxy};
    allow 127.0.0.1;
    allow ::1;
    deny all;

</#if>
    # The client address comes from X-Forwarded-For only when the operator's proxy sent it (its last
    # entry, the one that proxy added); a direct client's header is ignored.
    set_real_ip_from ${external.trusted_proxy};
    real_ip_header X-Forwarded-For;
<@routes proto="$mi_${id}_proto"/>
}
</#if>
</#if>
<#if tls>

server {
<@listen port=ports.https params=" ssl"/>
<@listen port=ports.federation params=" ssl default_server"/>
    http2 on;
    server_name ${certificate_names?join(" ")};
    server_tokens off;

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

<@routes proto="$scheme"/>
}
</#if>
<#macro routes proto>
    # add_header in a location replaces the server's, so every location that adds one repeats HSTS.
    <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>

    location = /.well-known/matrix/server {
        default_type application/json;
        add_header Access-Control-Allow-Origin * always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
        return 200 '{"m.server": "${public.federation_address}"}';
    }

    location = /.well-known/matrix/client {
        default_type application/json;
        add_header Access-Control-Allow-Origin * always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
        return 200 '{"m.homeserver": {"base_url": "${public.base_url}"}}';
    }

    # The admin API stays private: reach it on 127.0.0.1:${ports.synapse?c} (ssh -L ${ports.synapse?c}:127.0.0.1:${ports.synapse?c} ...).
    location ^~ /_synapse/admin {
        return 404;
    }

    location ~ ^(/_matrix|/_synapse/client) {
        # No URI part: Synapse must see the request path exactly as the client sent it.
        proxy_pass http://127.0.0.1:${ports.synapse?c};
        proxy_set_header Host $host;
        # Only the address nginx established: Synapse reads the first X-Forwarded-For entry, which a
        # client could otherwise write itself.
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto ${proto};
        proxy_http_version 1.1;
        client_max_body_size 50M;
        # Clients parse Matrix errors: an oversized upload gets Matrix's JSON, not nginx's HTML page.
        error_page 413 @matrix_too_large;
    }

    location @matrix_too_large {
        default_type application/json;
        add_header Access-Control-Allow-Origin * always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
        return 413 '{"errcode": "M_TOO_LARGE", "error": "Request larger than 50M"}';
    }

    location / {
        proxy_pass http://127.0.0.1:${ports.element?c};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto ${proto};
        # What Element Web's README asks of the server in front of it: no framing by other sites, no MIME
        # sniffing, the legacy XSS filter. Set here, whatever the image sends: its own copies of the single-valued
        # ones are dropped; a Content-Security-Policy of its own stays beside this one (browsers enforce both).
        proxy_hide_header X-Frame-Options;
        proxy_hide_header X-Content-Type-Options;
        proxy_hide_header X-XSS-Protection;
        add_header X-Frame-Options SAMEORIGIN always;
        add_header Content-Security-Policy "frame-ancestors 'self'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header X-XSS-Protection "1; mode=block" always;
        <#if tls>add_header Strict-Transport-Security "max-age=63072000" always;</#if>
    }
</#macro>
