package dev.semaphore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built jar as a user does: {@code java -jar target/semaphore.jar ...} in a subprocess. */
final class Jar {
    static final Path JAR = Path.of(System.getProperty("semaphore.jar", "target/semaphore.jar"));

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Jar() {
    }

    static List<String> command(String... args) {
        return command(JAR, args);
    }

    /** The command line of another build's jar (an older version, say). */
    static List<String> command(Path jar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return command;
    }

    static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
        return builder(JAR, workDir, env, args);
    }

    static ProcessBuilder builder(Path jar, Path workDir, Map<String, String> env, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(jar, args)).directory(workDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SEMAPHORE_"));
        builder.environment().putAll(env);
        return builder;
    }

    static Result run(Path workDir, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        return run(JAR, workDir, env, stdin, args);
    }

    static Result run(Path jar, Path workDir, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process process = builder(jar, workDir, env, args)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("semaphore " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
