package dev.semaphore.secret;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An access key as the API shows it: never its secret. The login of an SSH or login/password key
 * is shown (it is not a secret); passwords, passphrases, private keys and strings never are. As
 * upstream, {@code ssh}, {@code login_password} and {@code string} are always sent (empty for the
 * other types) and {@code owner} only when set: clients read those fields without checking.
 */
public record AccessKey(long id, String name, String type, long projectId,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) String owner,
                        Map<String, String> ssh, Map<String, String> loginPassword, String string,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String unusable, boolean empty) {

    /**
     * @param unusable why the key cannot be used (ours: an SSH key whose private key cannot be read), or null
     * @param empty whether it holds no secret yet (restored from a backup): upstream's restore dialog counts these
     */
    static AccessKey of(long id, String name, KeyType type, long projectId, String owner, String login,
                        String unusable, boolean empty) {
        String shownLogin = login == null ? "" : login;
        return new AccessKey(id, name, type.wire(), projectId, owner,
                Map.of("login", type == KeyType.SSH ? shownLogin : "", "passphrase", "", "private_key", ""),
                Map.of("login", type == KeyType.LOGIN_PASSWORD ? shownLogin : "", "password", ""), "", unusable, empty);
    }
}
