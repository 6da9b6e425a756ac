package dev.semaphore.task.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.task.TaskLog;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ansible-playbook's output as it goes by: which task failed on which host and why, and the
 * per-host counts of the PLAY RECAP (what upstream serves as {@code /ansible/errors} and
 * {@code /ansible/hosts}).
 */
final class AnsibleOutput {
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)] \\**$");
    private static final Pattern FAILURE = Pattern.compile("^(?:fatal|failed): \\[([^]]+)](?:: [A-Z]+!)?.*? => (.*)$");
    private static final Pattern RECAP = Pattern.compile("^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+"
            + "unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)\\s+ignored=(\\d+)");

    private final ArrayNode hosts = Json.mapper().createArrayNode();
    private final ArrayNode errors = Json.mapper().createArrayNode();
    private String task = "";
    private boolean inRecap;

    /** Reads one line; true when it is the start of the recap. */
    boolean read(String raw) {
        String line = TaskLog.withoutColours(raw).strip();
        if (line.startsWith("PLAY RECAP")) {
            inRecap = true;
            return true;
        }
        Matcher m;
        if (inRecap && (m = RECAP.matcher(line)).find()) {
            ObjectNode host = hosts.addObject().put("host", m.group(1));
            String[] names = {"ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"};
            for (int i = 0; i < names.length; i++) {
                host.put(names[i], Integer.parseInt(m.group(i + 2)));
            }
        } else if ((m = TASK.matcher(line)).find()) {
            task = m.group(1);
            inRecap = false;
        } else if ((m = FAILURE.matcher(line)).find()) {
            errors.addObject().put("host", m.group(1)).put("task", task).put("error", message(m.group(2)));
        }
        return false;
    }

    boolean sawRecap() {
        return !hosts.isEmpty();
    }

    /** {@code {"hosts": [...], "errors": [...]}}. */
    ObjectNode result() {
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("hosts", hosts);
        out.set("errors", errors);
        return out;
    }

    private static String message(String details) {
        try {
            JsonNode json = Json.mapper().readTree(details);
            if (json.hasNonNull("msg")) {
                return json.get("msg").asText();
            }
        } catch (java.io.IOException notJson) {
            // ansible printed something other than its JSON result
        }
        return details;
    }
}
