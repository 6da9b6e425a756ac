package dev.semaphore.secret;

import dev.semaphore.common.Secrets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM encryption of stored secrets. Every ciphertext names the key that made it
 * ({@code v1:<key id>:<base64 nonce+ciphertext+tag>}), so keys can rotate: new secrets use the
 * active key, old ones decrypt with whichever configured key they name. The key id is the first
 * 8 characters of the base64url SHA-256 of the key, as upstream's keyrings compute it.
 */
public final class Keyring {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String activeId;
    private final Map<String, SecretKeySpec> keys;

    /** @param active the key new secrets are encrypted with; {@code older} only decrypt */
    public Keyring(byte[] active, List<byte[]> older) {
        Map<String, SecretKeySpec> map = new LinkedHashMap<>();
        this.activeId = idOf(active);
        map.put(activeId, new SecretKeySpec(active, "AES"));
        older.forEach(key -> map.putIfAbsent(idOf(key), new SecretKeySpec(key, "AES")));
        this.keys = Map.copyOf(map);
    }

    private Keyring(String activeId, Map<String, SecretKeySpec> keys) {
        this.activeId = activeId;
        this.keys = Map.copyOf(keys);
    }

    /** This keyring, able to open secrets sealed with {@code more} keys as well (a key change under way). */
    public Keyring withOlder(List<byte[]> more) {
        Map<String, SecretKeySpec> map = new LinkedHashMap<>(keys);
        more.forEach(key -> map.putIfAbsent(idOf(key), new SecretKeySpec(key, "AES")));
        return new Keyring(activeId, map);
    }

    public String activeKeyId() {
        return activeId;
    }

    /** The id of the key a stored secret was sealed with, or null for what is not our envelope. */
    public static String keyIdOf(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", 3);
        return parts.length == 3 && stored.startsWith(PREFIX) ? parts[1] : null;
    }

    /** Whether this keyring can open secrets sealed with the key of this id. */
    public boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(activeId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + activeId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !stored.startsWith(PREFIX)) {
            throw new SecretUnreadableException("stored secret is not in a known format");
        }
        String keyId = parts[1];
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new SecretUnreadableException("secret was encrypted with key id " + keyId
                    + ", which is not configured (access_key_encryption has key id " + activeId + ")");
        }
        try {
            byte[] all = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadableException("stored secret with key id " + keyId + " fails its integrity check");
        }
    }

    static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
