package dev.semaphore.ldap;

import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import java.net.URI;

/** The {@code ldap_*} keys, read once; the server address resolved to host, port and whether LDAPS. */
record LdapSettings(String host, int port, boolean ldaps, boolean startTls, String caFile, String bindDn,
                    String bindPassword, String searchDn, String searchFilter, String dnAttribute,
                    String mailAttributes, String uidAttributes, String nameAttributes, String groupSearchDn,
                    String groupSearchFilter) {

    static LdapSettings of(Config c) {
        String server = c.string(ConfigKeys.LDAP_SERVER).trim();
        boolean ldaps = c.bool(ConfigKeys.LDAP_NEEDTLS);
        String host;
        int port = -1;
        if (server.startsWith("ldap://") || server.startsWith("ldaps://")) {
            URI uri = URI.create(server);
            ldaps = ldaps || "ldaps".equals(uri.getScheme());
            host = uri.getHost();
            port = uri.getPort();
        } else {
            int colon = server.lastIndexOf(':');
            host = colon > 0 ? server.substring(0, colon) : server;
            if (colon > 0) {
                port = Integer.parseInt(server.substring(colon + 1));
            }
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ldap_server must name the directory (host:port) when ldap_enable is on");
        }
        return new LdapSettings(host, port > 0 ? port : ldaps ? 636 : 389, ldaps, c.bool(ConfigKeys.LDAP_STARTTLS),
                c.string(ConfigKeys.LDAP_CA_FILE), c.string(ConfigKeys.LDAP_BINDDN),
                c.string(ConfigKeys.LDAP_BINDPASSWORD), c.string(ConfigKeys.LDAP_SEARCHDN),
                c.string(ConfigKeys.LDAP_SEARCHFILTER), c.string(ConfigKeys.LDAP_MAPPING_DN),
                c.string(ConfigKeys.LDAP_MAPPING_MAIL), c.string(ConfigKeys.LDAP_MAPPING_UID),
                c.string(ConfigKeys.LDAP_MAPPING_CN), c.string(ConfigKeys.LDAP_GROUP_SEARCH_DN),
                c.string(ConfigKeys.LDAP_GROUP_SEARCH_FILTER));
    }
}
