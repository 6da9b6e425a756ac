package dev.semaphore.task.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's extra variables as a YAML file in which every string a task supplied (a survey answer,
 * an allowed override) carries {@code !unsafe}: Ansible evaluates Jinja2 in variables on the server,
 * so {@code {{ lookup('pipe', ...) }}} typed into a survey would otherwise run there. Values from
 * the variable group, which managers write, stay templates, as upstream users rely on. The YAML is
 * JSON's flow syntax plus tags, so any JSON value is written as it is.
 */
final class ExtraVarsYaml {
    private ExtraVarsYaml() {
    }

    static String write(ObjectNode vars, Set<String> untrusted) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, JsonNode> entry : vars.properties()) {
            if (!first) {
                out.append(",\n ");
            }
            first = false;
            out.append(quote(entry.getKey())).append(": ");
            value(out, entry.getValue(), untrusted.contains(entry.getKey()));
        }
        return out.append("}\n").toString();
    }

    private static void value(StringBuilder out, JsonNode node, boolean unsafe) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                out.append(first ? "" : ", ").append(quote(entry.getKey())).append(": ");
                value(out, entry.getValue(), unsafe);
                first = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                value(out, node.get(i), unsafe);
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(unsafe ? "!unsafe " : "").append(quote(node.asText()));
        } else {
            out.append(node.toString());
        }
    }

    private static String quote(String text) {
        String json = TextNode.valueOf(text).toString();
        // JSON leaves DEL and the C1 controls as they are; YAML wants them escaped.
        StringBuilder out = new StringBuilder(json.length());
        json.chars().forEach(c -> {
            if (c >= 0x7f && c <= 0x9f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
