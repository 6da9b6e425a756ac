package dev.semaphore.runner;

import dev.semaphore.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for runners; a runner's token is only ever stored as its hash. */
final class RunnerStore {
    private static final String COLUMNS = "id, project_id, name, webhook, max_parallel_tasks, active, tag, touched,"
            + " cleaning_requested, version, system_load, public_key, registered";

    record Fields(Long projectId, String name, String webhook, int maxParallelTasks, boolean active, String tag,
                  String publicKey) {
    }

    /** @param registered false for a runner that has no token anyone knows until it registers */
    long insert(Handle h, Fields f, String tokenHash, boolean registered, Instant now) {
        return h.createUpdate("INSERT INTO runners (project_id, name, token_hash, webhook, max_parallel_tasks, active,"
                        + " tag, public_key, registered, created)"
                        + " VALUES (:p, :name, :hash, :webhook, :max, :active, :tag, :key, :registered, :now)")
                .bind("p", f.projectId()).bind("name", f.name()).bind("hash", tokenHash).bind("webhook", f.webhook())
                .bind("max", f.maxParallelTasks()).bind("active", f.active()).bind("tag", f.tag())
                .bind("key", f.publicKey()).bind("registered", registered).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void setRegistrationToken(Handle h, long id, String hash, Instant expires) {
        h.createUpdate("UPDATE runners SET registration_hash = :hash, registration_expires = :expires WHERE id = :id")
                .bind("id", id).bind("hash", hash).bind("expires", expires).execute();
    }

    /** The unregistered runner a live one-time registration token is for. */
    Optional<Runner> byRegistrationHash(Handle h, String hash, Instant now) {
        return h.createQuery("SELECT " + COLUMNS + " FROM runners WHERE registration_hash = :h"
                        + " AND registration_expires > :now AND registered = :no")
                .bind("h", hash).bind("now", now).bind("no", false).map(RunnerStore::map).findOne();
    }

    /** Spends the one-time token: true when this caller did (a second caller with it finds it spent). */
    boolean registerWith(Handle h, long id, String registrationHash, String tokenHash, String publicKey) {
        var update = h.createUpdate("UPDATE runners SET token_hash = :token, registered = :yes, active = :yes,"
                        + " registration_hash = NULL, registration_expires = NULL"
                        + (publicKey == null ? "" : ", public_key = :key") + " WHERE id = :id AND registration_hash = :reg")
                .bind("id", id).bind("token", tokenHash).bind("yes", true).bind("reg", registrationHash);
        if (publicKey != null) {
            update.bind("key", publicKey);
        }
        return update.execute() == 1;
    }

    void update(Handle h, long id, String name, String webhook, int maxParallelTasks, boolean active, String tag) {
        h.createUpdate("UPDATE runners SET name = :name, webhook = :webhook, max_parallel_tasks = :max,"
                        + " active = :active, tag = :tag WHERE id = :id")
                .bind("id", id).bind("name", name).bind("webhook", webhook).bind("max", maxParallelTasks)
                .bind("active", active).bind("tag", tag).execute();
    }

    void setActive(Handle h, long id, boolean active) {
        h.createUpdate("UPDATE runners SET active = :a WHERE id = :id").bind("id", id).bind("a", active).execute();
    }

    void requestCleaning(Handle h, long id, Instant now) {
        h.createUpdate("UPDATE runners SET cleaning_requested = :now WHERE id = :id").bind("id", id).bind("now", now)
                .execute();
    }

    void cleaned(Handle h, long id) {
        h.createUpdate("UPDATE runners SET cleaning_requested = NULL WHERE id = :id").bind("id", id).execute();
    }

    void touch(Handle h, long id, Instant now, String version, String load) {
        var update = h.createUpdate("UPDATE runners SET touched = :now" + (version == null ? "" : ", version = :v")
                + (load == null ? "" : ", system_load = :load") + " WHERE id = :id").bind("id", id).bind("now", now);
        if (version != null) {
            update.bind("v", version);
        }
        if (load != null) {
            update.bind("load", load);
        }
        update.execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM runners WHERE id = :id").bind("id", id).execute();
    }

    Optional<Runner> byTokenHash(Handle h, String hash) {
        return h.createQuery("SELECT " + COLUMNS + " FROM runners WHERE token_hash = :h").bind("h", hash)
                .map(RunnerStore::map).findOne();
    }

    Optional<Runner> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM runners WHERE id = :id").bind("id", id)
                .map(RunnerStore::map).findOne();
    }

    /** Server-wide runners ({@code projectId} null) or one project's. */
    List<Runner> list(Handle h, Long projectId) {
        var query = h.createQuery("SELECT " + COLUMNS + " FROM runners WHERE "
                + (projectId == null ? "project_id IS NULL" : "project_id = :p") + " ORDER BY id");
        if (projectId != null) {
            query.bind("p", projectId);
        }
        return query.map(RunnerStore::map).list();
    }

    List<Runner> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM runners ORDER BY id").map(RunnerStore::map).list();
    }

    /** How many unfinished tasks each runner holds. */
    Map<Long, Integer> load(Handle h) {
        Map<Long, Integer> load = new java.util.HashMap<>();
        h.createQuery("SELECT runner_id, COUNT(*) FROM tasks WHERE runner_id IS NOT NULL AND status NOT IN"
                        + " ('success', 'error', 'stopped', 'waiting') GROUP BY runner_id")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2))).forEach(e -> load.put(e.getKey(), e.getValue()));
        return load;
    }

    private static Runner map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Runner(rs.getLong("id"), Rows.nullableLong(rs, "project_id"), rs.getString("name"),
                rs.getString("webhook"), rs.getInt("max_parallel_tasks"), rs.getBoolean("active"), rs.getString("tag"),
                Rows.instant(rs, "touched", ctx), Rows.instant(rs, "cleaning_requested", ctx), rs.getString("version"),
                rs.getString("system_load"), false, 0, rs.getString("public_key"), rs.getBoolean("registered"));
    }
}
