package dev.semaphore.node;

import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.db.Rows;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server process as the database knows it: registered when it starts, with a heartbeat every sixth
 * of its lease ({@code ha.node_timeout_sec}). Tasks name the process that runs them; a process whose
 * heartbeat is older than the lease is gone, and what it ran may be recovered by any other. Several processes can share
 * one database this way without knowing of each other.
 */
public final class ServerNode implements AutoCloseable {
    /** The default {@code ha.node_timeout_sec}: silent this long, a process is dead. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ServerNode.class);

    /** A registered process: where it runs and when it last said it was alive. */
    public record Process(String id, String host, long pid, Instant heartbeat, Instant started) {
        /** The machine's name, without the pid namespace the register's host carries after a space. */
        public String machine() {
            return ServerNode.machine(host);
        }
    }

    /** This process's machine name (for its address and messages). */
    public String machine() {
        return machine(host);
    }

    private static String machine(String registeredHost) {
        return registeredHost.split(" ")[0];
    }

    private final Database db;
    private final String id = UUID.randomUUID().toString();
    private final String host = hostName();
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("heartbeat").factory());
    private final List<Runnable> onBeat = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Duration lease;
    private final Duration heartbeat;
    /** Whether this process's last heartbeat failed: the database did not answer it. */
    private volatile boolean outage;
    /** When this process's heartbeat got through again after failing; null while none ever failed. */
    private volatile Instant backSince;

    public ServerNode(Database db) {
        this(db, DEFAULT_LEASE);
    }

    /** @param lease how long a process may be silent before the others take it for dead (a beat every sixth) */
    public ServerNode(Database db, Duration lease) {
        this.db = db;
        this.lease = lease;
        this.heartbeat = Duration.ofMillis(Math.max(500, lease.toMillis() / 6));
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    /** Registers this process and starts its heartbeat. */
    public synchronized void start() {
        Instant now = Times.now();
        db.txRun(h -> register(h, now));
        beat.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private volatile String address = "";

    private void register(Handle h, Instant now) {
        h.createUpdate("INSERT INTO server_processes (id, host, pid, started, heartbeat, version, address,"
                        + " system_load) VALUES (:id, :host, :pid, :now, :now, :version, :address, :load)")
                .bind("id", id).bind("host", host).bind("pid", ProcessHandle.current().pid()).bind("now", now)
                .bind("version", dev.semaphore.common.Version.version()).bind("address", address)
                .bind("load", systemLoad()).execute();
    }

    /** Where this process serves HTTP, once it listens (for the cluster view); never at once with {@link #start}. */
    public synchronized void listening(String address) {
        this.address = address;
        try {
            db.txRun(h -> h.createUpdate("UPDATE server_processes SET address = :a WHERE id = :id")
                    .bind("a", address).bind("id", id).execute());
        } catch (RuntimeException e) {
            LOG.debug("could not record the address: {}", e.getMessage());
        }
    }

    /** A process as the cluster view shows it. */
    public record Node(String id, String host, long pid, String version, String address, Instant started,
                       Instant heartbeat, boolean alive, Instant drainingSince, Double load) {
    }

    /** Every registered process, the newest first, each said alive or not as {@link #alive} decides. */
    public List<Node> nodes() {
        return db.read(h -> h.createQuery("SELECT id, host, pid, version, address, started, heartbeat,"
                        + " draining_since, system_load FROM server_processes ORDER BY started DESC")
                .map((rs, ctx) -> {
                    Process process = new Process(rs.getString("id"), rs.getString("host"), rs.getLong("pid"),
                            Rows.instant(rs, "heartbeat", ctx), Rows.instant(rs, "started", ctx));
                    return new Node(process.id(), process.host(), process.pid(), rs.getString("version"),
                            rs.getString("address"), Rows.instant(rs, "started", ctx), process.heartbeat(),
                            alive(process), Rows.instant(rs, "draining_since", ctx),
                            rs.getObject("system_load") == null ? null : rs.getDouble("system_load"));
                })
                .list());
    }

    /** Says in the register that this process drains: it claims nothing more and stops once what it runs ends. */
    public void draining() {
        try {
            db.txRun(h -> h.createUpdate("UPDATE server_processes SET draining_since = :now WHERE id = :id")
                    .bind("now", Times.now()).bind("id", id).execute());
        } catch (RuntimeException e) {
            LOG.debug("could not record the drain: {}", e.getMessage());
        }
    }

    /** The machine's load average over the last minute, where the system tells it. */
    private static Double systemLoad() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : Math.round(load * 100) / 100.0;
    }

    /** Runs after every heartbeat (recovering what dead processes left, for one). */
    public void afterEachBeat(Runnable task) {
        onBeat.add(task);
    }

    private void beat() {
        try {
            db.txRun(h -> {
                int updated = h.createUpdate("UPDATE server_processes SET heartbeat = :now, address = :address,"
                                + " system_load = :load WHERE id = :id")
                        .bind("now", Times.now()).bind("address", address).bind("load", systemLoad())
                        .bind("id", id).execute();
                if (updated == 0) {
                    // Someone took us for dead and cleaned up; say we are here again.
                    register(h, Times.now());
                }
            });
        } catch (RuntimeException e) {
            if (!outage) {
                LOG.warn("heartbeat failed: {}", e.getMessage());
            }
            outage = true;
            return;
        }
        if (outage) {
            outage = false;
            backSince = Times.now();
            LOG.info("heartbeat renewed: the database answers again");
        }
        // Our own lease first, then the rest (recovering what dead processes left): never the other way round.
        onBeat.forEach(Runnable::run);
    }

    /**
     * Whether this process has been cut from the database within the last lease. Then a stale heartbeat of
     * another proves nothing: the same outage most likely kept it from beating too, and it renews its lease
     * within one of its beats once it can.
     */
    public boolean recentlyCutOff() {
        Instant back = backSince;
        return outage || (back != null && back.isAfter(Times.now().minus(lease)));
    }

    /** The registered process of that id, dead or alive. */
    public Optional<Process> find(Handle h, String processId) {
        return h.createQuery("SELECT id, host, pid, heartbeat, started FROM server_processes WHERE id = :id")
                .bind("id", processId)
                .map((rs, ctx) -> new Process(rs.getString("id"), rs.getString("host"), rs.getLong("pid"),
                        Rows.instant(rs, "heartbeat", ctx), Rows.instant(rs, "started", ctx)))
                .findOne();
    }

    /**
     * Whether the process of that id still runs what it owns: it has beaten within the lease (or this
     * process was itself cut from the database within the last lease) and, when it ran on this machine,
     * its pid is still alive (a process killed outright is known dead at once here, and after the lease
     * elsewhere).
     */
    public boolean alive(Handle h, String processId) {
        if (id.equals(processId)) {
            return true;
        }
        return find(h, processId).map(this::alive).orElse(false);
    }

    private boolean alive(Process p) {
        return p.id().equals(id) || ((p.heartbeat().isAfter(Times.now().minus(lease)) || recentlyCutOff())
                && (!p.host().equals(host) || sameProcessRuns(p)));
    }

    /**
     * Whether the process registered on this machine still runs: its pid is alive and that process started
     * before it registered (once it is gone, its pid may soon be someone else's).
     */
    private static boolean sameProcessRuns(Process p) {
        return ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().map(s -> p.started() == null || !s.isAfter(p.started())).orElse(true))
                .orElse(false);
    }

    /** Forgets processes gone for ten leases; their tasks were recovered long before. */
    public void forgetLongGone(Handle h) {
        h.createUpdate("DELETE FROM server_processes WHERE heartbeat < :cutoff")
                .bind("cutoff", Times.now().minus(lease.multipliedBy(10))).execute();
    }

    /** Stops the heartbeat and leaves the register: a process that stops cleanly owns nothing any more. */
    @Override
    public void close() {
        beat.shutdownNow();
        try {
            db.txRun(h -> h.createUpdate("DELETE FROM server_processes WHERE id = :id").bind("id", id).execute());
        } catch (RuntimeException e) {
            LOG.debug("could not leave the register: {}", e.getMessage());
        }
    }

    /**
     * The machine's name and its pid namespace: two containers may share a name (host networking)
     * but not a pid namespace, and only within one does a pid say whether a process lives.
     */
    private static String hostName() {
        String name;
        try {
            // The kernel's name for the machine: no resolver, which can take a while at start-up.
            name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException notLinux) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        try {
            return name + " " + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return name;
        }
    }
}
