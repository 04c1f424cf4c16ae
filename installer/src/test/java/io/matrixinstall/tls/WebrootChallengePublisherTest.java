package io.matrixinstall.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebrootChallengePublisherTest {
    @TempDir
    Path webroot;

    @Test
    void publishesWhereNginxServesWellKnown() throws Exception {
        WebrootChallengePublisher publisher = new WebrootChallengePublisher(new LocalHost(), webroot.resolve("acme-challenge"));

        publisher.publish("tok-EN_1", "tok-EN_1.thumbprint");

        Path file = webroot.resolve("acme-challenge/tok-EN_1");
        assertEquals("tok-EN_1.thumbprint", Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(webroot.resolve("acme-challenge"), publisher.challengeDirectory());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void withdrawRemovesTheFileAndToleratesUnknownTokens() throws Exception {
        WebrootChallengePublisher publisher = new WebrootChallengePublisher(new LocalHost(), webroot.resolve("acme-challenge"));
        publisher.publish("token", "token.thumbprint");

        publisher.withdraw("token");
        publisher.withdraw("never-published");

        try (var left = Files.list(publisher.challengeDirectory())) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void tokensThatAreNotBase64UrlAreRefused() {
        WebrootChallengePublisher publisher = new WebrootChallengePublisher(new LocalHost(), webroot.resolve("acme-challenge"));

        assertThrows(IllegalArgumentException.class, () -> publisher.publish("../../etc/passwd", "x"));
        assertThrows(IllegalArgumentException.class, () -> publisher.withdraw("a/b"));
        assertThrows(IllegalArgumentException.class, () -> publisher.publish("", "x"));
        assertFalse(Files.exists(webroot.resolve("acme-challenge")));
    }
}
