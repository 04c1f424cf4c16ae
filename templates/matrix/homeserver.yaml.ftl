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

<#-- Defaults the operator may override in synapse.extra_config. -->
<#if !synapse_extra_keys?seq_contains("max_upload_size")>
max_upload_size: 50M
</#if>
<#if !synapse_extra_keys?seq_contains("enable_registration")>
enable_registration: false
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