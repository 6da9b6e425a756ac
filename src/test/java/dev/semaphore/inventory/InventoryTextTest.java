package dev.semaphore.inventory;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semaphore.common.ApiException;
import org.junit.jupiter.api.Test;

/** Static inventories read as ansible-playbook reads them; errors name the line. */
class InventoryTextTest {
    @Test
    void acceptsWhatAnsibleAccepts() {
        assertThatCode(() -> InventoryText.checkIni("""
                # comment
                ; also a comment
                web[01:10].example.com ansible_port=2222 note="two words"
                [db]
                db1 ansible_host=10.0.0.5   # trailing comment
                [db:vars]
                ansible_user=ops
                [all:children]
                db
                """)).doesNotThrowAnyException();
        assertThatCode(() -> InventoryText.checkYaml("""
                all:
                  hosts:
                    a.example.com:
                  children:
                    db:
                      hosts: {db1: {ansible_port: 22}}
                      vars: {x: 1}
                """)).doesNotThrowAnyException();
        assertThatCode(() -> InventoryText.checkYaml("")).doesNotThrowAnyException();
    }

    @Test
    void refusesIniMistakesWithTheirLine() {
        expectIni("host1\n[web\nhost2", "line 2", "not closed");
        expectIni("[web:hosts]\nh", "line 1", "unknown suffix :hosts");
        expectIni("[web:vars]\nnot-a-pair", "line 2", "key=value");
        expectIni("[all:children]\ntwo groups", "line 2", "one group name");
        expectIni("h1 port", "line 1", "key=value host variable");
        expectIni("\n\nh1 note=\"open", "line 3", "unterminated quote");
        expectIni("web[01:10.example.com", "line 1", "unbalanced");
        expectIni("a=b", "line 1", "host name first");
    }

    @Test
    void refusesYamlThatIsNoInventory() {
        expectYaml("- a\n- b\n", "mapping of groups");
        expectYaml("all:\n  hosts: [a, b]\n", "'hosts' of group 'all' must be a mapping");
        expectYaml("all:\n  servers: {}\n", "holds only hosts, vars and children");
        expectYaml("all:\n  children:\n    db: [x]\n", "group 'db' must be a mapping");
        expectYaml("all:\n  hosts: {a: 1\n", "line");
    }

    private static void expectIni(String text, String... parts) {
        assertThatThrownBy(() -> InventoryText.checkIni(text)).isInstanceOf(ApiException.class)
                .hasMessageContaining("field 'inventory'").hasMessageContainingAll(parts);
    }

    private static void expectYaml(String text, String... parts) {
        assertThatThrownBy(() -> InventoryText.checkYaml(text)).isInstanceOf(ApiException.class)
                .hasMessageContainingAll(parts);
    }
}
