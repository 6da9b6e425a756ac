package dev.semaphore.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import dev.semaphore.environment.Environment;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.execution.GitCredentials;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.repository.Repository;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.template.Template;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task on this server: a checkout of its repository (or the repository's own directory
 * when it is a local path), then the template's app as a process whose output lines go to the log.
 * The process gets a clean environment: never the server's own variables (which hold its secrets).
 */
final class LocalJob {
    /** What a job needs from the features a task is made of. */
    record Sources(RepositoryService repositories, EnvironmentService environments, AccessKeyService keys) {
    }

    /** Outcome of a run: the exit code, or a reason it could not run. */
    record Result(int exitCode, String failure) {
        boolean succeeded() {
            return failure == null && exitCode == 0;
        }
    }

    private final Sources sources;
    private final Path tmp;
    private volatile Process process;
    private volatile Boolean killRequested;
    private Map<String, String> envSecrets;

    LocalJob(Sources sources, Path tmp) {
        this.sources = sources;
        this.tmp = tmp;
    }

    Result run(Task task, Template template, LogSink sink, CommitRecorder commits) throws InterruptedException {
        List<String> command = command(template, task);
        if (command == null) {
            return new Result(-1, "the " + template.app() + " app is not supported by this server yet");
        }
        Repository repository = sources.repositories().get(task.projectId(), template.repositoryId());
        Map<String, String> env = baseEnvironment(task);
        if (template.environmentId() != null) {
            addVariableGroup(task.projectId(), template.environmentId(), env);
        }
        try (PrivateDirectory workspace = new PrivateDirectory(tmp.resolve("project_" + task.projectId()),
                "task_" + task.id() + "_")) {
            Path dir;
            if (repository.gitUrl().startsWith("/")) {
                dir = Path.of(repository.gitUrl());
            } else {
                dir = workspace.path().resolve("repository");
                String branch = firstNonEmpty(task.gitBranch(), template.gitBranch(), repository.gitBranch());
                Result cloned = clone(repository, branch, dir, sink);
                if (cloned != null) {
                    return cloned;
                }
            }
            recordCommit(dir, commits);
            env.put("HOME", workspace.path().toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            return execute(builder, sink);
        }
    }

    /** Ends the running process and everything it started; {@code force} does not wait for it to clean up. */
    void kill(boolean force) {
        killRequested = force;
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

    private Result execute(ProcessBuilder builder, LogSink sink) throws InterruptedException {
        if (killRequested != null) {
            return new Result(-1, "stopped before its process started");
        }
        try {
            process = builder.start();
            if (killRequested != null) {
                kill(killRequested);
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    sink.line(line);
                }
            }
            return new Result(process.waitFor(), null);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    private Result clone(Repository repository, String branch, Path dir, LogSink sink) throws InterruptedException {
        try (GitCredentials credentials = new GitCredentials(tmp,
                sources.keys().secret(repository.projectId(), repository.sshKeyId()))) {
            List<String> command = new ArrayList<>(List.of("git", "clone", "--recursive"));
            if (branch != null) {
                command.addAll(List.of("--branch", branch));
            }
            command.addAll(List.of("--", repository.gitUrl(), dir.toString()));
            sink.line("Cloning " + repository.name() + (branch == null ? "" : " at " + branch));
            ProcessBuilder git = new ProcessBuilder(command).redirectErrorStream(true);
            git.environment().putAll(credentials.environment());
            Result result = execute(git, sink);
            return result.succeeded() ? null : new Result(result.exitCode(), "cloning " + repository.name() + " failed");
        }
    }

    private static void recordCommit(Path dir, CommitRecorder commits) {
        String hash = gitOutput(dir, "rev-parse", "HEAD");
        if (hash != null) {
            String message = gitOutput(dir, "log", "-1", "--format=%s");
            commits.record(hash, message == null ? "" : message.length() > 255 ? message.substring(0, 255) : message);
        }
    }

    private static String gitOutput(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The app's command line: interpreter, script, template arguments, then the task's own when allowed. */
    private static List<String> command(Template template, Task task) {
        List<String> command = new ArrayList<>(switch (template.app()) {
            case "bash" -> List.of("bash", "--", template.playbook());
            case "python" -> List.of("python3", "--", template.playbook());
            case "powershell" -> List.of("pwsh", "-File", template.playbook());
            default -> List.of();
        });
        if (command.isEmpty()) {
            return null;
        }
        command.addAll(jsonStrings(template.arguments()));
        if (template.allowOverrideArgsInTask()) {
            command.addAll(jsonStrings(task.arguments()));
        }
        return command;
    }

    private static List<String> jsonStrings(String json) {
        List<String> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            Json.mapper().readTree(json).forEach(node -> out.add(node.asText()));
        } catch (IOException e) {
            throw new IllegalStateException("stored arguments are not a JSON array", e);
        }
        return out;
    }

    private static Map<String, String> baseEnvironment(Task task) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", System.getenv().getOrDefault("LANG", "C.UTF-8"));
        env.put("PYTHONUNBUFFERED", "1");
        env.put("SEMAPHORE_TASK_ID", Long.toString(task.id()));
        env.put("SEMAPHORE_TASK_TEMPLATE_ID", Long.toString(task.templateId()));
        env.put("SEMAPHORE_PROJECT_ID", Long.toString(task.projectId()));
        env.put("SEMAPHORE_TASK_MESSAGE", task.message() == null ? "" : task.message());
        return env;
    }

    private void addVariableGroup(long projectId, long environmentId, Map<String, String> env) {
        Environment group = sources.environments().get(projectId, environmentId);
        try {
            JsonNode vars = Json.mapper().readTree(group.env());
            vars.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            throw new IllegalStateException("stored env is not JSON", e);
        }
        env.putAll(envSecrets(projectId, environmentId));
    }

    /** The group's env-type secrets, decrypted once per job: both the masking and the environment need them. */
    private Map<String, String> envSecrets(long projectId, long environmentId) {
        if (envSecrets == null) {
            envSecrets = sources.environments().secretValues(projectId, environmentId, "env");
        }
        return envSecrets;
    }

    /** Secret values this job's output must never show. */
    List<String> secretsOf(Task task, Template template) {
        List<String> secrets = new ArrayList<>();
        if (template.environmentId() != null) {
            secrets.addAll(envSecrets(task.projectId(), template.environmentId()).values());
            secrets.addAll(sources.environments().secretValues(task.projectId(), template.environmentId(), "var").values());
        }
        return secrets;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Receives the commit a task runs. */
    @FunctionalInterface
    interface CommitRecorder {
        void record(String hash, String message);
    }
}
