#!/bin/sh
# Loads the test's LDIF files (once), then runs slapd in the foreground on ldap:///.
set -eu
if [ ! -e /var/lib/ldap/.loaded ]; then
  for ldif in /ldif/*.ldif; do
    [ -e "$ldif" ] || continue
    slapadd -n 1 -l "$ldif"
  done
  chown -R openldap:openldap /var/lib/ldap
  touch /var/lib/ldap/.loaded
fi
echo "slapd: starting"
exec slapd -h ldap:/// -u openldap -g openldap -d stats
