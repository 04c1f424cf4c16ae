Users are @name:${server_name}, but this server answers at ${domain}. Publish these two files on
https://${server_host}/ (the web server of ${server_host}), served as application/json with
Access-Control-Allow-Origin: *:

  https://${server_host}/.well-known/matrix/server
    {"m.server": "${public.federation_address}"}

  https://${server_host}/.well-known/matrix/client
    {"m.homeserver": {"base_url": "${public.base_url}"}}

(Or, for federation only, a DNS record: _matrix-fed._tcp.${server_host}. SRV 10 0 ${public.federation_port?c} ${domain}.)
