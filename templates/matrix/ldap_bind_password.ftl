<#-- ldap.bind_password_file's password, which Synapse's LDAP module reads (bind_password_file): the file holds nothing else. -->
${ldap.bind_password}
