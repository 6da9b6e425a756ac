package dev.semaphore.execution;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.semaphore.secret.KeySecret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A private key's public half as ssh writes it ({@code type base64}): what an ssh config's IdentityFile names. */
final class SshPublicKey {
    private SshPublicKey() {
    }

    static String of(KeySecret.Ssh key) {
        KeyPair pair;
        try {
            pair = KeyPair.load(new JSch(), key.privateKey().getBytes(StandardCharsets.UTF_8), null);
        } catch (JSchException e) {
            throw new IllegalStateException("the key of a credential mapping cannot be read", e);
        }
        try {
            if (pair.isEncrypted() && key.passphrase() != null) {
                pair.decrypt(key.passphrase());
            }
            byte[] blob = pair.getPublicKeyBlob();
            if (blob == null) {
                throw new IllegalStateException("the public half of a credential mapping's key cannot be read");
            }
            return pair.getKeyTypeString() + " " + Base64.getEncoder().encodeToString(blob);
        } finally {
            pair.dispose();
        }
    }
}
