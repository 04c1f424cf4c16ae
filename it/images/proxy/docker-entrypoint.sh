#!/bin/bash
# Entrypoint of the nginx-certbot stand-in. Like the real image: requires CERTBOT_EMAIL, makes
# sure every certificate referenced in /etc/nginx/user_conf.d exists (a throwaway self-signed
# one until a real one is issued), then runs nginx in the foreground.
set -euo pipefail

log() { printf '%s [nginx-certbot] %s\n' "$(date -u '+%Y/%m/%d %H:%M:%S')" "$*" >&2; }

if [[ -z ${CERTBOT_EMAIL:-} ]]; then
    log "error: CERTBOT_EMAIL environment variable undefined; certbot will do nothing!"
    exit 1
fi

# "NAME<TAB>conf file" for each ssl_certificate_key /etc/letsencrypt/live/NAME/privkey.pem
referenced_certificates() {
    local conf name
    for conf in /etc/nginx/user_conf.d/*.conf; do
        [[ -f $conf ]] || continue
        sed -n 's#^[[:space:]]*ssl_certificate_key[[:space:]]\+/etc/letsencrypt/live/\([^/]\+\)/privkey\.pem[[:space:]]*;.*#\1#p' "$conf" |
            while read -r name; do printf '%s\t%s\n' "$name" "$conf"; done
    done | sort -u -t$'\t' -k1,1
}

# server_name values of a config file, wildcards and "_" left out.
server_names() {
    sed -n 's/^[[:space:]]*server_name[[:space:]]\+\([^;]*\);.*/\1/p' "$1" | tr -s ' \t' '\n' |
        grep -v -e '^_$' -e '^\*' -e '^~' -e '^$' | sort -u
}

create_dummy_certificate() {
    local name=$1 conf=$2 dir=/etc/letsencrypt/live/$1 san="" host key_opts
    for host in $(server_names "$conf"); do san+="${san:+,}DNS:$host"; done
    [[ -n $san ]] || san="DNS:$name"
    if [[ ${USE_ECDSA:-1} != 0 ]]; then
        # certbot's curve names; OpenSSL knows secp256r1 as prime256v1.
        local curve=${ELLIPTIC_CURVE:-secp256r1}
        [[ $curve == secp256r1 ]] && curve=prime256v1
        key_opts=(-newkey ec -pkeyopt "ec_paramgen_curve:$curve")
    else
        key_opts=(-newkey "rsa:${RSA_KEY_SIZE:-2048}")
    fi
    log "creating a temporary self-signed certificate for '$name' ($san)"
    mkdir -p "$dir"
    if ! openssl req -x509 -nodes -days 2 "${key_opts[@]}" -subj "/CN=$name" \
            -addext "subjectAltName=$san" -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" \
            >/tmp/openssl.log 2>&1; then
        cat /tmp/openssl.log >&2
        rm -f "$dir/privkey.pem" "$dir/fullchain.pem"
        log "error: could not create a certificate for '$name'"
        exit 1
    fi
    cp "$dir/fullchain.pem" "$dir/chain.pem"
    chmod 600 "$dir/privkey.pem"
}

ensure_certificates() {
    local name conf
    while IFS=$'\t' read -r name conf; do
        [[ -s /etc/letsencrypt/live/$name/privkey.pem ]] || create_dummy_certificate "$name" "$conf"
    done < <(referenced_certificates)
}

# Only when some config references the DH parameters file, as the real image does it.
ensure_dhparams() {
    local file=/etc/letsencrypt/dhparams/dhparam.pem
    if [[ ! -s $file ]] && grep -qs "ssl_dhparam[[:space:]]\+$file" /etc/nginx/user_conf.d/*.conf; then
        log "creating $file (${DHPARAM_SIZE:-2048} bits, DSA-style parameters for speed)"
        mkdir -p "$(dirname "$file")"
        openssl dhparam -dsaparam -out "$file" "${DHPARAM_SIZE:-2048}" 2>/dev/null
    fi
}

ensure_certificates
ensure_dhparams
mkdir -p /var/www/letsencrypt

if [[ ${1:-} == nginx ]]; then
    # A background loop for real issuance/renewal, only against an explicitly given ACME server.
    /scripts/run-certbot.sh loop &
fi
exec "$@"
