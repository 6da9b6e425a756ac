package dev.semaphore.task.local;

import dev.semaphore.app.Apps;
import dev.semaphore.execution.ChildProcesses;
import dev.semaphore.execution.GitCredentials;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.execution.ProcessIsolation;
import dev.semaphore.execution.TaskProcesses;
import dev.semaphore.repository.Repository;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskStatus;
import dev.semaphore.task.job.JobHooks;
import dev.semaphore.task.job.JobOutput;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.Template;
import dev.semaphore.task.job.StateBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task on this server: a checkout of its repository (or the repository's own directory
 * when it is a local path), then the template's app, whose processes' output lines go to the log.
 * Processes get a clean environment, never the server's own variables (which hold its secrets), and
 * start through a launcher ({@link ProcessIsolation#launched}), as the task user when there is one.
 */
final class LocalJob {
    private final JobSpec spec;
    private final Path tmp;
    private final StateBackend terraform;
    private final Apps apps;
    private final LocalExecutor.Limits limits;
    private final ProcessIsolation isolation;
    /** Every process the job started, wherever it went. */
    private TaskProcesses processes;
    private final CompletableFuture<Boolean> decision = new CompletableFuture<>();
    private volatile Process process;
    /** The task's folder once it is its processes' home. */
    private volatile Path home;
    private volatile Boolean killRequested;
    private JobHooks hooks;

    /**
     * @param tmp where task directories go
     * @param terraform the state backend Terraform runs with {@code override_backend} talk to
     * @param apps the programs and arguments of shell apps
     * @param isolation who the task's processes run as, and in which namespaces
     */
    LocalJob(JobSpec spec, Path tmp, StateBackend terraform, Apps apps, ProcessIsolation isolation,
             LocalExecutor.Limits limits) {
        this.limits = limits;
        this.spec = spec;
        this.tmp = tmp;
        this.terraform = terraform;
        this.apps = apps;
        this.isolation = isolation;
    }

    /**
     * Runs the job; when it returns, every process it started has ended or been told to (a leftover of a
     * finished job gets SIGTERM at once and SIGKILL after the grace period, in the background).
     */
    JobResult run(JobOutput sink, JobHooks hooks) throws InterruptedException {
        processes = TaskProcesses.open(spec.task().id());
        try {
            return runInside(sink, hooks);
        } finally {
            if (processes.gone()) {
                processes.close();
            } else {
                TaskProcesses leftovers = processes;
                Thread.ofVirtual().name("task-" + spec.task().id() + "-leftovers").start(() -> {
                    try {
                        leftovers.stop(limits.stopGrace());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        leftovers.close();
                    }
                });
            }
        }
    }

    private JobResult runInside(JobOutput sink, JobHooks hooks) throws InterruptedException {
        this.hooks = hooks;
        Task task = spec.task();
        Template template = spec.template();
        App app = App.of(template.app(), apps);
        if (app == null) {
            return new JobResult(-1, "the " + template.app() + " app is not supported by this server yet");
        }
        Repository repository = spec.repository();
        stage("init", sink);
        Map<String, String> env = baseEnvironment(task);
        env.putAll(TaskDetails.environment(task, spec.webHost()));
        env.putAll(spec.env());
        try (PrivateDirectory workspace = new PrivateDirectory(tmp.resolve("project_" + task.projectId()),
                "task_" + task.id() + "_", isolation)) {
            Path dir;
            if (repository.gitUrl().startsWith("/")) {
                if (task.commitHash() != null) {
                    return new JobResult(-1, "a local-path repository runs as it is on disk; it cannot run commit "
                            + task.commitHash());
                }
                dir = Path.of(repository.gitUrl());
            } else {
                dir = workspace.path().resolve("repository");
                String branch = firstNonEmpty(task.gitBranch(), template.gitBranch(), repository.gitBranch());
                JobResult cloned = clone(repository, branch, dir, sink);
                if (cloned != null) {
                    return cloned;
                }
                if (task.commitHash() != null) {
                    sink.line("Checking out commit " + task.commitHash());
                    JobResult checkout = exec(List.of("git", "-C", dir.toString(), "-c", "advice.detachedHead=false",
                            "checkout", "--detach", task.commitHash(), "--"), dir, env, sink, line -> { });
                    if (!checkout.succeeded()) {
                        return new JobResult(checkout.exitCode(), "commit " + task.commitHash() + " is not in "
                                + repository.name());
                    }
                }
            }
            recordCommit(dir, hooks);
            env.put("HOME", workspace.path().toString());
            home = workspace.path();
            JobContext context = new JobContext(spec, dir, workspace, env, sink, this);
            return app.run(context);
        }
    }

    /**
     * Runs one command to its end, its output (stdout and stderr together) going to the log;
     * {@code watcher} sees each line just before the log does.
     */
    JobResult exec(List<String> command, Path dir, Map<String, String> env, JobOutput sink,
                java.util.function.Consumer<String> watcher) throws InterruptedException {
        ProcessBuilder builder = isolation.launched(command, env, home).directory(dir.toFile())
                .redirectErrorStream(true);
        return execute(builder, sink, watcher);
    }

    /** The task enters a stage, starting at the next line of its output. */
    void stage(String type, JobOutput sink) {
        hooks.stage(type, sink.nextLine());
    }

    void stageResult(String json) {
        hooks.stageResult(json);
    }

    /** Git's credentials for this task: {@code key}, and the project's credential mappings (submodules, galaxy). */
    GitCredentials gitCredentials(dev.semaphore.secret.KeySecret key) {
        return new GitCredentials(tmp, key, isolation, limits.gitStallSeconds(), spec.gitMappings());
    }

    /** Clones a repository (with its key) into {@code dir}; null when it worked, else why it did not. */
    JobResult clone(Repository repository, String branch, Path dir, JobOutput sink) throws InterruptedException {
        try (GitCredentials credentials = gitCredentials(spec.key(repository.sshKeyId()))) {
            List<String> command = new ArrayList<>(List.of("git", "clone", "--recursive"));
            if (repository.gitUrl().startsWith("file://")) {
                // A repository on this machine may belong to another user than the task's, which git calls
                // dubious ownership: trusted by the upload-pack of this clone only, never globally. (git
                // drops -c settings on its way to a local upload-pack, so they go on its own command line.)
                String source = repository.gitUrl().substring("file://".length()).replaceAll("/+$", "");
                command.add("--upload-pack=git -c " + shellQuoted("safe.directory=" + source) + " -c "
                        + shellQuoted("safe.directory=" + source + "/.git") + " upload-pack");
            }
            if (branch != null) {
                command.addAll(List.of("--branch", branch));
            }
            command.addAll(List.of("--", repository.gitUrl(), dir.toString()));
            sink.line("Cloning " + repository.name() + (branch == null ? "" : " at " + branch));
            ProcessBuilder git = isolation.launched(command, credentials.environment()).redirectErrorStream(true);
            git.environment().putAll(ChildProcesses.baseEnvironment());
            JobResult result = execute(git, sink, line -> { });
            return result.succeeded() ? null : new JobResult(result.exitCode(), "Failed updating repository: cloning "
                    + repository.name() + " ended with exit code " + result.exitCode());
        }
    }

    /**
     * Pauses until someone confirms or rejects (or the task is stopped): the task shows as
     * {@code waiting_confirmation} meanwhile, and as {@code running} again once confirmed.
     */
    boolean awaitConfirmation(JobOutput sink) throws InterruptedException {
        sink.flush(); // whoever is told of the pause can read the plan
        hooks.status(TaskStatus.WAITING_CONFIRMATION);
        boolean confirmed;
        try {
            confirmed = decision.get(spec.confirmationTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            confirmed = false;
        } catch (java.util.concurrent.TimeoutException e) {
            sink.line("No one confirmed or rejected the plan within " + spec.confirmationTimeoutSeconds()
                    + " s (confirmation_timeout_sec); the task ends without applying it.");
            confirmed = false;
        }
        if (confirmed && killRequested == null) {
            hooks.status(TaskStatus.RUNNING);
            return true;
        }
        return false;
    }

    /** The answer to a pause for confirmation; false when the job was not waiting for one. */
    boolean decide(boolean confirmed) {
        return decision.complete(confirmed);
    }

    /** Ends the running process and everything it started; {@code force} does not wait for it to clean up. */
    /**
     * Stops every process of the job at once: SIGTERM to all of them (its cgroup, its process groups, all
     * its launchers started), SIGKILL to what is left after the grace period; {@code force} kills at once.
     * The job returns only once none is left.
     */
    void kill(boolean force) {
        boolean first = killRequested == null;
        killRequested = force || Boolean.TRUE.equals(killRequested);
        decision.complete(false);
        TaskProcesses all = processes;
        if (all == null) {
            return;
        }
        if (force) {
            all.signal(true);
        } else if (first) {
            Thread.ofVirtual().name("task-" + spec.task().id() + "-stop").start(() -> {
                try {
                    all.stop(limits.stopGrace());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** The job's processes now: every one it started, wherever it went. */
    java.util.stream.Stream<ProcessHandle> processes() {
        TaskProcesses all = processes;
        return all == null ? java.util.stream.Stream.empty() : all.all();
    }

    /** git_timeout_sec, for every git the job starts. */
    int gitStallSeconds() {
        return limits.gitStallSeconds();
    }

    /** Who the task's processes run as: what is made for them is handed to that user. */
    ProcessIsolation isolation() {
        return isolation;
    }

    /** The state backend, for Terraform runs that keep their state on this server. */
    StateBackend terraform() {
        return terraform;
    }

    /**
     * Runs one command of the job. It ends when its own process ends, whatever it started: its output is
     * read until then and a short drain after, not until every process that inherited the pipe closes it.
     * What it started and left running is told to end (SIGTERM) at once. When the job is being stopped,
     * this returns only once no process of the job is left.
     */
    private JobResult execute(ProcessBuilder builder, JobOutput sink, java.util.function.Consumer<String> watcher)
            throws InterruptedException {
        if (killRequested != null) {
            return new JobResult(-1, "stopped before its process started");
        }
        builder.command(processes.joining(builder.command()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            return new JobResult(-1, "cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
        process = started;
        processes.started(started);
        if (hooks != null) {
            hooks.process(started.pid(), LocalExecutor.startOf(started.pid()), processes.describe());
        }
        try {
            started.getOutputStream().close();
        } catch (IOException ignored) {
            // it reads nothing from us
        }
        if (killRequested != null) {
            kill(killRequested);
        }
        OutputPump pump = new OutputPump(new BoundedLines(started.getInputStream(), spec.maxLineLength()), sink,
                watcher);
        int exit = started.waitFor();
        pump.finish(OUTPUT_DRAIN);
        if (killRequested != null) {
            // A stop: the task counts as stopped only once nothing of it runs any more.
            processes.awaitGone(limits.stopGrace().plusSeconds(6));
        } else {
            processes.signal(false);
        }
        return new JobResult(exit, null);
    }

    /** How long output is still read after a command's own process ended (what it wrote just before). */
    private static final java.time.Duration OUTPUT_DRAIN = java.time.Duration.ofMillis(500);

    /**
     * Reads a command's output on a thread of its own, handing each line to the watcher and the log until
     * {@link #finish}: then lines that processes left behind still write are read and dropped, so they
     * never block on a full pipe, until the pipe closes.
     */
    private static final class OutputPump {
        private final Object lock = new Object();
        private final Thread reader;
        private boolean forwarding = true;

        OutputPump(BoundedLines out, JobOutput sink, java.util.function.Consumer<String> watcher) {
            reader = Thread.ofVirtual().start(() -> {
                try (out) {
                    String line;
                    while ((line = out.next()) != null) {
                        synchronized (lock) {
                            if (forwarding) {
                                watcher.accept(line);
                                sink.line(line);
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the pipe closed under us: nothing more to read
                }
            });
        }

        /** Waits up to {@code drain} for the output's end, then stops handing lines on. */
        void finish(java.time.Duration drain) throws InterruptedException {
            reader.join(drain);
            synchronized (lock) {
                forwarding = false;
            }
        }
    }

    private static void recordCommit(Path dir, JobHooks hooks) {
        String hash = gitOutput(dir, "rev-parse", "HEAD");
        if (hash != null) {
            String message = gitOutput(dir, "log", "-1", "--format=%s");
            hooks.commit(hash, message == null ? "" : message.length() > 255 ? message.substring(0, 255) : message);
        }
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String gitOutput(Path dir, String... args) {
        // the checkout may belong to the task user, which git otherwise calls dubious ownership
        List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=" + dir, "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = ChildProcesses.builder(command, java.util.Map.of()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Map<String, String> baseEnvironment(Task task) {
        Map<String, String> env = new HashMap<>(ChildProcesses.baseEnvironment());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("SEMAPHORE_TASK_ID", Long.toString(task.id()));
        env.put("SEMAPHORE_TASK_TEMPLATE_ID", Long.toString(task.templateId()));
        env.put("SEMAPHORE_PROJECT_ID", Long.toString(task.projectId()));
        env.put("SEMAPHORE_TASK_MESSAGE", task.message() == null ? "" : task.message());
        env.put("SEMAPHORE_TASK_TYPE", task.tplType() == null || task.tplType().isEmpty() ? "task" : task.tplType());
        if (task.version() != null) {
            env.put("SEMAPHORE_TASK_TARGET_VERSION", task.version());
            env.put("SEMAPHORE_TASK_INCOMING_VERSION", task.version());
        }
        if (task.userName() != null) {
            env.put("SEMAPHORE_TASK_USERNAME", task.userName());
        }
        return env;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
