package io.matrixinstall.host;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.kex.DHGroups;
import com.hierynomus.sshj.transport.kex.ExtInfoClientFactory;
import com.hierynomus.sshj.transport.mac.Macs;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.transport.cipher.Cipher;
import net.schmizz.sshj.transport.kex.Curve25519SHA256;
import net.schmizz.sshj.transport.kex.DHGexSHA256;
import net.schmizz.sshj.transport.kex.ECDHNistP;

/**
 * SSHJ's configuration cut down to what OpenSSH itself offers by default today (OpenSSH 8.8 and later, every
 * Debian and Ubuntu release the agent supports): no SHA-1 key exchange, signatures or MACs, no DSA, no CBC, RC4,
 * Blowfish, CAST, IDEA, Serpent, Twofish or 3DES. Nothing a supported host needs is missing, a downgrade has nothing
 * weak to fall to, and a run's start does not try each of SSHJ's 33 ciphers (most of them BouncyCastle's, not
 * registered here, so each try failed with an exception) before it connects. AES-CTR with HMAC-SHA2 first: closest to
 * the packet path SSHJ negotiated with OpenSSH before (aes128-ctr with hmac-sha1), long run by every test; AES-GCM
 * and the encrypt-then-MAC forms are offered after them. (chacha20-poly1305 needs BouncyCastle's Poly1305 as a
 * registered JCE provider, which the agent does not register: see SshConnector.)
 */
final class ModernSshConfig extends DefaultConfig {
    @Override
    protected void initKeyExchangeFactories() {
        setKeyExchangeFactories(
                new Curve25519SHA256.Factory(),
                new Curve25519SHA256.FactoryLibSsh(),
                new ECDHNistP.Factory256(),
                new ECDHNistP.Factory384(),
                new ECDHNistP.Factory521(),
                new DHGexSHA256.Factory(),
                DHGroups.Group16SHA512(),
                DHGroups.Group18SHA512(),
                DHGroups.Group14SHA256(),
                // Not an algorithm: asks the server for the signature algorithms it accepts (rsa-sha2-* for RSA keys).
                new ExtInfoClientFactory());
    }

    @Override
    protected void initKeyAlgorithms() {
        setKeyAlgorithms(List.<Factory.Named<KeyAlgorithm>>of(
                KeyAlgorithms.EdDSA25519CertV01(),
                KeyAlgorithms.EdDSA25519(),
                KeyAlgorithms.ECDSASHANistp256CertV01(),
                KeyAlgorithms.ECDSASHANistp256(),
                KeyAlgorithms.ECDSASHANistp384CertV01(),
                KeyAlgorithms.ECDSASHANistp384(),
                KeyAlgorithms.ECDSASHANistp521CertV01(),
                KeyAlgorithms.ECDSASHANistp521(),
                KeyAlgorithms.RSASHA512(),
                KeyAlgorithms.RSASHA256()));
    }

    @Override
    protected List<Factory.Named<Cipher>> getDefaultCipherFactories() {
        return new ArrayList<>(List.of(
                BlockCiphers.AES128CTR(),
                BlockCiphers.AES192CTR(),
                BlockCiphers.AES256CTR(),
                GcmCiphers.AES128GCM(),
                GcmCiphers.AES256GCM()));
    }

    @Override
    protected void initMACFactories() {
        setMACFactories(
                Macs.HMACSHA2256(),
                Macs.HMACSHA2512(),
                Macs.HMACSHA2256Etm(),
                Macs.HMACSHA2512Etm());
    }
}
