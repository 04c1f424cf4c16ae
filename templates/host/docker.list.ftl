# Docker's apt repository for ${codename} (provisioning/docker.yaml). Written by matrix-install.
deb [arch=${arch} signed-by=${key_file}] ${repository} ${codename} stable
