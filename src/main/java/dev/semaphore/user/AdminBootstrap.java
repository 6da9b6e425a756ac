package dev.semaphore.user;

import dev.semaphore.common.Secrets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes sure a fresh server has an admin: the one named by SEMAPHORE_ADMIN (with
 * SEMAPHORE_ADMIN_PASSWORD or _FILE, _NAME, _EMAIL), else "admin" with a generated password
 * printed once to the console. Never touches an existing user.
 */
public final class AdminBootstrap {
    private final UserService users;
    private final PrintStream console;

    public AdminBootstrap(UserService users, PrintStream console) {
        this.users = users;
        this.console = console;
    }

    public void ensureAdmin(Map<String, String> env) {
        String login = env.getOrDefault("SEMAPHORE_ADMIN", "").trim();
        if (login.isEmpty()) {
            if (users.count() == 0) {
                create("admin", "Admin", "admin@localhost", null);
            }
            return;
        }
        if (users.findByUsername(login).isPresent()) {
            return;
        }
        String password = env.get("SEMAPHORE_ADMIN_PASSWORD");
        String passwordFile = env.get("SEMAPHORE_ADMIN_PASSWORD_FILE");
        if ((password == null || password.isEmpty()) && passwordFile != null && !passwordFile.isEmpty()) {
            try {
                password = Files.readString(Path.of(passwordFile)).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read SEMAPHORE_ADMIN_PASSWORD_FILE " + passwordFile, e);
            }
        }
        create(login, env.getOrDefault("SEMAPHORE_ADMIN_NAME", login),
                env.getOrDefault("SEMAPHORE_ADMIN_EMAIL", login + "@localhost"), password);
    }

    private void create(String login, String name, String email, String password) {
        boolean generated = password == null || password.isEmpty();
        String actual = generated ? Secrets.password() : password;
        users.create(null, new UserService.NewUser(login, name, email, actual, true, false, false));
        if (generated) {
            console.println();
            console.println("  First admin created. Sign in with:");
            console.println("    login:    " + login);
            console.println("    password: " + actual);
            console.println("  This password is shown only once; change it after signing in.");
            console.println();
        } else {
            console.println("Admin " + login + " created.");
        }
    }
}
