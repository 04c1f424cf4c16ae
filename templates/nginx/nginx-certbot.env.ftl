# Settings for the nginx-certbot proxy (jonasal/nginx-certbot). Managed by matrix-install.
# certbot asks this ACME directory (tls.acme.directory; STAGING stays 0 because tls.acme.staging
# already chose the staging URL here).
STAGING=0
CERTBOT_PRODUCTION_URL=${acme.directory}
<#if acme.ca_certificate?has_content>
# tls.acme.ca_certificate: the root certbot trusts for that directory's own HTTPS.
REQUESTS_CA_BUNDLE=/etc/matrix-install/trust/acme-ca.pem
</#if>
USE_ECDSA=1
ELLIPTIC_CURVE=secp256r1
RENEWAL_INTERVAL=8d
