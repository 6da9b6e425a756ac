package dev.semaphore.task;

import dev.semaphore.app.Apps;
import dev.semaphore.execution.ChildProcesses;
import dev.semaphore.execution.GitCredentials;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.repository.Repository;
import dev.semaphore.template.Template;
import dev.semaphore.terraform.TerraformBackend;
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
 * start through a launcher ({@link ChildProcesses#launched}).
 */
final class LocalJob {
    /** Outcome of a run: the exit code, or a reason it could not run. */
    record Result(int exitCode, String failure) {
        boolean succeeded() {
            return failure == null && exitCode == 0;
        }
    }

    /** What the engine learns from a job while it runs; plain values only, so any executor can report them. */
    interface Hooks {
        void commit(String hash, String message);

        /** The job moved on: {@code waiting_confirmation} before a pause, {@code running} after it. */
        void status(TaskStatus status);

        /** A new stage begins at output line {@code firstLine}; the previous one ends. */
        void stage(String type, int firstLine);

        /** What was read from the output during the current stage, as JSON. */
        void stageResult(String json);

        /** The process the task runs now (pid and start time), so that a restarted server can end it if this one dies. */
        void process(long pid, String started);
    }

    private final JobSpec spec;
    private final Path tmp;
    private final TerraformBackend terraform;
    private final Apps apps;
    private final CompletableFuture<Boolean> decision = new CompletableFuture<>();
    private volatile Process process;
    private volatile Boolean killRequested;
    private Hooks hooks;

    /**
     * @param tmp where task directories go
     * @param terraform the state backend Terraform runs with {@code override_backend} talk to
     * @param apps the programs and arguments of shell apps
     */
    LocalJob(JobSpec spec, Path tmp, TerraformBackend terraform, Apps apps) {
        this.spec = spec;
        this.tmp = tmp;
        this.terraform = terraform;
        this.apps = apps;
    }

    Result run(LogSink sink, Hooks hooks) throws InterruptedException {
        this.hooks = hooks;
        Task task = spec.task();
        Template template = spec.template();
        App app = App.of(template.app(), apps);
        if (app == null) {
            return new Result(-1, "the " + template.app() + " app is not supported by this server yet");
        }
        Repository repository = spec.repository();
        stage("init", sink);
        Map<String, String> env = baseEnvironment(task);
        env.putAll(spec.env());
        try (PrivateDirectory workspace = new PrivateDirectory(tmp.resolve("project_" + task.projectId()),
                "task_" + task.id() + "_")) {
            Path dir;
            if (repository.gitUrl().startsWith("/")) {
                if (task.commitHash() != null) {
                    return new Result(-1, "a local-path repository runs as it is on disk; it cannot run commit "
                            + task.commitHash());
                }
                dir = Path.of(repository.gitUrl());
            } else {
                dir = workspace.path().resolve("repository");
                String branch = firstNonEmpty(task.gitBranch(), template.gitBranch(), repository.gitBranch());
                Result cloned = clone(repository, branch, dir, sink);
                if (cloned != null) {
                    return cloned;
                }
                if (task.commitHash() != null) {
                    sink.line("Checking out commit " + task.commitHash());
                    Result checkout = exec(List.of("git", "-C", dir.toString(), "-c", "advice.detachedHead=false",
                            "checkout", "--detach", task.commitHash(), "--"), dir, env, sink, line -> { });
                    if (!checkout.succeeded()) {
                        return new Result(checkout.exitCode(), "commit " + task.commitHash() + " is not in "
                                + repository.name());
                    }
                }
            }
            recordCommit(dir, hooks);
            env.put("HOME", workspace.path().toString());
            JobContext context = new JobContext(spec, dir, workspace, env, sink, this);
            return app.run(context);
        }
    }

    /**
     * Runs one command to its end, its output (stdout and stderr together) going to the log;
     * {@code watcher} sees each line just before the log does.
     */
    Result exec(List<String> command, Path dir, Map<String, String> env, LogSink sink,
                java.util.function.Consumer<String> watcher) throws InterruptedException {
        ProcessBuilder builder = ChildProcesses.launched(command, env).directory(dir.toFile()).redirectErrorStream(true);
        return execute(builder, sink, watcher);
    }

    /** The task enters a stage, starting at the next line of its output. */
    void stage(String type, LogSink sink) {
        hooks.stage(type, sink.nextLine());
    }

    void stageResult(String json) {
        hooks.stageResult(json);
    }

    /** Clones a repository (with its key) into {@code dir}; null when it worked, else why it did not. */
    Result clone(Repository repository, String branch, Path dir, LogSink sink) throws InterruptedException {
        try (GitCredentials credentials = new GitCredentials(tmp, spec.key(repository.sshKeyId()))) {
            List<String> command = new ArrayList<>(List.of("git", "clone", "--recursive"));
            if (branch != null) {
                command.addAll(List.of("--branch", branch));
            }
            command.addAll(List.of("--", repository.gitUrl(), dir.toString()));
            sink.line("Cloning " + repository.name() + (branch == null ? "" : " at " + branch));
            ProcessBuilder git = ChildProcesses.launched(command, credentials.environment()).redirectErrorStream(true);
            git.environment().putAll(ChildProcesses.baseEnvironment());
            Result result = execute(git, sink, line -> { });
            return result.succeeded() ? null : new Result(result.exitCode(), "cloning " + repository.name() + " failed");
        }
    }

    /**
     * Pauses until someone confirms or rejects (or the task is stopped): the task shows as
     * {@code waiting_confirmation} meanwhile, and as {@code running} again once confirmed.
     */
    boolean awaitConfirmation(LogSink sink) throws InterruptedException {
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
    void kill(boolean force) {
        killRequested = force;
        decision.complete(false);
        Process running = process;
        if (running == null) {
            return;
        }
        running.descendants().forEach(child -> {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        if (force) {
            running.destroyForcibly();
        } else {
            running.destroy();
        }
    }

    /** The state backend, for Terraform runs that keep their state on this server. */
    TerraformBackend terraform() {
        return terraform;
    }

    private Result execute(ProcessBuilder builder, LogSink sink, java.util.function.Consumer<String> watcher)
            throws InterruptedException {
        if (killRequested != null) {
            return new Result(-1, "stopped before its process started");
        }
        try {
            process = builder.start();
            if (hooks != null) {
                hooks.process(process.pid(), process.toHandle().info().startInstant()
                        .map(java.time.Instant::toString).orElse(""));
            }
            if (killRequested != null) {
                kill(killRequested);
            }
            process.getOutputStream().close();
            try (BoundedLines out = new BoundedLines(process.getInputStream(), spec.maxLineLength())) {
                String line;
                while ((line = out.next()) != null) {
                    watcher.accept(line);
                    sink.line(line);
                }
            }
            return new Result(process.waitFor(), null);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    private static void recordCommit(Path dir, Hooks hooks) {
        String hash = gitOutput(dir, "rev-parse", "HEAD");
        if (hash != null) {
            String message = gitOutput(dir, "log", "-1", "--format=%s");
            hooks.commit(hash, message == null ? "" : message.length() > 255 ? message.substring(0, 255) : message);
        }
    }

    private static String gitOutput(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
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
