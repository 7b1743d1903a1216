// GraphiQL without the internet: loads /graphiql of `ropa serve --demo` in headless Chromium
// with every request to another host aborted, puts the demo admin's token into the header
// editor, runs the preloaded example query and expects the demo organisations in the result.
// Fails on a page error, a policy violation or a request that left the machine.
//
//   node scripts/graphiql-offline.mjs [--binary target/debug/ropa] [--chromium /usr/bin/chromium]
import { chromium } from 'playwright-core';

import { startRopa } from './ropa-server.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const binary = option('--binary', 'target/debug/ropa');
const executablePath = option('--chromium', '/usr/bin/chromium');

const server = await startRopa(binary);
const problems = [];
let browser;
let page;
try {
  if (!server.token) throw new Error('serve --demo printed no demo-admin token');
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage();
  const blocked = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${server.url}/graphiql`, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-container', { timeout: 30000 });

  // The header editor holds the template; the token replaces it.
  const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
  const template = await headers.innerText();
  if (!template.includes('Authorization')) throw new Error(`no header template: ${template}`);
  await headers.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${server.token}` }));

  const query = await page.locator('.graphiql-query-editor').innerText();
  if (!query.includes('organisations')) throw new Error(`no example query: ${query}`);
  await page.locator('.graphiql-execute-button').click();
  // The result editor draws only the lines in view: its whole text comes from CodeMirror.
  const answer = await page.waitForFunction(
    () => {
      const editor = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror;
      const text = editor?.getValue() ?? '';
      return text.includes('"data"') || text.includes('"errors"') ? text : null;
    },
    null,
    { timeout: 30000 },
  );
  const text = await answer.jsonValue();
  if (text.includes('"errors"')) problems.push(`the query answered errors: ${text.slice(0, 500)}`);
  for (const slug of ['puuha', 'coreorient', 'helpten', 'esimerkki']) {
    if (!text.includes(`"${slug}"`)) problems.push(`the result lacks ${slug}`);
  }
  if (blocked.length > 0) problems.push(`requests to other hosts: ${blocked.join(', ')}`);
} catch (error) {
  problems.push(String(error?.stack || error));
} finally {
  // What the page showed, to look at when it failed.
  await page?.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT || '/tmp/graphiql-offline.png' }).catch(() => {});
  await browser?.close();
  server.stop();
}
for (const problem of problems) console.log(problem);
console.log(`graphiql-offline: ${problems.length === 0 ? 1 : 0} passed, ${problems.length === 0 ? 0 : 1} failed`);
process.exit(problems.length === 0 ? 0 : 1);
