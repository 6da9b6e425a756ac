package dev.semaphore;

import dev.semaphore.alert.AlertService;
import dev.semaphore.app.Apps;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.execution.GitRemote;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.live.LiveHub;
import dev.semaphore.project.ProjectService;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.Keyring;
import dev.semaphore.secret.KeyringLoader;
import dev.semaphore.security.CredentialCache;
import dev.semaphore.security.LoginThrottle;
import dev.semaphore.security.SessionService;
import dev.semaphore.terraform.TerraformBackend;
import dev.semaphore.node.ServerNode;
import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskLog;
import dev.semaphore.backup.BackupService;
import dev.semaphore.demo.DemoProject;
import dev.semaphore.integration.IntegrationReceiver;
import dev.semaphore.invite.InviteService;
import dev.semaphore.integration.IntegrationService;
import dev.semaphore.schedule.ScheduleService;
import dev.semaphore.schedule.Scheduler;
import dev.semaphore.task.TaskService;
import dev.semaphore.task.TaskStore;
import dev.semaphore.task.dispatch.JobSources;
import dev.semaphore.task.dispatch.TaskEngine;
import dev.semaphore.task.local.LocalExecutor;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.ApiTokenService;
import dev.semaphore.user.PasswordHasher;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import dev.semaphore.view.ViewService;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The composition root of the domain: the database and every service, wired by hand. The HTTP
 * server ({@link Server}) and the CLI both start from here.
 */
public final class Services implements AutoCloseable {
    final Config config;
    final dev.semaphore.metrics.Metrics metrics;
    final dev.semaphore.audit.EventExports exports;
    final dev.semaphore.task.TaskRetention retention;
    final dev.semaphore.task.OutputCompaction compaction;
    final Database db;
    final EventLog events;
    final CredentialCache credentials;
    final UserService users;
    final ApiTokenService tokens;
    final SessionService sessions;
    final ProjectService projects;
    final References references;
    final AccessKeyService keys;
    final RepositoryService repositories;
    final dev.semaphore.hostconfig.HostConfigService hostConfigs;
    final InventoryService inventories;
    final EnvironmentService environments;
    final ViewService views;
    final TemplateService templates;
    final TaskEngine engine;
    final LiveHub live;
    final TaskService tasks;
    final Apps apps;
    final dev.semaphore.option.OptionService options;
    final TerraformBackend terraform;
    final AlertService alerts;
    final LoginThrottle logins;
    final java.time.Clock clock;
    final ScheduleService schedules;
    final dev.semaphore.runner.RunnerService runners;
    final dev.semaphore.totp.TotpService totp;
    final dev.semaphore.mfa.EmailOtpService secondFactors;
    /** Changes the other server processes on this database must hear of (their caches). */
    final dev.semaphore.node.ClusterSignals signals;
    /** Live messages to and from the other server processes on this database. */
    final dev.semaphore.live.LiveRelay liveRelay;
    final dev.semaphore.identity.IdentityService identities;
    final Optional<dev.semaphore.ldap.LdapLogin> ldap;
    final dev.semaphore.oidc.OidcService oidc;
    final Scheduler scheduler;
    final IntegrationService integrations;
    final IntegrationReceiver receiver;
    final InviteService invites;
    final BackupService backups;
    final dev.semaphore.secret.Vault vault;

    private Services(Config config, Database db, dev.semaphore.metrics.Metrics metrics, PasswordHasher hasher,
                     java.time.Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.db = db;
        this.events = new EventLog();
        this.signals = new dev.semaphore.node.ClusterSignals(db);
        this.credentials = new CredentialCache(() -> signals.raise("credentials"),
                db.dialect() == dev.semaphore.db.Dialect.SQLITE ? null : new CredentialCache.Epoch() {
                    @Override
                    public long read() {
                        return signals.version("credentials");
                    }

                    @Override
                    public void advance() {
                        signals.raiseNow("credentials");
                    }
                });
        signals.watch("credentials", credentials::clearAfterChangeElsewhere);
        this.users = new UserService(db, events, hasher, credentials::clear);
        this.tokens = new ApiTokenService(db, events, credentials::clear);
        this.sessions = new SessionService(db, users, credentials);
        this.logins = new LoginThrottle(db, events, config.integer(ConfigKeys.LOGIN_MAX_FAILURES),
                config.integer(ConfigKeys.LOGIN_ADDRESS_MAX_FAILURES),
                java.time.Duration.ofSeconds(config.integer(ConfigKeys.LOGIN_LOCKOUT_SEC)), users::accountName);
        this.references = new References();
        Keyring keyring = KeyringLoader.load(config);
        this.keys = new AccessKeyService(db, events, keyring, references);
        this.environments = new EnvironmentService(db, events, keyring, references);
        this.repositories = new RepositoryService(db, events, keys, references,
                new GitRemote(Path.of(config.string(ConfigKeys.TMP_PATH)), config.integer(ConfigKeys.GIT_TIMEOUT_SEC)));
        this.inventories = new InventoryService(db, events, keys, repositories, references);
        this.hostConfigs = new dev.semaphore.hostconfig.HostConfigService(db, events, keys, references);
        this.views = new ViewService(db, events, references);
        this.options = new dev.semaphore.option.OptionService(db, events);
        this.apps = new Apps(config.map(ConfigKeys.APPS),
                () -> dev.semaphore.app.AppController.fromOptions(options.withPrefix("apps.")));
        this.terraform = new TerraformBackend(db, events, keyring);
        this.templates = new TemplateService(db, events, new TemplateService.Dependencies(keys, repositories,
                inventories, environments, views, apps, new TaskStore()::runsPerTemplate), references);
        this.projects = new ProjectService(db, events, users, List.of(keys.noneKey(), views.allView(), environments.emptyGroup()));
        TaskLog taskLog = new TaskLog(db);
        this.live = new LiveHub(projects::access);
        projects.onChange(live::accessChanged);
        credentials.onChange(live::credentialsChanged);
        ServerNode node = new ServerNode(db,
                java.time.Duration.ofSeconds(config.integer(ConfigKeys.HA_NODE_TIMEOUT_SEC)));
        this.liveRelay = new dev.semaphore.live.LiveRelay(db, node.id(), live);
        projects.onLocalChange(() -> signals.raise("projects"));
        signals.watch("projects", projects::changedElsewhere);
        this.identities = new dev.semaphore.identity.IdentityService(db, events, users, projects,
                dev.semaphore.identity.IdentityService.EmailMatching.of(
                        config.string(ConfigKeys.EXTERNAL_AUTH_EMAIL_MATCHING)));
        this.ldap = dev.semaphore.ldap.LdapLogin.of(config, identities);
        this.oidc = dev.semaphore.oidc.OidcService.of(config, db, identities);
        this.totp = new dev.semaphore.totp.TotpService(db, events, keyring, hasher, users,
                config.bool(ConfigKeys.TOTP_ENABLED), config.bool(ConfigKeys.TOTP_ALLOW_RECOVERY),
                config.string(ConfigKeys.TOTP_APP_NAME),
                dev.semaphore.totp.TotpService.Requirement.of(config.string(ConfigKeys.TOTP_REQUIRED)), clock);
        this.secondFactors = new dev.semaphore.mfa.EmailOtpService(db, totp, users,
                dev.semaphore.mail.Mailer.configured(config), new dev.semaphore.mfa.EmailOtpService.Settings(
                        config.bool(ConfigKeys.EMAIL_OTP_ENABLED),
                        config.bool(ConfigKeys.EMAIL_OTP_ALLOW_LOGIN_AS_EXTERNAL_USER),
                        config.bool(ConfigKeys.EMAIL_OTP_ALLOW_CREATE_EXTERNAL_USER),
                        config.list(ConfigKeys.EMAIL_OTP_ALLOWED_DOMAINS),
                        config.bool(ConfigKeys.EMAIL_OTP_DISABLE_FOR_OIDC)), clock);
        this.runners = new dev.semaphore.runner.RunnerService(db, events,
                config.string(ConfigKeys.RUNNER_REGISTRATION_TOKEN),
                java.time.Duration.ofSeconds(config.integer(ConfigKeys.RUNNERS_OFFLINE_TIMEOUT_SEC)));
        this.engine = new TaskEngine(db, events, taskLog, templates,
                new JobSources(repositories, environments, keys, inventories, keyring,
                        config.string(ConfigKeys.WEB_HOST), config.integer(ConfigKeys.MAX_OUTPUT_LINE_LENGTH),
                        config.integer(ConfigKeys.CONFIRMATION_TIMEOUT_SEC), hostConfigs),
                new LocalExecutor(Path.of(config.string(ConfigKeys.TMP_PATH)), terraform, apps,
                        dev.semaphore.execution.ProcessIsolation.of(config), LocalExecutor.limits(config)),
                new TaskEngine.Runners(runners, config.bool(ConfigKeys.USE_REMOTE_RUNNER),
                        java.time.Duration.ofSeconds(config.integer(ConfigKeys.RUNNERS_OFFLINE_TIMEOUT_SEC)),
                        java.time.Duration.ofSeconds(config.integer(ConfigKeys.RUNNERS_TASK_FAIL_TIMEOUT_SEC)),
                        java.time.Duration.ofSeconds(config.integer(ConfigKeys.RUNNERS_RECONCILE_INTERVAL_SEC))),
                config.integer(ConfigKeys.MAX_PARALLEL_TASKS), config.integer(ConfigKeys.MAX_TASK_DURATION_SEC),
                new TaskEvents(), node, taskId -> {
                    // Named by this server like a task's own folder: the next start sweeps it after a crash.
                    var folder = new dev.semaphore.execution.PrivateDirectory(Path.of(config.string(ConfigKeys.TMP_PATH)),
                            "task_" + taskId + "_");
                    return new dev.semaphore.task.dispatch.SpillFolder(folder.path(), folder::close);
                });
        engine.events().subscribe(TaskEvents.live(live::publish));
        engine.events().subscribe(metrics.taskListener());
        if (config.bool(ConfigKeys.TASK_LOG_ENABLED)) {
            engine.events().subscribe(new dev.semaphore.audit.TaskFiles(
                    fileOf(config, ConfigKeys.TASK_LOGGER, "data/tasks.log"),
                    fileOf(config, ConfigKeys.TASK_RESULT_LOGGER, "data/task-results.log"),
                    config.string(ConfigKeys.TASK_LOG_FORMAT)));
        }
        this.compaction = new dev.semaphore.task.OutputCompaction(db);
        engine.events().subscribe(compaction);
        metrics.taskGauges(engine::runningHere, engine::queued);
        metrics.outputBacklog(() -> TaskEngine.outputBacklog().memoryLines(),
                () -> TaskEngine.outputBacklog().memoryChars(), () -> TaskEngine.outputBacklog().spilledLines());
        this.tasks = new TaskService(db, events, templates, inventories, keyring, engine.events(), engine, taskLog,
                config.integer(ConfigKeys.MAX_TASKS_PER_TEMPLATE));
        this.alerts = new AlertService(projects, templates, config);
        engine.events().subscribe(new TaskEvents.Listener() {
            @Override
            public void statusChanged(dev.semaphore.task.Task task) {
                alerts.taskChanged(task);
            }
        });
        this.schedules = new ScheduleService(db, events, templates, repositories, tasks, references,
                java.time.ZoneId.of(config.string(ConfigKeys.SCHEDULE_TIMEZONE)), clock);
        this.scheduler = new Scheduler(db, events, schedules, repositories, tasks, clock);
        this.integrations = new IntegrationService(db, events, keys, tasks, references);
        this.receiver = new IntegrationReceiver(db, keys, tasks, integrations,
                java.time.Duration.ofDays(config.integer(ConfigKeys.INTEGRATIONS_DELIVERY_RETENTION_DAYS)));
        this.invites = new InviteService(db, events, projects, users, dev.semaphore.mail.Mailer.of(config),
                new InviteService.Settings(config.bool(ConfigKeys.INVITES_ENABLED), config.string(ConfigKeys.INVITE_TYPE),
                        config.string(ConfigKeys.WEB_HOST), config.integer(ConfigKeys.INVITE_MAX_DAYS)));
        this.vault = new dev.semaphore.secret.Vault(db, keyring);
        List.of(AccessKeyService.SEALED, EnvironmentService.SEALED, TaskService.SEALED, TerraformBackend.SEALED,
                        dev.semaphore.totp.TotpService.SEALED)
                .forEach(vault::register);
        this.exports = new dev.semaphore.audit.EventExports(db, events, exportSinks(config));
        this.retention = new dev.semaphore.task.TaskRetention(db, events, config.integer(ConfigKeys.TASK_RETENTION_DAYS),
                clock);
        this.backups = new BackupService(db, projects, keys, repositories, inventories, environments, views, templates,
                schedules, integrations, hostConfigs);
    }

    /** {@code log.events} and {@code log.audit_webhook}: where the activity log goes besides the database. */
    private static List<dev.semaphore.audit.EventExports.Sink> exportSinks(Config config) {
        List<dev.semaphore.audit.EventExports.Sink> sinks = new java.util.ArrayList<>();
        if (config.bool(ConfigKeys.EVENT_LOG_ENABLED)) {
            sinks.add(new dev.semaphore.audit.EventFile(fileOf(config, ConfigKeys.EVENT_LOGGER, "data/events.log"),
                    config.string(ConfigKeys.EVENT_LOG_FORMAT)));
        }
        if (config.bool(ConfigKeys.AUDIT_WEBHOOK_ENABLED)) {
            String url = config.string(ConfigKeys.AUDIT_WEBHOOK_URL);
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new dev.semaphore.config.ConfigException("log.audit_webhook.enabled needs log.audit_webhook.url"
                        + " (SEMAPHORE_AUDIT_WEBHOOK_URL), an http(s) address");
            }
            sinks.add(new dev.semaphore.audit.AuditWebhook(java.net.URI.create(url),
                    config.string(ConfigKeys.AUDIT_WEBHOOK_FORMAT), config.map(ConfigKeys.AUDIT_WEBHOOK_HEADERS)));
        }
        return sinks;
    }

    /** The {@code filename} of one of upstream's logger settings, or {@code fallback}. */
    private static Path fileOf(Config config, dev.semaphore.config.ConfigKey logger, String fallback) {
        String file = config.map(logger).getOrDefault("filename", "");
        return Path.of(file.isEmpty() ? fallback : file);
    }

    /** Opens the database and applies pending migrations. */
    public static Services open(Config config) {
        return open(config, new PasswordHasher());
    }

    public static Services open(Config config, PasswordHasher hasher) {
        return open(config, hasher, java.time.Clock.systemUTC());
    }

    /** @param clock what schedules read the time from (tests move it) */
    public static Services open(Config config, PasswordHasher hasher, java.time.Clock clock) {
        dev.semaphore.metrics.Metrics metrics = new dev.semaphore.metrics.Metrics();
        Services services = new Services(config, Database.open(config, metrics.registry()), metrics, hasher, clock);
        try {
            services.migrate();
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** Wires everything without touching the database yet; call {@link #migrate} before use. */
    public static Services create(Config config, PasswordHasher hasher) {
        dev.semaphore.metrics.Metrics metrics = new dev.semaphore.metrics.Metrics();
        return new Services(config, Database.open(config, metrics.registry()), metrics, hasher,
                java.time.Clock.systemUTC());
    }

    public void migrate() {
        db.migrate();
    }

    public Config config() {
        return config;
    }

    public dev.semaphore.task.OutputCompaction compaction() {
        return compaction;
    }

    public dev.semaphore.task.TaskRetention retention() {
        return retention;
    }

    public dev.semaphore.audit.EventExports exports() {
        return exports;
    }

    public TerraformBackend terraform() {
        return terraform;
    }

    public Database db() {
        return db;
    }

    public UserService users() {
        return users;
    }

    public SessionService sessions() {
        return sessions;
    }

    public ApiTokenService tokens() {
        return tokens;
    }

    public ProjectService projects() {
        return projects;
    }

    public AccessKeyService keys() {
        return keys;
    }

    public EnvironmentService environments() {
        return environments;
    }

    public dev.semaphore.backup.BackupService backups() {
        return backups;
    }

    /** An import of an upstream Semaphore database into this one ({@code semaphore import}). */
    public dev.semaphore.upstream.UpstreamImport upstreamImport(Database upstream, String accessKeyEncryption,
                                                                dev.semaphore.upstream.UpstreamImport.Progress progress) {
        return dev.semaphore.upstream.UpstreamImport.of(db, upstream, accessKeyEncryption, keys, environments, schedules,
                totp, identities, events, progress);
    }

    public dev.semaphore.totp.TotpService totp() {
        return totp;
    }

    public dev.semaphore.secret.Vault vault() {
        return vault;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public IntegrationReceiver receiver() {
        return receiver;
    }

    /** What {@code "demo": true} fills a new project with. */
    DemoProject demoProject() {
        return new DemoProject(keys, repositories, inventories, environments, views, templates);
    }

    Predicate<User> canCreateProject() {
        boolean anyone = config.bool(ConfigKeys.NON_ADMIN_CAN_CREATE_PROJECT);
        return user -> user.admin() || anyone;
    }

    /** Lets the tasks this process runs end on their own (ha.drain_timeout_sec) while it still serves. */
    public void drainTasks() {
        engine.drain(java.time.Duration.ofSeconds(config.integer(ConfigKeys.HA_DRAIN_TIMEOUT_SEC)));
    }

    @Override
    public void close() {
        retention.close();
        compaction.close();
        exports.close();
        signals.close();
        liveRelay.close();
        live.close();
        scheduler.close();
        receiver.close();
        engine.close();
        db.close();
        metrics.close();
    }
}
