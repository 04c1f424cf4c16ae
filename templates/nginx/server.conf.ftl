# ${domain}: Matrix client and federation traffic to Synapse, everything else to Element Web.
# Managed by matrix-install.
server {
    listen ${ports.https?c} ssl http2;
    listen ${ports.federation?c} ssl http2 default_server;
    server_name ${domain};

    ssl_certificate         /etc/letsencrypt/live/${domain}/fullchain.pem;
    ssl_certificate_key     /etc/letsencrypt/live/${domain}/privkey.pem;
    ssl_trusted_certificate /etc/letsencrypt/live/${domain}/chain.pem;

    location ~ ^(/_matrix|/_synapse/client) {
        # No URI part: Synapse must see the request path exactly as the client sent it.
        proxy_pass http://127.0.0.1:${ports.synapse?c};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_http_version 1.1;
        client_max_body_size 50M;
    }

    location / {
        proxy_pass http://127.0.0.1:${ports.element?c};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
