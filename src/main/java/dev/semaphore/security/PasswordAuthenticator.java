package dev.semaphore.security;

import dev.semaphore.user.User;
import java.util.Optional;

/**
 * One way a login and password are checked: the local users table now; LDAP and others plug in
 * beside it. {@code POST /api/auth/login} asks each in turn; the first that knows the user answers.
 */
@FunctionalInterface
public interface PasswordAuthenticator {
    /** The user these credentials belong to, or empty when this authenticator does not accept them. */
    Optional<User> authenticate(String login, String password);
}
