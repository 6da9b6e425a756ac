package dev.semaphore.identity;

import java.util.List;

/**
 * What an identity provider told about a person who just proved who they are to it.
 *
 * @param type         {@code ldap} or {@code oidc}
 * @param provider     {@code ldap}, or the key of the OIDC provider in {@code oidc_providers}
 * @param externalUid  the provider's stable id: the LDAP entry's DN or the OIDC {@code sub} claim
 * @param emailVerified whether the provider vouches for the e-mail (LDAP: the directory is ours to trust)
 * @param groups       the groups the provider places the person in (DNs and names), for group mappings
 */
public record ExternalLogin(String type, String provider, String externalUid, String username, String name,
                            String email, boolean emailVerified, List<String> groups) {
    public static final String LDAP = "ldap";
    public static final String OIDC = "oidc";

    public ExternalLogin {
        groups = List.copyOf(groups);
    }

    /** How this source is named in the event log and in role grants: {@code ldap} or {@code oidc:<provider>}. */
    public String source() {
        return LDAP.equals(type) ? LDAP : type + ":" + provider;
    }
}
