package dev.semaphore.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Versions of the tools tasks run with, found once in the background so the server's start does
 * not wait for {@code ansible --version} (which takes about a second).
 */
public final class ToolVersions {
    /** Each tool and how it tells its version. */
    private static final Map<String, List<String>> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("ansible", List.of("ansible", "--version"));
        TOOLS.put("terraform", List.of("terraform", "-version"));
        TOOLS.put("tofu", List.of("tofu", "-version"));
        TOOLS.put("terragrunt", List.of("terragrunt", "--version"));
        TOOLS.put("git", List.of("git", "--version"));
        TOOLS.put("python", List.of("python3", "--version"));
        TOOLS.put("powershell", List.of("pwsh", "--version"));
    }

    private final Map<String, CompletableFuture<String>> versions = new LinkedHashMap<>();

    /** Asks each tool in turn on one background thread: seven processes at once cost a start its memory. */
    public ToolVersions() {
        TOOLS.keySet().forEach(tool -> versions.put(tool, new CompletableFuture<>()));
        Thread.ofVirtual().name("tool-versions").start(() -> TOOLS.forEach((tool, command) ->
                versions.get(tool).complete(firstLine(command.toArray(String[]::new)))));
    }

    /** The ansible version line, or "" while unknown or when ansible is not installed. */
    public String ansible() {
        return versions.get("ansible").getNow("");
    }

    /** Each installed tool's version line (tools not installed, or not yet asked, are left out). */
    public Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        versions.forEach((tool, version) -> {
            String line = version.getNow("");
            if (!line.isEmpty()) {
                out.put(tool, line);
            }
        });
        return out;
    }

    private static String firstLine(String... command) {
        try {
            Process process = dev.semaphore.execution.ChildProcesses.builder(command).redirectErrorStream(true).start();
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
