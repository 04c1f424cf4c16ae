#!/bin/bash
# Certificate issuance/renewal of the nginx-certbot stand-in. Unlike the real image it never
# talks to Let's Encrypt: it acts only if the ACME directory URL is given explicitly
# (CERTBOT_STAGING_URL when STAGING=1, else CERTBOT_PRODUCTION_URL), e.g. a local pebble.
# `run-certbot.sh once` does one pass; `loop` repeats every RENEWAL_INTERVAL, reloading nginx.
set -euo pipefail

log() { printf '%s [certbot] %s\n' "$(date -u '+%Y/%m/%d %H:%M:%S')" "$*" >&2; }

if [[ ${STAGING:-0} == 1 ]]; then server=${CERTBOT_STAGING_URL:-}; else server=${CERTBOT_PRODUCTION_URL:-}; fi

one_pass() {
    local conf name domains args changed=0
    for conf in /etc/nginx/user_conf.d/*.conf; do
        [[ -f $conf ]] || continue
        # shellcheck disable=SC2013 # certificate names never contain blanks
        for name in $(sed -n 's#^[[:space:]]*ssl_certificate_key[[:space:]]\+/etc/letsencrypt/live/\([^/]\+\)/privkey\.pem.*#\1#p' "$conf" | sort -u); do
            domains=$(sed -n 's/^[[:space:]]*server_name[[:space:]]\+\([^;]*\);.*/\1/p' "$conf" |
                tr -s ' \t' '\n' | grep -v -e '^_$' -e '^\*' -e '^~' -e '^$' | sort -u)
            [[ -n $domains ]] || domains=$name
            args=(certonly --non-interactive --agree-tos --keep-until-expiring
                  --email "$CERTBOT_EMAIL" --server "$server" --cert-name "$name"
                  --authenticator "${CERTBOT_AUTHENTICATOR:-webroot}" --webroot-path /var/www/letsencrypt)
            if [[ ${USE_ECDSA:-1} != 0 ]]; then
                args+=(--key-type ecdsa --elliptic-curve "${ELLIPTIC_CURVE:-secp256r1}")
            else
                args+=(--key-type rsa --rsa-key-size "${RSA_KEY_SIZE:-2048}")
            fi
            for d in $domains; do args+=(-d "$d"); done
            # A live/NAME without renewal config is our self-signed placeholder: certbot must
            # not find it there. nginx keeps serving it from memory until the reload.
            if [[ ! -f /etc/letsencrypt/renewal/$name.conf ]]; then
                mv "/etc/letsencrypt/live/$name" "/etc/letsencrypt/live/$name.placeholder" 2>/dev/null || true
            fi
            if certbot "${args[@]}"; then
                rm -rf "/etc/letsencrypt/live/$name.placeholder"
                changed=1
            else
                log "certbot failed for '$name'; keeping the current certificate"
                if [[ -d /etc/letsencrypt/live/$name.placeholder && ! -e /etc/letsencrypt/live/$name ]]; then
                    mv "/etc/letsencrypt/live/$name.placeholder" "/etc/letsencrypt/live/$name"
                fi
            fi
        done
    done
    if ((changed)); then
        log "reloading nginx"
        nginx -s reload || true
    fi
}

if [[ -z $server ]]; then
    log "no ACME server given (CERTBOT_PRODUCTION_URL/CERTBOT_STAGING_URL): keeping self-signed certificates"
    exit 0
fi

case ${1:-once} in
    once) one_pass ;;
    loop)
        sleep 5   # let nginx come up first: the webroot must be served for http-01
        while true; do
            one_pass
            sleep "${RENEWAL_INTERVAL:-8d}"
        done ;;
    *) echo "usage: $0 once|loop" >&2; exit 2 ;;
esac
