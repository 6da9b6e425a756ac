package dev.semaphore.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.File;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory, asked the way upstream asks it: bind as the service account, search the user with the
 * login escaped into the filter, bind as the found entry with the password given, then read the groups.
 * A fresh connection per sign-in: sign-ins are rare and a pooled connection would keep the user's bind.
 */
final class LdapDirectory {
    private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);
    private static final int TIMEOUT_MS = 10_000;

    /** A person the directory vouched for. */
    record Person(String dn, String uid, String name, String mail, List<String> groups) {
    }

    private final LdapSettings settings;

    LdapDirectory(LdapSettings settings) {
        this.settings = settings;
    }

    /** The person whose login and password these are; empty when the directory says no or cannot be asked. */
    Optional<Person> authenticate(String login, String password) {
        // An empty password makes an unauthenticated bind, which succeeds for any DN.
        if (login == null || login.isBlank() || password == null || password.isEmpty()) {
            return Optional.empty();
        }
        try (LDAPConnection connection = connect()) {
            serviceBind(connection);
            Filter filter = Filter.create(settings.searchFilter().replace("%s", Filter.encodeValue(login.trim())));
            SearchRequest request = new SearchRequest(settings.searchDn(), SearchScope.SUB, filter,
                    attributes().toArray(String[]::new));
            request.setSizeLimit(2);
            SearchResult result;
            try {
                result = connection.search(request);
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                    log.warn("LDAP search for a login found several entries; refusing the sign-in");
                    return Optional.empty();
                }
                throw e;
            }
            if (result.getEntryCount() != 1) {
                return Optional.empty();
            }
            SearchResultEntry entry = result.getSearchEntries().get(0);
            try {
                connection.bind(entry.getDN(), password);
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return Optional.empty();
                }
                throw e;
            }
            serviceBind(connection);
            return Optional.of(person(connection, entry));
        } catch (LDAPException | GeneralSecurityException e) {
            log.warn("LDAP sign-in could not be checked against {}:{}: {}", settings.host(), settings.port(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Person person(LDAPConnection connection, SearchResultEntry entry) throws LDAPException {
        String dn = "dn".equalsIgnoreCase(settings.dnAttribute()) ? entry.getDN()
                : first(entry, settings.dnAttribute()).orElse(entry.getDN());
        Set<String> groups = new LinkedHashSet<>();
        String[] memberOf = entry.getAttributeValues("memberOf");
        if (memberOf != null) {
            for (String group : memberOf) {
                addGroup(groups, group, null);
            }
        }
        if (!settings.groupSearchDn().isBlank()) {
            Filter filter = Filter.create(settings.groupSearchFilter().replace("%s", Filter.encodeValue(entry.getDN())));
            for (SearchResultEntry group : connection.search(settings.groupSearchDn(), SearchScope.SUB, filter, "cn")
                    .getSearchEntries()) {
                addGroup(groups, group.getDN(), group.getAttributeValue("cn"));
            }
        }
        return new Person(dn, first(entry, settings.uidAttributes()).orElse(null),
                first(entry, settings.nameAttributes()).orElse(null), first(entry, settings.mailAttributes()).orElse(null),
                List.copyOf(groups));
    }

    /** A group by its DN and by its name (the cn, or the value of the DN's first part). */
    private static void addGroup(Set<String> groups, String dn, String cn) {
        groups.add(dn);
        if (cn != null) {
            groups.add(cn);
            return;
        }
        try {
            groups.add(new DN(dn).getRDN().getAttributeValues()[0]);
        } catch (LDAPException e) {
            // Not a DN: the value itself is the group's name, already added.
        }
    }

    /** The first of {@code a | b | c} that the entry has a value for. */
    private static Optional<String> first(SearchResultEntry entry, String attributes) {
        for (String name : attributes.split("\\|")) {
            String value = entry.getAttributeValue(name.trim());
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
        }
        return Optional.empty();
    }

    private List<String> attributes() {
        List<String> names = new ArrayList<>(List.of("memberOf"));
        for (String mapping : List.of(settings.dnAttribute(), settings.mailAttributes(), settings.uidAttributes(),
                settings.nameAttributes())) {
            for (String name : mapping.split("\\|")) {
                if (!name.isBlank() && !"dn".equalsIgnoreCase(name.trim())) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    private void serviceBind(LDAPConnection connection) throws LDAPException {
        if (settings.bindDn().isBlank()) {
            connection.bind("", "");
        } else {
            connection.bind(settings.bindDn(), settings.bindPassword());
        }
    }

    private LDAPConnection connect() throws LDAPException, GeneralSecurityException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(TIMEOUT_MS);
        options.setResponseTimeoutMillis(TIMEOUT_MS);
        if (settings.ldaps() || settings.startTls()) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        if (settings.ldaps()) {
            return new LDAPConnection(sslUtil().createSSLSocketFactory(), options, settings.host(), settings.port());
        }
        LDAPConnection connection = new LDAPConnection(options, settings.host(), settings.port());
        if (settings.startTls()) {
            try {
                SSLContext context = sslUtil().createSSLContext();
                var result = connection.processExtendedOperation(new StartTLSExtendedRequest(context));
                if (result.getResultCode() != ResultCode.SUCCESS) {
                    throw new LDAPException(result.getResultCode(), "StartTLS refused: " + result.getDiagnosticMessage());
                }
            } catch (LDAPException | GeneralSecurityException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private SSLUtil sslUtil() throws GeneralSecurityException {
        TrustManager trust = settings.caFile().isBlank() ? JVMDefaultTrustManager.getInstance()
                : new PEMFileTrustManager(new File(settings.caFile()));
        return new SSLUtil(trust);
    }
}
