package dev.semaphore.template;

import java.util.regex.Pattern;

/** Ansible variables no task may set: they pick the connection, an interpreter, a program or command-line arguments. */
public final class AnsibleVariables {
    private static final Pattern DANGEROUS = Pattern.compile(
            "ansible_(.*connection.*|.*interpreter.*|.*_args|.*executable.*|.*exe|become.*|.*command.*)",
            Pattern.CASE_INSENSITIVE);

    private AnsibleVariables() {
    }

    /** Whether setting this variable lets its author run a program on the server. */
    public static boolean dangerous(String name) {
        return DANGEROUS.matcher(name).matches();
    }
}
