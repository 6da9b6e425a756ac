package dev.semaphore.integration;

import dev.semaphore.db.References;
import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL for integrations, their matchers, extracted values, aliases and deliveries. */
final class IntegrationStore {
    private static final String INTEGRATION = "SELECT id, project_id, name, template_id, auth_method, auth_secret_id,"
            + " auth_header, searchable, task_params FROM integrations";
    private static final String MATCHER = "SELECT id, integration_id, name, match_type, method, body_data_type, match_key,"
            + " match_value FROM integration_matchers";
    private static final String VALUE = "SELECT id, integration_id, name, value_source, body_data_type, value_key, variable,"
            + " variable_type FROM integration_extract_values";

    List<Integration> ofProject(Handle h, long projectId) {
        return h.createQuery(INTEGRATION + " WHERE project_id = :p ORDER BY name, id").bind("p", projectId)
                .map(IntegrationStore::integration).list();
    }

    Optional<Integration> find(Handle h, long projectId, long id) {
        return h.createQuery(INTEGRATION + " WHERE project_id = :p AND id = :id").bind("p", projectId).bind("id", id)
                .map(IntegrationStore::integration).findOne();
    }

    long insert(Handle h, long projectId, IntegrationInput.Fields input, Instant created) {
        return h.createUpdate("INSERT INTO integrations (project_id, name, template_id, auth_method, auth_secret_id,"
                        + " auth_header, searchable, task_params, created) VALUES (:p, :name, :template, :method, :secret,"
                        + " :header, :searchable, :params, :created)")
                .bind("p", projectId).bind("name", input.name()).bind("template", input.templateId())
                .bind("method", input.authMethod()).bind("secret", input.authSecretId())
                .bind("header", input.authHeader()).bind("searchable", input.searchable())
                .bind("params", input.taskParams()).bind("created", created)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, IntegrationInput.Fields input) {
        h.createUpdate("UPDATE integrations SET name = :name, template_id = :template, auth_method = :method,"
                        + " auth_secret_id = :secret, auth_header = :header, searchable = :searchable,"
                        + " task_params = :params WHERE id = :id")
                .bind("id", id).bind("name", input.name()).bind("template", input.templateId())
                .bind("method", input.authMethod()).bind("secret", input.authSecretId())
                .bind("header", input.authHeader()).bind("searchable", input.searchable())
                .bind("params", input.taskParams()).execute();
    }

    void delete(Handle h, long id) {
        // Children first: not every engine cascades within one statement.
        h.createUpdate("DELETE FROM integration_deliveries WHERE integration_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM integration_aliases WHERE integration_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM integration_matchers WHERE integration_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM integration_extract_values WHERE integration_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM integrations WHERE id = :id").bind("id", id).execute();
    }

    List<Matcher> matchers(Handle h, long integrationId) {
        return h.createQuery(MATCHER + " WHERE integration_id = :i ORDER BY id").bind("i", integrationId)
                .map(IntegrationStore::matcher).list();
    }

    Optional<Matcher> matcher(Handle h, long integrationId, long id) {
        return h.createQuery(MATCHER + " WHERE integration_id = :i AND id = :id").bind("i", integrationId)
                .bind("id", id).map(IntegrationStore::matcher).findOne();
    }

    long insertMatcher(Handle h, long integrationId, IntegrationInput.MatcherFields m) {
        return h.createUpdate("INSERT INTO integration_matchers (integration_id, name, match_type, method, body_data_type,"
                        + " match_key, match_value) VALUES (:i, :name, :type, :method, :data, :key, :value)")
                .bind("i", integrationId).bind("name", m.name()).bind("type", m.matchType()).bind("method", m.method())
                .bind("data", m.bodyDataType()).bind("key", m.key()).bind("value", m.value())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void updateMatcher(Handle h, long id, IntegrationInput.MatcherFields m) {
        h.createUpdate("UPDATE integration_matchers SET name = :name, match_type = :type, method = :method,"
                        + " body_data_type = :data, match_key = :key, match_value = :value WHERE id = :id")
                .bind("id", id).bind("name", m.name()).bind("type", m.matchType()).bind("method", m.method())
                .bind("data", m.bodyDataType()).bind("key", m.key()).bind("value", m.value()).execute();
    }

    void deleteMatcher(Handle h, long id) {
        h.createUpdate("DELETE FROM integration_matchers WHERE id = :id").bind("id", id).execute();
    }

    List<ExtractValue> values(Handle h, long integrationId) {
        return h.createQuery(VALUE + " WHERE integration_id = :i ORDER BY id").bind("i", integrationId)
                .map(IntegrationStore::value).list();
    }

    Optional<ExtractValue> value(Handle h, long integrationId, long id) {
        return h.createQuery(VALUE + " WHERE integration_id = :i AND id = :id").bind("i", integrationId)
                .bind("id", id).map(IntegrationStore::value).findOne();
    }

    long insertValue(Handle h, long integrationId, IntegrationInput.ValueFields v) {
        return h.createUpdate("INSERT INTO integration_extract_values (integration_id, name, value_source, body_data_type,"
                        + " value_key, variable, variable_type) VALUES (:i, :name, :source, :data, :key, :variable, :type)")
                .bind("i", integrationId).bind("name", v.name()).bind("source", v.valueSource())
                .bind("data", v.bodyDataType()).bind("key", v.key()).bind("variable", v.variable())
                .bind("type", v.variableType()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void updateValue(Handle h, long id, IntegrationInput.ValueFields v) {
        h.createUpdate("UPDATE integration_extract_values SET name = :name, value_source = :source,"
                        + " body_data_type = :data, value_key = :key, variable = :variable, variable_type = :type"
                        + " WHERE id = :id")
                .bind("id", id).bind("name", v.name()).bind("source", v.valueSource()).bind("data", v.bodyDataType())
                .bind("key", v.key()).bind("variable", v.variable()).bind("type", v.variableType()).execute();
    }

    void deleteValue(Handle h, long id) {
        h.createUpdate("DELETE FROM integration_extract_values WHERE id = :id").bind("id", id).execute();
    }

    /** A project's aliases ({@code integrationId} null) or an integration's: id and alias. */
    List<Alias> aliases(Handle h, long projectId, Long integrationId) {
        return h.createQuery("SELECT id, alias FROM integration_aliases WHERE project_id = :p AND "
                        + (integrationId == null ? "integration_id IS NULL" : "integration_id = :i") + " ORDER BY id")
                .bind("p", projectId).bind("i", integrationId)
                .map((rs, ctx) -> new Alias(rs.getLong("id"), rs.getString("alias"))).list();
    }

    long insertAlias(Handle h, long projectId, Long integrationId, String alias) {
        return h.createUpdate("INSERT INTO integration_aliases (project_id, integration_id, alias) VALUES (:p, :i, :a)")
                .bind("p", projectId).bind("i", integrationId).bind("a", alias)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    boolean deleteAlias(Handle h, long projectId, Long integrationId, long id) {
        return h.createUpdate("DELETE FROM integration_aliases WHERE id = :id AND project_id = :p AND "
                        + (integrationId == null ? "integration_id IS NULL" : "integration_id = :i"))
                .bind("id", id).bind("p", projectId).bind("i", integrationId).execute() == 1;
    }

    /** Where an alias leads: its project, and its integration (null for a project alias). */
    Optional<Target> target(Handle h, String alias) {
        return h.createQuery("SELECT project_id, integration_id FROM integration_aliases WHERE alias = :a")
                .bind("a", alias)
                .map((rs, ctx) -> new Target(rs.getLong("project_id"), Rows.nullableLong(rs, "integration_id")))
                .findOne();
    }

    void insertDeliveries(Handle h, List<NewDelivery> deliveries) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO integration_deliveries (project_id, integration_id, alias,"
                + " received, method, outcome, task_id, body) VALUES (:p, :i, :alias, :received, :method, :outcome,"
                + " :task, :body)");
        for (NewDelivery d : deliveries) {
            batch.bind("p", d.projectId()).bind("i", d.integrationId()).bind("alias", d.alias())
                    .bind("received", d.received()).bind("method", d.method()).bind("outcome", d.outcome())
                    .bind("task", d.taskId()).bind("body", d.body()).add();
        }
        batch.execute();
    }

    List<Delivery> deliveries(Handle h, long integrationId, int limit) {
        return h.createQuery("SELECT id, integration_id, alias, received, method, outcome, task_id, body"
                        + " FROM integration_deliveries WHERE integration_id = :i ORDER BY id DESC LIMIT " + limit)
                .bind("i", integrationId)
                .map((rs, ctx) -> new Delivery(rs.getLong("id"), Rows.nullableLong(rs, "integration_id"),
                        rs.getString("alias"), Rows.instant(rs, "received", ctx), rs.getString("method"),
                        rs.getString("outcome"), Rows.nullableLong(rs, "task_id"), rs.getString("body")))
                .list();
    }

    int deleteDeliveriesBefore(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM integration_deliveries WHERE received < :t").bind("t", before).execute();
    }

    List<References.Ref> usingTemplate(Handle h, long projectId, long templateId) {
        return refs(h, "SELECT id, name FROM integrations WHERE project_id = :p AND template_id = :id ORDER BY name",
                projectId, templateId);
    }

    List<References.Ref> usingKey(Handle h, long projectId, long keyId) {
        return refs(h, "SELECT id, name FROM integrations WHERE project_id = :p AND auth_secret_id = :id ORDER BY name",
                projectId, keyId);
    }

    private static List<References.Ref> refs(Handle h, String sql, long projectId, long id) {
        return h.createQuery(sql).bind("p", projectId).bind("id", id)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    record Alias(long id, String alias) {
    }

    record Target(long projectId, Long integrationId) {
    }

    record NewDelivery(long projectId, Long integrationId, String alias, Instant received, String method,
                       String outcome, Long taskId, String body) {
    }

    private static Integration integration(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Integration(rs.getLong("id"), rs.getLong("project_id"), rs.getString("name"),
                rs.getLong("template_id"), rs.getString("auth_method"), Rows.nullableLong(rs, "auth_secret_id"),
                rs.getString("auth_header"), rs.getBoolean("searchable"), rs.getString("task_params"));
    }

    private static Matcher matcher(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Matcher(rs.getLong("id"), rs.getLong("integration_id"), rs.getString("name"),
                rs.getString("match_type"), rs.getString("method"), emptyAsNull(rs.getString("body_data_type")),
                rs.getString("match_key"), rs.getString("match_value"));
    }

    private static ExtractValue value(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new ExtractValue(rs.getLong("id"), rs.getLong("integration_id"), rs.getString("name"),
                rs.getString("value_source"), emptyAsNull(rs.getString("body_data_type")), rs.getString("value_key"),
                rs.getString("variable"), rs.getString("variable_type").isEmpty() ? "environment"
                        : rs.getString("variable_type"));
    }

    /** A header matcher or value has no body data type: upstream's API says so with null. */
    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
