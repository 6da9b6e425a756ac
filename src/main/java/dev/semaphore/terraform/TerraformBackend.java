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
 * an alias, a random 128-bit name that exists only while that task runs; the alias alone opens
 * nothing: a request is answered only when the process that sent it (found through /proc, over
 * loopback) is one of that task's, since another task of the same user can read the alias in
 * Terraform's environment. Unlocking takes the lock's own ID.
 */
public final class TerraformBackend implements dev.semaphore.task.job.StateBackend {
    /** The column this feature keeps sealed with the keyring, for key changes. */
    public static final dev.semaphore.secret.SealedColumn SEALED =
            new dev.semaphore.secret.SealedColumn("terraform_states", "id", "state");

    /**
     * A way in: which project and scope an alias opens; {@code taskId} and {@code processes} are the running
     * task's whose alias it is, null for an outside client's (a {@link TerraformAliases} alias).
     */
    record Session(long projectId, String scope, Long taskId,
                   java.util.function.Supplier<java.util.stream.Stream<ProcessHandle>> processes) {
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
    public String open(long projectId, String scope, long taskId,
                       java.util.function.Supplier<java.util.stream.Stream<ProcessHandle>> processes) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String alias = HexFormat.of().formatHex(bytes);
        sessions.put(alias, new Session(projectId, scope, taskId, processes));
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

    /**
     * The session of a request from {@code clientPort} to {@code serverPort}: a running task's (403 unless that task
     * sent it) or an outside client's alias (401 without its key's login and password).
     */
    Session session(String alias, int clientPort, int serverPort, String authorization, TerraformAliases outside) {
        Session session = alias == null ? null : sessions.get(alias);
        if (session == null && alias != null) {
            session = outside.open(alias, authorization).orElse(null);
            if (session != null) {
                return session;
            }
        }
        if (session == null) {
            throw ApiException.notFound("no running task or state alias has this state address");
        }
        if (!dev.semaphore.execution.LoopbackPeer.heldByAnyOf(clientPort, serverPort, session.processes().get())) {
            throw ApiException.forbidden("this state address belongs to a task this request does not come from");
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
    Optional<String> lock(String alias, Session session, String lockInfo) {
        Optional<String> held = db.tx(h -> {
            Optional<String> current = store.lock(h, session.projectId(), session.scope());
            if (current.isEmpty()) {
                store.insertLock(h, session.projectId(), session.scope(), lockInfo);
            }
            return current;
        });
        if (held.isEmpty() && session.taskId() != null) {
            locking.add(alias); // released when the task's session closes, whatever its terraform did
        }
        return held;
    }

    /** Releases the lock that {@code lockInfo} names by its ID (Terraform sends the lock it took); 409 for another's. */
    void unlock(String alias, Session session, String lockInfo) {
        String given = lockId(lockInfo);
        db.txRun(h -> {
            Optional<String> held = store.lock(h, session.projectId(), session.scope());
            if (held.isPresent() && (given == null || !given.equals(lockId(held.get())))) {
                throw new ApiException(409, "the state is locked by another run (lock " + lockId(held.get()) + ")");
            }
            store.deleteLock(h, session.projectId(), session.scope());
        });
        locking.remove(alias);
    }

    private static String lockId(String lockInfo) {
        try {
            com.fasterxml.jackson.databind.JsonNode id = dev.semaphore.common.Json.mapper().readTree(lockInfo).path("ID");
            return id.isTextual() ? id.asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private void unlock(Session session) {
        db.txRun(h -> store.deleteLock(h, session.projectId(), session.scope()));
    }
}
