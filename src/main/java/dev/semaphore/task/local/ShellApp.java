package dev.semaphore.task.local;

import dev.semaphore.app.Apps;
import dev.semaphore.common.Json;
import dev.semaphore.task.job.JobResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bash, python, powershell and custom apps: {@code <program> <app args> <script> <template args>
 * <k=v per extra variable> <task args>}, as upstream orders them. Upstream also puts var-type
 * secrets on the command line as {@code name=value}, where any local user can read them; here they
 * are environment variables of the script instead.
 */
final class ShellApp implements App {
    private final List<String> program;

    private ShellApp(List<String> program) {
        this.program = program;
    }

    /** The program for an app: the {@code apps} setting's path and args, else the usual interpreter. */
    static ShellApp of(Apps.App app) {
        List<String> program = new ArrayList<>();
        if (!app.path().isEmpty()) {
            program.add(app.path());
            program.addAll(app.args());
        } else {
            program.add(switch (app.id()) {
                case "python" -> "python3";
                case "powershell" -> "pwsh";
                default -> app.id();
            });
            program.addAll(app.args());
            switch (app.id()) {
                case "bash", "python" -> program.add("--");
                case "powershell" -> program.add("-File");
                default -> {
                }
            }
        }
        return new ShellApp(List.copyOf(program));
    }

    @Override
    public JobResult run(JobContext job) throws InterruptedException {
        List<String> command = new ArrayList<>(program);
        command.add(job.playbook());
        command.addAll(arguments(job.template().arguments()));
        job.vars().properties().forEach(e -> command.add(e.getKey() + "="
                + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
        if (job.template().allowOverrideArgsInTask()) {
            command.addAll(arguments(job.task().arguments()));
        }
        job.stage("running");
        return job.exec(command, job.checkout(), Map.copyOf(job.varSecrets()));
    }

    /** A stored JSON array of strings (template or task arguments) as a list. */
    static List<String> arguments(String json) {
        List<String> out = new ArrayList<>();
        if (json != null && !json.isBlank()) {
            Json.tree(json).forEach(node -> out.add(node.asText()));
        }
        return out;
    }
}
