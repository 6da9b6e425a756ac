package dev.semaphore.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.schedule.ScheduleService;
import dev.semaphore.template.AnsibleVariables;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.secret.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Copies an upstream Semaphore database (its schema of 2.10 to 2.16 and later, on SQLite, PostgreSQL
 * or MySQL) into this one: users with their password hashes and TOTPs, API tokens, projects and members, keys
 * and variable-group secrets (opened with upstream's key, sealed with ours), repositories,
 * inventories, views, templates and vaults, schedules, integrations, tasks with their output and
 * stages, events and options. Rows are written in batches, each with its entries in
 * {@code upstream_imports}, so a second run (or one after an interruption) adds only what is new.
 * What cannot come over is listed in the report, with why.
 */
public final class UpstreamImport {
    /** One upstream table's outcome: rows brought over now, brought over before, left behind. */
    public record TableReport(String table, long imported, long existing, long skipped, Duration took) {
    }

    public record Report(List<TableReport> tables, List<String> problems) {
        public long imported(String table) {
            return tables.stream().filter(t -> t.table().equals(table)).mapToLong(TableReport::imported).sum();
        }
    }

    /** Where the import says how far it is. */
    public interface Progress {
        void table(TableReport table);

        /** Now and then while tasks are copied: tasks done of all, output lines so far, time so far. */
        void tasks(long done, long total, long lines, Duration elapsed);
    }

    /** A row that cannot come over, and why. */
    static final class Skip extends Exception {
        Skip(String why) {
            super(why);
        }
    }

    @FunctionalInterface
    interface RowWriter {
        /** Writes the row here; returns the id it got. */
        long write(Handle h, SourceRow row) throws Skip;
    }

    static final int BATCH = 500;

    private final Database target;
    private final SourceDatabase source;
    private final UpstreamSecrets secrets;
    private final AccessKeyService keys;
    private final EnvironmentService environments;
    private final ScheduleService schedules;
    private final dev.semaphore.totp.TotpService totps;
    private final dev.semaphore.identity.IdentityService identities;
    private final EventLog events;
    private final Progress progress;
    private final IdMap ids = new IdMap();
    private final List<TableReport> reports = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    UpstreamImport(Database target, SourceDatabase source, UpstreamSecrets secrets, AccessKeyService keys,
                   EnvironmentService environments, ScheduleService schedules, dev.semaphore.totp.TotpService totps,
                   dev.semaphore.identity.IdentityService identities, EventLog events, Progress progress) {
        this.totps = totps;
        this.identities = identities;
        this.target = target;
        this.source = source;
        this.secrets = secrets;
        this.keys = keys;
        this.environments = environments;
        this.schedules = schedules;
        this.events = events;
        this.progress = progress;
    }

    /**
     * An import from {@code upstream} (opened, not migrated) into {@code target};
     * {@code accessKeyEncryption} is upstream's key (empty when it ran without one).
     */
    public static UpstreamImport of(Database target, Database upstream, String accessKeyEncryption,
                                    AccessKeyService keys, EnvironmentService environments, ScheduleService schedules,
                                    dev.semaphore.totp.TotpService totps,
                                    dev.semaphore.identity.IdentityService identities, EventLog events,
                                    Progress progress) {
        return new UpstreamImport(target, new SourceDatabase(upstream), new UpstreamSecrets(accessKeyEncryption), keys,
                environments, schedules, totps, identities, events, progress);
    }

    public Report run() {
        for (String table : List.of("project", "user", "task")) {
            if (!source.has(table)) {
                throw new IllegalArgumentException("this is not an upstream Semaphore database: it has no table " + table);
            }
        }
        options();
        copy("user", "user", this::user);
        copy("user__totp", "TOTP", this::totp);
        copy("user__external_identity", "identity", this::identity);
        tokens();
        copy("project", "project", this::project);
        members();
        copy("access_key", "access key", source.quote("environment_id") + " IS NULL", this::key);
        copy("project__repository", "repository", this::repository);
        copy("project__environment", "variable group", this::environment);
        copy("project__inventory", "inventory", this::inventory);
        copy("project__view", "view", this::view);
        copy("project__template", "template", this::template);
        buildTemplates();
        templateGroups();
        copy("project__template_vault", "template vault", this::vault);
        copy("project__schedule", "schedule", this::schedule);
        copy("project__integration", "integration", this::integration);
        copy("project__integration_matcher", "integration matcher", this::matcher);
        copy("project__integration_extract_value", "integration value", this::extractValue);
        copy("project__integration_alias", "integration alias", this::alias);
        for (TableReport tasks : new TaskCopier(target, source, ids, problems, progress).run()) {
            reports.add(tasks);
            progress.table(tasks);
        }
        copy("event", "event", this::event);
        schedules.scheduleUnscheduled();
        leftBehind();
        long total = reports.stream().mapToLong(TableReport::imported).sum();
        target.txRun(h -> events.record(h, null, null, ObjectType.USER, null, "",
                "Imported " + total + " row(s) from an upstream Semaphore database"));
        return new Report(List.copyOf(reports), List.copyOf(problems));
    }

    /**
     * Copies one table in id order, {@link #BATCH} rows a transaction; rows brought over before are
     * passed by, rows a writer refuses are counted and said in the report.
     */
    private void copy(String table, String label, RowWriter writer) {
        copy(table, label, null, writer);
    }

    private void copy(String table, String label, String where, RowWriter writer) {
        if (!source.has(table)) {
            return;
        }
        Instant started = Instant.now();
        long[] counts = new long[3];
        target.jdbi().useHandle(h -> inTransactions(h, () -> {
            Map<Long, Long> done = ids.of(h, table);
            h.begin();
            source.each(table, where, source.quote("id"), row -> {
                long id = row.id("id");
                if (done.containsKey(id)) {
                    counts[1]++;
                    return;
                }
                try {
                    ids.put(h, table, id, writer.write(h, row));
                    counts[0]++;
                } catch (Skip skip) {
                    counts[2]++;
                    problems.add(label + " " + id + describe(row) + " was not imported: " + skip.getMessage());
                } catch (RuntimeException e) {
                    throw new IllegalStateException("importing " + label + " " + id + " failed: " + e.getMessage(), e);
                }
                if ((counts[0] + counts[2]) % BATCH == 0) {
                    h.commit();
                    h.begin();
                }
            });
            h.commit();
        }));
        TableReport report = new TableReport(table, counts[0], counts[1], counts[2],
                Duration.between(started, Instant.now()));
        reports.add(report);
        progress.table(report);
    }

    /** Runs work that commits batches itself; a failure rolls back the open batch before it goes up. */
    static void inTransactions(Handle h, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (h.isInTransaction()) {
                h.rollback();
            }
            throw e;
        }
    }

    private static String describe(SourceRow row) {
        String name = row.str("name", row.str("title", row.str("username")));
        return name == null ? "" : " (" + name + ")";
    }

    private Long ref(String table, SourceRow row, String column) {
        return ids.target(table, row.id(column));
    }

    private long project(SourceRow row) throws Skip {
        return required("project", row, "project_id", "project");
    }

    /** The row here an upstream row refers to, which it cannot come over without. */
    private long required(String table, SourceRow row, String column, String what) throws Skip {
        Long id = ref(table, row, column);
        if (id == null) {
            throw new Skip("its " + what + " (" + row.id(column) + ") is not here");
        }
        return id;
    }

    private static Instant created(SourceRow row) {
        Instant created = row.time("created");
        return created == null ? Times.now() : created;
    }

    private static String json(SourceRow row, String column, String fallback) {
        String value = row.str(column);
        return value == null || value.isBlank() || value.equals("null") ? fallback : value;
    }

    private void options() {
        if (!source.has("option")) {
            return;
        }
        Instant started = Instant.now();
        long[] counts = new long[2];
        target.txRun(h -> source.each("option", null, null, row -> {
            String key = row.str("key");
            boolean here = h.createQuery("SELECT COUNT(*) FROM options WHERE option_key = :k").bind("k", key)
                    .mapTo(Integer.class).one() > 0;
            if (here) {
                counts[1]++;
            } else {
                h.createUpdate("INSERT INTO options (option_key, option_value) VALUES (:k, :v)").bind("k", key)
                        .bind("v", row.str("value", "")).execute();
                counts[0]++;
            }
        }));
        TableReport report = new TableReport("option", counts[0], counts[1], 0, Duration.between(started, Instant.now()));
        reports.add(report);
        progress.table(report);
    }

    private long user(Handle h, SourceRow row) throws Skip {
        String username = row.str("username", "").strip();
        String email = row.str("email", "").strip();
        if (username.isEmpty()) {
            throw new Skip("it has no username");
        }
        Optional<Long> existing = h.createQuery("SELECT id FROM users WHERE username_key = :u OR email_key = :e"
                        + " ORDER BY CASE WHEN username_key = :u THEN 0 ELSE 1 END")
                .bind("u", username.toLowerCase(Locale.ROOT)).bind("e", email.toLowerCase(Locale.ROOT))
                .mapTo(Long.class).findFirst();
        if (existing.isPresent()) {
            problems.add("user " + username + ": one with that name or e-mail is here already; the upstream user is"
                    + " merged into it (its password here is kept)");
            return existing.get();
        }
        return h.createUpdate("""
                        INSERT INTO users (created, username, username_key, name, email, email_key, password,
                                           admin, external, alert, pro)
                        VALUES (:created, :username, :usernameKey, :name, :email, :emailKey, :password,
                                :admin, :external, :alert, :pro)""")
                .bind("created", created(row)).bind("username", username)
                .bind("usernameKey", username.toLowerCase(Locale.ROOT)).bind("name", row.str("name", username))
                .bind("email", email).bind("emailKey", email.isEmpty() ? "~" + username.toLowerCase(Locale.ROOT)
                        : email.toLowerCase(Locale.ROOT))
                .bind("password", row.str("password", "")).bind("admin", row.bool("admin"))
                .bind("external", row.bool("external")).bind("alert", row.bool("alert")).bind("pro", row.bool("pro"))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** A user's TOTP: the secret from its otpauth address, sealed here; the recovery hash as upstream keeps it. */
    private long totp(Handle h, SourceRow row) throws Skip {
        long user = required("user", row, "user_id", "user");
        String url = row.str("url", "");
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("[?&]secret=([A-Za-z2-7=]+)").matcher(url);
        if (!secret.find()) {
            throw new Skip("its otpauth address holds no secret");
        }
        return totps.insertImported(h, user, secret.group(1).toUpperCase(java.util.Locale.ROOT),
                        row.str("recovery_hash", ""), row.time("created"))
                .orElseThrow(() -> new Skip("the user has a TOTP here already"));
    }

    private long identity(Handle h, SourceRow row) throws Skip {
        long user = required("user", row, "user_id", "user");
        return identities.insertImported(h, user, row.str("type", "oidc"), row.str("provider", ""),
                        row.str("external_uid", ""), row.time("created"))
                .orElseThrow(() -> new Skip("this identity, or one of the user's at that provider, exists here already"));
    }

    /** Tokens are kept here by their hash: a token upstream gave out works here as it is. */
    private void tokens() {
        if (!source.has("user__token")) {
            return;
        }
        Instant started = Instant.now();
        long[] counts = new long[3];
        target.txRun(h -> {
            ids.of(h, "user");
            source.each("user__token", null, null, row -> {
                String token = row.str("id", "");
                Long user = ref("user", row, "user_id");
                if (user == null || token.isEmpty()) {
                    counts[2]++;
                    return;
                }
                String hash = Secrets.sha256Hex(token);
                if (h.createQuery("SELECT COUNT(*) FROM api_tokens WHERE token_hash = :h").bind("h", hash)
                        .mapTo(Integer.class).one() > 0) {
                    counts[1]++;
                    return;
                }
                h.createUpdate("""
                                INSERT INTO api_tokens (token_hash, prefix, user_id, name, created, expires_at, expired)
                                VALUES (:hash, :prefix, :user, :name, :created, NULL, :expired)""")
                        .bind("hash", hash).bind("prefix", token.substring(0, Math.min(8, token.length())))
                        .bind("user", user).bind("name", row.str("name", "")).bind("created", created(row))
                        .bind("expired", row.bool("expired")).execute();
                counts[0]++;
            });
        });
        TableReport report = new TableReport("user__token", counts[0], counts[1], counts[2],
                Duration.between(started, Instant.now()));
        reports.add(report);
        progress.table(report);
    }

    private long project(Handle h, SourceRow row) {
        long id = h.createUpdate("""
                        INSERT INTO projects (created, name, alert, alert_chat, max_parallel_tasks, type)
                        VALUES (:created, :name, :alert, :chat, :max, :type)""")
                .bind("created", created(row)).bind("name", row.str("name", "")).bind("alert", row.bool("alert"))
                .bind("chat", row.str("alert_chat")).bind("max", row.longValue("max_parallel_tasks", 0))
                .bind("type", row.str("type", "")).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        events.record(h, null, id, ObjectType.PROJECT, id, row.str("name", ""),
                "Project " + row.str("name", "") + " imported from an upstream Semaphore database");
        return id;
    }

    /** Members have no id upstream: a membership already here is left as it is. */
    private void members() {
        Instant started = Instant.now();
        long[] counts = new long[3];
        target.txRun(h -> source.each("project__user", null, null, row -> {
            Long project = ref("project", row, "project_id");
            Long user = ref("user", row, "user_id");
            if (project == null || user == null) {
                counts[2]++;
                return;
            }
            if (h.createQuery("SELECT COUNT(*) FROM project_users WHERE project_id = :p AND user_id = :u")
                    .bind("p", project).bind("u", user).mapTo(Integer.class).one() > 0) {
                counts[1]++;
                return;
            }
            String role = row.has("role") ? row.str("role", "task_runner") : row.bool("admin") ? "owner" : "task_runner";
            h.createUpdate("INSERT INTO project_users (project_id, user_id, role) VALUES (:p, :u, :r)")
                    .bind("p", project).bind("u", user).bind("r", role).execute();
            counts[0]++;
        }));
        TableReport report = new TableReport("project__user", counts[0], counts[1], counts[2],
                Duration.between(started, Instant.now()));
        reports.add(report);
        progress.table(report);
    }

    /** A project's key (a variable group's secrets come with their group). */
    private long key(Handle h, SourceRow row) throws Skip {
        if (row.id("project_id") == null) {
            throw new Skip("it is a user's own key; keys here belong to projects");
        }
        long project = project(row);
        KeyType type = KeyType.fromWire(row.str("type", "")).orElseThrow(() -> new Skip("unknown type " + row.str("type")));
        String unusable = null;
        KeySecret secret;
        try {
            secret = secrets.open(type, row.str("secret"));
        } catch (UpstreamSecrets.Unreadable e) {
            secret = new KeySecret.None();
            unusable = "imported without its secret: " + e.getMessage() + "; set it";
            problems.add("access key " + row.id("id") + " (" + row.str("name") + "): " + e.getMessage()
                    + "; it is marked unusable until its secret is set");
        }
        return keys.insertImported(h, project, row.str("name", "key " + row.id("id")), type, secret, unusable);
    }

    private long repository(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        long key = required("access_key", row, "ssh_key_id", "key");
        return h.createUpdate("""
                        INSERT INTO repositories (project_id, name, git_url, git_branch, ssh_key_id, created)
                        VALUES (:p, :name, :url, :branch, :key, :created)""")
                .bind("p", project).bind("name", row.str("name", "repository " + row.id("id")))
                .bind("url", row.str("git_url", "")).bind("branch", row.str("git_branch", "")).bind("key", key)
                .bind("created", Times.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** A variable group with its secrets (upstream keeps them as string keys owned by the group). */
    private long environment(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        String name = row.str("name", "variable group " + row.id("id"));
        long id = h.createUpdate("""
                        INSERT INTO environments (project_id, name, json, env, created)
                        VALUES (:p, :name, :json, :env, :created)""")
                .bind("p", project).bind("name", name).bind("json", json(row, "json", "{}"))
                .bind("env", json(row, "env", "{}")).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        List<SourceRow> owned = new ArrayList<>();
        source.each("access_key", source.quote("environment_id") + " = " + row.id("id"), source.quote("id"), owned::add);
        for (SourceRow key : owned) {
            String keyName = key.str("name", "");
            String owner = key.str("owner", "");
            String type = owner.equals("variable") ? "var" : owner.equals("environment") ? "env" : null;
            if (type == null && (keyName.startsWith("var.") || keyName.startsWith("env."))) {
                type = keyName.substring(0, 3); // before 2.16 the kind was in the name
                keyName = keyName.substring(4);
            }
            if (type == null) {
                problems.add("variable group " + name + ": secret " + keyName + " is neither a variable nor an"
                        + " environment variable; not imported");
                continue;
            }
            try {
                environments.insertImportedSecret(h, id, keyName, type, secrets.openText(key.str("secret")));
            } catch (UpstreamSecrets.Unreadable e) {
                problems.add("variable group " + name + ": secret " + keyName + " was not imported: " + e.getMessage());
            }
        }
        return id;
    }

    private long inventory(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        if (row.id("template_id") != null) {
            problems.add("inventory " + row.id("id") + " (" + row.str("name") + "): its tie to template "
                    + row.id("template_id") + " (a Terraform workspace's) is not kept");
        }
        return h.createUpdate("""
                        INSERT INTO inventories (project_id, name, type, inventory, ssh_key_id, become_key_id,
                                                 repository_id, created)
                        VALUES (:p, :name, :type, :inventory, :ssh, :become, :repository, :created)""")
                .bind("p", project).bind("name", row.str("name", "inventory " + row.id("id")))
                .bind("type", row.str("type", "static")).bind("inventory", row.str("inventory", ""))
                .bind("ssh", ref("access_key", row, "ssh_key_id")).bind("become", ref("access_key", row, "become_key_id"))
                .bind("repository", ref("project__repository", row, "repository_id")).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private long view(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        return h.createUpdate("""
                        INSERT INTO views (project_id, title, position, hidden, type, sort_column, sort_reverse)
                        VALUES (:p, :title, :position, :hidden, :type, :sort, :reverse)""")
                .bind("p", project).bind("title", row.str("title", "view " + row.id("id")))
                .bind("position", row.longValue("position", 0)).bind("hidden", row.bool("hidden"))
                .bind("type", row.str("type", "")).bind("sort", row.str("sort_column"))
                .bind("reverse", row.bool("sort_reverse")).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private final List<long[]> buildLinks = new ArrayList<>();

    private long template(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        long repository = required("project__repository", row, "repository_id", "repository");
        String app = row.str("app", "");
        JsonNode params = Json.tree(json(row, "task_params", "{}"));
        JsonNode survey = Json.tree(json(row, "survey_vars", "[]"));
        for (String dropped : AnsibleVariables.dropUnopenable(params, survey)) {
            problems.add("template " + row.id("id") + " (" + row.str("name") + "): " + dropped
                    + " was not imported: no template may open it to tasks");
        }
        long id = h.createUpdate("""
                        INSERT INTO templates (project_id, name, app, playbook, description, arguments,
                            allow_override_args_in_task, allow_override_branch_in_task, allow_parallel_tasks,
                            suppress_success_alerts, autorun, type, start_version, view_id, inventory_id,
                            repository_id, environment_id, git_branch, survey_vars, task_params, runner_tag, created)
                        VALUES (:p, :name, :app, :playbook, :description, :arguments, :overrideArgs, :overrideBranch,
                            :parallel, :suppress, :autorun, :type, :startVersion, :view, :inventory, :repository,
                            :environment, :branch, :survey, :params, :runnerTag, :created)""")
                .bind("p", project).bind("name", row.str("name", row.str("alias", "template " + row.id("id"))))
                .bind("app", app.isEmpty() ? "ansible" : app).bind("playbook", row.str("playbook", ""))
                .bind("description", row.str("description")).bind("arguments", row.str("arguments"))
                .bind("overrideArgs", row.bool("allow_override_args_in_task"))
                .bind("overrideBranch", row.bool("allow_override_branch_in_task"))
                .bind("parallel", row.bool("allow_parallel_tasks")).bind("suppress", row.bool("suppress_success_alerts"))
                .bind("autorun", row.bool("autorun")).bind("type", row.str("type", ""))
                .bind("startVersion", row.str("start_version")).bind("view", ref("project__view", row, "view_id"))
                .bind("inventory", ref("project__inventory", row, "inventory_id")).bind("repository", repository)
                .bind("environment", ref("project__environment", row, "environment_id"))
                .bind("branch", row.str("git_branch")).bind("survey", survey.toString())
                .bind("params", params.toString()).bind("runnerTag", row.str("runner_tag"))
                .bind("created", Times.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        if (row.id("build_template_id") != null) {
            buildLinks.add(new long[] {id, row.id("build_template_id")});
        }
        Long vaultKey = ref("access_key", row, "vault_key_id");
        if (vaultKey != null) { // before 2.12 a template had one vault password, in its own column
            h.createUpdate("INSERT INTO template_vaults (template_id, name, type, vault_key_id) VALUES (:t, '', 'password', :k)")
                    .bind("t", id).bind("k", vaultKey).execute();
        }
        return id;
    }

    /** A deploy template's build template may come after it: linked once all are here. */
    private void buildTemplates() {
        target.txRun(h -> buildLinks.forEach(link -> {
            Long build = ids.target("project__template", link[1]);
            if (build != null) {
                h.createUpdate("UPDATE templates SET build_template_id = :b WHERE id = :id").bind("b", build)
                        .bind("id", link[0]).execute();
            }
        }));
    }

    /**
     * Upstream 2.17+ keeps a template's variable groups in {@code project__template_environment} (no id; the
     * rows of a template in the order they were written): copied whole for each template, again on a re-run.
     */
    private void templateGroups() {
        String table = "project__template_environment";
        if (!source.has(table)) {
            return;
        }
        Instant started = Instant.now();
        Map<Long, List<Long>> groups = new java.util.LinkedHashMap<>();
        source.each(table, null, source.quote("template_id"), row -> {
            Long template = ids.target("project__template", row.id("template_id"));
            Long group = ids.target("project__environment", row.id("environment_id"));
            if (template == null || group == null) {
                problems.add("variable group " + row.id("environment_id") + " of template " + row.id("template_id")
                        + " was not imported: the template or the group was not");
            } else if (!groups.computeIfAbsent(template, t -> new ArrayList<>()).contains(group)) {
                groups.get(template).add(group);
            }
        });
        long[] counts = new long[2];
        target.txRun(h -> groups.forEach((template, list) -> {
            List<Long> now = h.createQuery("SELECT environment_id FROM template_environments WHERE template_id = :t"
                    + " ORDER BY ordinal").bind("t", template).mapTo(Long.class).list();
            if (now.equals(list)) {
                counts[1] += list.size(); // brought over before
                return;
            }
            h.createUpdate("DELETE FROM template_environments WHERE template_id = :t").bind("t", template).execute();
            for (int i = 0; i < list.size(); i++) {
                h.createUpdate("INSERT INTO template_environments (template_id, ordinal, environment_id)"
                        + " VALUES (:t, :o, :e)").bind("t", template).bind("o", i).bind("e", list.get(i)).execute();
            }
            h.createUpdate("UPDATE templates SET environment_id = :e WHERE id = :t").bind("t", template)
                    .bind("e", list.get(0)).execute();
            counts[0] += list.size();
        }));
        TableReport report = new TableReport(table, counts[0], counts[1], 0, Duration.between(started, Instant.now()));
        reports.add(report);
        progress.table(report);
    }

    private long vault(Handle h, SourceRow row) throws Skip {
        long template = required("project__template", row, "template_id", "template");
        return h.createUpdate("""
                        INSERT INTO template_vaults (template_id, name, type, vault_key_id, script)
                        VALUES (:t, :name, :type, :key, :script)""")
                .bind("t", template).bind("name", row.str("name", "")).bind("type", row.str("type", "password"))
                .bind("key", ref("access_key", row, "vault_key_id")).bind("script", row.str("script"))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Written without a due time: {@link ScheduleService#scheduleUnscheduled} gives each its next one. */
    private long schedule(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        long template = required("project__template", row, "template_id", "template");
        return h.createUpdate("""
                        INSERT INTO schedules (project_id, template_id, name, type, cron_format, run_at,
                            delete_after_run, timezone, active, repository_id, last_commit_hash, task_params, created)
                        VALUES (:p, :t, :name, :type, :cron, :runAt, :deleteAfter, '', :active, :repository,
                            :commit, :params, :created)""")
                .bind("p", project).bind("t", template).bind("name", row.str("name", ""))
                .bind("type", row.str("type", "")).bind("cron", row.str("cron_format", ""))
                .bind("runAt", row.time("run_at")).bind("deleteAfter", row.bool("delete_after_run"))
                .bind("active", !row.has("active") || row.bool("active"))
                .bind("repository", ref("project__repository", row, "repository_id"))
                .bind("commit", row.str("last_commit_hash")).bind("params", json(row, "task_params", "{}"))
                .bind("created", Times.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private long integration(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        long template = required("project__template", row, "template_id", "template");
        String method = row.str("auth_method", "");
        return h.createUpdate("""
                        INSERT INTO integrations (project_id, name, template_id, auth_method, auth_secret_id,
                                                  auth_header, searchable, task_params, created)
                        VALUES (:p, :name, :t, :method, :secret, :header, :searchable, :params, :created)""")
                .bind("p", project).bind("name", row.str("name", "integration " + row.id("id"))).bind("t", template)
                .bind("method", method.equals("none") ? "" : method).bind("secret", ref("access_key", row, "auth_secret_id"))
                .bind("header", row.str("auth_header", "")).bind("searchable", row.bool("searchable"))
                .bind("params", json(row, "task_params", "{}")).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private long integrationOf(SourceRow row) throws Skip {
        long integration = required("project__integration", row, "integration_id", "integration");
        return integration;
    }

    private long matcher(Handle h, SourceRow row) throws Skip {
        return h.createUpdate("""
                        INSERT INTO integration_matchers (integration_id, name, match_type, method, body_data_type,
                                                          match_key, match_value)
                        VALUES (:i, :name, :type, :method, :dataType, :key, :value)""")
                .bind("i", integrationOf(row)).bind("name", row.str("name", "")).bind("type", row.str("match_type", "body"))
                .bind("method", row.str("method", "equals")).bind("dataType", row.str("body_data_type", ""))
                .bind("key", row.str("key", "")).bind("value", row.str("value", ""))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private long extractValue(Handle h, SourceRow row) throws Skip {
        return h.createUpdate("""
                        INSERT INTO integration_extract_values (integration_id, name, value_source, body_data_type,
                                                                value_key, variable, variable_type)
                        VALUES (:i, :name, :source, :dataType, :key, :variable, :variableType)""")
                .bind("i", integrationOf(row)).bind("name", row.str("name", ""))
                .bind("source", row.str("value_source", "body")).bind("dataType", row.str("body_data_type", ""))
                .bind("key", row.str("key", "")).bind("variable", row.str("variable", ""))
                .bind("variableType", row.str("variable_type", "")).executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class).one();
    }

    /** An alias keeps callers' URLs working, unless this server gives it out already. */
    private long alias(Handle h, SourceRow row) throws Skip {
        long project = project(row);
        Long integration = row.id("integration_id") == null ? null : integrationOf(row);
        String alias = row.str("alias", "");
        if (h.createQuery("SELECT COUNT(*) FROM integration_aliases WHERE alias = :a").bind("a", alias)
                .mapTo(Integer.class).one() > 0) {
            throw new Skip("this server has the alias " + alias + " already");
        }
        return h.createUpdate("INSERT INTO integration_aliases (project_id, integration_id, alias) VALUES (:p, :i, :a)")
                .bind("p", project).bind("i", integration).bind("a", alias)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private static final Map<String, String> EVENT_OBJECTS = Map.ofEntries(
            Map.entry("task", "task"), Map.entry("template", "project__template"), Map.entry("key", "access_key"),
            Map.entry("repository", "project__repository"), Map.entry("inventory", "project__inventory"),
            Map.entry("environment", "project__environment"), Map.entry("view", "project__view"),
            Map.entry("schedule", "project__schedule"), Map.entry("integration", "project__integration"),
            Map.entry("project", "project"), Map.entry("user", "user"));

    private long event(Handle h, SourceRow row) throws Skip {
        Long project = ref("project", row, "project_id");
        if (row.id("project_id") != null && project == null) {
            throw new Skip("its project (" + row.id("project_id") + ") is not here");
        }
        String type = row.str("object_type", "");
        String table = EVENT_OBJECTS.get(type);
        Long object = table == null ? null : ids.target(table, row.id("object_id"));
        return h.createUpdate("""
                        INSERT INTO events (created, user_id, project_id, object_id, object_type, object_name, description)
                        VALUES (:created, :user, :p, :object, :type, :name, :description)""")
                .bind("created", created(row)).bind("user", ref("user", row, "user_id")).bind("p", project)
                .bind("object", object).bind("type", type.isEmpty() ? null : type)
                .bind("name", row.str("object_name", "")).bind("description", row.str("description"))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** What upstream has that this server does not take (yet), counted so the report can say so. */
    private void leftBehind() {
        record Left(String table, String where, String why) {
        }
        for (Left left : List.of(
                new Left("runner", null, "runners: register them with this server again"),
                new Left("session", null, "sessions: everyone signs in again"),
                new Left("project__terraform_inventory_state", null, "Terraform states of upstream's HTTP backend"))) {
            long count = source.count(left.table(), left.where());
            if (count > 0) {
                problems.add(count + " " + left.why() + " (" + left.table() + ") not imported");
            }
        }
    }
}
