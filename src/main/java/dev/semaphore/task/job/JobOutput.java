package dev.semaphore.task.job;

/**
 * Where a job's output lines go. The dispatcher's implementation masks secrets, numbers the lines and
 * stores them; an executor only writes lines.
 */
public interface JobOutput {
    void line(String text);

    /** A secret the job came to know while running (such as its Terraform state address): masked from now on. */
    void mask(String secret);

    /** The number the next line will get (lines count from 1). */
    int nextLine();

    /** Stores what waits now, before the job tells anyone to read it (a plan it pauses on). */
    void flush();

    /** {@code text} with every secret of the list (three characters or more) replaced by ***, longest first. */
    static String mask(String text, java.util.List<String> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        java.util.List<String> longestFirst = secrets.stream().filter(s -> s != null && s.length() >= 3)
                .sorted((a, b) -> b.length() - a.length()).toList();
        for (String secret : longestFirst) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }
}
