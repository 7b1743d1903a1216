// `ropa serve --demo` on a fresh SQLite database and a free port of 127.0.0.1, for the Node
// checks of CI; it answers /healthz before `startRopa` returns.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port of 127.0.0.1 that nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the service; returns its base URL, the demo's admin token and a `stop()`. */
export async function startRopa(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'ropa-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['serve', '--demo'], {
    env: {
      ...process.env,
      ROPA_DATABASE_URL: `sqlite://${join(dir, 'ropa.db')}`,
      ROPA_LISTEN: `127.0.0.1:${port}`,
      ROPA_RATE_LIMIT: '0',
      ROPA_ADDRESS_RATE_LIMIT: '0',
      ROPA_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let out = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  // The demo loads first: up to a minute for an unoptimised build on a loaded machine.
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return { url, stop, log: () => log, token: demoToken(out) };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error(`ropa serve did not answer on ${url}:\n${log}`);
}

/** The demo admin's token, which `serve --demo` prints at its start. */
function demoToken(out) {
  return out.match(/^\s+demo-admin\s+(ropa_[A-Za-z0-9_-]{43})$/m)?.[1];
}

/** The audit IDs that docs/operations.md explains, in its list of remaining warnings. */
export function explainedWarnings() {
  const page = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
  return new Set([...page.matchAll(/^- `([0-9A-Z]{4})`/gm)].map((m) => m[1]));
}
