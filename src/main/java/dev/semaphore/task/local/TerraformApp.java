package dev.semaphore.task.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.execution.GitCredentials;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.terraform.TerraformBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Terraform, OpenTofu and Terragrunt: init, workspace, plan, then apply once approved. The plan is
 * saved in the private directory and exactly that plan is applied after a confirmation, so what
 * runs is what was reviewed (upstream plans again at apply time). Var-type secrets go in a
 * {@code .tfvars.json} file there rather than on the command line.
 */
final class TerraformApp implements App {
    private static final int CHANGES_PRESENT = 2;

    private final String binary;

    TerraformApp(String app) {
        this.binary = app;
    }

    @Override
    public JobResult run(JobContext job) throws InterruptedException {
        String sub = job.playbook() == null ? "" : job.playbook();
        Path dir = job.checkout().resolve(sub).normalize();
        if (!dir.startsWith(job.checkout()) || !Files.isDirectory(dir)) {
            return new JobResult(-1, "the directory " + sub + " is not in the repository");
        }
        Map<String, String> env = new HashMap<>();
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        JsonNode templateParams = Json.tree(job.template().taskParams());
        Path backend = null;
        String stateAddress = null;
        try {
            if (templateParams.path("override_backend").asBoolean(false)) {
                stateAddress = job.job().terraform().open(job.task().projectId(),
                        TerraformBackend.scope(job.inventory() == null ? null : job.inventory().id(),
                                job.template().id()), job.task().id(), job.job()::processes);
            }
            if (stateAddress == null && templateParams.path("override_backend").asBoolean(false)) {
                job.sink().line("No state backend of the server's here (a remote runner): Terraform keeps its state"
                        + " as its configuration says.");
            }
            if (stateAddress != null) {
                String name = templateParams.path("backend_filename").asText("");
                backend = dir.resolve(name.isBlank() ? "backend.tf" : name).normalize();
                if (!backend.startsWith(dir)) {
                    return new JobResult(-1, "backend_filename must name a file in the directory");
                }
                Files.writeString(backend, "terraform {\n  backend \"http\" {}\n}\n");
                job.sink().mask(stateAddress.substring(stateAddress.lastIndexOf('/') + 1));
                env.put("TF_HTTP_ADDRESS", stateAddress);
                env.put("TF_HTTP_LOCK_ADDRESS", stateAddress + "/lock");
                env.put("TF_HTTP_UNLOCK_ADDRESS", stateAddress + "/unlock");
                env.put("TF_HTTP_LOCK_METHOD", "POST");
                env.put("TF_HTTP_UNLOCK_METHOD", "POST");
                job.sink().line("State is kept by this server (HTTP backend).");
            }
            JobResult init = init(job, dir, env);
            if (init != null) {
                return init;
            }
            if (job.inventory() != null && job.inventory().type().endsWith("-workspace")) {
                JobResult selected = job.exec(List.of(binary, "workspace", "select", "-or-create=true",
                        job.inventory().inventory()), dir, env);
                if (!selected.succeeded()) {
                    return fail(selected, "selecting the workspace " + job.inventory().inventory() + " failed");
                }
            }
            return planAndApply(job, dir, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (stateAddress != null) {
                job.job().terraform().close(stateAddress);
            }
            if (backend != null) {
                try {
                    Files.deleteIfExists(backend);
                } catch (IOException ignored) {
                    // the checkout is removed with the task anyway; a local-path repository keeps the file
                }
            }
        }
    }

    /** {@code init}, with the repository's key available for private modules. */
    private JobResult init(JobContext job, Path dir, Map<String, String> env) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, "init", lock(env), "-input=false"));
        if (job.params().upgrade()) {
            command.add("-upgrade");
        }
        if (job.params().reconfigure()) {
            command.add("-reconfigure");
        }
        Path tmp = job.workspace().path();
        try (GitCredentials git = new GitCredentials(tmp, job.key(job.repository().sshKeyId()),
                job.job().isolation(), job.job().gitStallSeconds())) {
            Map<String, String> withGit = new HashMap<>(env);
            withGit.putAll(git.environment());
            JobResult result = job.exec(command, dir, withGit);
            return result.succeeded() ? null : fail(result, binary + " init failed");
        }
    }

    private JobResult planAndApply(JobContext job, Path dir, Map<String, String> env)
            throws InterruptedException {
        Path planFile = job.workspace().path().resolve("task.tfplan");
        List<String> plan = new ArrayList<>(List.of(binary, "plan", lock(env), "-input=false",
                "-detailed-exitcode", "-out=" + planFile));
        if (job.params().destroy()) {
            plan.add("-destroy");
        }
        job.vars().properties().forEach(e -> plan.add("-var=" + e.getKey() + "="
                + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
        if (!job.varSecrets().isEmpty()) {
            ObjectNode secrets = Json.mapper().createObjectNode();
            job.varSecrets().forEach(secrets::put);
            plan.add("-var-file=" + job.workspace().secretFile("secrets.tfvars.json", secrets.toString()));
        }
        plan.addAll(ShellApp.arguments(job.template().arguments()));
        if (job.template().allowOverrideArgsInTask()) {
            plan.addAll(ShellApp.arguments(job.task().arguments()));
        }
        job.stage("terraform_plan");
        JobResult planned = job.exec(plan, dir, env);
        if (planned.failure() != null || (planned.exitCode() != 0 && planned.exitCode() != CHANGES_PRESENT)) {
            return fail(planned, binary + " plan failed");
        }
        if (planned.exitCode() == 0) {
            job.sink().line("No changes to apply.");
            return planned;
        }
        if (job.params().plan()) {
            job.sink().line("Plan only: nothing was applied.");
            return new JobResult(0, null);
        }
        if (!job.params().autoApprove()) {
            job.sink().line("Waiting for confirmation of the plan.");
            if (!job.job().awaitConfirmation(job.sink())) {
                return new JobResult(-1, "the plan was not confirmed; nothing was applied");
            }
            job.sink().line("Plan confirmed; applying it.");
        }
        job.stage("running");
        JobResult applied = job.exec(List.of(binary, "apply", lock(env), "-input=false",
                planFile.toString()), dir, env);
        return applied.succeeded() ? applied : fail(applied, binary + " apply failed");
    }

    /**
     * State this server keeps is locked while a run uses it (parallel runs of a template must not
     * overwrite each other's); a checkout's own local state is the run's alone, as upstream's.
     */
    private static String lock(Map<String, String> env) {
        return env.containsKey("TF_HTTP_ADDRESS") ? "-lock=true" : "-lock=false";
    }

    private static JobResult fail(JobResult result, String why) {
        return result.failure() != null ? result : new JobResult(result.exitCode(), why);
    }
}
