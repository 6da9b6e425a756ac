package dev.semaphore.environment;

import dev.semaphore.common.Times;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for variable groups and their secrets (whose values are {@code Keyring} ciphertext). */
final class EnvironmentStore {
    record Row(long id, String name, long projectId, String json, String env) {
    }

    record SecretRow(long id, String name, String type, String secret) {
    }

    Optional<Row> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT id, name, project_id, json, env FROM environments WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(EnvironmentStore::map).findOne();
    }

    List<Row> list(Handle h, long projectId, String orderBy) {
        return h.createQuery("SELECT id, name, project_id, json, env FROM environments WHERE project_id = :p ORDER BY "
                        + orderBy)
                .bind("p", projectId).map(EnvironmentStore::map).list();
    }

    List<SecretRow> secrets(Handle h, long environmentId) {
        return h.createQuery("SELECT id, name, type, secret FROM environment_secrets WHERE environment_id = :e ORDER BY id")
                .bind("e", environmentId)
                .map((rs, ctx) -> new SecretRow(rs.getLong("id"), rs.getString("name"), rs.getString("type"),
                        rs.getString("secret")))
                .list();
    }

    long insert(Handle h, long projectId, EnvironmentInput in) {
        return h.createUpdate("INSERT INTO environments (project_id, name, json, env, created)"
                        + " VALUES (:p, :name, :json, :env, :created)")
                .bind("p", projectId).bind("name", in.name()).bind("json", in.json()).bind("env", in.env())
                .bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, EnvironmentInput in) {
        h.createUpdate("UPDATE environments SET name = :name, json = :json, env = :env WHERE id = :id")
                .bind("id", id).bind("name", in.name()).bind("json", in.json()).bind("env", in.env()).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM environment_secrets WHERE environment_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM environments WHERE id = :id").bind("id", id).execute();
    }

    void insertSecret(Handle h, long environmentId, String name, String type, String sealed) {
        h.createUpdate("INSERT INTO environment_secrets (environment_id, name, type, secret) VALUES (:e, :n, :t, :s)")
                .bind("e", environmentId).bind("n", name).bind("t", type).bind("s", sealed).execute();
    }

    void updateSecret(Handle h, long id, String name, String type, String sealed) {
        h.createUpdate("UPDATE environment_secrets SET name = :n, type = :t, secret = :s WHERE id = :id")
                .bind("id", id).bind("n", name).bind("t", type).bind("s", sealed).execute();
    }

    void deleteSecret(Handle h, long id) {
        h.createUpdate("DELETE FROM environment_secrets WHERE id = :id").bind("id", id).execute();
    }

    private static Row map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getLong("project_id"), rs.getString("json"),
                rs.getString("env"));
    }
}
