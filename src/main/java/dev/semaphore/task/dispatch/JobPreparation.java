package dev.semaphore.task.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.environment.Environment;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskParams;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.AnsibleVariables;
import dev.semaphore.template.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link JobSpec}: reads what a task is made of from the features that own it, once, before the run. */
public final class JobPreparation {
    private JobPreparation() {
    }

    /** Reads everything a run of {@code task} needs; {@code surveySecrets} is its secret survey values (JSON) or null. */
    public static JobSpec prepare(Task task, Template template, JobParts sources, String surveySecrets) {
        long project = task.projectId();
        Repository repository = sources.repository(project, template.repositoryId());
        Long inventoryId = task.inventoryId() != null ? task.inventoryId() : template.inventoryId();
        Inventory inventory = inventoryId == null ? null : sources.inventory(project, inventoryId);
        Repository inventoryRepository = inventory != null && inventory.repositoryId() != null
                && inventory.repositoryId() != repository.id()
                ? sources.repository(project, inventory.repositoryId()) : null;

        Map<String, String> env = new HashMap<>();
        ObjectNode vars = Json.mapper().createObjectNode();
        Map<String, String> envSecrets = new LinkedHashMap<>();
        Map<String, String> varSecrets = new LinkedHashMap<>();
        // The template's variable groups in order: a later group's variables, environment and secrets win.
        for (long groupId : template.environmentIds()) {
            Environment group = sources.environment(project, groupId);
            Json.tree(group.env()).properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            Map<String, String> groupEnvSecrets = sources.secretValues(project, groupId, "env");
            envSecrets.putAll(groupEnvSecrets);
            env.putAll(groupEnvSecrets);
            if (Json.tree(group.json()) instanceof ObjectNode groupVars) {
                vars.setAll(groupVars);
            }
            varSecrets.putAll(sources.secretValues(project, groupId, "var"));
        }
        Set<String> taskVarNames = new HashSet<>();
        Json.tree(surveySecrets).properties().forEach(e -> {
            varSecrets.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            taskVarNames.add(e.getKey());
        });
        if (Json.tree(task.environment()) instanceof ObjectNode taskVars) {
            taskVars.properties().forEach(e -> {
                // Refused when the task was queued; a task queued by an older version is held to it here.
                if (!AnsibleVariables.dangerous(e.getKey())) {
                    vars.set(e.getKey(), e.getValue());
                    taskVarNames.add(e.getKey());
                }
            });
        }

        // Survey variables whose target is env reach the process environment instead of the arguments or extra
        // variables (upstream's target "env"); a list (a select's) as its JSON text.
        List<String> movedSecrets = new ArrayList<>();
        Json.tree(template.surveyVars()).forEach(survey -> {
            if (!"env".equals(survey.path("target").asText())) {
                return;
            }
            String name = survey.path("name").asText();
            JsonNode value = vars.remove(name);
            if (value != null && !value.isNull()) {
                env.put(name, value.isTextual() ? value.asText() : value.toString());
            }
            String secret = varSecrets.remove(name);
            if (secret != null) {
                env.put(name, secret);
                movedSecrets.add(secret);
            }
        });

        Map<Long, KeySecret> keys = new HashMap<>();
        List<Long> keyIds = new ArrayList<>();
        keyIds.add(repository.sshKeyId());
        if (inventoryRepository != null) {
            keyIds.add(inventoryRepository.sshKeyId());
        }
        if (inventory != null) {
            keyIds.add(inventory.sshKeyId());
            keyIds.add(inventory.becomeKeyId());
        }
        template.vaults().forEach(v -> keyIds.add(v.vaultKeyId()));
        for (Long id : keyIds) {
            if (id != null && !keys.containsKey(id)) {
                keys.put(id, sources.key(project, id));
            }
        }

        // The project's credential mappings: their keys go where the job's keys go (a runner's access keys too).
        List<dev.semaphore.secret.GitMapping> mappings = sources.gitMappings(project);
        for (dev.semaphore.secret.GitMapping mapping : mappings) {
            if (!(mapping.secret() instanceof KeySecret.None)) {
                keys.putIfAbsent(mappingKeyId(mapping), mapping.secret());
            }
        }

        List<String> secrets = new ArrayList<>(envSecrets.values());
        mappings.forEach(m -> secrets.addAll(passwords(m.secret())));
        secrets.addAll(varSecrets.values());
        secrets.addAll(movedSecrets);
        if (inventory != null) {
            secrets.addAll(passwords(keys.get(inventory.sshKeyId())));
            secrets.addAll(passwords(keys.get(inventory.becomeKeyId())));
        }
        template.vaults().forEach(v -> secrets.addAll(passwords(keys.get(v.vaultKeyId()))));
        secrets.removeIf(java.util.Objects::isNull);

        return new JobSpec(task, template, TaskParams.effective(template, task.params()), repository,
                inventoryRepository, inventory, Map.copyOf(env), vars, Set.copyOf(taskVarNames),
                java.util.Collections.unmodifiableMap(varSecrets), Map.copyOf(keys), List.copyOf(secrets),
                sources.webHost(), sources.maxLineLength(), sources.confirmationTimeoutSeconds(), mappings);
    }

    /** The id a mapping's key goes under among the job's keys (a runner's job names it so in host_configs). */
    public static long mappingKeyId(dev.semaphore.secret.GitMapping mapping) {
        return -mapping.id(); // never a key's own id: a mapping's key is sent with the mapping's
    }

    private static List<String> passwords(KeySecret secret) {
        return switch (secret) {
            case null -> List.of();
            case KeySecret.LoginPassword lp -> List.of(lp.password());
            case KeySecret.Ssh ssh -> ssh.passphrase() == null ? List.of() : List.of(ssh.passphrase());
            case KeySecret.Text text -> List.of(text.value());
            case KeySecret.None none -> List.of();
        };
    }
}
