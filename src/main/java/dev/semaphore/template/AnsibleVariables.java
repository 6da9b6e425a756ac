package dev.semaphore.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of Ansible's own variables a template may open to tasks. Ansible reads many {@code ansible_*}
 * variables as parts of command lines it runs on the server (an interpreter, {@code ansible_remote_tmp}
 * put unquoted into a shell command, become flags...), so the openable ones are an allow-list of
 * variables that only name a target or a mode, and their values are held to that shape.
 */
public final class AnsibleVariables {
    /** Ansible variables that carry data only: a host, a port, a remote user, a mode. */
    private static final Set<String> SAFE = Set.of("ansible_host", "ansible_port", "ansible_user",
            "ansible_ssh_host", "ansible_ssh_port", "ansible_ssh_user", "ansible_check_mode", "ansible_diff_mode",
            "ansible_verbosity", "ansible_timeout");
    /** A host name or address: never an option for ssh (a leading '-'), never two words. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_\\[][A-Za-z0-9._:%\\[\\]-]*");
    /** A remote user, including Windows' DOMAIN\\user and user@realm. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@\\\\$-]*");

    private AnsibleVariables() {
    }

    /** The variables a template may open to tasks, for error messages and docs. */
    public static String safeList() {
        return String.join(", ", new java.util.TreeSet<>(SAFE));
    }

    /**
     * Whether no task may set this variable: every {@code ansible_} variable (in any letter case) but
     * the data-only ones above.
     */
    public static boolean dangerous(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("ansible_") && !SAFE.contains(name);
    }

    /**
     * Takes out of a template (a backup's or an upstream database's) the Ansible variables it opens to
     * tasks that no template may open: names in {@code task_params.allowed_ansible_vars} and survey
     * variables. Says each one, for the restore's or import's report; {@code taskParams} and
     * {@code surveyVars} are changed in place.
     */
    public static List<String> dropUnopenable(JsonNode taskParams, JsonNode surveyVars) {
        List<String> dropped = new ArrayList<>();
        if (taskParams != null && taskParams.path("allowed_ansible_vars") instanceof ArrayNode allowed) {
            for (int i = allowed.size() - 1; i >= 0; i--) {
                if (dangerous(allowed.get(i).asText())) {
                    dropped.add(0, "task_params.allowed_ansible_vars: " + allowed.get(i).asText());
                    allowed.remove(i);
                }
            }
        }
        if (surveyVars instanceof ArrayNode survey) {
            for (int i = survey.size() - 1; i >= 0; i--) {
                if (dangerous(survey.get(i).path("name").asText())) {
                    dropped.add(0, "survey variable " + survey.get(i).path("name").asText());
                    survey.remove(i);
                }
            }
        }
        return dropped;
    }

    /** Why a task's value for an openable Ansible variable is refused, or null when it is fine (or not one). */
    public static String valueError(String name, JsonNode value) {
        String text = value.isTextual() ? value.asText() : value.toString();
        return switch (name) {
            case "ansible_host", "ansible_ssh_host" -> HOST.matcher(text).matches() ? null
                    : "must be a host name or address";
            case "ansible_user", "ansible_ssh_user" -> USER.matcher(text).matches() ? null : "must be a user name";
            case "ansible_port", "ansible_ssh_port" -> text.matches("[0-9]{1,5}") && Integer.parseInt(text) <= 65535
                    ? null : "must be a port number";
            case "ansible_verbosity", "ansible_timeout" -> text.matches("[0-9]{1,6}") ? null : "must be a number";
            case "ansible_check_mode", "ansible_diff_mode" -> text.matches("(?i)true|false|yes|no|1|0") ? null
                    : "must be true or false";
            default -> null;
        };
    }
}
