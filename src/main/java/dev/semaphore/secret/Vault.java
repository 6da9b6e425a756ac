package dev.semaphore.secret;

import dev.semaphore.db.Database;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every sealed secret of the database, for {@code semaphore vault}: which keys they are sealed with
 * ({@link #check}), and re-sealing them all under the active key ({@link #rekey}) in one transaction,
 * so an interrupted change leaves every secret as it was.
 */
public final class Vault {
    /** How many secrets each key id seals, and the ids this keyring cannot open. */
    public record Usage(Map<String, Integer> perKey, List<String> missing) {
    }

    private final Database db;
    private final Keyring keyring;
    private final List<SealedColumn> columns = new CopyOnWriteArrayList<>();

    public Vault(Database db, Keyring keyring) {
        this.db = db;
        this.keyring = keyring;
    }

    public void register(SealedColumn column) {
        columns.add(column);
    }

    /** The same vault, also able to open secrets sealed with {@code oldKeys} (for a rekey). */
    public Vault withOldKeys(List<byte[]> oldKeys) {
        Vault wider = new Vault(db, keyring.withOlder(oldKeys));
        wider.columns.addAll(columns);
        return wider;
    }

    public String activeKeyId() {
        return keyring.activeKeyId();
    }

    private static final String CHECK_VALUE = "semaphore key check";

    /**
     * Refuses a keyring that cannot open this database's secrets, before it seals new ones nobody else
     * can open: the first server process seals a check value with its key; every later one must know
     * that key (its {@code access_key_encryption}, or an older key during a rekey). A database that has
     * secrets but no check value yet (made by an older version) gets one only if this key opens some.
     */
    public void confirmKey() {
        java.util.Optional<String> sealed = readKeyCheck();
        if (sealed.isEmpty()) {
            Usage usage = check();
            if (!usage.perKey().isEmpty() && usage.missing().containsAll(usage.perKey().keySet())) {
                throw refusal(String.join(", ", usage.missing()));
            }
            try {
                db.txRun(h -> h.createUpdate("INSERT INTO vault_key_check (id, sealed) VALUES (1, :s)")
                        .bind("s", keyring.encrypt(CHECK_VALUE)).execute());
            } catch (RuntimeException raced) {
                // Another process starting at the same time wrote it first; its key is checked below.
            }
            sealed = readKeyCheck();
        }
        String keyId = sealed.map(Keyring::keyIdOf).orElse(null);
        if (keyId == null || !keyring.knows(keyId)) {
            throw refusal(String.valueOf(keyId));
        }
    }

    private java.util.Optional<String> readKeyCheck() {
        return db.read(h -> h.createQuery("SELECT sealed FROM vault_key_check WHERE id = 1").mapTo(String.class)
                .findOne());
    }

    private dev.semaphore.config.ConfigException refusal(String sealedWith) {
        return new dev.semaphore.config.ConfigException("access_key_encryption (key id " + keyring.activeKeyId()
                + ") does not open the secrets of this database, sealed with key id " + sealedWith + ": give every "
                + "server process the same access_key_encryption (when it is unset, each generates its own into "
                + "data/access_key_encryption.key); to change the key, list the old one in access_key_encryption_old "
                + "and run `semaphore vault rekey`");
    }

    public Usage check() {
        Map<String, Integer> perKey = new TreeMap<>();
        db.read(h -> {
            for (SealedColumn c : columns) {
                h.createQuery("SELECT " + c.valueColumn() + " FROM " + c.table() + " WHERE " + c.valueColumn()
                                + " IS NOT NULL").mapTo(String.class)
                        .forEach(value -> perKey.merge(String.valueOf(Keyring.keyIdOf(value)), 1, Integer::sum));
            }
            return null;
        });
        List<String> missing = perKey.keySet().stream().filter(id -> !keyring.knows(id)).toList();
        return new Usage(perKey, missing);
    }

    /**
     * Re-seals every secret not sealed with the active key; {@code backup} (if given) first receives
     * each old ciphertext as a JSON line, so the change can be undone by hand.
     * @return how many secrets were re-sealed
     */
    public int rekey(Path backup) throws IOException {
        String active = keyring.activeKeyId();
        record Row(SealedColumn column, long id, String value) {
        }
        List<Row> rows = new ArrayList<>();
        db.read(h -> {
            for (SealedColumn c : columns) {
                h.createQuery("SELECT " + c.idColumn() + " AS id, " + c.valueColumn() + " AS v FROM " + c.table()
                                + " WHERE " + c.valueColumn() + " IS NOT NULL")
                        .map((rs, ctx) -> new Row(c, rs.getLong("id"), rs.getString("v")))
                        .forEach(row -> {
                            if (!active.equals(Keyring.keyIdOf(row.value()))) {
                                rows.add(row);
                            }
                        });
            }
            return null;
        });
        if (backup != null) {
            try (BufferedWriter out = Files.newBufferedWriter(backup, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (Row row : rows) {
                    out.write(dev.semaphore.common.Json.mapper().writeValueAsString(Map.of("table", row.column().table(),
                            "id", row.id(), "column", row.column().valueColumn(), "value", row.value())));
                    out.newLine();
                }
            }
        }
        db.txRun(h -> {
            for (Row row : rows) {
                String resealed = keyring.encrypt(keyring.decrypt(row.value()));
                h.createUpdate("UPDATE " + row.column().table() + " SET " + row.column().valueColumn() + " = :v WHERE "
                                + row.column().idColumn() + " = :id AND " + row.column().valueColumn() + " = :old")
                        .bind("v", resealed).bind("id", row.id()).bind("old", row.value()).execute();
            }
            h.createUpdate("UPDATE vault_key_check SET sealed = :s WHERE id = 1")
                    .bind("s", keyring.encrypt(CHECK_VALUE)).execute();
        });
        return rows.size();
    }
}
