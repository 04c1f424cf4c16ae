# Docker's apt repository for ${os_id} ${codename}. Written by matrix-install.
deb [arch=${arch} signed-by=${key_file}] https://download.docker.com/linux/${os_id} ${codename} stable
