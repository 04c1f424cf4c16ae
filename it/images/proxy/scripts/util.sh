#!/bin/bash
# Shared helpers of the nginx-certbot stand-in. The behaviour follows the real image's
# documented contract (see ../CONTRACT.md); the code is this project's own.

log() { printf '%s [%s] %s\n' "$(date -u '+%Y/%m/%d %H:%M:%S')" "$1" "$2"; }
info() { log info "$1"; }
warning() { log warning "$1"; }
error() { log error "$1" >&2; }
debug() { if [[ ${DEBUG:-0} == 1 ]]; then log debug "$1"; fi; }

# Values of one directive in a config file, one per line (the text up to the last ';').
directive_values() {
    sed -n -E "s&^[[:space:]]*$2[[:space:]]+(.*);.*&\1&p" "$1" | xargs -r -n1 echo | uniq
}

# Certificate names managed by certbot: NAME of every
# "ssl_certificate_key /etc/letsencrypt/live/NAME/privkey.pem;" line. Other key paths are not ours.
cert_names() {
    sed -n -E 's&^[[:space:]]*ssl_certificate_key[[:space:]]+/etc/letsencrypt/live/(.*)/privkey\.pem;.*&\1&p' "$1" |
        xargs -r -n1 echo | uniq
}

# Every server_name of a file, in order; regexes (~...) and nginx variables cannot be requested.
server_names() {
    local name
    for name in $(sed -n -E 's&^[[:space:]]*server_name[[:space:]]+([^;]*);.*&\1&p' "$1"); do
        if [[ $name == ~* || $name == *'$'* ]]; then
            debug "not requesting '$name' from '$1' (regex or variable)"
            continue
        fi
        echo "$name"
    done
}

# True when every key, certificate, chain and dhparam file a config names exists and is not
# empty. nginx would refuse to load the config otherwise.
files_present() {
    local directive path ok=0
    for directive in ssl_certificate_key ssl_certificate ssl_trusted_certificate ssl_dhparam; do
        for path in $(directive_values "$1" "$directive"); do
            case $path in data:* | engine:*) continue ;; esac
            if [[ ! -s $path ]]; then
                warning "'$1' needs '$path', which is missing or empty"
                ok=1
            fi
        done
    done
    return $ok
}

# conf.d/ gets a symlink to each file of user_conf.d/ that has none yet; links whose target
# is gone are removed. Only this makes a new user file visible to nginx.
link_user_configs() {
    local link file count
    while IFS= read -r -d '' link; do
        info "removing '$link': its target in user_conf.d is gone"
        rm -f "$link"
    done < <(find /etc/nginx/conf.d/ -xtype l -lname '/etc/nginx/user_conf.d/*' -print0)
    while IFS= read -r -d '' file; do
        count=$(find -L /etc/nginx/conf.d/ -samefile "$file" | wc -l)
        if ((count > 1)); then
            warning "'$file' is linked more than once from /etc/nginx/conf.d/"
        elif ((count == 0)); then
            link=/etc/nginx/conf.d/${file#/etc/nginx/user_conf.d/}
            info "linking '$link' to '$file'"
            mkdir -p "$(dirname "$link")"
            ln -s "$file" "$link"
        fi
    done < <(find /etc/nginx/user_conf.d/ -type f -print0)
}

# A config whose TLS files are missing is renamed to *.nokey (nginx skips it); once they all
# exist it gets its name back.
toggle_configs() {
    local conf
    while IFS= read -r -d '' conf; do
        if files_present "$conf"; then
            if [[ $conf == *.nokey ]]; then
                info "all files of '$conf' are there, enabling it"
                mv "$conf" "${conf%.nokey}"
            fi
        elif [[ $conf == *.conf ]]; then
            error "files of '$conf' are missing or empty, disabling it"
            mv "$conf" "$conf.nokey"
        fi
    done < <(find -L /etc/nginx/conf.d/ -name '*.conf*' -type f -print0)
}
