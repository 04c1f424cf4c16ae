# The configuration this server was installed with, recorded by `matrix-install up`. Every command
# (status, start, stop, renew, ...) starts from it; flags given to a command override it for that run.
# Change settings with `up` (flags or --config), not here: the next `up` rewrites this file.
<#list settings as key, value>
${key}: ${yaml(value)}
</#list>
