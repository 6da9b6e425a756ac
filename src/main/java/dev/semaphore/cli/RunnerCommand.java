package dev.semaphore.cli;

import dev.semaphore.config.Config;
import dev.semaphore.runner.agent.RunnerAgent;
import dev.semaphore.runner.agent.RunnerSetup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code semaphore runner register|start|unregister}: a process that takes tasks from a server (ours or
 * upstream's) and runs them here, configured with upstream's {@code runner.*} keys and {@code web_host}.
 */
@Command(name = "runner", description = "Run tasks for a server on this machine (a remote runner).",
        subcommands = {RunnerCommand.Setup.class, RunnerCommand.Register.class, RunnerCommand.Start.class,
                RunnerCommand.Unregister.class})
final class RunnerCommand {
    @ParentCommand
    SemaphoreCommand root;

    Config config() {
        Config config = root.loadConfig();
        root.applyLogLevel(config, "INFO");
        return config;
    }

    @Command(name = "setup", description = "Write a runner's configuration file and register it with the server.")
    static final class Setup implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Option(names = "--server", required = true, description = "The server's URL (web_host), e.g. https://semaphore.example.")
        String server;

        @Option(names = "--registration-token", description = "The server's runner_registration_token; registers at once.")
        String registrationToken;

        @Option(names = "--name", description = "The runner's name.", defaultValue = "")
        String name;

        @Option(names = "--tags", description = "The runner's tag (templates naming it run here).", defaultValue = "")
        String tags;

        @Option(names = "--max-parallel-tasks", description = "Jobs at once.", defaultValue = "1")
        int maxParallelTasks;

        @Option(names = "--dir", description = "Where the runner keeps its token, key and jobs' files.",
                defaultValue = "runner")
        java.nio.file.Path dir;

        @Option(names = "--file", description = "The configuration file to write.", defaultValue = "config.runner.json")
        java.nio.file.Path file;

        @Override
        public Integer call() throws Exception {
            if (java.nio.file.Files.exists(file)) {
                throw new CliException(file + " exists already; remove it or name another with --file");
            }
            java.nio.file.Path home = dir.toAbsolutePath();
            var json = dev.semaphore.common.Json.mapper().createObjectNode().put("web_host", server)
                    .put("tmp_path", home.resolve("tmp").toString());
            var runner = json.putObject("runner").put("token_file", home.resolve("token").toString())
                    .put("private_key_file", home.resolve("private.key").toString()).put("name", name).put("tags", tags)
                    .put("max_parallel_tasks", maxParallelTasks);
            java.nio.file.Files.createDirectories(home);
            java.nio.file.Files.writeString(file, dev.semaphore.common.Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json));
            System.out.println("Wrote " + file + "; start the runner with: semaphore runner start --config " + file);
            if (registrationToken != null && !registrationToken.isBlank()) {
                Config config = new dev.semaphore.config.ConfigLoader(java.util.Map.of()).fromJson(
                        json.deepCopy().set("runner", runner.deepCopy().put("registration_token", registrationToken)));
                try {
                    RunnerSetup.register(config);
                } catch (IllegalArgumentException | java.io.IOException e) {
                    throw new CliException("registering failed: " + e.getMessage());
                }
                System.out.println("Registered; the token is in " + home.resolve("token"));
            }
            return 0;
        }
    }

    @Command(name = "register", description = "Register with the server (runner.registration_token); the token"
            + " goes to runner.token_file, or is printed.")
    static final class Register implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Override
        public Integer call() throws Exception {
            Config config = parent.config();
            String token;
            try {
                token = RunnerSetup.register(config);
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new CliException(e.getMessage());
            }
            if (config.string(dev.semaphore.config.ConfigKeys.RUNNER_TOKEN_FILE).isBlank()) {
                System.out.println(token);
            } else {
                System.out.println("Registered; the token is in " + config.string(
                        dev.semaphore.config.ConfigKeys.RUNNER_TOKEN_FILE));
            }
            return 0;
        }
    }

    @Command(name = "start", description = "Take tasks from the server and run them until stopped.")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Option(names = {"--register", "--auto-register"}, description = "Register first when there is no token yet.")
        boolean register;

        @Override
        public Integer call() throws Exception {
            Config config = parent.config();
            // As the server: its tasks' processes find no SEMAPHORE_* value (a token) in this one's environment.
            dev.semaphore.execution.ServerEnvironment.eraseSecrets();
            try {
                if (register && !RunnerSetup.registered(config)) {
                    RunnerSetup.register(config);
                }
                try (RunnerAgent agent = RunnerSetup.agent(config)) {
                    Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
                    agent.run();
                }
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new CliException(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "unregister", description = "Remove this runner from the server.")
    static final class Unregister implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Override
        public Integer call() throws Exception {
            try {
                RunnerSetup.unregister(parent.config());
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new CliException(e.getMessage());
            }
            System.out.println("Unregistered.");
            return 0;
        }
    }
}
