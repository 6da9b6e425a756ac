package dev.semaphore.environment;

import java.util.List;

/**
 * A variable group in upstream's JSON shape: extra variables ({@code json}) and environment
 * variables ({@code env}) as JSON text, and the names of its secrets, never their values.
 */
public record Environment(long id, String name, long projectId, String json, String env, String password,
                          List<SecretName> secrets) {

    /** A secret as listed: which one, never its value. */
    public record SecretName(long id, String name, String type) {
    }
}
