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
        });
        return rows.size();
    }
}
