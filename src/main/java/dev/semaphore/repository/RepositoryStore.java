package dev.semaphore.repository;

import dev.semaphore.common.Times;
import dev.semaphore.db.References;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for repositories. */
final class RepositoryStore {
    private static final String COLUMNS = "id, name, project_id, git_url, git_branch, ssh_key_id";

    Optional<Repository> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM repositories WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(RepositoryStore::map).findOne();
    }

    List<Repository> list(Handle h, long projectId, String orderBy) {
        return h.createQuery("SELECT " + COLUMNS + " FROM repositories WHERE project_id = :p ORDER BY " + orderBy)
                .bind("p", projectId).map(RepositoryStore::map).list();
    }

    List<References.Ref> usingKey(Handle h, long projectId, long keyId) {
        return h.createQuery("SELECT id, name FROM repositories WHERE project_id = :p AND ssh_key_id = :k ORDER BY name")
                .bind("p", projectId).bind("k", keyId)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    long insert(Handle h, long projectId, RepositoryInput in) {
        return h.createUpdate("""
                        INSERT INTO repositories (project_id, name, git_url, git_branch, ssh_key_id, created)
                        VALUES (:p, :name, :url, :branch, :key, :created)""")
                .bind("p", projectId).bind("name", in.name()).bind("url", in.gitUrl()).bind("branch", in.gitBranch())
                .bind("key", in.sshKeyId()).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, RepositoryInput in) {
        h.createUpdate("UPDATE repositories SET name = :name, git_url = :url, git_branch = :branch, ssh_key_id = :key"
                        + " WHERE id = :id")
                .bind("id", id).bind("name", in.name()).bind("url", in.gitUrl()).bind("branch", in.gitBranch())
                .bind("key", in.sshKeyId()).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM repositories WHERE id = :id").bind("id", id).execute();
    }

    private static Repository map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Repository(rs.getLong("id"), rs.getString("name"), rs.getLong("project_id"),
                rs.getString("git_url"), rs.getString("git_branch"), rs.getLong("ssh_key_id"));
    }
}
