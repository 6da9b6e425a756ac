package dev.semaphore.terraform;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.db.Rows;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.secret.Keyring;
import dev.semaphore.user.User;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Terraform's HTTP backend, kept by the server: each state version stored (encrypted: states hold
 * secrets) per inventory, or per template when it has none, with a lock. A task reaches it through
 * an alias, a random 128-bit name that exists only while that task runs, so no credential is
 * handed out that outlives the run.
 */
public final class TerraformBackend {
    /** A running task's way in: which project and scope its alias opens. */
    record Session(long projectId, String scope, long taskId) {
    }

    /** A stored state version, as listed (without the state itself). */
    public record StateVersion(long id, Instant created, Long taskId) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Keyring keyring;
    private final EventLog events;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Aliases whose task holds its state's lock. */
    private final java.util.Set<String> locking = ConcurrentHashMap.newKeySet();
    private volatile String localUrl = "http://127.0.0.1:3000";

    public TerraformBackend(Database db, EventLog events, Keyring keyring) {
        this.db = db;
        this.events = events;
        this.keyring = keyring;
    }

    /** Where this server answers on this machine (tasks run here), set once it listens. */
    public void listening(String url) {
        this.localUrl = url;
    }

    /** Opens the backend to a task; returns the address of its state. */
    public String open(long projectId, String scope, long taskId) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String alias = HexFormat.of().formatHex(bytes);
        sessions.put(alias, new Session(projectId, scope, taskId));
        return localUrl + "/api/terraform/" + alias;
    }

    /** Closes what {@link #open} opened, releasing a lock the task still held (a stopped Terraform keeps it). */
    public void close(String address) {
        String alias = address.substring(address.lastIndexOf('/') + 1);
        Session session = sessions.remove(alias);
        if (session != null && locking.remove(alias)) {
            unlock(session);
        }
    }

    /** The scope of a template's state: its inventory's, else its own. */
    public static String scope(Long inventoryId, long templateId) {
        return inventoryId != null ? "inventory:" + inventoryId : "template:" + templateId;
    }

    Session session(String alias) {
        Session session = alias == null ? null : sessions.get(alias);
        if (session == null) {
            throw ApiException.notFound("no running task has this state address");
        }
        return session;
    }

    Optional<String> latest(long projectId, String scope) {
        return db.read(h -> h.createQuery("SELECT state FROM terraform_states WHERE project_id = :p AND scope = :s"
                        + " ORDER BY id DESC LIMIT 1")
                .bind("p", projectId).bind("s", scope).mapTo(String.class).findOne()).map(keyring::decrypt);
    }

    Optional<String> version(long projectId, String scope, long id) {
        return db.read(h -> h.createQuery("SELECT state FROM terraform_states WHERE project_id = :p AND scope = :s"
                        + " AND id = :id")
                .bind("p", projectId).bind("s", scope).bind("id", id).mapTo(String.class).findOne())
                .map(keyring::decrypt);
    }

    List<StateVersion> versions(long projectId, String scope) {
        return db.read(h -> h.createQuery("SELECT id, created, task_id FROM terraform_states"
                        + " WHERE project_id = :p AND scope = :s ORDER BY id DESC")
                .bind("p", projectId).bind("s", scope)
                .map((rs, ctx) -> new StateVersion(rs.getLong("id"), Rows.instant(rs, "created", ctx),
                        Rows.nullableLong(rs, "task_id")))
                .list());
    }

    boolean delete(User actor, long projectId, String scope, long id) {
        return db.tx(h -> {
            boolean deleted = h.createUpdate("DELETE FROM terraform_states WHERE project_id = :p AND scope = :s"
                            + " AND id = :id")
                    .bind("p", projectId).bind("s", scope).bind("id", id).execute() == 1;
            if (deleted) {
                ObjectType type = scope.startsWith("inventory:") ? ObjectType.INVENTORY : ObjectType.TEMPLATE;
                long owner = Long.parseLong(scope.substring(scope.indexOf(':') + 1));
                events.record(h, actor.id(), projectId, type, owner, null,
                        "Terraform state version " + id + " of " + scope.replace(':', ' ') + " deleted");
            }
            return deleted;
        });
    }

    /** Stores a new state version; refused while another holder's lock is on the state. */
    void save(Session session, String state, String lockId) {
        db.txRun(h -> {
            Optional<String> lock = lockOf(h, session);
            if (lock.isPresent() && !lock.get().contains("\"ID\":\"" + lockId + "\"")) {
                throw new ApiException(409, "the state is locked by another run");
            }
            h.createUpdate("INSERT INTO terraform_states (project_id, scope, task_id, created, state)"
                            + " VALUES (:p, :s, :t, :created, :state)")
                    .bind("p", session.projectId()).bind("s", session.scope()).bind("t", session.taskId())
                    .bind("created", Times.now()).bind("state", keyring.encrypt(state)).execute();
        });
    }

    /** Takes the lock; empty when taken, else the lock already held (for Terraform to show). */
    Optional<String> lock(String alias, String lockInfo) {
        Session session = session(alias);
        Optional<String> held = db.tx(h -> {
            Optional<String> current = lockOf(h, session);
            if (current.isPresent()) {
                return current;
            }
            h.createUpdate("INSERT INTO terraform_locks (project_id, scope, lock_info, created)"
                            + " VALUES (:p, :s, :info, :created)")
                    .bind("p", session.projectId()).bind("s", session.scope()).bind("info", lockInfo)
                    .bind("created", Times.now()).execute();
            return Optional.empty();
        });
        if (held.isEmpty()) {
            locking.add(alias);
        }
        return held;
    }

    void unlock(String alias) {
        locking.remove(alias);
        unlock(session(alias));
    }

    private void unlock(Session session) {
        db.txRun(h -> h.createUpdate("DELETE FROM terraform_locks WHERE project_id = :p AND scope = :s")
                .bind("p", session.projectId()).bind("s", session.scope()).execute());
    }

    private static Optional<String> lockOf(org.jdbi.v3.core.Handle h, Session session) {
        return h.createQuery("SELECT lock_info FROM terraform_locks WHERE project_id = :p AND scope = :s")
                .bind("p", session.projectId()).bind("s", session.scope()).mapTo(String.class).findOne();
    }
}
