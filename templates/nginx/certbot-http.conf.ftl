# Port ${ports.http?c} of the nginx-certbot proxy: certbot's HTTP-01 challenges from its webroot, everything
# else to HTTPS. In place of the image's own conf.d/redirector.conf, which is fixed on port 80.
# Managed by matrix-install.
server {
    listen ${ports.http?c} default_server;
<#if ipv6>
    listen [::]:${ports.http?c} default_server;
</#if>
    # No version in the Server header or on nginx's own error pages.
    server_tokens off;

    location /.well-known/acme-challenge/ {
        default_type text/plain;
        root /var/www/letsencrypt;
    }

    location / {
        return 301 https://$host<#if ports.https != 443>:${ports.https?c}</#if>$request_uri;
    }
}
