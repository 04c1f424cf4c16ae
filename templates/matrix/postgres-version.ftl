# The PostgreSQL major of this server's database. Managed by matrix-install (`db upgrade`); kept with the data,
# so that no later run, with whatever configuration, starts an older major on an empty volume.
version: ${version?c}
<#if previous??>
# The data of the previous major stays in its own volume until `matrix-install db upgrade --prune-old`;
# `matrix-install db upgrade --undo` goes back to it.
previous: ${previous?c}
</#if>
