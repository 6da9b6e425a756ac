package dev.semaphore.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.semaphore.common.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks static inventories the way ansible-playbook would read them, so a typo is refused at
 * save time with its line number instead of failing a task later.
 */
final class InventoryText {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private InventoryText() {
    }

    /** Ansible's INI inventory: sections, host lines with key=value variables, :vars and :children. */
    static void checkIni(String text) {
        String kind = "hosts";
        int lineNumber = 0;
        for (String raw : text.split("\\R", -1)) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                kind = section(line, lineNumber);
                continue;
            }
            switch (kind) {
                case "vars" -> {
                    if (!line.contains("=") || line.startsWith("=")) {
                        throw error(lineNumber, "expected key=value in a :vars section, got \"" + line + "\"");
                    }
                }
                case "children" -> {
                    if (line.chars().anyMatch(Character::isWhitespace)) {
                        throw error(lineNumber, "expected one group name in a :children section, got \"" + line + "\"");
                    }
                }
                default -> hostLine(line, lineNumber);
            }
        }
    }

    private static String section(String line, int lineNumber) {
        String body = line.contains("#") && line.indexOf(']') < line.indexOf('#')
                ? line.substring(0, line.indexOf('#')).strip() : line;
        if (!body.endsWith("]")) {
            throw error(lineNumber, "section header \"" + line + "\" is not closed with ]");
        }
        String name = body.substring(1, body.length() - 1).strip();
        String suffix = "hosts";
        int colon = name.indexOf(':');
        if (colon >= 0) {
            suffix = name.substring(colon + 1);
            name = name.substring(0, colon);
            if (!suffix.equals("vars") && !suffix.equals("children")) {
                throw error(lineNumber, "section \"" + line + "\" has an unknown suffix :" + suffix
                        + " (use :vars or :children)");
            }
        }
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw error(lineNumber, "section \"" + line + "\" needs a group name without spaces");
        }
        return suffix;
    }

    private static void hostLine(String line, int lineNumber) {
        List<String> tokens = split(line, lineNumber);
        String host = tokens.get(0);
        if (host.contains("=")) {
            throw error(lineNumber, "expected a host name first, got \"" + host + "\"");
        }
        int open = 0;
        for (char c : host.toCharArray()) {
            open += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (open < 0 || open > 1) {
                break;
            }
        }
        if (open != 0) {
            throw error(lineNumber, "host pattern \"" + host + "\" has unbalanced [ ]");
        }
        for (String token : tokens.subList(1, tokens.size())) {
            if (!token.contains("=") || token.startsWith("=")) {
                throw error(lineNumber, "expected key=value host variable after " + host + ", got \"" + token + "\"");
            }
        }
    }

    /** Splits on spaces outside quotes, as Ansible's shlex-based reader does; a # outside quotes starts a comment. */
    private static List<String> split(String line, int lineNumber) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && current.isEmpty()) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (!current.isEmpty()) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw error(lineNumber, "unterminated quote " + quote);
        }
        if (!current.isEmpty()) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    /** Ansible's YAML inventory: groups mapping to hosts, vars and children. */
    static void checkYaml(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw error(line, e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("field 'inventory': a YAML inventory must be a mapping of groups");
        }
        for (Map.Entry<String, JsonNode> group : root.properties()) {
            checkGroup(group.getKey(), group.getValue());
        }
    }

    private static void checkGroup(String name, JsonNode group) {
        if (group.isNull()) {
            return;
        }
        if (!group.isObject()) {
            throw ApiException.badRequest("field 'inventory': group '" + name + "' must be a mapping");
        }
        for (Map.Entry<String, JsonNode> entry : group.properties()) {
            JsonNode value = entry.getValue();
            switch (entry.getKey()) {
                case "hosts", "vars" -> {
                    if (!value.isNull() && !value.isObject()) {
                        throw ApiException.badRequest("field 'inventory': '" + entry.getKey() + "' of group '" + name
                                + "' must be a mapping");
                    }
                }
                case "children" -> {
                    if (!value.isNull() && !value.isObject()) {
                        throw ApiException.badRequest("field 'inventory': 'children' of group '" + name
                                + "' must be a mapping");
                    }
                    if (value.isObject()) {
                        value.properties().forEach(child -> checkGroup(child.getKey(), child.getValue()));
                    }
                }
                default -> throw ApiException.badRequest("field 'inventory': group '" + name + "' has '"
                        + entry.getKey() + "'; a group holds only hosts, vars and children");
            }
        }
    }

    private static ApiException error(int line, String message) {
        return ApiException.badRequest("field 'inventory': line " + line + ": " + message);
    }
}
