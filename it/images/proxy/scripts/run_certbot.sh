#!/bin/bash
# One certificate pass of the nginx-certbot stand-in: certbot for every certificate name the
# configs in conf.d reference (enabled or disabled), then enable what is complete now, check
# the configuration and reload nginx. `run_certbot.sh force` renews regardless of expiry.
set -e
. "$(dirname "$0")/util.sh"

# Let's Encrypt unless overridden, as in the real image (the tests point these at Pebble).
: "${CERTBOT_PRODUCTION_URL=https://acme-v02.api.letsencrypt.org/directory}"
: "${CERTBOT_STAGING_URL=https://acme-staging-v02.api.letsencrypt.org/directory}"

info "Starting certificate renewal process"
if [[ -z ${CERTBOT_EMAIL:-} ]]; then
    error "CERTBOT_EMAIL environment variable undefined; certbot will do nothing!"
    exit 1
fi
if [[ ${STAGING:-0} == 1 ]]; then server=$CERTBOT_STAGING_URL; else server=$CERTBOT_PRODUCTION_URL; fi
force=()
[[ ${1:-} == force ]] && force=(--force-renewal)

# NAME -> its domains, in first-seen order, over every config that references NAME.
declare -A domains
while IFS= read -r -d '' conf; do
    for name in $(cert_names "$conf"); do
        for host in $(server_names "$conf"); do
            [[ " ${domains[$name]:-} " == *" $host "* ]] || domains[$name]+="$host "
        done
        : "${domains[$name]:=}"
    done
done < <(find -L /etc/nginx/conf.d/ -name '*.conf*' -type f -print0)

request() {
    local name=$1 key_type=$2 authenticator=${CERTBOT_AUTHENTICATOR:-webroot} args=() host
    shopt -s nocasematch
    if [[ $name =~ (^|[-.])webroot([-.]|$) ]]; then
        authenticator=webroot
    elif [[ $name =~ (^|[-.])dns-[^-.]*([-.]|$) ]]; then
        authenticator=dns
    fi
    shopt -u nocasematch
    if [[ $authenticator != webroot ]]; then
        # The stand-in has no DNS plugins: stricter than the real image, never more lenient.
        error "authenticator '$authenticator' for '$name' is not available in this stand-in"
        return 1
    fi
    for host in ${domains[$name]}; do args+=(-d "$host"); done
    info "Requesting an ${key_type^^} certificate for '$name' (http-01 through webroot)"
    certbot certonly --agree-tos --keep -n \
        --preferred-challenges http-01 --authenticator webroot --webroot-path=/var/www/letsencrypt \
        --email "$CERTBOT_EMAIL" --server "$server" \
        --rsa-key-size "${RSA_KEY_SIZE:-2048}" --elliptic-curve "${ELLIPTIC_CURVE:-secp256r1}" \
        --key-type "$key_type" --cert-name "$name" "${args[@]}" --debug "${force[@]}"
}

for name in "${!domains[@]}"; do
    shopt -s nocasematch
    if [[ $name =~ (^|[-.])(ecdsa|ecc)([-.]|$) ]]; then key_type=ecdsa
    elif [[ $name =~ (^|[-.])rsa([-.]|$) ]]; then key_type=rsa
    elif [[ ${USE_ECDSA:-1} == 0 ]]; then key_type=rsa
    else key_type=ecdsa
    fi
    shopt -u nocasematch
    if ! request "$name" "$key_type"; then
        error "Certbot failed for '$name'. Check the logs for details."
    fi
done

toggle_configs
if ! nginx -t; then
    error "Nginx configuration is invalid, skipped reloading. Check the logs for details."
    exit 0
fi
nginx -s reload
