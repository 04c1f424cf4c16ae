<#if federation.delegation == "here">
Users are @name:${server_name}; this host serves https://${server_host}/.well-known/matrix/server and /client
(delegation: here). Point ${server_host} (A/AAAA) at this host, as ${domain} is: the certificate covers both.
<#elseif federation.delegation == "srv">
Users are @name:${server_name}, but this server answers at ${domain} (delegation: srv). Publish this DNS record:

  _matrix-fed._tcp.${server_host}. SRV 10 0 ${public.federation_port?c} ${domain}.

Other servers then check the certificate for ${server_host} here: point ${server_host} (A/AAAA) at this host
too (the CA validates it on port ${ports.http?c}). A document at https://${server_host}/.well-known/matrix/server,
if one answers, takes precedence over the SRV record. Clients sign in with ${public.base_url}.
<#else>
Users are @name:${server_name}, but this server answers at ${domain}. Publish these two files on
https://${server_host}/ (the web server of ${server_host}), served as application/json with
Access-Control-Allow-Origin: *:

  https://${server_host}/.well-known/matrix/server
    {"m.server": "${public.federation_address}"}

  https://${server_host}/.well-known/matrix/client
    {"m.homeserver": {"base_url": "${public.base_url}"}}

(Or, for federation only, a DNS record: _matrix-fed._tcp.${server_host}. SRV 10 0 ${public.federation_port?c} ${domain}.
The certificate there must then cover ${server_host}: set delegation: srv, see docs/federation.md.)
</#if>