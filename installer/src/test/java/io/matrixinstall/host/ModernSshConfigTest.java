package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import net.schmizz.sshj.common.Factory;
import org.junit.jupiter.api.Test;

class ModernSshConfigTest {
    private static List<String> names(List<? extends Factory.Named<?>> factories) {
        return factories.stream().map(Factory.Named::getName).toList();
    }

    @Test
    void offersNothingOpenSshNoLongerOffersByDefault() {
        ModernSshConfig config = new ModernSshConfig();
        List<String> all = Stream.of(names(config.getKeyExchangeFactories()), names(config.getKeyAlgorithms()),
                names(config.getCipherFactories()), names(config.getMACFactories())).flatMap(List::stream).toList();
        for (String name : all) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (String weak : List.of("sha1", "md5", "cbc", "dss", "arcfour", "blowfish", "3des", "group1-", "ssh-rsa")) {
                assertTrue(!lower.contains(weak), name + " is offered");
            }
        }
    }

    @Test
    void everyCipherItOffersWorksWithTheJdksOwnProviders() {
        // DefaultConfig drops a cipher whose first use fails: all five must have survived.
        assertEquals(List.of("aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"),
                names(new ModernSshConfig().getCipherFactories()));
    }

    @Test
    void keyExchangeAndKeysPreferCurve25519AndEd25519() {
        ModernSshConfig config = new ModernSshConfig();
        assertEquals("curve25519-sha256", names(config.getKeyExchangeFactories()).get(0));
        assertTrue(names(config.getKeyAlgorithms()).contains("ssh-ed25519"));
        assertTrue(names(config.getKeyAlgorithms()).contains("rsa-sha2-256"), "RSA keys still sign, with SHA-2");
    }
}
