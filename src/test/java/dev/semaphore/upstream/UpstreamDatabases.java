package dev.semaphore.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Database;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;

/**
 * Databases shaped as upstream Semaphore's, on the real engines. The DDL is written here from the
 * table and column names of upstream's migrations (facts of its schema, not its code): {@code LATEST}
 * as of 2.16, {@code OLD} as of about 2.10 (no key owner, a template's one vault key in its own
 * column, views with only a title and position). Secrets are sealed as upstream seals them.
 */
public final class UpstreamDatabases {
    public enum Schema { OLD, LATEST }

    private UpstreamDatabases() {
    }

    /** A config.json for a new, empty database with upstream's tables; its access_key_encryption is set. */
    public static ObjectNode create(Dialect dialect, Schema schema) {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        try (Database db = open(json)) {
            db.jdbi().useHandle(h -> ddl(dialect, schema).forEach(h::execute));
        }
        return json;
    }

    public static Database open(ObjectNode json) {
        return Database.open(new ConfigLoader(Map.of()).fromJson(json));
    }

    private static List<String> ddl(Dialect dialect, Schema schema) {
        boolean latest = schema == Schema.LATEST;
        List<String> tables = new ArrayList<>(List.of(
                "option (key STR PRIMARY KEY, value TXT NOT NULL)",
                "user (id ID, created TS NOT NULL, username STR NOT NULL, name STR NOT NULL, email STR NOT NULL,"
                        + " password STR NOT NULL, admin BOOL NOT NULL, external BOOL NOT NULL, alert BOOL NOT NULL"
                        + (latest ? ", pro BOOL NOT NULL" : "") + ")",
                "user__token (id VARCHAR(44) PRIMARY KEY, created TS NOT NULL, expired BOOL NOT NULL, user_id INT NOT NULL"
                        + (latest ? ", name STR" : "") + ")",
                "user__totp (id ID, user_id INT NOT NULL, url STR NOT NULL, recovery_hash STR NOT NULL, created TS NOT NULL)",
                "session (id ID, user_id INT NOT NULL, created TS NOT NULL, last_active TS NOT NULL, ip STR,"
                        + " user_agent TXT, expired BOOL NOT NULL)",
                "project (id ID, created TS NOT NULL, name STR NOT NULL, alert BOOL NOT NULL, alert_chat STR,"
                        + " max_parallel_tasks INT NOT NULL" + (latest ? ", type STR" : "") + ")",
                "project__user (project_id INT NOT NULL, user_id INT NOT NULL, role STR NOT NULL)",
                "access_key (id ID, name STR NOT NULL, type STR NOT NULL, project_id INT, secret TXT,"
                        + " environment_id INT, user_id INT" + (latest ? ", owner STR, plain TXT" : "") + ")",
                "project__repository (id ID, project_id INT NOT NULL, git_url TXT NOT NULL, ssh_key_id INT NOT NULL,"
                        + " name STR, git_branch STR)",
                "project__environment (id ID, project_id INT NOT NULL, password STR, json TXT NOT NULL, name STR, env TXT)",
                "project__inventory (id ID, project_id INT NOT NULL, type STR NOT NULL, inventory TXT NOT NULL,"
                        + " ssh_key_id INT, name STR, become_key_id INT, template_id INT, repository_id INT)",
                "project__view (id ID, title STR NOT NULL, project_id INT NOT NULL, position INT NOT NULL"
                        + (latest ? ", type STR, hidden BOOL, sort_column STR, sort_reverse BOOL" : "") + ")",
                "project__template (id ID, project_id INT NOT NULL, inventory_id INT, repository_id INT NOT NULL,"
                        + " environment_id INT, playbook STR NOT NULL, arguments TXT, name STR NOT NULL,"
                        + " description TXT, type STR, start_version STR, build_template_id INT, view_id INT,"
                        + " survey_vars TXT, autorun BOOL, allow_override_args_in_task BOOL, suppress_success_alerts BOOL,"
                        + " app STR NOT NULL, git_branch STR, task_params TXT"
                        + (latest ? ", allow_override_branch_in_task BOOL, allow_parallel_tasks BOOL" : ", vault_key_id INT")
                        + ")",
                "project__schedule (id ID, template_id INT NOT NULL, project_id INT NOT NULL, cron_format STR NOT NULL,"
                        + " repository_id INT, last_commit_hash STR, name STR, active BOOL NOT NULL"
                        + (latest ? ", task_params TXT" : "") + ")",
                "project__integration (id ID, name STR NOT NULL, project_id INT NOT NULL, template_id INT NOT NULL,"
                        + " auth_method STR NOT NULL, auth_secret_id INT, auth_header STR, searchable BOOL NOT NULL,"
                        + " task_params TXT)",
                "project__integration_matcher (id ID, name STR NOT NULL, integration_id INT NOT NULL, match_type STR,"
                        + " method STR, body_data_type STR, key STR, value STR)",
                "project__integration_extract_value (id ID, name STR NOT NULL, integration_id INT NOT NULL,"
                        + " value_source STR NOT NULL, body_data_type STR, key STR, variable STR, variable_type STR)",
                "project__integration_alias (id ID, alias STR NOT NULL, project_id INT NOT NULL, integration_id INT)",
                "task (id ID, template_id INT NOT NULL, status STR NOT NULL, playbook STR NOT NULL, environment TXT,"
                        + " created TS, start TS, end TS, user_id INT, project_id INT, message STR NOT NULL,"
                        + " version STR, commit_hash STR, commit_message STR NOT NULL, build_task_id INT, arguments TXT,"
                        + " inventory_id INT, integration_id INT, schedule_id INT, git_branch STR, params TXT)",
                "task__output (id ID, task_id INT NOT NULL, time TS NOT NULL, output TXT NOT NULL)",
                "task__stage (id ID, task_id INT NOT NULL, start TS, start_output_id INT, end TS, end_output_id INT,"
                        + " type STR)",
                "task__stage_result (id ID, task_id INT NOT NULL, stage_id INT NOT NULL, json TXT)",
                "event (id ID, project_id INT, object_id INT, object_type STR, description TXT, created TS NOT NULL,"
                        + " user_id INT)"));
        if (latest) {
            tables.add("project__template_vault (id ID, project_id INT NOT NULL, template_id INT NOT NULL,"
                    + " vault_key_id INT, name STR, type STR NOT NULL, script TXT)");
            // 2.17+: a template's several variable groups (no id)
            tables.add("project__template_environment (template_id INT NOT NULL, environment_id INT NOT NULL,"
                    + " project_id INT NOT NULL)");
        }
        List<String> statements = new ArrayList<>();
        if (latest) {
            // Upstream 2.20 links people to their LDAP entry or OIDC subject; older versions have no such table.
            tables.add("user__external_identity (id ID, user_id INT NOT NULL, type STR NOT NULL, provider STR NOT NULL,"
                    + " external_uid STR NOT NULL, created TS NOT NULL)");
        }
        for (String table : tables) {
            String name = table.substring(0, table.indexOf(' '));
            String columns = table.substring(table.indexOf('(') + 1, table.length() - 1);
            List<String> defs = new ArrayList<>();
            for (String column : columns.split(", ")) {
                String[] parts = column.strip().split(" ", 2);
                defs.add(quote(dialect, parts[0]) + " " + type(dialect, parts[1]));
            }
            statements.add("CREATE TABLE " + quote(dialect, name) + " (" + String.join(", ", defs) + ")");
        }
        statements.add("CREATE INDEX task__output__task_id ON " + quote(dialect, "task__output") + " ("
                + quote(dialect, "task_id") + ")");
        return statements;
    }

    static String quote(Dialect dialect, String name) {
        return dialect == Dialect.MYSQL ? "`" + name + "`" : "\"" + name + "\"";
    }

    private static String type(Dialect dialect, String spec) {
        String id = switch (dialect) {
            case SQLITE -> "INTEGER PRIMARY KEY AUTOINCREMENT";
            case POSTGRES -> "SERIAL PRIMARY KEY";
            case MYSQL -> "INTEGER AUTO_INCREMENT PRIMARY KEY";
        };
        return spec.replaceAll("\\bID\\b", id)
                .replaceAll("\\bTS\\b", dialect == Dialect.POSTGRES ? "TIMESTAMP" : "DATETIME")
                .replaceAll("\\bTXT\\b", dialect == Dialect.MYSQL ? "LONGTEXT" : "TEXT")
                .replaceAll("\\bSTR\\b", "VARCHAR(255)")
                .replaceAll("\\bBOOL\\b", dialect == Dialect.POSTGRES ? "BOOLEAN" : "INTEGER")
                .replaceAll("\\bINT\\b", "INTEGER");
    }

    /** Inserts a row: column names to values; times given as LocalDateTime go in as each engine stores Go's. */
    public static void insert(Handle h, Dialect dialect, String table, Map<String, ?> row) {
        List<String> names = new ArrayList<>(row.keySet());
        String sql = "INSERT INTO " + quote(dialect, table) + " ("
                + String.join(", ", names.stream().map(n -> quote(dialect, n)).toList()) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> ":" + n).toList()) + ")";
        var update = h.createUpdate(sql);
        for (String name : names) {
            Object value = row.get(name);
            if (value instanceof LocalDateTime time && dialect == Dialect.SQLITE) {
                // How upstream's Go SQLite driver writes a time.Time.
                value = time.toString().replace('T', ' ') + (time.getNano() == 0 ? ".000000001" : "") + "+00:00";
            }
            if (value instanceof Boolean b && dialect != Dialect.POSTGRES) {
                value = b ? 1 : 0;
            }
            update.bind(name, value);
        }
        update.execute();
    }

    /** A secret as upstream seals it: base64 of nonce (12 bytes), then AES-GCM ciphertext and tag. */
    public static String seal(String base64Key, String plaintext) {
        try {
            byte[] nonce = dev.semaphore.common.Secrets.randomBytes(12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                    new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
