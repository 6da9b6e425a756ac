package dev.semaphore.terraform;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of Terraform state versions (sealed by the caller) and their locks, per project and scope. */
final class TerraformStateStore {
    Optional<String> latest(Handle h, long projectId, String scope) {
        return h.createQuery("SELECT state FROM terraform_states WHERE project_id = :p AND scope = :s"
                        + " ORDER BY id DESC LIMIT 1")
                .bind("p", projectId).bind("s", scope).mapTo(String.class).findOne();
    }

    Optional<String> version(Handle h, long projectId, String scope, long id) {
        return h.createQuery("SELECT state FROM terraform_states WHERE project_id = :p AND scope = :s AND id = :id")
                .bind("p", projectId).bind("s", scope).bind("id", id).mapTo(String.class).findOne();
    }

    List<TerraformBackend.StateVersion> versions(Handle h, long projectId, String scope) {
        return h.createQuery("SELECT id, created, task_id FROM terraform_states"
                        + " WHERE project_id = :p AND scope = :s ORDER BY id DESC")
                .bind("p", projectId).bind("s", scope)
                .map((rs, ctx) -> new TerraformBackend.StateVersion(rs.getLong("id"), Rows.instant(rs, "created", ctx),
                        Rows.nullableLong(rs, "task_id")))
                .list();
    }

    boolean delete(Handle h, long projectId, String scope, long id) {
        return h.createUpdate("DELETE FROM terraform_states WHERE project_id = :p AND scope = :s AND id = :id")
                .bind("p", projectId).bind("s", scope).bind("id", id).execute() == 1;
    }

    /** @param taskId the task that wrote it, or null (an outside client's terraform) */
    void insert(Handle h, long projectId, String scope, Long taskId, String sealedState) {
        h.createUpdate("INSERT INTO terraform_states (project_id, scope, task_id, created, state)"
                        + " VALUES (:p, :s, :t, :created, :state)")
                .bind("p", projectId).bind("s", scope).bind("t", taskId)
                .bind("created", Times.now()).bind("state", sealedState).execute();
    }

    Optional<String> lock(Handle h, long projectId, String scope) {
        return h.createQuery("SELECT lock_info FROM terraform_locks WHERE project_id = :p AND scope = :s")
                .bind("p", projectId).bind("s", scope).mapTo(String.class).findOne();
    }

    void insertLock(Handle h, long projectId, String scope, String lockInfo) {
        h.createUpdate("INSERT INTO terraform_locks (project_id, scope, lock_info, created)"
                        + " VALUES (:p, :s, :info, :created)")
                .bind("p", projectId).bind("s", scope).bind("info", lockInfo)
                .bind("created", Times.now()).execute();
    }

    void deleteLock(Handle h, long projectId, String scope) {
        h.createUpdate("DELETE FROM terraform_locks WHERE project_id = :p AND scope = :s")
                .bind("p", projectId).bind("s", scope).execute();
    }
}
