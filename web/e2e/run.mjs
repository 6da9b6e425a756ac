// End-to-end tests of the web UI: the built jar on a fresh SQLite database, Debian's Chromium
// driven by playwright-core (no browser download). Prints "N passed, N failed"; exits 1 on any
// failure. Screenshots of the main screens go to docs/screenshots/.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const jar = process.env.SEMAPHORE_JAR ?? join(root, 'target', 'semaphore.jar');
// The JDK the project builds with (bin/java-home finds it) unless JAVA_HOME names one.
const javaHome = process.env.JAVA_HOME ?? execFileSync(join(root, 'bin', 'java-home'), { encoding: 'utf8' }).trim();
const java = join(javaHome, 'bin', 'java');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const only = process.argv[2];

if (!existsSync(browserPath)) {
  console.error(`e2e: no browser at ${browserPath} (install Debian's chromium, or set CHROMIUM)`);
  process.exit(1);
}

const port = await freePort();
const work = mkdtempSync(join(tmpdir(), 'semaphore-e2e-'));
const idp = startIdentityProvider(await freePort());
const repo = makeRepository(join(work, 'repo'));
const admin = { login: 'admin', password: 'e2e-admin-password' };
const servers = [];
const main = startServer(port, 'db.sqlite', {});
const server = main.process;
const base = main.base;
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

/** A server from the jar on its own SQLite database, with the shared settings and {@code extra} on top. */
function startServer(serverPort, database, extra) {
  const child = spawn(java, ['-jar', jar, 'server', '--no-config'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      SEMAPHORE_DB_DIALECT: 'sqlite',
      SEMAPHORE_DB_HOST: join(work, database),
      SEMAPHORE_PORT: String(serverPort),
      SEMAPHORE_TMP_PATH: join(work, 'tmp-' + database),
      SEMAPHORE_ADMIN: admin.login,
      SEMAPHORE_ADMIN_PASSWORD: admin.password,
      SEMAPHORE_ADMIN_EMAIL: 'admin@example.test',
      SEMAPHORE_ACCESS_KEY_ENCRYPTION: Buffer.alloc(32, 7).toString('base64'),
      SEMAPHORE_TEAMS_INVITES_ENABLED: 'true',
      SEMAPHORE_TEAMS_INVITE_TYPE: 'both',
      SEMAPHORE_TOTP_ENABLED: 'true',
      SEMAPHORE_TOTP_ALLOW_RECOVERY: 'true',
      SEMAPHORE_OIDC_PROVIDERS: JSON.stringify({
        corp: { display_name: 'Corp SSO', provider_url: idp.issuer, client_id: 'semaphore', client_secret: 'e2e-secret' },
      }),
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  return { process: child, base: `http://127.0.0.1:${serverPort}` };
}

/** A second server for a scenario that needs other settings; ended with the run. */
async function anotherServer(extra) {
  const other = startServer(await freePort(), `db-${servers.length}.sqlite`, extra);
  let log = '';
  other.process.stdout.on('data', (d) => (log += d));
  other.process.stderr.on('data', (d) => (log += d));
  await waitForPing(other.base, other.process, () => log);
  return other.base;
}

let passed = 0;
let failed = 0;
let browser;
try {
  await waitForPing(base);
  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const shots = join(root, 'docs', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await waitForPing(idp.issuer + '/.well-known/openid-configuration', idp.process, () => idp.log);
  // Any Content-Security-Policy violation on any page a scenario opens fails that scenario.
  const violations = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...options) => {
    const created = await newContext(...options);
    created.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return created;
  };
  const context = { base, admin, repo, shots, browser, anotherServer, violations };
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only && !name.includes(only)) continue;
    const started = Date.now();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    violations.length = 0;
    try {
      await scenario({ ...context, page });
      if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`);
      passed++;
      console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${error.stack ?? error}`);
      await page.screenshot({ path: join(work, `failure-${name}.png`) }).catch(() => {});
      console.log(`     screenshot: ${join(work, `failure-${name}.png`)}`);
    } finally {
      await page.close();
    }
  }
} catch (error) {
  failed++;
  console.log(`FAIL setup: ${error.stack ?? error}`);
} finally {
  await browser?.close();
  servers.forEach((child) => child.kill());
  idp.process.kill();
}
if (failed > 0) {
  console.log('--- server log ---\n' + serverLog.split('\n').slice(-60).join('\n'));
} else {
  rmSync(work, { recursive: true, force: true });
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

async function waitForPing(url, process = server, log = () => serverLog) {
  const target = url.includes('/.well-known/') ? url : url + '/api/ping';
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) {
      throw new Error(target + ': its process exited with ' + process.exitCode + ':\n' + log());
    }
    try {
      const response = await fetch(target);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(target + ' did not answer within 60 s\n' + log());
}

function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * A real OpenID provider (mock-oauth2-server, from Maven Central) on its own JVM, with the classpath the
 * Maven build wrote (pom: oidc-provider-classpath, oidc-provider-lib). Its sign-in form takes any
 * subject and claims.
 */
function startIdentityProvider(idpPort) {
  const target = join(root, 'target');
  const classpathFile = join(target, 'oidc-provider.classpath');
  if (!existsSync(classpathFile)) {
    throw new Error(`e2e: ${classpathFile} is missing; build with Maven first (it writes the provider's classpath)`);
  }
  const lib = join(target, 'oidc-provider-lib');
  const classpath = [readFileSync(classpathFile, 'utf8').trim(), ...readdirSync(lib).map((f) => join(lib, f))].join(':');
  const process_ = spawn(java, ['-Xmx128m', '-cp', classpath, 'no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt'], {
    env: { PATH: process.env.PATH, SERVER_PORT: String(idpPort), SERVER_HOSTNAME: '127.0.0.1', JSON_CONFIG: '{"interactiveLogin": true}' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const provider = { process: process_, issuer: `http://127.0.0.1:${idpPort}/corp`, log: '' };
  process_.stdout.on('data', (d) => (provider.log += d));
  process_.stderr.on('data', (d) => (provider.log += d));
  return provider;
}

/** A git repository with a playbook and scripts, used by the scenarios as a local path. */
function makeRepository(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'site.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="hello {{ greeting }} from ansible"
`);
  writeFileSync(join(dir, 'hello.sh'), 'echo "hello from bash, args=$*"\nfor i in 1 2 3; do echo "line $i"; done\n');
  mkdirSync(join(dir, 'infra'), { recursive: true });
  writeFileSync(join(dir, 'infra', 'main.tf'), `resource "terraform_data" "e2e" {
  input = "from the web UI"
}
output "said" {
  value = terraform_data.e2e.output
}
`);
  writeFileSync(join(dir, 'long.sh'), 'echo "long task started"\nsleep 120 & wait\n');
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.email=e2e@example.test', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'e2e scripts');
  return dir;
}
