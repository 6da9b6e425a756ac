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
                || upper.startsWith("DYLD_") || (upper.startsWith("TF_") && !upper.startsWith("TF_VAR_"))
                || RESERVED.contains(upper)
                || AnsibleVariables.dangerous(name);
    }
}
