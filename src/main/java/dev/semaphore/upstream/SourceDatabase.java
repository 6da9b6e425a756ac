package dev.semaphore.upstream;

import dev.semaphore.db.Database;
import dev.semaphore.db.Dialect;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An upstream Semaphore database, read only: which of upstream's tables it has (they came version
 * by version), and its rows streamed in id order, so a table of millions never sits in memory.
 */
final class SourceDatabase implements AutoCloseable {
    private static final int FETCH_SIZE = 2_000;

    private final Database db;
    private final Set<String> tables;

    SourceDatabase(Database db) {
        this.db = db;
        this.tables = db.read(h -> {
            Set<String> names = new HashSet<>();
            String schema = db.dialect() == Dialect.POSTGRES ? "public" : null;
            try (ResultSet rs = h.getConnection().getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot list the upstream database's tables: " + e.getMessage(), e);
            }
            return names;
        });
    }

    boolean has(String table) {
        return tables.contains(table);
    }

    /** A table or column name as the source's SQL writes it ("user" is a keyword in PostgreSQL). */
    String quote(String name) {
        return db.dialect() == Dialect.MYSQL ? "`" + name + "`" : "\"" + name + "\"";
    }

    long count(String table, String where) {
        if (!has(table)) {
            return 0;
        }
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM " + quote(table) + (where == null ? "" : " WHERE " + where))
                .mapTo(Long.class).one());
    }

    /** Every row of {@code table} (none when the table is absent), {@code where} and order given as SQL. */
    void each(String table, String where, String orderBy, Consumer<SourceRow> consumer) {
        if (!has(table)) {
            return;
        }
        String sql = "SELECT * FROM " + quote(table) + (where == null ? "" : " WHERE " + where)
                + (orderBy == null ? "" : " ORDER BY " + orderBy);
        // PostgreSQL streams (instead of loading the whole result) only inside a transaction.
        // (SQLite's transactions here take the write lock: it reads without one.)
        boolean inTransaction = db.dialect() == Dialect.POSTGRES;
        // A handle of its own: JDBI would hand a nested read the caller's, whose transaction this one would end.
        try (org.jdbi.v3.core.Handle h = db.jdbi().open()) {
            if (inTransaction) {
                h.begin();
            }
            try {
                String[][] columns = new String[1][];
                h.createQuery(sql).setFetchSize(FETCH_SIZE).map((rs, ctx) -> {
                    if (columns[0] == null) {
                        columns[0] = SourceRow.columns(rs);
                    }
                    return SourceRow.read(rs, columns[0]);
                }).forEach(consumer);
            } finally {
                if (inTransaction) {
                    h.rollback();
                }
            }
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
