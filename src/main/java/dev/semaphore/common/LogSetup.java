package dev.semaphore.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback configured in code: one console appender, UTC timestamps, quiet libraries. Logback
 * finds it through its service file; it replaces XML parsing, which cost a fifth of our start.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String quiet : new String[] {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code syslog.*}: the server's log to a syslog daemon over UDP too, tagged, facility daemon. */
    public static void addSyslog(LoggerContext context, String address, String tag) {
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("SYSLOG") != null) {
            return;
        }
        int colon = address.lastIndexOf(':');
        var syslog = new ch.qos.logback.classic.net.SyslogAppender();
        syslog.setContext(context);
        syslog.setName("SYSLOG");
        syslog.setSyslogHost(colon > 0 ? address.substring(0, colon) : address);
        syslog.setPort(colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : 514);
        syslog.setFacility("DAEMON");
        syslog.setSuffixPattern(tag + ": %-5level %logger{20} - %msg");
        syslog.start();
        root.addAppender(syslog);
    }

    /** {@code log_format: json}: the console writes one JSON object a line (logback's own encoder). */
    public static void useJson(LoggerContext context) {
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("CONSOLE") instanceof ConsoleAppender<ILoggingEvent> console
                && !(console.getEncoder() instanceof ch.qos.logback.classic.encoder.JsonEncoder)) {
            var json = new ch.qos.logback.classic.encoder.JsonEncoder();
            json.setContext(context);
            // The message as read, not its pattern and arguments apart; no per-line logger-context noise.
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.start();
            console.stop();
            console.setEncoder(json);
            console.start();
        }
    }
}
