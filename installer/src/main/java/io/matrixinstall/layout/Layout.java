package io.matrixinstall.layout;

import static io.matrixinstall.host.Ownership.ROOT;
import static io.matrixinstall.host.Ownership.SYNAPSE;

import io.matrixinstall.secrets.Secret;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.config.InstallConfig.TlsMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where every managed file lives and who owns it: seed 001's layout, owners and modes in one table.
 * Where the seed's mode would let other users read a secret, the mode is tightened (see docs/layout.md).
 */
public final class Layout {
    public static final int DIR = 0755;
    public static final int PUBLIC_FILE = 0644;
    public static final int PRIVATE_DIR = 0700;
    public static final int PRIVATE_FILE = 0600;

    private final InstallConfig config;

    public Layout(InstallConfig config) {
        this.config = config;
    }

    public Path baseDir() {
        return config.baseDir();
    }

    public Path filesDir() {
        return baseDir().resolve("files");
    }

    public Path schemasDir() {
        return baseDir().resolve("schemas");
    }

    /** Not in the seed: generated secrets live here, root-only. */
    /** `backup`'s backups and the dumps `update` and `db upgrade` take; `uninstall --purge-data` keeps it. */
    public Path backupsDir() {
        return baseDir().resolve("backups");
    }

    public Path secretsDir() {
        return baseDir().resolve("secrets");
    }

    /** Compose names a project's volume PROJECT_VOLUME. */
    public String databaseVolume() {
        return databaseVolume(config.postgresVersion());
    }

    /** The engine's name of the volume holding the data of one PostgreSQL major. */
    public String databaseVolume(int postgresVersion) {
        return config.projects().matrix() + "_" + databaseVolumeKey(postgresVersion);
    }

    /**
     * The compose volume of one PostgreSQL major: 15, the seed's, keeps its name {@code postgres-data}; every other
     * major gets its own, so an upgrade starts on an empty volume and the previous one stays as it was.
     */
    public static String databaseVolumeKey(int postgresVersion) {
        return postgresVersion == 15 ? "postgres-data" : "postgres-data-" + postgresVersion;
    }

    /** Written by `db upgrade`: the major the database was moved to (and from), kept with the data, not the config. */
    public Path postgresVersionFile() {
        return baseDir().resolve("postgres-version");
    }

    public Path composeFile() {
        return baseDir().resolve("docker-compose.yml");
    }

    public Path elementConfig() {
        return baseDir().resolve("element-config.json");
    }

    /** Mounted read-only into the db container as POSTGRES_PASSWORD_FILE. */
    public Path postgresPasswordFile() {
        return secretsDir().resolve(Secret.POSTGRES_PASSWORD.fileName());
    }

    public Path homeserverConfig() {
        return filesDir().resolve("homeserver.yaml");
    }

    /** Roots Synapse trusts for outbound federation (federation.ca_certificate); /data/federation-ca.pem inside. */
    public Path federationCa() {
        return filesDir().resolve("federation-ca.pem");
    }

    public Path logConfig() {
        return filesDir().resolve(config.serverHost() + ".log.config");
    }

    public Path signingKey() {
        return filesDir().resolve(config.serverHost() + ".signing.key");
    }

    public Path mediaStore() {
        return filesDir().resolve("media_store");
    }

    public Path proxyDir() {
        return config.proxyDir();
    }

    public Path proxyCompose() {
        return proxyDir().resolve("compose.yml");
    }

    public Path proxyDataDir() {
        return config.proxyDataDir();
    }

    public Path userConfDir() {
        return proxyDataDir().resolve("user_conf.d");
    }

    public Path serverBlock() {
        return userConfDir().resolve(config.domain() + ".conf");
    }

    /** What the running nginx has loaded (container, start time, hash of its inputs): written after each start or reload. */
    public Path proxyLoadedRecord() {
        return proxyDataDir().resolve(".matrix-install-nginx-loaded");
    }

    public Path certbotEnv() {
        return proxyDataDir().resolve("nginx-certbot.env");
    }

    /**
     * nginx-certbot: the port-80 server (certbot's challenges, redirect) on ports.http. A user config with
     * no certificate, so the image never disables it; "_" keeps it apart from any domain's file.
     */
    public Path certbotHttpServer() {
        return userConfDir().resolve("_http-redirect.conf");
    }

    /**
     * nginx-certbot: mounted over the image's own port-80 server, which is fixed on port 80. Its content
     * never changes: a file bind mount keeps the inode it started with.
     */
    public Path certbotImageRedirector() {
        return proxyDataDir().resolve("image-redirector.conf");
    }

    /** nginx-certbot: mounted as a directory, so a replaced file inside is seen by the container. */
    public Path certbotTrustDir() {
        return proxyDataDir().resolve("certbot-trust");
    }

    /** nginx-certbot: tls.acme.ca_certificate, which certbot trusts for the ACME directory's HTTPS. */
    public Path certbotAcmeRoot() {
        return certbotTrustDir().resolve("acme-ca.pem");
    }

    /** Certificates the agent manages, mounted at /etc/letsencrypt in the nginx container. */
    public Path letsencryptDir() {
        return proxyDataDir().resolve("letsencrypt");
    }

    public Path liveDir() {
        return letsencryptDir().resolve("live").resolve(config.domain());
    }

    public Path fullchain() {
        return liveDir().resolve("fullchain.pem");
    }

    public Path privkey() {
        return liveDir().resolve("privkey.pem");
    }

    public Path chain() {
        return liveDir().resolve("chain.pem");
    }

    /** The ACME account key: root only, kept across renewals. */
    public Path acmeAccountKey() {
        return letsencryptDir().resolve("account.key");
    }

    /** HTTP-01 webroot, served by nginx at /.well-known/acme-challenge/. */
    public Path acmeWebroot() {
        return proxyDataDir().resolve("acme-challenge");
    }

    private TlsMode mode() {
        return config.tls().mode();
    }

    /** In creation order: parents first. The proxy's directories exist only when a proxy runs. */
    public List<ManagedDirectory> directories() {
        List<ManagedDirectory> directories = new ArrayList<>(List.of(
                new ManagedDirectory(baseDir(), ROOT, DIR),
                new ManagedDirectory(secretsDir(), ROOT, PRIVATE_DIR),
                new ManagedDirectory(filesDir(), SYNAPSE, DIR),
                new ManagedDirectory(mediaStore(), SYNAPSE, DIR),
                new ManagedDirectory(schemasDir(), ROOT, DIR)));
        if (mode() != TlsMode.NONE) {
            directories.addAll(List.of(
                    new ManagedDirectory(proxyDir(), ROOT, DIR),
                    new ManagedDirectory(proxyDataDir(), ROOT, DIR),
                    new ManagedDirectory(userConfDir(), ROOT, DIR)));
        }
        if (mode() == TlsMode.NGINX_CERTBOT) {
            directories.add(new ManagedDirectory(certbotTrustDir(), ROOT, DIR));
        }
        if (mode() != TlsMode.NONE && mode() != TlsMode.NGINX_CERTBOT) {
            directories.addAll(List.of(
                    new ManagedDirectory(acmeWebroot(), ROOT, DIR),
                    // 0755 so nginx's workers can follow the path; the private key itself is 0600.
                    new ManagedDirectory(letsencryptDir(), ROOT, DIR),
                    new ManagedDirectory(liveDir().getParent(), ROOT, DIR),
                    new ManagedDirectory(liveDir(), ROOT, DIR)));
        }
        return directories;
    }

    public List<RenderedFile> renderedFiles() {
        Set<String> none = Set.of();
        List<RenderedFile> files = new ArrayList<>(List.of(
                // Tightened from the seed's 0644: it holds the database password and Synapse's secrets.
                file(homeserverConfig(), "matrix/homeserver.yaml.ftl", SYNAPSE, PRIVATE_FILE, Set.of("synapse")),
                file(logConfig(), "matrix/log.config.ftl", SYNAPSE, PUBLIC_FILE, Set.of("synapse")),
                file(elementConfig(), "matrix/element-config.json.ftl", ROOT, PUBLIC_FILE, Set.of("element")),
                file(composeFile(), "compose/docker-compose.yml.ftl", ROOT, PUBLIC_FILE, none)));
        if (!config.federation().caCertificatePem().isEmpty()) {
            // Synapse reads it at start (homeserver.yaml names it).
            files.add(file(federationCa(), "matrix/federation-ca.pem.ftl", SYNAPSE, PUBLIC_FILE, Set.of("synapse")));
        }
        if (mode() == TlsMode.NGINX_CERTBOT) {
            files.add(file(certbotEnv(), "nginx/nginx-certbot.env.ftl", ROOT, PUBLIC_FILE, Set.of("nginx")));
            // Loaded on SIGHUP like the server block (ProxyInputs), not by recreating the container.
            files.add(file(certbotHttpServer(), "nginx/certbot-http.conf.ftl", ROOT, PUBLIC_FILE, none));
            files.add(file(certbotImageRedirector(), "nginx/certbot-image-redirector.conf.ftl", ROOT, PUBLIC_FILE, none));
            if (!config.tls().acmeTrustedRoot().isEmpty()) {
                // certbot reads it on each run, from a directory mount.
                files.add(file(certbotAcmeRoot(), "nginx/acme-ca.pem.ftl", ROOT, PUBLIC_FILE, none));
            }
            files.add(file(proxyCompose(), "compose/proxy-certbot.yml.ftl", ROOT, PUBLIC_FILE, none));
        } else if (mode() != TlsMode.NONE) {
            files.add(file(proxyCompose(), "compose/proxy-nginx.yml.ftl", ROOT, PUBLIC_FILE, none));
        }
        if (mode() != TlsMode.NONE) {
            // Reloaded, not restarted: see ProxyInputs.
            files.add(file(serverBlock(), "nginx/server.conf.ftl", ROOT, PUBLIC_FILE, none));
        }
        return files;
    }

    private static RenderedFile file(Path path, String template, Ownership owner, int mode, Set<String> services) {
        return new RenderedFile(path, template, owner, mode, services);
    }
}
