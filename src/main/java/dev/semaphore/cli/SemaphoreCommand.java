package dev.semaphore.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Version;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigException;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.DatabaseUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code semaphore}: the root command with upstream's global flags. */
@Command(name = "semaphore", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = SemaphoreCommand.VersionInfo.class,
        description = "Semaphore UI: a web UI and API for Ansible, Terraform/OpenTofu and scripts.",
        subcommands = {VersionCommand.class, ServerCommand.class, SetupCommand.class, MigrateCommand.class,
                UserCommand.class, ProjectsCommand.class, VaultCommand.class, ImportCommand.class, RunnerCommand.class})
public final class SemaphoreCommand {
    @Option(names = "--config", description = "Path to config.json.", scope = CommandLine.ScopeType.INHERIT)
    Path configFile;

    @Option(names = "--no-config", description = "Read settings from SEMAPHORE_* variables only.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean noConfig;

    @Option(names = "--log-level", description = "DEBUG, INFO, WARN or ERROR.", scope = CommandLine.ScopeType.INHERIT)
    String logLevel;

    final Map<String, String> env;

    SemaphoreCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The services of a short command (users, projects): its configuration, warnings only, migrated. */
    dev.semaphore.Services openServices() {
        Config config = loadConfig();
        applyLogLevel(config, "WARN");
        return dev.semaphore.Services.open(config);
    }

    Config loadConfig() {
        return new ConfigLoader(env).load(configFile, noConfig);
    }

    /** Sets the log level: the flag, else the config's, else the command's own default. */
    void applyLogLevel(Config config, String fallback) {
        String level = logLevel != null ? logLevel
                : env.containsKey("SEMAPHORE_LOG_LEVEL") ? config.string(ConfigKeys.LOG_LEVEL) : fallback;
        Level parsed = switch (level.toUpperCase()) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR", "FATAL", "PANIC" -> Level.ERROR;
            default -> throw new ConfigException("invalid value for --log-level: \"" + level
                    + "\" must be DEBUG, INFO, WARN or ERROR");
        };
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(parsed);
        if ("json".equals(config.string(ConfigKeys.LOG_FORMAT))) {
            dev.semaphore.common.LogSetup.useJson(root.getLoggerContext());
        }
        if (config.bool(ConfigKeys.SYSLOG_ENABLED)) {
            String address = config.string(ConfigKeys.SYSLOG_ADDRESS);
            if (!address.matches("[^:\\s]+(:\\d{1,5})?")) {
                throw new ConfigException("invalid value for syslog.address (SEMAPHORE_SYSLOG_ADDRESS): \"" + address
                        + "\" must be host:port");
            }
            dev.semaphore.common.LogSetup.addSyslog(root.getLoggerContext(), address,
                    config.string(ConfigKeys.SYSLOG_TAG));
            if (config.string(ConfigKeys.SYSLOG_FORMAT).equals("rfc5424")) {
                LoggerFactory.getLogger(SemaphoreCommand.class).warn("syslog.format rfc5424 is written as RFC 3164"
                        + " (BSD syslog): logback's syslog appender has no other");
            }
        }
    }

    public static int run(String[] args) {
        CommandLine cli = new CommandLine(new SemaphoreCommand(System.getenv()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    private static String describe(Exception e) {
        if (e instanceof ConfigException || e instanceof ApiException || e instanceof DatabaseUnavailableException
                || e instanceof CliException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + ": " + (root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage());
    }

    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.version()};
        }
    }
}
