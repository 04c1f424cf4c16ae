# Synapse logging for ${server_name}. Managed by matrix-install.
# Logs go to the console only, so `docker logs` (and `matrix-install` on failures) show them and
# nothing grows without bound under /data.
version: 1

formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'

filters:
  context:
    (): synapse.logging.context.LoggingContextFilter

handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
    filters: [context]

loggers:
  synapse.storage.SQL:
    level: INFO

root:
  level: INFO
  handlers: [console]

disable_existing_loggers: false
