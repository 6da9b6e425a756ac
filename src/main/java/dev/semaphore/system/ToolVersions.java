package dev.semaphore.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Versions of the tools tasks run with, found once in the background so the server's start does
 * not wait for {@code ansible --version} (which takes about a second).
 */
public final class ToolVersions {
    private final CompletableFuture<String> ansible;

    public ToolVersions() {
        this.ansible = CompletableFuture.supplyAsync(() -> firstLine("ansible", "--version"));
    }

    /** The ansible version line, or "" while unknown or when ansible is not installed. */
    public String ansible() {
        return ansible.getNow("");
    }

    private static String firstLine(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "";
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? out.lines().findFirst().orElse("").trim() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
