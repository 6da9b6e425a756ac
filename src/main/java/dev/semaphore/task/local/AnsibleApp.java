package dev.semaphore.task.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.semaphore.execution.ChildProcesses;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.execution.ProcessIsolation;
import dev.semaphore.execution.SshAgent;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskParams;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.template.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code ansible-playbook} with upstream's arguments. Every secret reaches ansible through a 0600
 * file in the task's private directory or an ssh-agent socket, never through its command line:
 * the extra variables (which hold var-type secrets) as {@code --extra-vars @file}, vault passwords
 * as {@code --vault-id name@file}, SSH and become passwords as ansible's password-file options.
 */
final class AnsibleApp implements App {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    public JobResult run(JobContext job) throws InterruptedException {
        if (job.inventory() == null) {
            return new JobResult(-1, "an ansible template needs an inventory");
        }
        Map<String, String> env = new HashMap<>();
        env.put("ANSIBLE_FORCE_COLOR", "True");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        Path playbook = job.checkout().resolve(job.playbook()).normalize();
        if (!playbook.startsWith(job.checkout())) {
            return new JobResult(-1, "the playbook " + job.playbook() + " is outside the repository");
        }
        List<String> command = new ArrayList<>(List.of("ansible-playbook"));
        SshAgent agent = null;
        // SSH's multiplexing sockets need a short path, which the task's directory may not be.
        ProcessIsolation user = job.job().isolation();
        PrivateDirectory controlPaths = new PrivateDirectory(user.socketRoot(), "semaphore-cp-", user);
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlPaths.path().toString());
        try {
            if (job.inventory().type().equals("file") && job.inventory().inventory().isEmpty()) {
                return new JobResult(-1, "the file inventory " + job.inventory().name()
                        + " has no path yet: set the path of its inventory file");
            }
            String inventoryPath = installInventory(job);
            if (inventoryPath == null) {
                return new JobResult(-1, "the inventory file " + job.inventory().inventory()
                        + " is not in the repository");
            }
            command.addAll(List.of("-i", inventoryPath));
            KeySecret login = job.key(job.inventory().sshKeyId());
            switch (login) {
                case KeySecret.Ssh ssh -> {
                    agent = new SshAgent(ssh, user);
                    env.put("SSH_AUTH_SOCK", agent.socket());
                    addUser(command, "--user", ssh.login());
                }
                case KeySecret.LoginPassword lp -> {
                    addUser(command, "--user", lp.login());
                    command.add("--connection-password-file="
                            + job.workspace().secretFile("connection_password", lp.password()));
                }
                default -> {
                }
            }
            if (job.key(job.inventory().becomeKeyId()) instanceof KeySecret.LoginPassword b) {
                addUser(command, "--become-user", b.login());
                command.add("--become-password-file=" + job.workspace().secretFile("become_password", b.password()));
            }
            TaskParams params = job.params();
            if (params.debug()) {
                command.add("-" + "v".repeat(params.debugLevel()));
            }
            if (params.diff()) {
                command.add("--diff");
            }
            if (params.dryRun()) {
                command.add("--check");
            }
            for (Template.Vault vault : job.template().vaults()) {
                String name = vault.name() == null || vault.name().isEmpty() ? "default" : vault.name();
                if ("script".equals(vault.type())) {
                    Path script = job.checkout().resolve(vault.script()).normalize();
                    if (!script.startsWith(job.checkout())) {
                        return new JobResult(-1, "the vault script " + vault.script() + " is outside the repository");
                    }
                    command.add("--vault-id=" + name + "@" + script);
                } else if (vaultPassword(job.key(vault.vaultKeyId())) instanceof String pw) {
                    command.add("--vault-id=" + name + "@" + job.workspace().secretFile("vault_" + vault.id(), pw));
                }
            }
            command.add("--extra-vars=@" + job.workspace().secretFile("extra_vars.yml",
                    ExtraVarsYaml.write(extraVars(job), job.taskVarNames())));
            command.addAll(ShellApp.arguments(job.template().arguments()));
            if (!params.limit().isEmpty()) {
                command.add("--limit=" + String.join(",", params.limit()));
            }
            if (!params.tags().isEmpty()) {
                command.add("--tags=" + String.join(",", params.tags()));
            }
            if (!params.skipTags().isEmpty()) {
                command.add("--skip-tags=" + String.join(",", params.skipTags()));
            }
            if (job.template().allowOverrideArgsInTask()) {
                command.addAll(ShellApp.arguments(job.task().arguments()));
            }
            // Upstream's working_directory: where ansible runs (its ansible.cfg counts); the playbook stays the
            // repository's path.
            Path workingDirectory = job.checkout();
            if (job.template().workingDirectory() != null) {
                workingDirectory = job.checkout().resolve(job.template().workingDirectory()).normalize();
                if (!workingDirectory.startsWith(job.checkout()) || !Files.isDirectory(workingDirectory)) {
                    return new JobResult(-1, "the working directory " + job.template().workingDirectory()
                            + " is not a directory of the repository");
                }
                command.add(playbook.toString());
            } else {
                command.add(job.playbook());
            }
            if (params.skipGalaxyInstall()) {
                job.sink().line("Galaxy requirements are not installed: the template (or task) skips them.");
            } else {
                JobResult galaxy = installRequirements(job, playbook.getParent(), env);
                if (galaxy != null) {
                    return galaxy;
                }
            }
            job.stage("running");
            AnsibleOutput reader = new AnsibleOutput();
            JobResult result = job.exec(command, workingDirectory, env, line -> {
                if (reader.read(line)) {
                    job.stage("print_result");
                }
            });
            if (reader.sawRecap() || !reader.result().get("errors").isEmpty()) {
                job.job().stageResult(reader.result().toString());
            }
            return result;
        } finally {
            if (agent != null) {
                agent.close();
            }
            closeMasters(controlPaths.path());
            controlPaths.close();
        }
    }

    /** SSH connection masters outlive ansible by ControlPersist seconds; a finished task leaves none behind. */
    private static void closeMasters(Path dir) {
        try (var sockets = Files.list(dir)) {
            for (Path socket : sockets.toList()) {
                Process exit = ChildProcesses.builder("ssh", "-o", "ControlPath=" + socket, "-O", "exit", "master")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                exit.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // nothing listening there any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void addUser(List<String> command, String option, String login) {
        if (login != null && !login.isBlank()) {
            command.addAll(List.of(option, login));
        }
    }

    private static String vaultPassword(KeySecret key) {
        return switch (key) {
            case KeySecret.LoginPassword lp -> lp.password();
            case KeySecret.Text text -> text.value();
            default -> null;
        };
    }

    /**
     * Writes a static inventory into the private directory, or finds a file inventory in the
     * template's repository (or the inventory's own, cloned beside it). Null when the file is missing.
     */
    private static String installInventory(JobContext job) throws InterruptedException {
        Inventory inventory = job.inventory();
        switch (inventory.type()) {
            case "static" -> {
                return job.workspace().secretFile("inventory", inventory.inventory()).toString();
            }
            case "static-yaml" -> {
                return job.workspace().secretFile("inventory.yml", inventory.inventory()).toString();
            }
            case "file" -> {
                Path root = job.checkout();
                if (inventory.repositoryId() != null && inventory.repositoryId() != job.repository().id()) {
                    Repository own = job.spec().inventoryRepository();
                    if (own.gitUrl().startsWith("/")) {
                        root = Path.of(own.gitUrl());
                    } else {
                        root = job.workspace().path().resolve("inventory_repository");
                        JobResult cloned = job.job().clone(own, own.gitBranch(), root, job.sink());
                        if (cloned != null) {
                            return null;
                        }
                    }
                }
                Path file = root.resolve(inventory.inventory()).normalize();
                return file.startsWith(root) && Files.exists(file) ? file.toString() : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** The group's JSON with the task's over it, var-type secrets, and upstream's {@code semaphore_vars}. */
    private static ObjectNode extraVars(JobContext job) {
        ObjectNode vars = job.vars().deepCopy();
        job.varSecrets().forEach(vars::put);
        Task task = job.task();
        ObjectNode details = vars.putObject("semaphore_vars").putObject("task_details");
        TaskDetails.of(task, job.spec().webHost()).forEach((name, value) -> details.set(name,
                dev.semaphore.common.Json.mapper().valueToTree(value)));
        details.put("inventory_name", job.inventory().name());
        details.put("inventory_id", job.inventory().id());
        details.put("repository_name", job.repository().name());
        details.put("repository_id", job.repository().id());
        return vars;
    }

    /**
     * {@code ansible-galaxy} installs collections, then roles, from upstream's requirements files:
     * beside the playbook first, then at the repository root. They go under the task's HOME.
     */
    private static JobResult installRequirements(JobContext job, Path playbookDir, Map<String, String> env)
            throws InterruptedException {
        List<Map.Entry<String, Path>> requirements = new ArrayList<>();
        for (String type : List.of("collection", "role")) {
            LinkedHashSet<Path> files = new LinkedHashSet<>();
            for (Path base : List.of(playbookDir, job.checkout())) {
                files.add(base.resolve(type + "s").resolve("requirements.yml"));
                Path shared = base.resolve("requirements.yml");
                if (Files.isRegularFile(shared) && declares(shared, type)) {
                    files.add(shared);
                }
            }
            files.stream().filter(Files::isRegularFile).forEach(file -> requirements.add(Map.entry(type, file)));
        }
        if (requirements.isEmpty()) {
            return null;
        }
        // roles and collections from private git repositories: the project's credential mappings reach them
        try (dev.semaphore.execution.GitCredentials git = job.job().gitCredentials(
                new dev.semaphore.secret.KeySecret.None())) {
            Map<String, String> withGit = new HashMap<>(env);
            withGit.putAll(git.environment());
            for (Map.Entry<String, Path> requirement : requirements) {
                String type = requirement.getKey();
                String name = job.checkout().relativize(requirement.getValue()).toString();
                job.sink().line("Installing " + type + "s from " + name);
                JobResult result = job.exec(List.of("ansible-galaxy", type, "install", "-r",
                        requirement.getValue().toString(), "--force"), job.checkout(), withGit);
                if (!result.succeeded()) {
                    return new JobResult(result.exitCode(), "installing the " + type + "s in " + name + " failed");
                }
            }
        }
        return null;
    }

    /** Whether a shared requirements.yml lists this type: {@code roles:}/{@code collections:}, or a bare list of roles. */
    private static boolean declares(Path file, String type) {
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree != null && tree.isObject()) {
                return tree.has(type + "s");
            }
            return type.equals("role") && tree != null && tree.isArray();
        } catch (IOException e) {
            return true;
        }
    }
}
