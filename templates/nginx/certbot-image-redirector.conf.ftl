# Mounted over the nginx-certbot image's conf.d/redirector.conf (a port-80 server) by matrix-install:
# its own user_conf.d/_http-redirect.conf serves the same on ports.http. Intentionally empty.
