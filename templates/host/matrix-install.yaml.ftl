# The configuration `matrix-install renew` runs with, written by `matrix-install up`.
# Change settings with `up` (flags or --config), not here: the next `up` rewrites this file.
<#list settings as key, value>
${key}: "${value?j_string}"
</#list>
