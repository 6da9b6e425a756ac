package dev.semaphore.task;

import dev.semaphore.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bash, python and powershell: {@code <interpreter> <script> <template args> <k=v per extra
 * variable> <task args>}, as upstream orders them. Upstream also puts var-type secrets on the
 * command line as {@code name=value}, where any local user can read them; here they are
 * environment variables of the script instead.
 */
final class ShellApp implements App {
    private final String app;

    ShellApp(String app) {
        this.app = app;
    }

    @Override
    public LocalJob.Result run(JobContext job) throws InterruptedException {
        List<String> command = new ArrayList<>(switch (app) {
            case "bash" -> List.of("bash", "--", job.playbook());
            case "python" -> List.of("python3", "--", job.playbook());
            default -> List.of("pwsh", "-File", job.playbook());
        });
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
