package dev.semaphore.template;

import dev.semaphore.common.Times;
import dev.semaphore.db.References;
import dev.semaphore.db.Rows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for templates and their vaults. */
final class TemplateStore {
    private static final String COLUMNS = "id, project_id, inventory_id, repository_id, environment_id, view_id, name,"
            + " playbook, arguments, description, allow_override_args_in_task, allow_override_branch_in_task,"
            + " allow_parallel_tasks, suppress_success_alerts, app, git_branch, type, start_version,"
            + " build_template_id, autorun, survey_vars, task_params, runner_tag, working_directory,"
            + " suppress_error_alerts";

    Optional<Template> find(Handle h, long projectId, long id) {
        List<Template> found = query(h, "WHERE project_id = :p AND id = :id", "id", Map.of("p", projectId, "id", id));
        return found.stream().findFirst();
    }

    List<Template> list(Handle h, long projectId, String app, Long viewId, String orderBy) {
        StringBuilder where = new StringBuilder("WHERE project_id = :p");
        Map<String, Object> binds = new HashMap<>(Map.of("p", projectId));
        if (app != null) {
            where.append(" AND app = :app");
            binds.put("app", app);
        }
        if (viewId != null) {
            where.append(" AND view_id = :view");
            binds.put("view", viewId);
        }
        return query(h, where.toString(), orderBy, binds);
    }

    private List<Template> query(Handle h, String where, String orderBy, Map<String, Object> binds) {
        var query = h.createQuery("SELECT " + COLUMNS + " FROM templates " + where + " ORDER BY " + orderBy);
        binds.forEach(query::bind);
        List<Row> rows = query.map(TemplateStore::row).list();
        Map<Long, List<Template.Vault>> vaults = vaults(h, rows);
        Map<Long, List<Long>> groups = groups(h, rows);
        List<Template> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(row.toTemplate(vaults.getOrDefault(row.id, List.of()), groups.getOrDefault(row.id, List.of())));
        }
        return out;
    }

    /** The variable groups of many templates in one query, each template's in order. */
    private Map<Long, List<Long>> groups(Handle h, List<Row> rows) {
        Map<Long, List<Long>> byTemplate = new HashMap<>();
        if (rows.isEmpty()) {
            return byTemplate;
        }
        h.createQuery("SELECT g.template_id, g.environment_id FROM template_environments g"
                        + " JOIN templates t ON t.id = g.template_id WHERE t.project_id = :p"
                        + " ORDER BY g.template_id, g.ordinal")
                .bind("p", rows.get(0).projectId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> byTemplate.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byTemplate;
    }

    private static void insertGroups(Handle h, long templateId, List<Long> environmentIds) {
        h.createUpdate("DELETE FROM template_environments WHERE template_id = :t").bind("t", templateId).execute();
        for (int i = 0; i < environmentIds.size(); i++) {
            h.createUpdate("INSERT INTO template_environments (template_id, ordinal, environment_id)"
                            + " VALUES (:t, :o, :e)")
                    .bind("t", templateId).bind("o", i).bind("e", environmentIds.get(i)).execute();
        }
    }

    /** Templates of the project that use the variable group, first or later. */
    List<References.Ref> usingEnvironment(Handle h, long projectId, long environmentId) {
        return h.createQuery("SELECT DISTINCT t.id, t.name FROM templates t JOIN template_environments g"
                        + " ON g.template_id = t.id WHERE t.project_id = :p AND g.environment_id = :id ORDER BY t.name")
                .bind("p", projectId).bind("id", environmentId)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    /** The vaults of many templates in one query, not one per template. */
    private Map<Long, List<Template.Vault>> vaults(Handle h, List<Row> rows) {
        Map<Long, List<Template.Vault>> byTemplate = new HashMap<>();
        if (rows.isEmpty()) {
            return byTemplate;
        }
        long projectId = rows.get(0).projectId;
        h.createQuery("SELECT v.id, v.template_id, v.name, v.type, v.vault_key_id, v.script FROM template_vaults v"
                        + " JOIN templates t ON t.id = v.template_id WHERE t.project_id = :p ORDER BY v.id")
                .bind("p", projectId)
                .map((rs, ctx) -> Map.entry(rs.getLong("template_id"), new Template.Vault(rs.getLong("id"),
                        rs.getString("name"), rs.getString("type"), Rows.nullableLong(rs, "vault_key_id"),
                        rs.getString("script"))))
                .forEach(e -> byTemplate.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byTemplate;
    }

    List<References.Ref> using(Handle h, String column, long projectId, long id) {
        return h.createQuery("SELECT id, name FROM templates WHERE project_id = :p AND " + column + " = :id ORDER BY name")
                .bind("p", projectId).bind("id", id)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    List<References.Ref> usingVaultKey(Handle h, long projectId, long keyId) {
        return h.createQuery("SELECT DISTINCT t.id, t.name FROM templates t JOIN template_vaults v ON v.template_id = t.id"
                        + " WHERE t.project_id = :p AND v.vault_key_id = :id ORDER BY t.name")
                .bind("p", projectId).bind("id", keyId)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    long insert(Handle h, long projectId, TemplateInput in) {
        long id = bindAll(h.createUpdate("INSERT INTO templates (project_id, name, app, playbook, description, arguments,"
                        + " allow_override_args_in_task, allow_override_branch_in_task, allow_parallel_tasks,"
                        + " suppress_success_alerts, autorun, type, start_version, build_template_id, view_id,"
                        + " inventory_id, repository_id, environment_id, git_branch, survey_vars, task_params,"
                        + " runner_tag, working_directory, suppress_error_alerts, created)"
                        + " VALUES (:p, :name, :app, :playbook, :description, :arguments,"
                        + " :overrideArgs, :overrideBranch, :parallel, :suppress, :autorun, :type, :startVersion,"
                        + " :build, :view, :inventory, :repository, :environment, :branch, :survey, :params,"
                        + " :runnerTag, :workingDirectory, :suppressErrors, :created)"), in)
                .bind("p", projectId).bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insertVaults(h, id, in.vaults());
        insertGroups(h, id, in.environmentIds());
        return id;
    }

    void update(Handle h, long id, TemplateInput in) {
        bindAll(h.createUpdate("UPDATE templates SET name = :name, app = :app, playbook = :playbook,"
                        + " description = :description, arguments = :arguments,"
                        + " allow_override_args_in_task = :overrideArgs, allow_override_branch_in_task = :overrideBranch,"
                        + " allow_parallel_tasks = :parallel, suppress_success_alerts = :suppress, autorun = :autorun,"
                        + " type = :type, start_version = :startVersion, build_template_id = :build, view_id = :view,"
                        + " inventory_id = :inventory, repository_id = :repository, environment_id = :environment,"
                        + " git_branch = :branch, survey_vars = :survey, task_params = :params, runner_tag = :runnerTag,"
                        + " working_directory = :workingDirectory, suppress_error_alerts = :suppressErrors"
                        + " WHERE id = :id"), in).bind("id", id).execute();
        h.createUpdate("DELETE FROM template_vaults WHERE template_id = :t").bind("t", id).execute();
        insertVaults(h, id, in.vaults());
        insertGroups(h, id, in.environmentIds());
    }

    void updateInventory(Handle h, long id, Long inventoryId) {
        h.createUpdate("UPDATE templates SET inventory_id = :i WHERE id = :id").bind("id", id).bind("i", inventoryId)
                .execute();
    }

    void updateDescription(Handle h, long id, String description) {
        h.createUpdate("UPDATE templates SET description = :d WHERE id = :id").bind("id", id).bind("d", description)
                .execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM template_vaults WHERE template_id = :t").bind("t", id).execute();
        h.createUpdate("DELETE FROM template_environments WHERE template_id = :t").bind("t", id).execute();
        h.createUpdate("DELETE FROM templates WHERE id = :id").bind("id", id).execute();
    }

    private static void insertVaults(Handle h, long templateId, List<Template.Vault> vaults) {
        for (Template.Vault vault : vaults) {
            h.createUpdate("INSERT INTO template_vaults (template_id, name, type, vault_key_id, script)"
                            + " VALUES (:t, :name, :type, :key, :script)")
                    .bind("t", templateId).bind("name", vault.name()).bind("type", vault.type())
                    .bind("key", vault.vaultKeyId()).bind("script", vault.script()).execute();
        }
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S statement, TemplateInput in) {
        return statement.bind("name", in.name()).bind("app", in.app()).bind("playbook", in.playbook())
                .bind("description", in.description()).bind("arguments", in.arguments())
                .bind("overrideArgs", in.allowOverrideArgsInTask()).bind("overrideBranch", in.allowOverrideBranchInTask())
                .bind("parallel", in.allowParallelTasks()).bind("suppress", in.suppressSuccessAlerts())
                .bind("autorun", in.autorun()).bind("type", in.type()).bind("startVersion", in.startVersion())
                .bind("build", in.buildTemplateId()).bind("view", in.viewId()).bind("inventory", in.inventoryId())
                .bind("repository", in.repositoryId()).bind("environment", in.environmentId())
                .bind("branch", in.gitBranch()).bind("survey", in.surveyVars().toString())
                .bind("params", in.taskParams().toString()).bind("runnerTag", in.runnerTag())
                .bind("workingDirectory", in.workingDirectory()).bind("suppressErrors", in.suppressErrorAlerts());
    }

    private record Row(long id, long projectId, Long inventoryId, long repositoryId, Long environmentId, Long viewId,
                       String name, String playbook, String arguments, String description, boolean overrideArgs,
                       boolean overrideBranch, boolean parallel, boolean suppress, String app, String gitBranch,
                       String type, String startVersion, Long buildTemplateId, boolean autorun, String surveyVars,
                       String taskParams, String runnerTag, String workingDirectory, boolean suppressErrors) {
        Template toTemplate(List<Template.Vault> vaults, List<Long> groups) {
            // a template written by an older version (or an import) without rows of groups has its one
            List<Long> environmentIds = !groups.isEmpty() || environmentId == null ? List.copyOf(groups)
                    : List.of(environmentId);
            return new Template(id, projectId, inventoryId, repositoryId, environmentId, viewId, name, playbook, arguments,
                    description, overrideArgs, overrideBranch, parallel, suppress, app, gitBranch, type, startVersion,
                    buildTemplateId, autorun, surveyVars, vaults, taskParams, runnerTag, 0, null, environmentIds,
                    workingDirectory, suppressErrors);
        }
    }

    private static Row row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getLong("project_id"), Rows.nullableLong(rs, "inventory_id"),
                rs.getLong("repository_id"), Rows.nullableLong(rs, "environment_id"), Rows.nullableLong(rs, "view_id"),
                rs.getString("name"), rs.getString("playbook"), rs.getString("arguments"), rs.getString("description"),
                rs.getBoolean("allow_override_args_in_task"), rs.getBoolean("allow_override_branch_in_task"),
                rs.getBoolean("allow_parallel_tasks"), rs.getBoolean("suppress_success_alerts"), rs.getString("app"),
                rs.getString("git_branch"), rs.getString("type"), rs.getString("start_version"),
                Rows.nullableLong(rs, "build_template_id"), rs.getBoolean("autorun"), rs.getString("survey_vars"),
                rs.getString("task_params"), rs.getString("runner_tag"), rs.getString("working_directory"),
                rs.getBoolean("suppress_error_alerts"));
    }
}
