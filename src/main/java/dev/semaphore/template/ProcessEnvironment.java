package dev.semaphore.template;

import java.util.Locale;
import java.util.Set;

/**
 * Environment variable names that no one but the server may set for a task's process: they decide which
 * program runs, what it loads or how it reaches keys (a webhook's values and survey variables passed as
 * environment variables are held to this).
 */
public final class ProcessEnvironment {
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "SHELL", "ENV", "BASH_ENV", "IFS",
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PERL5LIB", "PERL5OPT", "RUBYOPT", "NODE_OPTIONS",
            "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "SSH_AUTH_SOCK", "JAVA_TOOL_OPTIONS");

    private ProcessEnvironment() {
    }

    public static boolean reserved(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("SEMAPHORE_") || upper.startsWith("LD_") || upper.startsWith("ANSIBLE_")
                || upper.startsWith("DYLD_") || RESERVED.contains(upper) || AnsibleVariables.dangerous(name);
    }

    /**
     * A name no one but the server may set in a task's process environment itself (a survey variable with the env
     * target): the reserved ones, and Terraform's settings ({@code TF_CLI_ARGS} and the like, {@code TF_VAR_*} aside),
     * which would add arguments the task's allow-list never saw.
     */
    public static boolean reservedInProcess(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return reserved(name) || (upper.startsWith("TF_") && !upper.startsWith("TF_VAR_"));
    }
}
