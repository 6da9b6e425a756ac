package dev.semaphore.cli;

import dev.semaphore.Services;
import dev.semaphore.common.Durations;
import dev.semaphore.user.ApiToken;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "user", aliases = "users", description = "Manage users.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Get.class,
                UserCommand.ChangeByLogin.class, UserCommand.ChangeByEmail.class, UserCommand.Delete.class,
                UserCommand.Token.class, UserCommand.TotpCommand.class})
final class UserCommand {
    @ParentCommand
    SemaphoreCommand root;

    Services open() {
        return root.openServices();
    }

    static User find(Services services, String login, String email) {
        if (login != null) {
            return services.users().findByUsername(login)
                    .orElseThrow(() -> new CliException("no user with login " + login));
        }
        return services.users().findByEmail(email)
                .orElseThrow(() -> new CliException("no user with e-mail " + email));
    }

    static final class Selector {
        @Option(names = "--login", required = true, description = "The user's login.")
        String login;

        @Option(names = "--email", required = true, description = "The user's e-mail.")
        String email;
    }

    @Command(name = "add", description = "Add a user.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @Option(names = "--login", required = true)
        String login;
        @Option(names = "--name")
        String name;
        @Option(names = "--email", required = true)
        String email;
        @Option(names = "--password")
        String password;
        @Option(names = "--admin")
        boolean admin;
        @Option(names = "--external")
        boolean external;

        @Override
        public Integer call() {
            if (password == null && !external) {
                throw new CliException("--password is required (unless --external)");
            }
            try (Services services = parent.open()) {
                User user = services.users().create(null,
                        new UserService.NewUser(login, name, email, password, admin, external, false));
                System.out.println("User " + user.username() + " <" + user.email() + "> added");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List user logins.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @Override
        public Integer call() {
            try (Services services = parent.open()) {
                services.users().list(null).forEach(u -> System.out.println(u.username()));
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Show a user.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @ArgGroup(multiplicity = "1")
        Selector selector;

        @Override
        public Integer call() {
            try (Services services = parent.open()) {
                User u = find(services, selector.login, selector.email);
                System.out.println("id:       " + u.id());
                System.out.println("login:    " + u.username());
                System.out.println("name:     " + u.name());
                System.out.println("email:    " + u.email());
                System.out.println("admin:    " + u.admin());
                System.out.println("external: " + u.external());
                System.out.println("created:  " + u.created());
            }
            return 0;
        }
    }

    abstract static class Change implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @Option(names = "--name")
        String name;
        @Option(names = "--password", description = "A new password; it ends the user's sessions and deletes"
                + " their API tokens unless --keep-tokens.")
        String password;
        @Option(names = "--keep-tokens", description = "With --password: keep the user's API tokens.")
        boolean keepTokens;
        @Option(names = "--admin", negatable = true, description = "Grant (--admin) or revoke (--no-admin) admin.")
        Boolean admin;

        abstract User target(Services services);

        abstract UserService.UserChanges changes();

        @Override
        public Integer call() {
            try (Services services = parent.open()) {
                User user = target(services);
                User updated = services.users().update(null, user.id(), changes());
                if (password != null) {
                    services.users().changePassword(null, user.id(), password, null, keepTokens);
                }
                System.out.println("User " + updated.username() + " changed");
            }
            return 0;
        }
    }

    @Command(name = "change-by-login", description = "Change the user with the given login.")
    static final class ChangeByLogin extends Change {
        @Option(names = "--login", required = true)
        String login;
        @Option(names = "--email")
        String email;

        @Override
        User target(Services services) {
            return find(services, login, null);
        }

        @Override
        UserService.UserChanges changes() {
            return new UserService.UserChanges(null, name, email, admin, null);
        }
    }

    @Command(name = "change-by-email", description = "Change the user with the given e-mail.")
    static final class ChangeByEmail extends Change {
        @Option(names = "--email", required = true)
        String email;
        @Option(names = "--login", description = "A new login for the user.")
        String login;

        @Override
        User target(Services services) {
            return find(services, null, email);
        }

        @Override
        UserService.UserChanges changes() {
            return new UserService.UserChanges(login, name, null, admin, null);
        }
    }

    @Command(name = "delete", description = "Delete a user.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @ArgGroup(multiplicity = "1")
        Selector selector;

        @Override
        public Integer call() {
            try (Services services = parent.open()) {
                User user = find(services, selector.login, selector.email);
                services.users().delete(null, user.id());
                System.out.println("User " + user.username() + " deleted");
            }
            return 0;
        }
    }

    @Command(name = "token", description = "Manage a user's API tokens.",
            subcommands = {Token.Create.class, Token.ListTokens.class})
    static final class Token {
        @ParentCommand
        UserCommand parent;

        @Command(name = "create", description = "Create an API token and print it.")
        static final class Create implements Callable<Integer> {
            @ParentCommand
            Token token;

            @Option(names = "--login", required = true)
            String login;
            @Option(names = "--name")
            String name;
            @Option(names = "--ttl", description = "Lifetime such as 24h or 7d; none by default.")
            String ttl;

            @Override
            public Integer call() {
                Duration lifetime = ttl == null ? null : Durations.parse(ttl, "--ttl");
                try (Services services = token.parent.open()) {
                    User user = find(services, login, null);
                    ApiToken created = services.tokens().create(user.id(), name, lifetime);
                    System.out.println(created.id());
                }
                return 0;
            }
        }

        @Command(name = "list", description = "List a user's API tokens (first 8 characters).")
        static final class ListTokens implements Callable<Integer> {
            @ParentCommand
            Token token;

            @Option(names = "--login", required = true)
            String login;

            @Override
            public Integer call() {
                try (Services services = token.parent.open()) {
                    User user = find(services, login, null);
                    for (ApiToken t : services.tokens().list(user.id())) {
                        System.out.println(t.id() + "  " + (t.expired() ? "expired" : "active") + "  created "
                                + t.created() + (t.expiresAt() == null ? "" : "  expires " + t.expiresAt())
                                + (t.name().isEmpty() ? "" : "  " + t.name()));
                    }
                }
                return 0;
            }
        }
    }


    @Command(name = "totp", description = "Manage a user's time-based one-time password (auth.totp.enabled).",
            subcommands = {TotpCommand.Enable.class, TotpCommand.Show.class, TotpCommand.Disable.class})
    static final class TotpCommand {
        @ParentCommand
        UserCommand parent;

        /** Runs a TOTP action as the user, turning the service's refusals into the CLI's. */
        static <T> T asUser(TotpCommand command, String login, java.util.function.BiFunction<Services, User, T> action) {
            try (Services services = command.parent.open()) {
                return action.apply(services, find(services, login, null));
            } catch (dev.semaphore.common.ApiException e) {
                throw new CliException(e.getMessage().equals("TOTP_DISABLED")
                        ? "TOTP is off on this server (auth.totp.enabled)" : e.getMessage());
            }
        }

        static void print(dev.semaphore.totp.Totp totp) {
            System.out.println("otpauth URL: " + totp.url());
            if (totp.recoveryCode() != null) {
                System.out.println("recovery code (shown this once): " + totp.recoveryCode());
            }
        }

        @Command(name = "enable", description = "Add a TOTP for the user; prints its otpauth URL and recovery code.")
        static final class Enable implements Callable<Integer> {
            @ParentCommand
            TotpCommand totp;

            @Option(names = "--login", required = true)
            String login;

            @Override
            public Integer call() {
                print(asUser(totp, login, (services, user) -> services.totp().enable(user, user.id())));
                return 0;
            }
        }

        @Command(name = "show", description = "Print the user's TOTP otpauth URL.")
        static final class Show implements Callable<Integer> {
            @ParentCommand
            TotpCommand totp;

            @Option(names = "--login", required = true)
            String login;

            @Override
            public Integer call() {
                print(asUser(totp, login, (services, user) -> services.totp().ofOwned(user, user.id())));
                return 0;
            }
        }

        @Command(name = "disable", description = "Remove the user's TOTP.")
        static final class Disable implements Callable<Integer> {
            @ParentCommand
            TotpCommand totp;

            @Option(names = "--login", required = true)
            String login;

            @Override
            public Integer call() {
                asUser(totp, login, (services, user) -> {
                    services.totp().disable(user, user.id(), services.totp().ofOwned(user, user.id()).id());
                    return null;
                });
                System.out.println("TOTP removed for " + login);
                return 0;
            }
        }
    }
}
