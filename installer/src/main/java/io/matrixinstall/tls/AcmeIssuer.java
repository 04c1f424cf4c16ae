package io.matrixinstall.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Obtains a certificate from an ACME CA (Let's Encrypt, or Pebble in tests) with HTTP-01 challenges, the
 * job certbot did in the seed's proxy container. One call does the whole exchange: account, order,
 * challenges, finalization with a fresh domain key, download.
 */
public final class AcmeIssuer {
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Untrusted certificates, generous rate limits: for trying the setup out. */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private final URI directory;
    private final Optional<SSLContext> extraTrust;

    /** A CA whose HTTPS certificate the JDK already trusts (every public CA). */
    public AcmeIssuer(URI directory) {
        this(directory, null);
    }

    /**
     * @param extraTrustedRootPem a root certificate (PEM) to trust for the directory's own HTTPS, besides the
     *                            JDK's roots, or null; for test or private CAs like Pebble
     */
    public AcmeIssuer(URI directory, String extraTrustedRootPem) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.extraTrust = Optional.ofNullable(extraTrustedRootPem).map(ExtraRootTrust::sslContext);
    }

    public URI directory() {
        return directory;
    }

    /**
     * Issues one certificate for all {@code domains} (the first becomes the subject).
     *
     * @param accountKey the ACME account's key; the account is registered on first use, found afterwards
     * @param email      the account's contact for the CA's expiry notices; null or blank for none
     * @param publisher  serves the HTTP-01 answers; every published token is withdrawn again
     * @param timeout    for the whole exchange, polling included
     * @throws AcmeIssuanceException naming the domain and the CA's problem detail
     */
    public IssuedCertificate issue(KeyPair accountKey, String email, List<String> domains, ChallengePublisher publisher,
                                   Duration timeout) {
        Objects.requireNonNull(accountKey, "accountKey");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(timeout, "timeout");
        List<String> names = checkedDomains(domains);
        return new Issuance(names, publisher, timeout).run(accountKey, email);
    }

    /** One exchange with the CA; holds what every step's error message and deadline need. */
    private final class Issuance {
        private final List<String> names;
        private final String allNames;
        private final ChallengePublisher publisher;
        private final Duration timeout;
        private final Instant deadline;

        Issuance(List<String> names, ChallengePublisher publisher, Duration timeout) {
            this.names = names;
            this.allNames = String.join(", ", names);
            this.publisher = publisher;
            this.timeout = timeout;
            this.deadline = Instant.now().plus(timeout);
        }

        IssuedCertificate run(KeyPair accountKey, String email) {
            Session session = session();
            Account account = call("cannot register the ACME account" + (blank(email) ? "" : " " + email)
                    + " with " + directory, () -> account(session, accountKey, email));
            Order order = call(allNames + ": the CA refused the order", () -> account.newOrder().domains(names).create());
            for (Authorization authorization : order.getAuthorizations()) {
                authorize(authorization);
            }
            Status ready = await(allNames, "the order did not become ready", () -> order.waitUntilReady(remaining(allNames)));
            if (ready != Status.READY) {
                throw failure(allNames + ": the CA refused the order", order.getError(), ready);
            }
            // A new key for every certificate: a renewal never reuses the previous key.
            KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
            call(allNames + ": the CA refused to finalize the order", () -> {
                order.execute(domainKey); // acme4j builds and signs the CSR from the order's identifiers
                return null;
            });
            Status issued = await(allNames, "the CA did not issue the certificate",
                    () -> order.waitForCompletion(remaining(allNames)));
            if (issued != Status.VALID) {
                throw failure(allNames + ": the CA did not issue the certificate", order.getError(), issued);
            }
            return call(allNames + ": cannot download the certificate", () -> toIssued(order.getCertificate(), domainKey));
        }

        /** Proves control of one domain with HTTP-01, unless the CA still holds a valid proof for this account. */
        private void authorize(Authorization authorization) {
            // The first getter fetches the authorization from the CA; the others read what it fetched.
            String domain = call(allNames + ": cannot read the CA's authorization",
                    () -> authorization.getIdentifier().getDomain());
            Status state = authorization.getStatus();
            if (state == Status.VALID) {
                return;
            }
            if (state != Status.PENDING) {
                throw failure(domain + ": the CA's authorization is " + lower(state), Optional.empty(), null);
            }
            Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(
                    () -> new AcmeIssuanceException(domain + ": the CA offers no HTTP-01 challenge for this name"));
            String token = challenge.getToken();
            try {
                publisher.publish(token, challenge.getAuthorization());
            } catch (RuntimeException e) {
                throw new AcmeIssuanceException(domain + ": cannot publish the HTTP-01 challenge: " + e.getMessage(), e);
            }
            RuntimeException failed = null;
            try {
                call(domain + ": the CA refused to start the HTTP-01 challenge", () -> {
                    challenge.trigger();
                    return null;
                });
                Status result = await(domain, "the HTTP-01 challenge failed",
                        () -> challenge.waitForCompletion(remaining(domain)));
                if (result != Status.VALID) {
                    throw failure(domain + ": the CA could not fetch the HTTP-01 challenge", challenge.getError(), result);
                }
            } catch (RuntimeException e) {
                failed = e;
                throw e;
            } finally {
                withdraw(domain, token, failed);
            }
        }

        /** A failure to clean up never hides the failure that matters (the CA's). */
        private void withdraw(String domain, String token, RuntimeException failed) {
            try {
                publisher.withdraw(token);
            } catch (RuntimeException e) {
                if (failed != null) {
                    failed.addSuppressed(e);
                } else {
                    throw new AcmeIssuanceException(domain + ": cannot remove the HTTP-01 challenge: " + e.getMessage(), e);
                }
            }
        }

        /** Time left before the deadline; running out is reported like a CA that never answered. */
        private Duration remaining(String subject) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw timedOut(subject);
            }
            return left;
        }

        private AcmeIssuanceException timedOut(String subject) {
            return new AcmeIssuanceException(subject + ": no result from the CA within " + timeout.toSeconds() + " seconds");
        }

        /** acme4j's polling: it honours the CA's Retry-After and ends with a plain AcmeException when time is up. */
        private Status await(String subject, String failed, AcmeCall<Status> wait) {
            try {
                return call(subject + ": " + failed, wait);
            } catch (AcmeIssuanceException e) {
                if (e.getCause() != null && e.getCause().getClass() == AcmeException.class) {
                    throw timedOut(subject);
                }
                throw e;
            }
        }
    }

    private Session session() {
        BouncyCastle.register(); // acme4j's EC key generation (domain keys) needs the "BC" provider
        return extraTrust.map(trust -> new Session(directory, new ExtraRootAcmeProvider(trust)))
                .orElseGet(() -> new Session(directory));
    }

    /** RFC 8555 7.3: newAccount with a key the CA knows returns that account, so this registers or finds it. */
    private static Account account(Session session, KeyPair accountKey, String email) throws AcmeException {
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
        if (!blank(email)) {
            builder.addEmail(email);
        }
        return builder.create(session);
    }

    private static IssuedCertificate toIssued(Certificate certificate, KeyPair domainKey)
            throws AcmeException, IOException, CertificateEncodingException {
        List<X509Certificate> chain = certificate.getCertificateChain();
        StringWriter fullchain = new StringWriter();
        certificate.writeCertificate(fullchain);
        StringWriter leaf = new StringWriter();
        AcmeUtils.writeToPem(chain.get(0).getEncoded(), AcmeUtils.PemLabel.CERTIFICATE, leaf);
        StringWriter intermediates = new StringWriter();
        for (X509Certificate intermediate : chain.subList(1, chain.size())) {
            AcmeUtils.writeToPem(intermediate.getEncoded(), AcmeUtils.PemLabel.CERTIFICATE, intermediates);
        }
        return new IssuedCertificate(fullchain.toString(), intermediates.toString(), leaf.toString(),
                AccountKeys.toPem(domainKey), chain.get(0));
    }

    private static List<String> checkedDomains(List<String> domains) {
        if (domains == null || domains.isEmpty()) {
            throw new IllegalArgumentException("no domain to issue a certificate for");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String domain : domains) {
            String name = domain.trim().toLowerCase(Locale.ROOT);
            if (name.startsWith("*.")) {
                // Let's Encrypt only validates wildcards with DNS-01; fail before creating an order.
                throw new IllegalArgumentException(name + ": a wildcard name needs a DNS-01 challenge, not HTTP-01");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static AcmeIssuanceException failure(String what, Optional<Problem> problem, Status status) {
        String detail = problem.map(Problem::toString)
                .orElse(status == null ? "no detail given" : "status " + lower(status) + ", no detail given");
        return new AcmeIssuanceException(what + ": " + detail);
    }

    private static String lower(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /**
     * What the causes say (Java's HTTP client often leaves connection errors without a message); an untrusted
     * HTTPS certificate gets a hint.
     */
    private static String networkProblem(AcmeNetworkException e) {
        String detail = null;
        boolean untrusted = false;
        boolean connect = false;
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (detail == null) {
                detail = cause.getMessage();
            }
            untrusted |= cause instanceof CertPathBuilderException || cause instanceof CertificateException;
            connect |= cause instanceof ConnectException;
        }
        if (detail == null) {
            detail = connect ? "cannot connect" : e.getMessage();
        }
        return untrusted ? "its HTTPS certificate is not trusted (" + detail + "); a test or private CA needs its "
                + "root as the extra trusted root" : detail;
    }

    @FunctionalInterface
    private interface AcmeCall<T> {
        T run() throws AcmeException, IOException, CertificateEncodingException, InterruptedException;
    }

    private <T> T call(String context, AcmeCall<T> call) {
        try {
            return call.run();
        } catch (AcmeLazyLoadingException e) {
            // acme4j's getters load resources on first use and wrap the checked exception.
            return call(context, () -> {
                throw e.getCause() instanceof AcmeException cause ? cause : new AcmeException(e.getMessage());
            });
        } catch (AcmeServerException e) {
            throw new AcmeIssuanceException(context + ": " + e.getProblem(), e);
        } catch (AcmeNetworkException e) {
            throw new AcmeIssuanceException(context + ": cannot reach " + directory.getHost() + ": "
                    + networkProblem(e), e);
        } catch (AcmeException e) {
            throw new AcmeIssuanceException(context + ": " + e.getMessage(), e);
        } catch (IOException | CertificateEncodingException e) {
            throw new AcmeIssuanceException(context + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new AcmeIssuanceException(context + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeIssuanceException(context + ": interrupted", e);
        }
    }
}
