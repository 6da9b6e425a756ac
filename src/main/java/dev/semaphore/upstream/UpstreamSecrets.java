package dev.semaphore.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.secret.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens an access key's {@code secret} as upstream stores it: base64 of AES-256-GCM output with the
 * 12-byte nonce in front, under upstream's {@code access_key_encryption} (base64 of 32 bytes); base64
 * of the plain JSON when upstream ran without that key; a bare private key (ending in a newline) from
 * its oldest versions. The JSON is {@code {login, passphrase, private_key}} for SSH keys,
 * {@code {login, password}} for login/password keys, the text itself for string keys.
 */
final class UpstreamSecrets {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A secret that cannot be opened, and why (said in the import's report). */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final SecretKeySpec key;

    /** @param accessKeyEncryption upstream's access_key_encryption; empty when it had none */
    UpstreamSecrets(String accessKeyEncryption) {
        if (accessKeyEncryption == null || accessKeyEncryption.isBlank()) {
            key = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(accessKeyEncryption.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream's access_key_encryption must be base64");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalArgumentException("upstream's access_key_encryption must be 16, 24 or 32 bytes of base64");
        }
        key = new SecretKeySpec(bytes, "AES");
    }

    /** The secret of a key of {@code type}; {@link KeySecret.None} when upstream held none. */
    KeySecret open(KeyType type, String stored) throws Unreadable {
        if (type == KeyType.NONE || stored == null || stored.isEmpty()) {
            return new KeySecret.None();
        }
        if (stored.endsWith("\n")) {
            if (type != KeyType.SSH) {
                throw new Unreadable("an unencrypted secret of a " + type.wire() + " key");
            }
            return new KeySecret.Ssh("", "", stored);
        }
        byte[] plain = plaintext(stored);
        String text = new String(plain, StandardCharsets.UTF_8);
        if (type == KeyType.STRING) {
            return new KeySecret.Text(text);
        }
        JsonNode fields;
        try {
            fields = Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new Unreadable("its secret is not the JSON upstream writes");
        }
        if (fields == null || !fields.isObject()) {
            throw new Unreadable("its secret is not the JSON upstream writes");
        }
        String login = fields.path("login").asText("");
        return type == KeyType.SSH
                ? new KeySecret.Ssh(login, fields.path("passphrase").asText(""), fields.path("private_key").asText(""))
                : new KeySecret.LoginPassword(login, fields.path("password").asText(""));
    }

    /** A string secret (a variable group's secret): its text. */
    String openText(String stored) throws Unreadable {
        if (stored == null || stored.isEmpty()) {
            return "";
        }
        return new String(plaintext(stored), StandardCharsets.UTF_8);
    }

    private byte[] plaintext(String stored) throws Unreadable {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.strip());
        } catch (IllegalArgumentException e) {
            throw new Unreadable("its secret is not base64");
        }
        if (key == null) {
            return raw;
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable("its secret is too short to be sealed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            return cipher.doFinal(Arrays.copyOfRange(raw, NONCE_BYTES, raw.length));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable("its secret does not open with the access_key_encryption given (another key?)");
        } catch (GeneralSecurityException e) {
            throw new Unreadable("its secret cannot be decrypted: " + e.getMessage());
        }
    }
}
