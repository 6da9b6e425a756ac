#!/usr/bin/env bash
# Builds target/semaphore_<version>_amd64.deb from target/semaphore.jar: a Java runtime trimmed by jlink
# to the modules the jar uses, the jar, /usr/bin/semaphore, a systemd unit and the maintainer scripts
# (a `semaphore` system user, /etc/semaphore/config.json made on first install, data in /var/lib/semaphore).
# Usage: packaging/deb/build.sh <version> [jar] [output folder]
#   (the Maven build runs it in the package phase on target/semaphore.jar into target/)
set -euo pipefail
cd "$(dirname "$0")/../.."
version="$1"
jar="${2:-target/semaphore.jar}"
dest="${3:-target}"
java_home="${JAVA_HOME:-$(bin/java-home)}"
# What `jdeps --print-module-deps --ignore-missing-deps --multi-release 25 target/semaphore.jar` lists
# (it takes ~20 s, so it is not run each build), plus extra charsets, JMX and the zip file system.
modules=java.base,java.desktop,java.instrument,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.charsets,jdk.zipfs,java.management
out="$dest/deb"
root="$out/root"
rm -rf "$out" "$dest"/semaphore_*_amd64.deb
mkdir -p "$root/usr/lib/semaphore" "$root/DEBIAN"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$root/usr/lib/semaphore/runtime"
install -m 0644 "$jar" "$root/usr/lib/semaphore/semaphore.jar"
install -D -m 0755 packaging/deb/semaphore "$root/usr/bin/semaphore"
install -D -m 0644 packaging/deb/semaphore.service "$root/lib/systemd/system/semaphore.service"
install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$root/DEBIAN/"
# Debian versions may not hold "-SNAPSHOT"'s hyphen after the upstream part's digits: 0.1.0-SNAPSHOT -> 0.1.0~snapshot
deb_version="$(printf '%s' "$version" | sed 's/-SNAPSHOT$/~snapshot/')"
installed_kb="$(du -sk "$root" | cut -f1)"
sed -e "s/@VERSION@/$deb_version/" -e "s/@SIZE@/$installed_kb/" packaging/deb/control > "$root/DEBIAN/control"
deb="$dest/semaphore_${deb_version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"
