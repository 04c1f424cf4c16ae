package io.matrixinstall.layout;

import io.matrixinstall.secrets.Secret;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Ownership;
import java.nio.file.Path;
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

    /** element.welcome_page and element.logo, copied in; mounted read-only at /app/branding in the element container. */
    public Path brandingDir() {
        return baseDir().resolve("element-branding");
    }

    public Path elementConfig() {
        return baseDir().resolve("element-config.json");
    }

    /** Mounted read-only into the db container as POSTGRES_PASSWORD_FILE. */
    public Path postgresPasswordFile() {
        return secretsDir().resolve(Secret.POSTGRES_PASSWORD.fileName());
    }

    /** coturn's configuration (turn.enabled): holds the TURN secret; root-only, read by turnserver before it drops to nobody. */
    public Path turnConfig() {
        return baseDir().resolve("turnserver.conf");
    }

    /** The secret coturn and Synapse share for TURN credentials (turn.enabled), generated once. */
    public Path turnSecret() {
        return secretsDir().resolve(Secret.TURN_SHARED_SECRET.fileName());
    }

    /** Which coturn container started with which TLS certificate (TurnCertificate), like the proxy's record. */
    public Path turnLoadedRecord() {
        return baseDir().resolve(".matrix-install-coturn-loaded");
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

    /** The configuration these paths are of. */
    public InstallConfig config() {
        return config;
    }

    /** A file made from a template, owned and moded as given; read at start by {@code services}. */
    public static RenderedFile file(Path path, String template, Ownership owner, int mode, Set<String> services) {
        return new RenderedFile(path, template, owner, mode, services);
    }
}
