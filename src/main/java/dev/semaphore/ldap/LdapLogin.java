package dev.semaphore.ldap;

import dev.semaphore.common.ApiException;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.identity.ExternalLogin;
import dev.semaphore.identity.GroupRoles;
import dev.semaphore.identity.IdentityService;
import dev.semaphore.security.PasswordAuthenticator;
import dev.semaphore.user.User;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password sign-in against the directory ({@code ldap_enable}): the person the directory vouches for
 * becomes (or is found as) an external user through their identity, with the group mapping applied.
 */
public final class LdapLogin implements PasswordAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(LdapLogin.class);

    private final LdapDirectory directory;
    private final IdentityService identities;
    private final GroupRoles roles;

    private LdapLogin(LdapDirectory directory, IdentityService identities, GroupRoles roles) {
        this.directory = directory;
        this.identities = identities;
        this.roles = roles;
    }

    /** Empty when LDAP is off. */
    public static Optional<LdapLogin> of(Config config, IdentityService identities) {
        if (!config.bool(ConfigKeys.LDAP_ENABLE)) {
            return Optional.empty();
        }
        return Optional.of(new LdapLogin(new LdapDirectory(LdapSettings.of(config)), identities,
                GroupRoles.parse(config.map(ConfigKeys.LDAP_GROUP_ROLES), "ldap_group_roles")));
    }

    @Override
    public Optional<User> authenticate(String login, String password) {
        Optional<ExternalLogin> person = check(login, password);
        if (person.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(identities.signIn(person.get(), roles));
        } catch (ApiException e) {
            // Said to the log, not to the caller: the answer to a sign-in never tells which accounts exist.
            log.warn("LDAP sign-in of '{}' refused: {}", login, e.getMessage());
            return Optional.empty();
        }
    }

    /** The directory's person for these credentials, as an identity provider's login. */
    Optional<ExternalLogin> check(String login, String password) {
        return directory.authenticate(login, password).map(p -> new ExternalLogin(ExternalLogin.LDAP,
                ExternalLogin.LDAP, p.dn(), p.uid() == null ? login.trim() : p.uid(), p.name(), p.mail(), true,
                p.groups()));
    }

    /** {@code POST /api/user/identities/ldap}: the signed-in user proves they are a directory person. */
    public void link(User user, String login, String password) {
        ExternalLogin person = check(login, password)
                .orElseThrow(() -> ApiException.unauthorized("wrong LDAP login or password"));
        boolean same = user.username().equalsIgnoreCase(person.username())
                || (person.email() != null && user.email().equalsIgnoreCase(person.email()));
        if (!same) {
            throw ApiException.forbidden("this directory entry's login and e-mail are not this account's");
        }
        identities.linkProven(user, person);
    }
}
