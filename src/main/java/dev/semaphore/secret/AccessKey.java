package dev.semaphore.secret;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An access key as the API shows it: never its secret. The login of an SSH or login/password key
 * is shown (it is not a secret); passwords, passphrases, private keys and strings never are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessKey(long id, String name, String type, long projectId, String owner,
                        Map<String, String> ssh, Map<String, String> loginPassword) {

    static AccessKey of(long id, String name, KeyType type, long projectId, String owner, String login) {
        String shownLogin = login == null ? "" : login;
        return new AccessKey(id, name, type.wire(), projectId, owner,
                type == KeyType.SSH ? Map.of("login", shownLogin) : null,
                type == KeyType.LOGIN_PASSWORD ? Map.of("login", shownLogin) : null);
    }
}
