package dev.semaphore.terraform;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
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
public final class TerraformBackend implements dev.semaphore.task.job.StateBackend {
    /** The column this feature keeps sealed with the keyring, for key changes. */
    public static final dev.semaphore.secret.SealedColumn SEALED =
            new dev.semaphore.secret.SealedColumn("terraform_states", "id", "state");

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
    private final TerraformStateStore store = new TerraformStateStore();
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
    @Override
    public String open(long projectId, String scope, long taskId) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String alias = HexFormat.of().formatHex(bytes);
        sessions.put(alias, new Session(projectId, scope, taskId));
        return localUrl + "/api/terraform/" + alias;
    }

    /** Closes what {@link #open} opened, releasing a lock the task still held (a stopped Terraform keeps it). */
    @Override
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
        return db.read(h -> store.latest(h, projectId, scope)).map(keyring::decrypt);
    }

    Optional<String> version(long projectId, String scope, long id) {
        return db.read(h -> store.version(h, projectId, scope, id)).map(keyring::decrypt);
    }

    List<StateVersion> versions(long projectId, String scope) {
        return db.read(h -> store.versions(h, projectId, scope));
    }

    boolean delete(User actor, long projectId, String scope, long id) {
        return db.tx(h -> {
            boolean deleted = store.delete(h, projectId, scope, id);
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
            Optional<String> lock = store.lock(h, session.projectId(), session.scope());
            if (lock.isPresent() && !lock.get().contains("\"ID\":\"" + lockId + "\"")) {
                throw new ApiException(409, "the state is locked by another run");
            }
            store.insert(h, session.projectId(), session.scope(), session.taskId(), keyring.encrypt(state));
        });
    }

    /** Takes the lock; empty when taken, else the lock already held (for Terraform to show). */
    Optional<String> lock(String alias, String lockInfo) {
        Session session = session(alias);
        Optional<String> held = db.tx(h -> {
            Optional<String> current = store.lock(h, session.projectId(), session.scope());
            if (current.isEmpty()) {
                store.insertLock(h, session.projectId(), session.scope(), lockInfo);
            }
            return current;
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
        db.txRun(h -> store.deleteLock(h, session.projectId(), session.scope()));
    }
}
