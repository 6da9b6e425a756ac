package dev.semaphore;

import dev.semaphore.config.ConfigKeys;
import dev.semaphore.event.api.EventController;
import dev.semaphore.alert.AlertController;
import dev.semaphore.app.AppController;
import dev.semaphore.live.LiveController;
import dev.semaphore.terraform.TerraformController;
import dev.semaphore.project.ProjectController;
import dev.semaphore.environment.EnvironmentController;
import dev.semaphore.inventory.InventoryController;
import dev.semaphore.repository.RepositoryController;
import dev.semaphore.secret.AccessKeyController;
import dev.semaphore.security.AccessGuard;
import dev.semaphore.security.AuthController;
import dev.semaphore.security.Authenticator;
import dev.semaphore.system.SystemController;
import dev.semaphore.system.ToolVersions;
import dev.semaphore.backup.BackupController;
import dev.semaphore.integration.IntegrationController;
import dev.semaphore.invite.InviteController;
import dev.semaphore.schedule.ScheduleController;
import dev.semaphore.system.EmptyListsController;
import dev.semaphore.task.TaskController;
import dev.semaphore.template.TemplateController;
import dev.semaphore.user.api.UserController;
import dev.semaphore.view.ViewController;
import dev.semaphore.web.HttpServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The running server: {@link Services} plus the HTTP API on top. */
public final class Server implements AutoCloseable {
    private final Services services;
    private final HttpServer http;

    private Server(Services services, HttpServer http) {
        this.services = services;
        this.http = http;
    }

    public static Server start(Services services) {
        return start(services, CompletableFuture.completedFuture(null));
    }

    /**
     * Starts listening at once; requests wait until {@code ready} (the database work of a start)
     * completes, so the server answers as soon as both halves are done, not one after the other.
     */
    public static Server start(Services services, CompletableFuture<?> ready) {
        var config = services.config;
        var authenticator = new Authenticator(services.sessions, services.tokens, services.credentials);
        var guard = new AccessGuard(authenticator, services.projects::access);
        var routes = List.of(
                new SystemController(config, new ToolVersions()),
                new dev.semaphore.system.CacheController(java.nio.file.Path.of(config.string(ConfigKeys.TMP_PATH)),
                        services.db, services.events),
                new AuthController(passwordChecks(services), services.sessions, services.logins,
                        config.bool(ConfigKeys.PASSWORD_LOGIN_DISABLE), services.secondFactors, services.oidc::listed),
                new dev.semaphore.oidc.OidcController(services.oidc, services.sessions, services.secondFactors,
                        config.contextPath()),
                new dev.semaphore.totp.TotpController(services.totp),
                new dev.semaphore.mfa.VerifyController(services.totp, services.secondFactors, services.sessions,
                        services.logins, services.users),
                new dev.semaphore.mfa.FactorsController(services.totp, services.identities),
                new dev.semaphore.identity.IdentityController(services.identities),
                new dev.semaphore.ldap.LdapController(services.ldap, services.logins),
                new UserController(services.users, services.tokens, services.canCreateProject(), services.logins,
                        services.sessions, services.totp::of),
                new ProjectController(services.projects, services.canCreateProject(),
                        config.bool(ConfigKeys.MEMBERS_CAN_LEAVE), services.demoProject()),
                new EventController(services.db, services.events),
                new AccessKeyController(services.keys),
                new RepositoryController(services.repositories),
                new dev.semaphore.hostconfig.HostConfigController(services.hostConfigs),
                new InventoryController(services.inventories),
                new EnvironmentController(services.environments),
                new ViewController(services.views),
                new TemplateController(services.templates),
                new TaskController(services.tasks),
                new ScheduleController(services.schedules, services.clock),
                new EmptyListsController(),
                new dev.semaphore.runner.RunnerController(services.runners),
                new dev.semaphore.runner.RunnerProtocolController(services.runners, services.engine.remote()),
                new InviteController(services.invites),
                new BackupController(services.backups, services.canCreateProject()),
                new IntegrationController(services.integrations, services.receiver, config.string(ConfigKeys.WEB_HOST),
                        config.integer(ConfigKeys.INTEGRATIONS_MAX_BODY_BYTES)),
                new AlertController(services.alerts),
                new AppController(services.apps, services.options),
                new dev.semaphore.option.OptionController(services.options),
                new TerraformController(services.terraform, new dev.semaphore.terraform.TerraformAliases(services.db,
                        services.events, services.keys, config.string(ConfigKeys.WEB_HOST))),
                new LiveController(services.live, authenticator),
                new dev.semaphore.health.HealthController(ready, services.db, services.engine::draining),
                new dev.semaphore.metrics.MetricsController(services.metrics, new dev.semaphore.metrics.MetricsController
                        .Settings(config.bool(ConfigKeys.METRICS_ENABLED), config.string(ConfigKeys.METRICS_USERNAME),
                        config.string(ConfigKeys.METRICS_PASSWORD))),
                new dev.semaphore.node.ClusterController(services.engine.node(),
                        !"sqlite".equals(config.dialect()), services.engine::activeTasksByNode),
                new dev.semaphore.apidocs.ApiDocsController());
        // The engine looks at the queue only once the database half of the start is done.
        ready.thenRun(services.engine::start);
        ready.thenRun(services.scheduler::start);
        ready.thenRun(services.receiver::start);
        ready.thenRun(services.exports::start);
        ready.thenRun(services.retention::start);
        ready.thenRun(services.compaction::start);
        // One process per SQLite file: nobody else to tell.
        if (!"sqlite".equals(config.dialect())) {
            ready.thenRun(services.signals::start);
            ready.thenRun(services.liveRelay::start);
        }
        HttpServer http = new HttpServer(config.contextPath(), routes, guard, ready,
                Math.max(1_000_000L, config.integer(ConfigKeys.INTEGRATIONS_MAX_BODY_BYTES)), services.metrics::request,
                tls(config))
                .start(config.string(ConfigKeys.INTERFACE), config.port());
        // Tasks run on this machine and reach the Terraform backend here.
        String host = config.string(ConfigKeys.INTERFACE);
        // With TLS on, on a loopback port of plain HTTP that serves nothing else.
        boolean loopback = http.loopbackPort() != http.port() || host.isEmpty() || host.equals("0.0.0.0");
        services.terraform.listening("http://" + (loopback ? "127.0.0.1" : host) + ":" + http.loopbackPort()
                + config.contextPath().replaceAll("/$", ""));
        String address = (host.isEmpty() || host.equals("0.0.0.0") ? services.engine.node().machine() : host)
                + ":" + http.port();
        ready.thenRun(() -> services.engine.node().listening(address));
        return new Server(services, http);
    }

    private static dev.semaphore.web.Tls tls(dev.semaphore.config.Config config) {
        if (!config.bool(ConfigKeys.TLS_ENABLED)) {
            return null;
        }
        String cert = config.string(ConfigKeys.TLS_CERT_FILE);
        String key = config.string(ConfigKeys.TLS_KEY_FILE);
        if (cert.isEmpty() || key.isEmpty()) {
            throw new dev.semaphore.config.ConfigException("tls.enabled needs tls.cert_file and tls.key_file"
                    + " (SEMAPHORE_TLS_CERT_FILE, SEMAPHORE_TLS_KEY_FILE)");
        }
        return new dev.semaphore.web.Tls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key),
                config.integer(ConfigKeys.TLS_HTTP_REDIRECT_PORT));
    }

    /** The directory first, as upstream: a directory user's password is checked where it lives. */
    private static List<dev.semaphore.security.PasswordAuthenticator> passwordChecks(Services services) {
        List<dev.semaphore.security.PasswordAuthenticator> checks = new java.util.ArrayList<>();
        services.ldap.ifPresent(checks::add);
        checks.add(services.users::authenticate);
        return checks;
    }

    /** Every route under /api, as registered. */
    public List<dev.semaphore.web.Api.Route> routes() {
        return http.routes();
    }

    public int port() {
        return http.port();
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() {
        // Tasks end first, while requests and live logs are still served.
        services.drainTasks();
        http.stop();
        services.close();
    }
}
