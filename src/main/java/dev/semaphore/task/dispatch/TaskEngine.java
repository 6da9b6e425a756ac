package dev.semaphore.task.dispatch;

import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.node.ServerNode;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskDispatch;
import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskLog;
import dev.semaphore.task.TaskStages;
import dev.semaphore.task.TaskStatus;
import dev.semaphore.task.TaskStore;
import dev.semaphore.task.job.Executor;
import dev.semaphore.task.job.JobHooks;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.Template;
import dev.semaphore.template.TemplateService;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue is the tasks table; this dispatcher claims waiting tasks in order within the limits
 * (server-wide, per project, one per template unless it allows parallel runs) as soon as it is
 * woken, and runs each on a virtual thread. On start it fails what a dead server left running.
 * Every status change and every stored batch of output goes to {@link TaskEvents}' listeners.
 */
public final class TaskEngine implements TaskDispatch, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);

    private final Database db;
    private final EventLog events;
    private final TaskLog log;
    private final TemplateService templates;
    private final JobSources sources;
    private final int maxParallel;
    private final TaskEvents taskEvents;
    private final ServerNode node;
    /** Requests read from the task rows and already passed on to a run ("id:status"). */
    private final java.util.Set<String> delivered = ConcurrentHashMap.newKeySet();
    private Thread requests;
    private final int maxDurationSeconds;
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final TaskStore store = new TaskStore();
    private final LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>();
    /** Tasks this process has claimed and not yet finished. */
    private final java.util.Set<Long> running = ConcurrentHashMap.newKeySet();
    private final Executor executor;
    private final Runners runners;
    /** Makes the folder where a task's output goes that the database cannot take yet, beyond what memory holds. */
    private final java.util.function.LongFunction<SpillFolder> outputSpill;
    private final RemoteJobs remote;
    private volatile boolean closed;
    /** Set by a graceful stop: this process claims nothing more and lets what it runs end. */
    private volatile boolean draining;
    private Thread dispatcher;

    /**
     * Where tasks may go besides this server: the pool of remote runners, whether every task goes to
     * one ({@code use_remote_runner}; else only tasks whose template names a runner tag), and when a
     * quiet runner's tasks are taken back (not yet started) or failed (running).
     */
    public record Runners(RunnerPool pool, boolean useRemote, java.time.Duration offlineAfter,
                          java.time.Duration failAfter, java.time.Duration reconcileEvery) {
        public static Runners none() {
            return new Runners(RunnerPool.NONE, false, java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(7),
                    java.time.Duration.ofSeconds(30));
        }
    }

    public TaskEngine(Database db, EventLog events, TaskLog log, TemplateService templates, JobSources sources,
                      Executor executor, Runners runners, int maxParallel, int maxDurationSeconds, TaskEvents taskEvents,
                      ServerNode node, java.util.function.LongFunction<SpillFolder> outputSpill) {
        this.outputSpill = outputSpill;
        this.runners = runners;
        this.taskEvents = taskEvents;
        this.node = node;
        this.executor = executor;
        this.maxDurationSeconds = maxDurationSeconds;
        this.db = db;
        this.events = events;
        this.log = log;
        this.templates = templates;
        this.sources = sources;
        this.maxParallel = maxParallel;
        this.remote = new RemoteJobs(db, store, log, taskEvents, templates, sources, this);
    }

    /** The runner protocol's server side. */
    public RemoteJobs remote() {
        return remote;
    }

    public void start() {
        node.start();
        // Leftovers of a server killed outright go before its tasks are told ended: whoever reads "error"
        // finds no key material of that task's on disk.
        executor.start();
        recoverOrphans();
        node.afterEachBeat(this::endWhatWasTakenOver);
        node.afterEachBeat(this::recoverOrphans);
        requests = Thread.ofPlatform().daemon().name("task-requests").start(this::watchRequests);
        dispatcher = Thread.ofPlatform().daemon().name("task-dispatcher").start(this::loop);
        long every = runners.reconcileEvery().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconcileRunners();
            } catch (RuntimeException e) {
                LOG.warn("checking on runners failed: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        wake();
    }

    /** Where status changes and output are told: subscribe listeners here. */
    public TaskEvents events() {
        return taskEvents;
    }

    @Override
    public void wake() {
        signal.offer(Boolean.TRUE);
    }

    @Override
    public boolean kill(long taskId, boolean force) {
        return executor.kill(taskId, force);
    }

    private void loop() {
        String lastFailure = null;
        while (!closed) {
            try {
                signal.poll(1, TimeUnit.SECONDS);
                signal.clear();
                if (!draining) {
                    dispatch();
                }
                lastFailure = null;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Told once while it fails the same way (a database outage fails every pass for its length).
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    LOG.error("task dispatch failed", e);
                }
                lastFailure = String.valueOf(e.getMessage());
            }
        }
    }

    private void dispatch() {
        List<Task> waiting = db.read(h -> store.withStatus(h, TaskStatus.WAITING));
        if (waiting.isEmpty()) {
            return;
        }
        List<Task> active = db.read(store::active);
        // Tasks on runners take no slot of this server's.
        int total = (int) active.stream().filter(t -> t.runnerId() == null).count();
        Map<Long, Integer> perProject = new HashMap<>();
        Map<Long, Integer> perTemplate = new HashMap<>();
        active.forEach(t -> {
            perProject.merge(t.projectId(), 1, Integer::sum);
            perTemplate.merge(t.templateId(), 1, Integer::sum);
        });
        // Read once per pass: a long queue shares few templates and projects.
        Map<Long, Optional<Template>> templateOf = new HashMap<>();
        Map<Long, Integer> limitOf = new HashMap<>();
        Map<String, String> noRunner = new HashMap<>();
        for (Task task : waiting) {
            Template template = templateOf.computeIfAbsent(task.templateId(), id -> {
                try {
                    return Optional.of(templates.get(task.projectId(), id));
                } catch (RuntimeException gone) {
                    return Optional.empty();
                }
            }).orElse(null);
            if (template == null) {
                finish(task, TaskStatus.ERROR, TaskStatus.Cause.DISPATCHER, "its template no longer exists");
                continue;
            }
            int projectLimit = limitOf.computeIfAbsent(task.projectId(), p -> db.read(h -> store.projectLimit(h, p)));
            if (projectLimit > 0 && perProject.getOrDefault(task.projectId(), 0) >= projectLimit) {
                continue;
            }
            if (!template.allowParallelTasks() && perTemplate.getOrDefault(task.templateId(), 0) > 0) {
                continue;
            }
            String tag = template.runnerTag() == null ? "" : template.runnerTag().strip();
            if (runners.useRemote() || !tag.isEmpty()) {
                if (giveToRunner(task, tag, noRunner)) {
                    perProject.merge(task.projectId(), 1, Integer::sum);
                    perTemplate.merge(task.templateId(), 1, Integer::sum);
                }
                continue;
            }
            if (maxParallel > 0 && total >= maxParallel) {
                continue;
            }
            // The counts above are this pass's; the claim counts again under the cluster's dispatch lock.
            if (!db.tx(h -> {
                store.lockDispatch(h, db.dialect());
                return store.withinLimits(h, task, maxParallel, projectLimit, template.allowParallelTasks())
                        && store.move(h, task.id(), TaskStatus.WAITING, TaskStatus.STARTING, TaskStatus.Cause.DISPATCHER)
                        && store.setOwner(h, task.id(), node.id());
            })) {
                continue;
            }
            announce(task.id());
            total++;
            perProject.merge(task.projectId(), 1, Integer::sum);
            perTemplate.merge(task.templateId(), 1, Integer::sum);
            String surveySecrets;
            try {
                surveySecrets = db.read(h -> store.secret(h, task.id())).map(sources.keyring()::decrypt).orElse(null);
            } catch (RuntimeException unreadable) {
                finish(task, TaskStatus.ERROR, TaskStatus.Cause.JOB,
                        "its secret values cannot be read: " + unreadable.getMessage());
                continue;
            }
            running.add(task.id());
            Thread.ofVirtual().name("task-" + task.id()).start(() -> run(task, template, surveySecrets));
        }
    }

    /**
     * Gives a queued task to a runner that may take it (it starts it at its next poll); when none can,
     * the task waits and says why.
     */
    private boolean giveToRunner(Task task, String tag, Map<String, String> noRunner) {
        // Within one pass, a project and tag no runner could take stays so: the pool is not asked again.
        String key = task.projectId() + "/" + tag;
        String known = noRunner.get(key);
        RunnerPool.Choice choice = known != null ? RunnerPool.Choice.none(known) : runners.pool().choose(task.projectId(), tag);
        if (choice.runnerId() == null) {
            noRunner.put(key, choice.reason());
            if (db.tx(h -> store.setWaitingReason(h, task.id(), choice.reason()))) {
                announce(task.id());
            }
            return false;
        }
        if (!db.tx(h -> store.move(h, task.id(), TaskStatus.WAITING, TaskStatus.STARTING, TaskStatus.Cause.DISPATCHER)
                && store.setRunner(h, task.id(), choice.runnerId()))) {
            return false;
        }
        tellInLog(task, "Given to runner " + runners.pool().name(choice.runnerId()) + ".");
        announce(task.id());
        runners.pool().notify(choice.runnerId(), "start", task.projectId(), task.id(), task.templateId());
        return true;
    }

    /**
     * Runners that stopped asking for work: a task one had not started goes back to the queue (another
     * runner takes it); a task one was running fails, naming the runner, once it has been quiet for
     * {@code runners.task_fail_timeout_sec}. A task whose runner was deleted counts as quiet.
     */
    void reconcileRunners() {
        if (node.recentlyCutOff()) {
            return; // runners could not tell this process they were there while the database was away
        }
        Instant now = Times.now();
        List<Task> remoteTasks = db.read(h -> store.active(h)).stream().filter(t -> t.runnerId() != null).toList();
        if (remoteTasks.isEmpty()) {
            return;
        }
        java.util.Set<Long> offline = new java.util.HashSet<>(runners.pool().silentSince(now.minus(runners.offlineAfter())));
        java.util.Set<Long> gone = new java.util.HashSet<>(runners.pool().silentSince(now.minus(runners.failAfter())));
        for (Task task : remoteTasks) {
            long runner = task.runnerId();
            boolean known = runners.pool().exists(runner);
            if (task.state() == TaskStatus.STARTING && (offline.contains(runner) || !known)) {
                if (db.tx(h -> store.move(h, task.id(), TaskStatus.STARTING, TaskStatus.WAITING, TaskStatus.Cause.RECOVERY)
                        && store.setRunner(h, task.id(), null))) {
                    tellInLog(task, "Runner " + runners.pool().name(runner) + " went offline before it started this"
                            + " task; the task is queued again.");
                    announce(task.id());
                    wake();
                }
            } else if (task.state() != TaskStatus.STARTING && (gone.contains(runner) || !known)) {
                String reason = "runner " + runners.pool().name(runner) + " stopped answering while it ran the task";
                tellInLog(task, "Runner " + runners.pool().name(runner) + " stopped answering; the task was marked"
                        + " as failed.");
                finish(task, TaskStatus.ERROR, TaskStatus.Cause.RECOVERY, reason);
                runners.pool().notify(runner, "finish", task.projectId(), task.id(), task.templateId());
            }
        }
    }

    void announceRemote(long taskId) {
        announce(taskId);
    }

    void finishRemote(Task task, TaskStatus status, String reason) {
        finish(task, status, TaskStatus.Cause.JOB, reason);
        runners.pool().notify(task.runnerId(), "finish", task.projectId(), task.id(), task.templateId());
        wake();
    }

    void failRemote(Task task, String reason) {
        tellInLog(task, "The task could not start: " + reason);
        finish(task, TaskStatus.ERROR, TaskStatus.Cause.JOB, reason);
        wake();
    }

    /**
     * Runs {@code action}, again and again while the database does not answer (an outage does not end a
     * task, nor lose how it ended); gives up only when this server is shutting down.
     */
    private <T> T onceTheDatabaseAnswers(String what, java.util.function.Supplier<T> action) {
        return UntilAnswered.run(LOG, what, () -> closed, action);
    }

    /** Prepares the job (everything it needs, read and decrypted once) and has the executor run it. */
    private void run(Task task, Template template, String surveySecrets) {
        TaskStatus outcome = TaskStatus.ERROR;
        String reason = null;
        // Every message derived from the task's input is masked before it reaches the event log or the server log.
        List<String> secrets = List.of();
        JobSpec spec = null;
        try (LogSink sink = new LogSink(log, taskEvents, task.projectId(), task.id(),
                secrets = (spec = JobPreparation.prepare(task, template, sources, surveySecrets)).secrets(),
                nextLine(task.id()) - 1, outputSpill, () -> closed)) {
            boolean started = db.tx(h -> store.begin(h, task.id(), node.id(), Times.now()));
            if (!started) {
                outcome = TaskStatus.STOPPED;
                return;
            }
            announce(task.id());
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ScheduledFuture<?> limit = maxDurationSeconds <= 0 ? null : timer.schedule(() -> {
                timedOut.set(true);
                executor.kill(task.id(), true);
            }, maxDurationSeconds, TimeUnit.SECONDS);
            JobResult result;
            try {
                result = executor.run(spec, sink, hooks(task));
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("task {} could not run: {}: {}", task.id(), e.getClass().getSimpleName(),
                            LogSink.mask(e.getMessage(), secrets));
                }
                result = JobResult.failed("the task could not run: " + e.getMessage());
            }
            if (limit != null) {
                limit.cancel(false);
            }
            if (timedOut.get()) {
                result = JobResult.failed("the task ran longer than max_task_duration_sec ("
                        + maxDurationSeconds + " s) and was ended");
            }
            if (result.failure() != null) {
                sink.line(result.failure());
                reason = LogSink.mask(result.failure(), secrets);
            }
            boolean stopRequested = onceTheDatabaseAnswers("read how task " + task.id() + " ended",
                    () -> db.read(h -> store.status(h, task.id())))
                    .map(s -> s == TaskStatus.STOPPING || s == TaskStatus.STOPPED)
                    .orElse(true);
            outcome = stopRequested ? TaskStatus.STOPPED : result.succeeded() ? TaskStatus.SUCCESS : TaskStatus.ERROR;
            if (closed && !stopRequested) {
                reason = "the server shut down while the task ran";
                sink.line("The server shut down while this task ran; the task was ended.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } catch (RuntimeException e) {
            reason = LogSink.mask(e.getMessage(), secrets);
            if (spec == null) {
                // It failed while being prepared (a key that cannot be used, a gone repository): no output yet.
                tellInLog(task, "The task could not start: " + reason);
            }
            if (closed) {
                LOG.warn("task {} was cut short by the server's shutdown: {}", task.id(), reason);
            } else {
                LOG.error("task {} failed to run: {}: {}", task.id(), e.getClass().getSimpleName(), reason);
            }
        } finally {
            try {
                TaskStatus ended = outcome;
                String why = reason;
                onceTheDatabaseAnswers("record the end of task " + task.id(), () -> {
                    if (db.read(h -> store.heldBy(h, node.id(), List.of(task.id()))).isEmpty()) {
                        // Another process took this one for dead while the database did not answer it, and
                        // ended or queued the task again: how it ends is that process's to say, not this one's.
                        tellInLog(task, LOST);
                        LOG.warn("task {} was taken over while this server could not reach the database;"
                                + " its run here was ended", task.id());
                    } else {
                        finish(task, ended, TaskStatus.Cause.JOB, why);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // Only when the database is already gone; the next start fails the task with a reason.
                LOG.warn("could not record the end of task {}: {}", task.id(), e.getMessage());
            } finally {
                running.remove(task.id());
                delivered.removeIf(key -> key.startsWith(task.id() + ":"));
                wake();
            }
        }
    }

    @Override
    public boolean decide(long taskId, boolean confirmed) {
        return executor.decide(taskId, confirmed);
    }

    private JobHooks hooks(Task task) {
        return new JobHooks() {
            private long stage;

            // What a running task tells along the way waits for a database that does not answer; the task's
            // own processes go on meanwhile, and none of this may end the task.
            @Override
            public void stage(String type, int firstLine) {
                stage = onceTheDatabaseAnswers("open a stage of task " + task.id(),
                        () -> db.tx(h -> TaskStages.open(h, task.id(), type, firstLine)));
            }

            @Override
            public void process(long pid, String started, String group) {
                onceTheDatabaseAnswers("record the process of task " + task.id(), () -> {
                    db.txRun(h -> store.setProcess(h, task.id(), pid, started, group));
                    return null;
                });
            }

            @Override
            public void stageResult(String json) {
                if (stage != 0) {
                    onceTheDatabaseAnswers("record a stage of task " + task.id(), () -> {
                        db.txRun(h -> TaskStages.setResult(h, stage, json));
                        return null;
                    });
                }
            }

            @Override
            public void commit(String hash, String message) {
                onceTheDatabaseAnswers("record the commit of task " + task.id(), () -> {
                    db.txRun(h -> store.setCommit(h, task.id(), hash, message));
                    return null;
                });
            }

            @Override
            public void status(TaskStatus status) {
                TaskStatus from = status == TaskStatus.RUNNING ? TaskStatus.CONFIRMED : TaskStatus.RUNNING;
                if (onceTheDatabaseAnswers("move task " + task.id() + " to " + status.wire(),
                        () -> db.tx(h -> store.move(h, task.id(), from, status, TaskStatus.Cause.JOB)))) {
                    announce(task.id());
                }
            }
        };
    }

    /**
     * Ends a task in {@code status}, or in the finished status someone else gave it meanwhile (a force
     * stop), and clears what only a running task needs.
     */
    private void finish(Task task, TaskStatus wanted, TaskStatus.Cause cause, String reason) {
        Instant end = Times.now();
        db.txRun(h -> {
            TaskStatus now = store.status(h, task.id()).orElse(wanted);
            TaskStatus status = now;
            if (!now.finished()) {
                // A refused end still ends the task: an error, which any active status may become.
                status = store.move(h, task.id(), now, wanted, cause, null, end) ? wanted
                        : store.move(h, task.id(), now, TaskStatus.ERROR, TaskStatus.Cause.JOB, null, end)
                            ? TaskStatus.ERROR : now;
            }
            store.setProcess(h, task.id(), null, null, null);
            store.setSecret(h, task.id(), null);
            TaskStages.close(h, task.id());
            events.record(h, null, task.projectId(), ObjectType.TASK, task.id(), task.tplAlias(),
                    "Task " + task.id() + " finished with status " + status + (reason == null ? "" : ": " + reason));
        });
        announce(task.id());
    }

    /** Tells watchers the task's current state. */
    private void announce(long taskId) {
        db.read(h -> store.find(h, taskId)).ifPresent(taskEvents::statusChanged);
    }

    /** Output lines of this process's tasks not stored yet: held in memory, in characters, and kept in files. */
    public record OutputBacklog(long memoryLines, long memoryChars, long spilledLines) {
    }

    public static OutputBacklog outputBacklog() {
        return new OutputBacklog(PendingLines.BACKLOG.memoryLines.get(), PendingLines.BACKLOG.memoryChars.get(),
                PendingLines.BACKLOG.spilledLines.get());
    }

    /** How many tasks this process runs now. */
    public int runningHere() {
        return running.size();
    }

    /** How many tasks wait in the queue (the database's, for every process). */
    public int queued() {
        return db.read(h -> store.countWithStatus(h, TaskStatus.WAITING));
    }

    /** Whether a graceful stop has begun: this process claims no new task. */
    public boolean draining() {
        return draining;
    }

    /** This server process in the register. */
    public ServerNode node() {
        return node;
    }

    /** How many active tasks each server process owns, for the cluster view. */
    public Map<String, Long> activeTasksByNode() {
        return db.read(store::activeOwners).values().stream()
                .collect(java.util.stream.Collectors.groupingBy(o -> o, java.util.stream.Collectors.counting()));
    }

    /**
     * Tasks whose server process is gone (its heartbeat older than the lease, or a server from before
     * processes were recorded) can never finish: fail them, saying why, and end the processes they
     * left on this machine. Tasks of live processes, this one's or another's, are left alone.
     */
    private void recoverOrphans() {
        int recovered = 0;
        List<Task> active = db.read(store::active);
        if (active.isEmpty()) {
            return;
        }
        Map<Long, String> owners = db.read(store::activeOwners);
        Map<String, Boolean> alive = new HashMap<>();
        for (Task task : active) {
            if (task.runnerId() != null) {
                continue; // a runner's: its liveness is the runner's (reconcileRunners)
            }
            Optional<String> owner = Optional.ofNullable(owners.get(task.id()));
            if (owner.isPresent() && alive.computeIfAbsent(owner.get(), id -> db.read(h -> node.alive(h, id)))) {
                continue;
            }
            Optional<ServerNode.Process> process = owner.flatMap(id -> db.read(h -> node.find(h, id)));
            boolean here = process.map(p -> p.host().equals(node.host())).orElse(true);
            if (here) {
                db.read(h -> store.process(h, task.id()))
                        .ifPresent(p -> executor.endLeftover(task.id(), p.pid(), p.started(), p.group()));
            }
            // Which server it was, so that with several the operator knows which one to look at.
            String which = process.map(p -> "The server process on " + p.machine() + " (pid " + p.pid()
                    + ")").orElse("The server");
            // Claimed but not begun (nothing ran yet): another process may take it.
            if (task.state() == TaskStatus.STARTING && db.tx(h -> store.process(h, task.id()).isEmpty()
                    && store.move(h, task.id(), TaskStatus.STARTING, TaskStatus.WAITING, TaskStatus.Cause.RECOVERY)
                    && store.setOwner(h, task.id(), null))) {
                tellInLog(task, which + " stopped before it began this task; the task is queued again.");
                announce(task.id());
                wake();
                recovered++;
                continue;
            }
            // No longer that process's: should it come back, it ends its run (see endWhatWasTakenOver).
            db.txRun(h -> store.setOwner(h, task.id(), null));
            log.append(task.id(), nextLine(task.id()), List.of(Times.now()),
                    List.of(which + " stopped while this task was " + task.status() + "; it was marked as failed."));
            finish(task, TaskStatus.ERROR, TaskStatus.Cause.RECOVERY, which.replaceFirst("^The", "the")
                    + " stopped while it was " + task.status());
            recovered++;
        }
        if (recovered > 0) {
            LOG.warn("recovered {} task(s) of server processes that stopped (queued again or failed)", recovered);
            db.txRun(node::forgetLongGone);
        }
    }

    private static final String LOST = "This server could not reach the database for longer than its lease, and"
            + " another server took it for stopped meanwhile; the run here was ended (the task runs nowhere twice).";

    /**
     * Ends at once the runs of this process whose tasks it no longer holds: another process took it for dead
     * during a database outage that cut this one off (a real lease expiry), and failed or queued them again.
     */
    private void endWhatWasTakenOver() {
        if (running.isEmpty()) {
            return;
        }
        java.util.Set<Long> mine = java.util.Set.copyOf(running);
        java.util.Set<Long> held = db.read(h -> store.heldBy(h, node.id(), mine));
        for (long taskId : mine) {
            if (!held.contains(taskId) && running.contains(taskId)) {
                LOG.warn("task {} was taken over by another server while this one could not reach the database;"
                        + " ending its run here", taskId);
                executor.kill(taskId, true);
            }
        }
    }

    /**
     * Stop, force stop, confirm and reject are written to the task row by whichever server process
     * took the request; the process running the task reads them here, every 100 ms.
     */
    private void watchRequests() {
        while (!closed) {
            try {
                Thread.sleep(100);
                if (running.isEmpty()) {
                    continue;
                }
                for (var request : db.read(h -> store.requestsFor(h, node.id()))) {
                    String key = request.taskId() + ":" + request.status();
                    if (!running.contains(request.taskId()) || delivered.contains(key)) {
                        continue;
                    }
                    // Not yet delivered while the run has not reached the executor: asked again next time.
                    boolean handed = switch (request.status()) {
                        case STOPPING -> executor.kill(request.taskId(), false);
                        case STOPPED -> executor.kill(request.taskId(), true);
                        case CONFIRMED -> executor.decide(request.taskId(), true);
                        case REJECTED -> executor.decide(request.taskId(), false);
                        default -> true;
                    };
                    if (handed) {
                        delivered.add(key);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("reading task requests failed: {}", e.getMessage());
            }
        }
    }

    private void tellInLog(Task task, String line) {
        try {
            log.append(task.id(), nextLine(task.id()), List.of(Times.now()), List.of(line));
        } catch (RuntimeException e) {
            LOG.warn("could not write to the log of task {}: {}", task.id(), e.getMessage());
        }
    }

    private int nextLine(long taskId) {
        return log.nextLine(taskId);
    }

    /**
     * A graceful stop's first half: this process claims nothing more (the other processes take the
     * queue) and lets the tasks it runs end on their own, for up to {@code timeout}; {@link #close}
     * then ends whatever still runs.
     */
    public void drain(java.time.Duration timeout) {
        draining = true;
        if (timeout.isZero() || running.isEmpty()) {
            return;
        }
        node.draining();
        LOG.info("stopping gracefully: waiting up to {} s for the {} task(s) running here to end", timeout.toSeconds(),
                running.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            LOG.warn("{} task(s) still ran after {} s (ha.drain_timeout_sec); they are ended now", running.size(),
                    timeout.toSeconds());
        }
    }

    /** Ends running tasks and waits (up to 10 s) for them to record how they ended. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        if (requests != null) {
            requests.interrupt();
        }
        running.forEach(id -> executor.kill(id, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean interrupted = false;
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        running.forEach(id -> executor.kill(id, true));
        node.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
