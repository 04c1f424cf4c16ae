package io.matrixinstall.config;

import io.matrixinstall.tls.CertificateFiles;
import java.net.URI;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Map;

/** Reads and checks the {@code tls.*} keys; files named there are read now, on the operator's machine. */
final class TlsSettings {
    static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
    static final String LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
    static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private TlsSettings() {}

    static InstallConfig.Tls read(Map<String, String> values) {
        InstallConfig.TlsMode mode = Rules.choice("tls.mode", ConfigLoader.value(values, ConfigKey.TLS_MODE),
                InstallConfig.TlsMode.class);
        boolean staging = Rules.bool("tls.acme.staging", ConfigLoader.value(values, ConfigKey.ACME_STAGING));
        String directory = values.get(ConfigKey.ACME_DIRECTORY.key());
        if (staging && directory != null) {
            throw new ConfigException("tls.acme.staging", "conflicts with tls.acme.directory; set only one");
        }
        directory = staging ? LETS_ENCRYPT_STAGING : directory == null ? LETS_ENCRYPT : https("tls.acme.directory", directory);
        String trustedRoot = pemFile(values, ConfigKey.ACME_CA_CERTIFICATE, PEM_CERTIFICATE, "a PEM certificate");
        String certificate = pemFile(values, ConfigKey.FILES_CERTIFICATE, PEM_CERTIFICATE, "a PEM certificate chain");
        String key = pemFile(values, ConfigKey.FILES_KEY, "PRIVATE KEY-----", "a PEM private key");
        if (mode == InstallConfig.TlsMode.FILES) {
            for (ConfigKey required : new ConfigKey[] {ConfigKey.FILES_CERTIFICATE, ConfigKey.FILES_KEY}) {
                if (!values.containsKey(required.key())) {
                    throw new ConfigException(required.key(), "required when tls.mode is files");
                }
            }
        }
        TrustedProxy trustedProxy = TrustedProxy.parse(ConfigKey.EXTERNAL_TRUSTED_PROXY.key(),
                ConfigLoader.value(values, ConfigKey.EXTERNAL_TRUSTED_PROXY));
        return new InstallConfig.Tls(mode, directory, trustedRoot, certificate, key, trustedProxy);
    }

    /** files mode: the operator's certificate must serve the domain now, before anything changes. */
    static void checkOperatorCertificate(InstallConfig.Tls tls, String domain) {
        if (tls.mode() != InstallConfig.TlsMode.FILES) {
            return;
        }
        try {
            CertificateFiles.checkUsable(tls.certificatePem(), tls.keyPem(), domain, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls.files.certificate", e.getMessage());
        }
    }

    private static String https(String key, String value) {
        try {
            URI uri = URI.create(value);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(key, "not an https:// URL (got '" + value + "')");
    }

    static String pemFile(Map<String, String> values, ConfigKey key, String marker, String what) {
        String location = values.get(key.key());
        if (location == null) {
            return "";
        }
        String text = YamlFile.readText(key.key(), Path.of(location));
        if (!text.contains(marker)) {
            throw new ConfigException(key.key(), location + " is not " + what);
        }
        return text;
    }
}
