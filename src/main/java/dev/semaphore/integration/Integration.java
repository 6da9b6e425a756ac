package dev.semaphore.integration;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An integration in upstream's JSON shape: which template a delivery runs, how the caller proves
 * itself ({@code auth_method} "" or none, token, hmac, github, bitbucket or basic, with the key holding the
 * secret and, for token and hmac, the header carrying it), and whether a project alias reaches it.
 */
public record Integration(long id, long projectId, String name, long templateId, String authMethod,
                          Long authSecretId, String authHeader, boolean searchable,
                          @JsonRawValue String taskParams) {
    /** Whether callers of an integration with this method prove nothing: "" (ours) or "none" (upstream's word). */
    static boolean unauthenticated(String authMethod) {
        return authMethod.isEmpty() || authMethod.equals("none");
    }
}
