// Driven by bench/ui.sh: measures the log view in Chromium against a running server.
import { chromium } from '../web/node_modules/playwright-core/index.mjs';

const [base, repo, linesText] = process.argv.slice(2);
const lines = Number(linesText);
const login = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ auth: 'admin', password: 'benchpass' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
const api = async (method, path, body) => {
  const r = await fetch(base + '/api' + path, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return r.status === 204 ? null : r.json();
};
const project = await api('POST', '/projects', { name: 'ui bench' });
const keys = await api('GET', `/project/${project.id}/keys`);
const repository = await api('POST', `/project/${project.id}/repositories`, { name: 'r', git_url: repo, ssh_key_id: keys[0].id });
const template = (name, playbook) => api('POST', `/project/${project.id}/templates`, { name, app: 'bash', playbook, repository_id: repository.id });
const many = await template('many', 'many.sh');
const stream = await template('stream', 'stream.sh');
const awaitStatus = async (task, statuses) => {
  for (;;) {
    const t = await api('GET', `/project/${project.id}/tasks/${task}`);
    if (statuses.includes(t.status)) return t;
    await new Promise((r) => setTimeout(r, 50));
  }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const [name, value] = cookie.split('=');
await context.addCookies([{ name, value, url: base }]);
const page = await context.newPage();
const counter = page.getByTestId('log-lines');
const count = async () => Number(((await counter.textContent()) ?? '0').split(' ')[0]);

// 0. A project of 1,000 templates: typing a search into the list.
const big = await api('POST', '/projects', { name: 'many templates' });
const bigKeys = await api('GET', `/project/${big.id}/keys`);
const bigRepo = await api('POST', `/project/${big.id}/repositories`, { name: 'r', git_url: repo, ssh_key_id: bigKeys[0].id });
for (let i = 0; i < 1000; i++) {
  await api('POST', `/project/${big.id}/templates`, { name: `service-${String(i).padStart(4, '0')} deploy`, app: 'bash', playbook: 'many.sh', repository_id: bigRepo.id, description: 'deploys service ' + i });
}
await page.goto(`${base}/project/${big.id}/templates`);
await page.getByRole('link', { name: 'service-0000 deploy' }).waitFor();
await page.evaluate(() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
  }).observe({ type: 'longtask' });
});
const typed = Date.now();
await page.getByLabel('Search templates').pressSequentially('service-0999', { delay: 30 });
await page.getByRole('link', { name: 'service-0999 deploy' }).waitFor();
await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
const searchMs = Date.now() - typed;
console.log(`type "service-0999" (12 keys, 30 ms apart) into the search of 1,000 templates: one row left ${searchMs} ms after the first key; ` +
  `longest main-thread block ${Math.round(await page.evaluate(() => window.__longest))} ms`);

// 1. A finished task of `lines` lines.
const done = (await api('POST', `/project/${project.id}/tasks`, { template_id: many.id })).id;
await awaitStatus(done, ['success', 'error']);
await page.goto(`${base}/project/${project.id}/history`); // the app and its code are loaded and warm
await page.getByRole('heading', { name: 'History' }).waitFor();
const opened = Date.now();
await page.goto(`${base}/project/${project.id}/templates/${many.id}?t=${done}`);
await page.waitForFunction((n) => document.querySelector('[data-testid=log-lines]')?.textContent?.startsWith(n + ' '), lines, { timeout: 120_000 });
const openMs = Date.now() - opened;
console.log(`open a finished ${lines.toLocaleString('en')}-line task by its URL until every line is in the view: ${openMs} ms (page load included)`);
// The usual way: from the History page of the running app.
await page.goto(`${base}/project/${project.id}/history`);
await page.getByRole('link', { name: '#' + done, exact: true }).waitFor();
const clicked = Date.now();
await page.getByRole('link', { name: '#' + done, exact: true }).click();
await page.waitForFunction((n) => document.querySelector('[data-testid=log-lines]')?.textContent?.startsWith(n + ' '), lines, { timeout: 120_000 });
console.log(`open it from the History page until every line is in the view: ${Date.now() - clicked} ms (target < 1,000 ms)`);

// 2. A task streaming ~5,000 lines/s for 10 s, watched live.
await page.evaluate(() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
  }).observe({ type: 'longtask', buffered: false });
});
const live = (await api('POST', `/project/${project.id}/tasks`, { template_id: stream.id })).id;
await page.goto(`${base}/project/${project.id}/templates/${stream.id}?t=${live}`);
await page.evaluate(() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
  }).observe({ type: 'longtask' });
});
const samples = [];
for (;;) {
  const t = await api('GET', `/project/${project.id}/tasks/${live}`);
  samples.push(await count());
  if (['success', 'error'].includes(t.status)) break;
  await new Promise((r) => setTimeout(r, 250));
}
const ended = Date.now();
await page.waitForFunction(() => document.querySelector('[data-testid=log-lines]')?.textContent?.startsWith('50000 '), null, { timeout: 60_000 });
const trail = Date.now() - ended;
const longest = await page.evaluate(() => window.__longest);
const rising = samples.filter((n, i) => i > 0 && n > samples[i - 1]).length;
console.log(`watch a task printing ~5,000 lines/s for 10 s: all 50,000 lines shown ${trail} ms after it ended; ` +
  `the counter rose in ${rising} of ${samples.length} samples taken every 250 ms; longest main-thread block ${Math.round(longest)} ms`);
await browser.close();
