package io.matrixinstall.component.tls;

/**
 * Where clients and other servers reach this homeserver (the TLS mode says: {@link TlsModeComponent#publicAddresses}), so public_baseurl, Element, both well-known
 * documents and the port-80 redirect can never disagree about a non-default port.
 *
 * @param httpsPort      the port clients use for HTTPS
 * @param federationPort the port other servers are told to use (well-known m.server)
 */
public record PublicAddresses(String domain, int httpsPort, int federationPort) {

    /** https://domain, with the port only when it is not 443 (clients compare base URLs textually). */
    public String baseUrl() {
        return "https://" + domain + portSuffix();
    }

    /** ":port" for URLs and redirects, empty for 443. */
    public String portSuffix() {
        return httpsPort == 443 ? "" : ":" + httpsPort;
    }

    /** host:port of well-known m.server: the federation listener that really listens. */
    public String federationAddress() {
        return domain + ":" + federationPort;
    }
}
