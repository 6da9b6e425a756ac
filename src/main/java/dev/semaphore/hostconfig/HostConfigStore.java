package dev.semaphore.hostconfig;

import dev.semaphore.common.Times;
import dev.semaphore.db.References;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for credential mappings. */
final class HostConfigStore {
    private static final String COLUMNS = "id, project_id, type, host, ssh_key_id";

    List<HostConfig> list(Handle h, long projectId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM host_configs WHERE project_id = :p ORDER BY id")
                .bind("p", projectId).map(HostConfigStore::map).list();
    }

    Optional<HostConfig> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM host_configs WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(HostConfigStore::map).findOne();
    }

    long insert(Handle h, long projectId, HostConfigInput in) {
        return h.createUpdate("INSERT INTO host_configs (project_id, type, host, ssh_key_id, created)"
                        + " VALUES (:p, :type, :host, :key, :now)")
                .bind("p", projectId).bind("type", in.type()).bind("host", in.host()).bind("key", in.sshKeyId())
                .bind("now", Times.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, HostConfigInput in) {
        h.createUpdate("UPDATE host_configs SET type = :type, host = :host, ssh_key_id = :key WHERE id = :id")
                .bind("id", id).bind("type", in.type()).bind("host", in.host()).bind("key", in.sshKeyId()).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM host_configs WHERE id = :id").bind("id", id).execute();
    }

    List<References.Ref> usingKey(Handle h, long projectId, long keyId) {
        return h.createQuery("SELECT id, host FROM host_configs WHERE project_id = :p AND ssh_key_id = :k ORDER BY id")
                .bind("p", projectId).bind("k", keyId)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("host"))).list();
    }

    private static HostConfig map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new HostConfig(rs.getLong("id"), rs.getLong("project_id"), rs.getString("type"), rs.getString("host"),
                rs.getLong("ssh_key_id"));
    }
}
