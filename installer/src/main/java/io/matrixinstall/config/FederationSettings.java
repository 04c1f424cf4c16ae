package io.matrixinstall.config;

import java.util.Map;

/** Reads and checks {@code delegation} and {@code federation.*}; the CA file is read now, on the operator's machine. */
final class FederationSettings {
    /** The Synapse key {@code federation.ca_certificate} renders; set in synapse.extra_config too would be two truths. */
    static final String SYNAPSE_CA_LIST = "federation_custom_ca_list";

    private FederationSettings() {}

    static InstallConfig.Federation read(Map<String, String> values, String serverName, InstallConfig.SynapseExtra extra) {
        InstallConfig.Delegation delegation = Rules.choice("delegation", ConfigLoader.value(values, ConfigKey.DELEGATION),
                InstallConfig.Delegation.class);
        if (delegation == InstallConfig.Delegation.SRV && serverName.contains(":")) {
            // The spec skips SRV look-ups for a server name with an explicit port.
            throw new ConfigException("delegation", "srv needs a server_name without a port (got '" + serverName + "')");
        }
        String ca = TlsSettings.pemFile(values, ConfigKey.FEDERATION_CA_CERTIFICATE, TlsSettings.PEM_CERTIFICATE,
                "a PEM certificate");
        if (!ca.isEmpty() && extra.keys().contains(SYNAPSE_CA_LIST)) {
            throw new ConfigException("federation.ca_certificate", "conflicts with " + SYNAPSE_CA_LIST
                    + " in synapse.extra_config; set only one");
        }
        return new InstallConfig.Federation(delegation, ca);
    }
}
