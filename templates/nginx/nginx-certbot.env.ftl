# Settings for the nginx-certbot proxy. Managed by matrix-install.
STAGING=0
USE_ECDSA=1
ELLIPTIC_CURVE=secp256r1
RENEWAL_INTERVAL=8d
