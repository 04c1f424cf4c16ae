#!/bin/sh
# Loads the test's LDIF files (once), then runs slapd in the foreground on ldap://:LDAP_PORT/ (default 389;
# tests on the host network pick one of their own ports).
set -eu
if [ ! -e /var/lib/ldap/.loaded ]; then
  for ldif in /ldif/*.ldif; do
    [ -e "$ldif" ] || continue
    slapadd -n 1 -l "$ldif"
  done
  chown -R openldap:openldap /var/lib/ldap
  touch /var/lib/ldap/.loaded
fi
echo "slapd: starting on port ${LDAP_PORT:-389}"
exec slapd -h "ldap://:${LDAP_PORT:-389}/" -u openldap -g openldap -d stats
