package dev.semaphore.inventory;

import dev.semaphore.common.Times;
import dev.semaphore.db.References;
import dev.semaphore.db.Rows;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for inventories. */
final class InventoryStore {
    private static final String COLUMNS = "id, name, project_id, inventory, ssh_key_id, become_key_id, repository_id, type,"
            + " template_id";

    Optional<Inventory> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM inventories WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(InventoryStore::map).findOne();
    }

    List<Inventory> list(Handle h, long projectId, String orderBy) {
        return h.createQuery("SELECT " + COLUMNS + " FROM inventories WHERE project_id = :p ORDER BY " + orderBy)
                .bind("p", projectId).map(InventoryStore::map).list();
    }

    boolean templateExists(Handle h, long projectId, long templateId) {
        return h.createQuery("SELECT COUNT(*) FROM templates WHERE project_id = :p AND id = :t").bind("p", projectId)
                .bind("t", templateId).mapTo(Integer.class).one() > 0;
    }

    void setTemplate(Handle h, long id, Long templateId) {
        h.createUpdate("UPDATE inventories SET template_id = :t WHERE id = :id").bind("id", id).bind("t", templateId)
                .execute();
    }

    void detachAll(Handle h, long templateId) {
        h.createUpdate("UPDATE inventories SET template_id = NULL WHERE template_id = :t").bind("t", templateId)
                .execute();
    }

    List<References.Ref> usingKey(Handle h, long projectId, long keyId) {
        return refs(h, "SELECT id, name FROM inventories WHERE project_id = :p"
                + " AND (ssh_key_id = :id OR become_key_id = :id) ORDER BY name", projectId, keyId);
    }

    List<References.Ref> usingRepository(Handle h, long projectId, long repositoryId) {
        return refs(h, "SELECT id, name FROM inventories WHERE project_id = :p AND repository_id = :id ORDER BY name",
                projectId, repositoryId);
    }

    private static List<References.Ref> refs(Handle h, String sql, long projectId, long id) {
        return h.createQuery(sql).bind("p", projectId).bind("id", id)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    long insert(Handle h, long projectId, InventoryInput in) {
        return h.createUpdate("""
                        INSERT INTO inventories (project_id, name, type, inventory, ssh_key_id, become_key_id,
                                                 repository_id, template_id, created)
                        VALUES (:p, :name, :type, :inventory, :ssh, :become, :repo, :template, :created)""")
                .bind("p", projectId).bind("name", in.name()).bind("type", in.type()).bind("inventory", in.inventory())
                .bind("ssh", in.sshKeyId()).bind("become", in.becomeKeyId()).bind("repo", in.repositoryId())
                .bind("template", in.templateId())
                .bind("created", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, InventoryInput in) {
        h.createUpdate("""
                        UPDATE inventories SET name = :name, type = :type, inventory = :inventory, ssh_key_id = :ssh,
                               become_key_id = :become, repository_id = :repo, template_id = :template WHERE id = :id""")
                .bind("id", id).bind("name", in.name()).bind("type", in.type()).bind("inventory", in.inventory())
                .bind("ssh", in.sshKeyId()).bind("become", in.becomeKeyId()).bind("repo", in.repositoryId())
                .bind("template", in.templateId())
                .execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM inventories WHERE id = :id").bind("id", id).execute();
    }

    private static Inventory map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Inventory(rs.getLong("id"), rs.getString("name"), rs.getLong("project_id"), rs.getString("inventory"),
                Rows.nullableLong(rs, "ssh_key_id"), Rows.nullableLong(rs, "become_key_id"),
                Rows.nullableLong(rs, "repository_id"), rs.getString("type"), Rows.nullableLong(rs, "template_id"));
    }
}
