#!/bin/bash
# Main process of the nginx-certbot stand-in (PID 1), with the real image's contract:
# - user_conf.d files are linked into conf.d, and configs whose certificate files are missing
#   are disabled, only here at start and at the top of each renewal-loop pass;
# - the loop runs certbot for every referenced certificate, enables what became complete and
#   reloads nginx, then sleeps RENEWAL_INTERVAL;
# - SIGHUP ends that sleep, so a new pass (re-scan, certbot, enable, reload) starts at once; a
#   SIGHUP that arrives while a pass runs only logs a warning;
# - nginx or the loop exiting ends the container with its exit code.
. "$(dirname "$0")/util.sh"
SLEEP_PID_FILE=/run/renewal-sleep.pid

stop_children() {
    local pid
    for pid in "$NGINX_PID" "$LOOP_PID"; do
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid"
        fi
    done
}
trap exit TERM INT QUIT
trap stop_children EXIT

debug "Debug messages are enabled"
if [[ ${USE_LOCAL_CA:-0} == 1 ]]; then
    error "USE_LOCAL_CA=1 is not available in this stand-in"
    exit 1
fi
link_user_configs
toggle_configs

info "Starting the Nginx service"
nginx -g 'daemon off;' &
NGINX_PID=$!
: "${RENEWAL_INTERVAL:=8d}"

(
    set -e
    while true; do
        info "Running the autorenewal service"
        link_user_configs
        "$(dirname "$0")/create_dhparams.sh"
        "$(dirname "$0")/run_certbot.sh"
        info "Autorenewal service will now sleep $RENEWAL_INTERVAL"
        sleep "$RENEWAL_INTERVAL" &
        echo $! >"$SLEEP_PID_FILE"
        status=0
        wait $! || status=$?
        rm -f "$SLEEP_PID_FILE"
        # 143: the sleep was ended by SIGHUP's handler below, which is not an error.
        if ((status != 0 && status != 143)); then exit "$status"; fi
    done
) &
LOOP_PID=$!

on_hup() {
    info "Received SIGHUP signal; terminating the autorenewal sleep process"
    if [[ -f $SLEEP_PID_FILE ]] && kill -TERM "$(cat "$SLEEP_PID_FILE")" 2>/dev/null; then
        return 129
    fi
    warning "No sleep process found, this most likely means that a renewal process is currently running"
    return 129
}
trap on_hup HUP
on_usr1() {
    info "Received SIGUSR1 signal; telling nginx to reopen log files"
    nginx -s reopen
    return 138
}
trap on_usr1 USR1

# A trapped signal makes `wait` return 128+signal: only another exit code is a child's.
code=
while [[ -z $code || $code == 129 || $code == 138 ]]; do
    wait -n "$NGINX_PID" "$LOOP_PID"
    code=$?
done
debug "Exiting with code $code"
exit "$code"
