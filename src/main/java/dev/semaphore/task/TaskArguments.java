package dev.semaphore.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A task's own command-line arguments (templates with {@code allow_override_args_in_task}), read the way
 * the program will read them and held to an allow-list: for Ansible the options that choose what runs
 * of the playbook and how much it says, for Terraform/OpenTofu those that choose what the plan covers.
 * Everything else (connection, interpreter, files, code paths, positional playbooks) is refused with a
 * 400 naming the argument. Accepted arguments are stored in a canonical spelling (full option names,
 * one token each), so what runs does not depend on how a version of the program resolves abbreviations.
 * Shell apps pass a task's arguments to the script itself, never to its interpreter, so any is taken.
 */
final class TaskArguments {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> JINJA = List.of("{{", "}}", "{%", "%}", "{#", "#}");

    /** One option of a program: its canonical name, whether it takes a value, whether a task may give it. */
    private record Option(String name, boolean valued, boolean allowed) {
    }

    /** Every name ansible-playbook (ansible-core 2.14) answers to, short and long, with its option. */
    private static final Map<String, Option> ANSIBLE = new LinkedHashMap<>();

    private static void ansible(boolean valued, boolean allowed, String... names) {
        Option option = new Option(longName(names), valued, allowed);
        for (String name : names) {
            ANSIBLE.put(name, option);
        }
    }

    private static String longName(String[] names) {
        for (String name : names) {
            if (name.startsWith("--")) {
                return name;
            }
        }
        return names[0];
    }

    static {
        // Allowed: what selects hosts, tasks and tags, and how much is said.
        ansible(false, true, "-v", "--verbose");
        ansible(true, true, "-l", "--limit");
        ansible(true, true, "-t", "--tags");
        ansible(true, true, "--skip-tags");
        ansible(false, true, "-C", "--check");
        ansible(false, true, "-D", "--diff");
        ansible(true, true, "-f", "--forks");
        ansible(true, true, "-T", "--timeout");
        ansible(true, true, "--start-at-task");
        ansible(false, true, "--list-hosts");
        ansible(false, true, "--list-tasks");
        ansible(false, true, "--list-tags");
        ansible(false, true, "--syntax-check");
        ansible(false, true, "--flush-cache");
        ansible(false, true, "--force-handlers");
        ansible(true, true, "-e", "--extra-vars");
        // Refused: connection, credentials, code and files from the server, interactive prompts.
        ansible(false, false, "-h", "--help");
        ansible(false, false, "--version");
        ansible(true, false, "--private-key", "--key-file");
        ansible(true, false, "-u", "--user");
        ansible(true, false, "-c", "--connection");
        ansible(true, false, "--ssh-common-args");
        ansible(true, false, "--sftp-extra-args");
        ansible(true, false, "--scp-extra-args");
        ansible(true, false, "--ssh-extra-args");
        ansible(false, false, "-k", "--ask-pass");
        ansible(true, false, "--connection-password-file", "--conn-pass-file");
        ansible(false, false, "-b", "--become");
        ansible(true, false, "--become-method");
        ansible(true, false, "--become-user");
        ansible(false, false, "-K", "--ask-become-pass");
        ansible(true, false, "--become-password-file", "--become-pass-file");
        ansible(true, false, "-i", "--inventory", "--inventory-file");
        ansible(true, false, "--vault-id");
        ansible(false, false, "--ask-vault-password", "--ask-vault-pass");
        ansible(true, false, "--vault-password-file", "--vault-pass-file");
        ansible(true, false, "-M", "--module-path");
        ansible(false, false, "--step");
    }

    /** terraform/tofu plan's options a task may give (Go flag syntax: no abbreviations); true = takes a value. */
    private static final Map<String, Boolean> TERRAFORM = Map.ofEntries(Map.entry("destroy", false),
            Map.entry("refresh-only", false), Map.entry("refresh", false), Map.entry("compact-warnings", false),
            Map.entry("no-color", false), Map.entry("lock", false), Map.entry("replace", true),
            Map.entry("target", true), Map.entry("var", true), Map.entry("lock-timeout", true),
            Map.entry("parallelism", true));

    private static final Set<String> INTEGER_OPTIONS = Set.of("--forks", "--timeout", "parallelism");

    private TaskArguments() {
    }

    /**
     * Checks a task's arguments (a JSON array of strings) for its template's app and returns them as
     * they will be stored and run.
     *
     * @param checkVariable called with each extra variable an Ansible {@code -e} sets (name, value); it
     *        throws when the template does not let a task set it
     * @param playbooksAllowed whether the template lets a task choose the playbook (then an Ansible
     *        positional argument, a further playbook, may name a file inside the repository)
     */
    static String check(String app, String json, BiConsumer<String, JsonNode> checkVariable, boolean playbooksAllowed) {
        List<String> args = new ArrayList<>();
        Json.tree(json).forEach(item -> args.add(item.asText()));
        List<String> canonical = switch (app) {
            case "ansible" -> ansible(args, checkVariable, playbooksAllowed);
            case "terraform", "tofu", "terragrunt" -> terraform(args);
            default -> args;
        };
        ArrayNode out = Json.mapper().createArrayNode();
        canonical.forEach(out::add);
        return out.toString();
    }

    private static ApiException refused(String argument, String why) {
        return ApiException.badRequest("field 'arguments': " + argument + " " + why);
    }

    /** Reads the arguments as Python's argparse does for ansible-playbook: exact names, unique prefixes, chained short flags. */
    private static List<String> ansible(List<String> args, BiConsumer<String, JsonNode> checkVariable,
                                        boolean playbooksAllowed) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                throw refused("--", "is refused: what follows it would be read as further playbooks");
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                out.add(playbook(arg, playbooksAllowed));
                continue;
            }
            List<Given> given = arg.startsWith("--") ? List.of(longOption(arg)) : shortOptions(arg);
            for (Given g : given) {
                if (!g.option().allowed()) {
                    throw refused(arg, "is not an option a task may give (" + g.option().name() + " changes how Ansible"
                            + " connects, or reads code or secrets from the server); a task may give "
                            + allowedAnsibleOptions());
                }
                if (!g.option().valued()) {
                    if (g.value() != null) {
                        throw refused(arg, "gives a value to " + g.option().name() + ", which takes none");
                    }
                    out.add(g.option().name());
                    continue;
                }
                String value = g.value();
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                        throw refused(arg, "needs a value");
                    }
                    value = args.get(++i);
                }
                out.add(g.option().name() + "=" + ansibleValue(g.option().name(), value, checkVariable));
            }
        }
        return out;
    }

    /** An option as given, with the value attached to it ({@code --limit=web}, {@code -lweb}), if any. */
    private record Given(Option option, String value) {
    }

    private static Given longOption(String arg) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? null : arg.substring(eq + 1);
        Option exact = ANSIBLE.get(name);
        if (exact != null) {
            return new Given(exact, value);
        }
        // argparse takes any unambiguous prefix of a long option as that option.
        Set<Option> matches = new java.util.LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        ANSIBLE.forEach((n, o) -> {
            if (n.startsWith("--") && n.startsWith(name)) {
                matches.add(o);
                names.add(n);
            }
        });
        if (matches.isEmpty()) {
            throw refused(arg, "is not an option of ansible-playbook; a task may give " + allowedAnsibleOptions());
        }
        if (names.size() > 1) {
            throw refused(arg, "is ambiguous: it could be " + String.join(", ", names));
        }
        return new Given(matches.iterator().next(), value);
    }

    /** {@code -vvv}, {@code -Cl web}, {@code -lweb}, {@code -e=x=1}: short flags chained as argparse reads them. */
    private static List<Given> shortOptions(String arg) {
        Option whole = ANSIBLE.get(arg);
        if (whole != null) {
            return List.of(new Given(whole, null));
        }
        int eq = arg.indexOf('=');
        if (eq > 0 && ANSIBLE.get(arg.substring(0, eq)) instanceof Option o) {
            return List.of(new Given(o, arg.substring(eq + 1)));
        }
        List<Given> out = new ArrayList<>();
        String rest = arg.substring(1);
        while (!rest.isEmpty()) {
            Option option = ANSIBLE.get("-" + rest.charAt(0));
            if (option == null) {
                throw refused(arg, "is not an option of ansible-playbook (-" + rest.charAt(0) + ")");
            }
            rest = rest.substring(1);
            if (option.valued()) {
                out.add(new Given(option, rest.isEmpty() ? null : rest));
                return out;
            }
            out.add(new Given(option, null));
        }
        return out;
    }

    private static String allowedAnsibleOptions() {
        List<String> names = new ArrayList<>();
        ANSIBLE.forEach((n, o) -> {
            if (o.allowed() && n.startsWith("--")) {
                names.add(n);
            }
        });
        return String.join(", ", names) + " and -v to -vvvv";
    }

    /** A further playbook as a positional argument: only where the template lets a task choose, and inside the repository. */
    private static String playbook(String arg, boolean playbooksAllowed) {
        if (!playbooksAllowed) {
            throw refused(arg, "is a further playbook to run; template does not let a task choose playbooks"
                    + " (task_params.allow_override_playbook)");
        }
        if (arg.startsWith("/") || List.of(arg.split("/")).contains("..") || arg.chars().anyMatch(c -> c < 0x20)
                || arg.isBlank()) {
            throw refused(arg, "must be a playbook inside the repository");
        }
        return arg;
    }

    private static String ansibleValue(String option, String value, BiConsumer<String, JsonNode> checkVariable) {
        if (INTEGER_OPTIONS.contains(option) && !value.matches("[0-9]{1,6}")) {
            throw refused(option + "=" + value, "must be a whole number");
        }
        if (option.equals("--limit") && value.strip().startsWith("@")) {
            throw refused(option + "=" + value, "may not read hosts from a file on the server");
        }
        if (option.equals("--extra-vars")) {
            extraVars(value, checkVariable);
        }
        return value;
    }

    /**
     * Extra variables as ansible reads an {@code -e} value: a file ({@code @}, refused), a YAML/JSON
     * mapping, or {@code name=value} pairs. Names are read after every decoding ansible applies and
     * held to the task variable rules; values may not hold a Jinja2 template, which ansible would
     * evaluate on the server.
     */
    private static void extraVars(String value, BiConsumer<String, JsonNode> checkVariable) {
        String where = "-e " + value;
        if (value.isEmpty()) {
            return;
        }
        char first = value.charAt(0);
        if (first == '@' || first == '/' || first == '.') {
            throw refused(where, "would load extra variables from a file on the server");
        }
        if (first == '{' || first == '[') {
            JsonNode tree;
            try {
                tree = YAML.readTree(value);
            } catch (JsonProcessingException e) {
                throw refused(where, "is not a valid YAML or JSON mapping");
            }
            if (tree == null || !tree.isObject()) {
                throw refused(where, "must be a mapping of variable names to values");
            }
            noTemplates(where, tree);
            tree.properties().forEach(e -> variable(where, e.getKey(), e.getValue(), checkVariable));
            return;
        }
        if (value.indexOf('\\') >= 0) {
            // ansible decodes \x61, \u0061 and octal escapes in k=v pairs before reading names and values.
            throw refused(where, "may not contain backslash escapes (give the variables as a JSON object instead)");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw refused(where, "may not contain line breaks or control characters");
        }
        noTemplates(where, new TextNode(value));
        for (String token : tokens(where, value)) {
            int eq = token.indexOf('=', 1);
            if (eq < 0) {
                throw refused(where, "must be name=value pairs (" + token + ")");
            }
            variable(where, token.substring(0, eq).strip(), new TextNode(unquote(token.substring(eq + 1).strip())),
                    checkVariable);
        }
    }

    private static void variable(String where, String name, JsonNode value, BiConsumer<String, JsonNode> checkVariable) {
        if (!VAR_NAME.matcher(name).matches()) {
            throw refused(where, "sets '" + name + "', which is not a variable name (letters, digits, _)");
        }
        checkVariable.accept(name, value);
    }

    /** Whitespace-separated, with quoted runs kept whole, as ansible's split_args does without escapes or Jinja2. */
    private static List<String> tokens(String where, String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        char quote = 0;
        for (char c : value.toCharArray()) {
            if (quote != 0) {
                token.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                token.append(c);
            } else if (Character.isWhitespace(c)) {
                if (!token.isEmpty()) {
                    out.add(token.toString());
                    token.setLength(0);
                }
            } else {
                token.append(c);
            }
        }
        if (quote != 0) {
            throw refused(where, "has an unclosed quote");
        }
        if (!token.isEmpty()) {
            out.add(token.toString());
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '\'' || value.charAt(0) == '"')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static void noTemplates(String where, JsonNode node) {
        List<String> texts = new ArrayList<>();
        collectTexts(node, texts);
        for (String text : texts) {
            for (String marker : JINJA) {
                if (text.contains(marker)) {
                    throw refused(where, "contains a Jinja2 template (" + marker + "), which Ansible would evaluate on"
                            + " the server");
                }
            }
        }
    }

    private static void collectTexts(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
        } else if (node.isObject()) {
            node.properties().forEach(e -> {
                texts.add(e.getKey());
                collectTexts(e.getValue(), texts);
            });
        } else if (node.isArray()) {
            node.forEach(item -> collectTexts(item, texts));
        }
    }

    /** terraform/tofu plan options in Go's flag syntax: {@code -name}, {@code --name}, {@code -name=value}, {@code -name value}. */
    private static List<String> terraform(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw refused(arg, "is not an option; a task may give the plan's options " + allowedTerraformOptions());
            }
            String bare = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = bare.indexOf('=');
            String name = eq < 0 ? bare : bare.substring(0, eq);
            String value = eq < 0 ? null : bare.substring(eq + 1);
            Boolean valued = TERRAFORM.get(name);
            if (valued == null) {
                throw refused(arg, "is not an option a task may give (it may read or write files, or change where"
                        + " state is kept); a task may give " + allowedTerraformOptions());
            }
            if (!valued) {
                if (value != null && !value.matches("true|false|1|0|t|f|T|F|TRUE|FALSE|True|False")) {
                    throw refused(arg, "must be true or false");
                }
                out.add("-" + name + (value == null ? "" : "=" + value));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw refused(arg, "needs a value");
                }
                value = args.get(++i);
            }
            if (INTEGER_OPTIONS.contains(name) && !value.matches("[0-9]{1,6}")) {
                throw refused(arg, "must be a whole number");
            }
            if (name.equals("var") && !value.matches("[A-Za-z_][A-Za-z0-9_-]*=[\\s\\S]*")) {
                throw refused(arg + " " + value, "must be name=value");
            }
            out.add("-" + name + "=" + value);
        }
        return out;
    }

    private static String allowedTerraformOptions() {
        return String.join(", ", new java.util.TreeSet<>(TERRAFORM.keySet()).stream().map(n -> "-" + n).toList());
    }
}
