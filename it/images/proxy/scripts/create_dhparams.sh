#!/bin/bash
# Creates every ssl_dhparam file a config in conf.d names when it is missing or not DH
# parameters. Unlike the real image (plain `openssl dhparam`, minutes), DSA-style
# parameters: same file format, generated in a second, which tests need.
set -e
. "$(dirname "$0")/util.sh"

for conf in /etc/nginx/conf.d/*.conf*; do
    [[ -f $conf ]] || continue
    for file in $(directive_values "$conf" ssl_dhparam); do
        if [[ ! -f $file ]] || ! grep -q 'END DH PARAMETERS' "$file"; then
            warning "creating the missing dhparam file '$file' (${DHPARAM_SIZE:-2048} bits)"
            mkdir -p "$(dirname "$file")"
            rm -f "$file"
            openssl dhparam -dsaparam -out "$file" "${DHPARAM_SIZE:-2048}" 2>/dev/null
            chmod 600 "$file"
        fi
    done
done
