package dev.semaphore.runner;

import dev.semaphore.common.ApiException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * A runner that registered a public key gets its jobs (which hold decrypted secrets) encrypted to it,
 * as upstream does: RSA PKCS#1 v1.5 over 245-byte pieces of the JSON (for a 2048-bit key), the
 * 256-byte blocks one after another, sent as {@code application/octet-stream}.
 */
final class RunnerPayload {
    private RunnerPayload() {
    }

    /** The key from its PEM: upstream's runners send PKCS#1 under a "PUBLIC KEY" header; X.509 is read too. */
    static PublicKey publicKey(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'public_key' is not a PEM public key");
        }
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            try {
                return rsa.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notX509) {
                BigInteger[] numbers = pkcs1(der);
                return rsa.generatePublic(new RSAPublicKeySpec(numbers[0], numbers[1]));
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw ApiException.badRequest("field 'public_key' is not an RSA public key");
        }
    }

    /** A 2048-bit RSA key pair for a runner the server makes keys for. */
    static java.security.KeyPair keyPair() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pairs here", e);
        }
    }

    /** DER as PEM under {@code label} (PKCS#8 for a private key, X.509 for a public one). */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static byte[] encrypt(PublicKey key, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            int block = ((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength() / 8;
            int piece = block - 11;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int start = 0; start < plaintext.length; start += piece) {
                out.writeBytes(cipher.doFinal(plaintext, start, Math.min(piece, plaintext.length - start)));
            }
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting a runner's jobs failed", e);
        }
    }

    /** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
    private static BigInteger[] pkcs1(byte[] der) {
        int[] at = {0};
        expect(der, at, 0x30);
        length(der, at);
        BigInteger modulus = integer(der, at);
        BigInteger exponent = integer(der, at);
        return new BigInteger[] {modulus, exponent};
    }

    private static BigInteger integer(byte[] der, int[] at) {
        expect(der, at, 0x02);
        int length = length(der, at);
        BigInteger value = new BigInteger(java.util.Arrays.copyOfRange(der, at[0], at[0] + length));
        at[0] += length;
        return value;
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if ((der[at[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("not PKCS#1");
        }
    }

    private static int length(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }
}
