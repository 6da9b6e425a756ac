package dev.semaphore.mfa;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.AuthController;
import dev.semaphore.security.Authenticator;
import dev.semaphore.security.LoginThrottle;
import dev.semaphore.security.SessionService;
import dev.semaphore.security.SessionService.Verification;
import dev.semaphore.totp.TotpService;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The second step of a sign-in, as upstream's clients take it with the cookie the first step gave:
 * {@code POST /api/auth/verify {passcode}} (a TOTP code or an e-mailed one), {@code POST /api/auth/recovery
 * {recovery_code}}, and sign-in by e-mail: {@code POST /api/auth/login/email {email}}, its
 * {@code /resend}. Wrong codes count as failed logins (the same throttle).
 */
public final class VerifyController implements RouteGroup {
    private final TotpService totp;
    private final EmailOtpService email;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final UserService users;

    public VerifyController(TotpService totp, EmailOtpService email, SessionService sessions, LoginThrottle throttle,
                            UserService users) {
        this.users = users;
        this.totp = totp;
        this.email = email;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @Override
    public void register(Api api) {
        api.post("/auth/verify", Access.PUBLIC, this::verify)
                .post("/auth/recovery", Access.PUBLIC, this::recover)
                .post("/auth/login/email", Access.PUBLIC, ctx -> startEmailLogin(ctx,
                        Requests.body(ctx).requiredString("email")))
                .get("/auth/login/email", Access.PUBLIC, ctx -> startEmailLogin(ctx, ctx.queryParam("email")))
                .post("/auth/login/email/resend", Access.PUBLIC, this::resend)
                .get("/auth/login/email/resend", Access.PUBLIC, this::resend)
                .post("/auth/verify/email", Access.PUBLIC, this::resend)
                // Ours: adding the TOTP a policy requires, with the cookie of the sign-in that waits for it.
                .post("/auth/totp", Access.PUBLIC, ctx -> {
                    User user = enrolling(ctx);
                    ctx.json(totp.enable(user, user.id()));
                })
                .get("/auth/totp/{totp_id}/qr", Access.PUBLIC, ctx -> {
                    User user = enrolling(ctx);
                    ctx.contentType("image/png").result(totp.qr(user, user.id(), Requests.idParam(ctx, "totp_id")));
                });
    }

    /** The user of the sign-in waiting for a TOTP to be added; 401 for any other cookie. */
    private User enrolling(Context ctx) {
        return sessions.pendingUser(ctx.cookie(Authenticator.COOKIE), Verification.TOTP_ENROLMENT)
                .flatMap(users::find)
                .orElseThrow(() -> ApiException.unauthorized("no sign-in waits for a TOTP to be added"));
    }

    private void verify(Context ctx) {
        String cookie = ctx.cookie(Authenticator.COOKIE);
        String passcode = Requests.body(ctx).requiredString("passcode");
        Optional<Verification> owed = sessions.pending(cookie);
        if (owed.isPresent() && (owed.get() == Verification.TOTP || owed.get() == Verification.TOTP_ENROLMENT)) {
            long userId = sessions.pendingUser(cookie, owed.get()).orElseThrow();
            checked(ctx, "totp:" + userId, () -> totp.verify(userId, passcode), "INVALID_PASSCODE");
            sessions.verify(cookie);
        } else if (owed.isPresent() && owed.get() == Verification.EMAIL) {
            long userId = sessions.pendingUser(cookie, Verification.EMAIL).orElseThrow();
            checked(ctx, "otp:" + userId, () -> email.verifySession(cookie, passcode), "INVALID_PASSCODE");
            sessions.verify(cookie);
        } else if (!email.enabled()) {
            throw ApiException.unauthorized("no sign-in waits for a second factor");
        } else {
            // A sign-in by e-mail: the cookie holds its token, and the code makes the session.
            String subject = cookie == null ? "email:?" : email.subject(cookie).orElse("email:?");
            User[] user = new User[1];
            checked(ctx, subject, () -> {
                user[0] = email.finishEmailLogin(cookie, passcode).orElse(null);
                return user[0] != null;
            }, "INVALID_PASSCODE");
            Verification next = totp.owedBy(user[0].id());
            String token = sessions.create(user[0].id(), ctx.ip(), ctx.header("User-Agent"), next);
            AuthController.setSessionCookie(ctx, token, -1);
        }
        ctx.status(200); // as upstream
    }

    private void recover(Context ctx) {
        String cookie = ctx.cookie(Authenticator.COOKIE);
        long userId = sessions.pendingUser(cookie, Verification.TOTP)
                .orElseThrow(() -> ApiException.unauthorized("no sign-in waits for a second factor"));
        String code = Requests.body(ctx).requiredString("recovery_code");
        checked(ctx, "totp:" + userId, () -> totp.recover(userId, code), "INVALID_RECOVERY_CODE");
        sessions.verify(cookie);
        ctx.status(204);
    }

    private void startEmailLogin(Context ctx, String address) {
        if (!email.enabled()) {
            throw ApiException.forbidden("EMAIL_OTP_DISABLED");
        }
        String subject = "email:" + (address == null ? "" : address.strip().toLowerCase(java.util.Locale.ROOT));
        // Counted as failed until its code is entered, for any address alike, so codes cannot flood a mailbox.
        throttle.guess(subject, ctx.ip());
        String token = email.startEmailLogin(address);
        AuthController.setSessionCookie(ctx, token, -1);
        ctx.status(204);
    }

    private void resend(Context ctx) {
        String cookie = ctx.cookie(Authenticator.COOKIE);
        if (cookie == null || cookie.isEmpty()) {
            throw ApiException.unauthorized("no sign-in waits for a code");
        }
        email.resend(cookie);
        ctx.status(204);
    }

    private void checked(Context ctx, String subject, java.util.function.BooleanSupplier check, String error) {
        LoginThrottle.Guess guess = throttle.guess(subject, ctx.ip());
        if (!check.getAsBoolean()) {
            throw ApiException.unauthorized(error);
        }
        guess.succeeded();
    }
}
