# Synapse configuration for ${server_name}.
# Managed by matrix-install: `matrix-install up` rewrites this file, so change settings in
# matrix-install's configuration instead. Holds secrets: keep it 991:991 0600.
server_name: ${yaml(server_name)}
public_baseurl: ${yaml(public.base_url + "/")}
pid_file: /data/homeserver.pid
report_stats: false

listeners:
  # One plain-HTTP listener inside the container. Compose publishes it on 127.0.0.1 only; nginx
  # terminates TLS on ${ports.https?c} and ${ports.federation?c} and passes X-Forwarded-* headers.
  - port: 8008
    type: http
    tls: false
    bind_addresses: ["0.0.0.0"]
    x_forwarded: true
    resources:
      - names: [client, federation]
        compress: false

database:
  name: psycopg2
  args:
    user: synapse
    password: ${yaml(secrets.postgres_password)}
    dbname: synapse
    host: db
    port: 5432
    cp_min: 5
    cp_max: 10
    keepalives_idle: 10
    keepalives_interval: 10
    keepalives_count: 3

log_config: ${yaml("/data/" + server_host + ".log.config")}
media_store_path: /data/media_store
signing_key_path: ${yaml("/data/" + server_host + ".signing.key")}

registration_shared_secret: ${yaml(secrets.registration_shared_secret)}
macaroon_secret_key: ${yaml(secrets.macaroon_secret_key)}
form_secret: ${yaml(secrets.form_secret)}

<#if mail??>
# mail.*: password reset, e-mail verification and notification mails. Synapse has no password-file
# setting for SMTP, so smtp_pass is here: this file is 991:991 0600.
email:
  smtp_host: ${yaml(mail.host)}
  smtp_port: ${mail.port?c}
<#if mail.user?has_content>
  smtp_user: ${yaml(mail.user)}
  smtp_pass: ${yaml(mail.password)}
</#if>
<#if mail.tls == "tls">
  force_tls: true
<#elseif mail.tls == "starttls">
  # The server must offer STARTTLS, and its certificate must be valid for smtp_host.
  require_transport_security: true
<#else>
  enable_tls: false
</#if>
  notif_from: ${yaml(mail.from)}
  app_name: ${yaml(element_brand)}
  enable_notifs: true
  notif_for_new_users: true
  client_base_url: ${yaml(public.base_url + "/")}

</#if>
<#if ldap??>
# ldap.*: users sign in with their directory password (matrix-synapse-ldap3); local accounts keep working.
modules:
  - module: ldap_auth_provider.LdapAuthProviderModule
    config:
      enabled: true
      uri: ${yaml(ldap.uri)}
      start_tls: false
      base: ${yaml(ldap.base)}
      attributes:
        uid: ${yaml(ldap.attributes.uid)}
        name: ${yaml(ldap.attributes.name)}
        mail: ${yaml(ldap.attributes.mail)}
<#if ldap.bind_dn?has_content>
      bind_dn: ${yaml(ldap.bind_dn)}
      # Its own 0600 file: the password is in no other file and in no container environment.
      bind_password_file: ${yaml(ldap.bind_password_file)}
</#if>
<#if ldap.filter?has_content>
      filter: ${yaml(ldap.filter)}
</#if>

</#if>
<#-- Defaults the operator may override in synapse.extra_config. -->
<#if !synapse_extra_keys?seq_contains("max_upload_size")>
max_upload_size: 50M
</#if>
<#if registration_mode == "closed">
<#if !synapse_extra_keys?seq_contains("enable_registration")>
enable_registration: false
</#if>
<#else>
# registration.mode ${registration_mode}: sign-up through Element with <#if registration_mode == "token">a registration token (`matrix-install token create`)<#else>a verified e-mail address</#if>.
enable_registration: true
<#if registration_mode == "token">
registration_requires_token: true
<#else>
registrations_require_3pid:
  - email
</#if>
</#if>
<#if !synapse_extra_keys?seq_contains("trusted_key_servers")>
trusted_key_servers:
  - server_name: "matrix.org"
</#if>
<#if !synapse_extra_keys?seq_contains("suppress_key_server_warning")>
suppress_key_server_warning: true
</#if>
<#if federation.ca_certificate?has_content>

# federation.ca_certificate: the only roots trusted for outbound federation (and well-known look-ups).
federation_custom_ca_list:
  - /data/federation-ca.pem
</#if>
<#if synapse_extra?has_content>

# From synapse.extra_config:
${synapse_extra}</#if>