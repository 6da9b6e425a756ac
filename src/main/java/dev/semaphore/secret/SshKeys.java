package dev.semaphore.secret;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.semaphore.common.ApiException;
import java.nio.charset.StandardCharsets;

/**
 * Checks an SSH private key at save time: an empty one is refused; one that cannot be read is kept
 * (upstream keeps any text) with the reason, so a task that needs it fails at once saying why.
 */
final class SshKeys {
    private SshKeys() {
    }

    /** Null when the key can be used; else why not. 400 when there is no key at all. */
    static String problem(String privateKey, String passphrase) {
        if (privateKey == null || privateKey.isBlank()) {
            throw ApiException.badRequest("field 'ssh.private_key' is required for an ssh key");
        }
        try {
            validate(privateKey, passphrase);
            return null;
        } catch (ApiException unusable) {
            return unusable.getMessage().replaceFirst("^field 'ssh\\.(private_key|passphrase)' ", "its $1 ");
        }
    }

    private static void validate(String privateKey, String passphrase) {
        if (!privateKey.contains("-----BEGIN ") || !privateKey.contains("PRIVATE KEY-----")) {
            throw ApiException.badRequest("field 'ssh.private_key' is not a PEM or OpenSSH private key");
        }
        KeyPair pair;
        try {
            pair = KeyPair.load(new JSch(), privateKey.getBytes(StandardCharsets.UTF_8), null);
        } catch (JSchException | RuntimeException e) {
            // The library's message names its own classes and byte arrays, which tell a user nothing.
            throw ApiException.badRequest("field 'ssh.private_key' cannot be read: it is damaged (cut short, or"
                    + " changed) or not an RSA, ECDSA, Ed25519 or DSA key in PEM or OpenSSH form");
        }
        try {
            if (pair.isEncrypted()) {
                if (passphrase == null || passphrase.isEmpty()) {
                    throw ApiException.badRequest(
                            "field 'ssh.passphrase' is required: the private key is encrypted");
                }
                boolean decrypted;
                try {
                    decrypted = pair.decrypt(passphrase);
                } catch (RuntimeException e) {
                    decrypted = false;
                }
                if (!decrypted) {
                    throw ApiException.badRequest("field 'ssh.passphrase' does not decrypt the private key");
                }
            }
        } finally {
            pair.dispose();
        }
    }
}
