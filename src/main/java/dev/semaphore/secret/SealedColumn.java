package dev.semaphore.secret;

/**
 * A column that holds {@link Keyring} ciphertext, which a key change must re-seal: each feature that
 * seals data names its column (it owns the table), and {@link Vault} goes through them all.
 */
public record SealedColumn(String table, String idColumn, String valueColumn) {
}
