package dev.semaphore.secret;

import dev.semaphore.common.Times;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for access keys. The secret column only ever holds {@link Keyring} ciphertext. */
final class AccessKeyStore {
    record Row(long id, long projectId, String name, KeyType type, String owner, String login, String secret,
               String unusable) {
        AccessKey view() {
            return AccessKey.of(id, name, type, projectId, owner, login, unusable,
                    type != KeyType.NONE && (secret == null || secret.isEmpty()));
        }
    }

    private static final String COLUMNS = "id, project_id, name, type, owner, login, secret, unusable";

    Optional<Row> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM access_keys WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(AccessKeyStore::map).findOne();
    }

    List<Row> list(Handle h, long projectId, String orderBy) {
        return h.createQuery("SELECT " + COLUMNS + " FROM access_keys WHERE project_id = :p AND owner = ''"
                        + " ORDER BY " + orderBy)
                .bind("p", projectId).map(AccessKeyStore::map).list();
    }

    long insert(Handle h, long projectId, String name, KeyType type, String login, String secret, String unusable) {
        return h.createUpdate("""
                        INSERT INTO access_keys (project_id, name, type, owner, login, secret, unusable, created)
                        VALUES (:p, :name, :type, '', :login, :secret, :unusable, :created)""")
                .bind("p", projectId).bind("name", name).bind("type", type.wire()).bind("login", login)
                .bind("secret", secret).bind("unusable", unusable).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, String name, KeyType type, String login, String secret, String unusable) {
        h.createUpdate("UPDATE access_keys SET name = :name, type = :type, login = :login, secret = :secret,"
                        + " unusable = :unusable WHERE id = :id")
                .bind("id", id).bind("name", name).bind("type", type.wire()).bind("login", login)
                .bind("secret", secret).bind("unusable", unusable).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM access_keys WHERE id = :id").bind("id", id).execute();
    }

    private static Row map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getLong("project_id"), rs.getString("name"),
                KeyType.fromWire(rs.getString("type")).orElse(KeyType.NONE), rs.getString("owner"),
                rs.getString("login"), rs.getString("secret"), rs.getString("unusable"));
    }
}
