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
}
