Users are @name:${server_name}, but this server answers at ${domain}. Publish these two files on
https://${server_host}/ (the web server of ${server_host}), served as application/json with
Access-Control-Allow-Origin: *:

  https://${server_host}/.well-known/matrix/server
    {"m.server": "${domain}:443"}

  https://${server_host}/.well-known/matrix/client
    {"m.homeserver": {"base_url": "https://${domain}"}}

(Or, for federation only, a DNS record: _matrix-fed._tcp.${server_host}. SRV 10 0 443 ${domain}.)
