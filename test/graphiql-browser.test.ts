import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentmc, envelope, SESSIONS_PATH } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';

/*
 * GraphiQL in a real browser: Debian's Chromium driven by playwright-core, against the real gateway
 * and the fake upstream. Every request to a host other than this machine is aborted and recorded,
 * so the page working at all proves that GraphiQL's assets come from the gateway itself.
 *
 * GraphiQL 5 edits with Monaco. Its editors are driven with the keyboard, as a person would: click
 * into the editor, select all, delete, insert the text in one input event (typing it key by key
 * would race Monaco's auto-closing quotes and brackets). What an editor holds is read back from
 * its rendered lines, never from Monaco's internals.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const GOOD_KEY = 'mca_typed_into_graphiql_headers';
const BAD_KEY = 'mca_revoked_key_typed_into_graphiql';
/** The GraphiQL bundle is large; a cold Chromium takes a while to parse and run it. */
const SLOW = 60_000;

const harness = useGateway();

let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
/** Every URL the page (or its workers) tried to reach on a host other than this machine. */
const external: string[] = [];
/** Every URL it asked of the gateway. */
const local: string[] = [];
const pageErrors: string[] = [];

function noteExternal(url: string): void {
  if (!external.includes(url)) external.push(url);
}

function isThisMachine(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(protocol)) return true; // data:, blob:, about:
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, serviceWorkers: 'block' });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isThisMachine(url)) {
      local.push(url);
      await route.continue();
    } else {
      noteExternal(url);
      await route.abort('blockedbyclient');
    }
  });
  await context.routeWebSocket(
    (url) => !isThisMachine(url.href),
    (socket) => {
      noteExternal(socket.url());
      void socket.close();
    },
  );
  // Anything that slipped past the route (it should not) is still seen here.
  context.on('request', (request) => {
    if (!isThisMachine(request.url())) noteExternal(request.url());
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(harness.gateway.url.href);
}, SLOW);

afterAll(async () => {
  await browser?.close();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page?.screenshot({ path: join(ARTIFACTS, 'graphiql-failure.png') }).catch(() => undefined);
  });
});

/** The text a Monaco editor shows, as lines joined with newlines (Monaco renders spaces as U+00A0). */
async function editorText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.view-line').evaluateAll((nodes) =>
    nodes
      .map((node) => ({
        top: parseFloat((node as HTMLElement).style.top) || 0,
        text: node.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

const queryEditor = () => page.locator('section.graphiql-query-editor .monaco-editor').first();
// The Variables and Headers editors share one section; the one not shown has `hidden`.
const headersEditor = () =>
  page.locator(
    'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .monaco-editor',
  );
const variablesEditor = () =>
  page.locator(
    'section.graphiql-editor-tool[aria-label="Variables"] .graphiql-editor:not(.hidden) .monaco-editor',
  );
const resultPane = () => page.locator('section.result-window .monaco-editor');

/** Replaces what the Headers editor holds with `text`, through the keyboard. */
async function typeHeaders(text: string): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  const editor = headersEditor();
  await expect.poll(() => editor.isVisible(), { timeout: SLOW }).toBe(true);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+KeyA');
  await page.keyboard.press('Backspace');
  await expect.poll(() => editorText(editor), { timeout: SLOW }).toBe('');
  await page.keyboard.insertText(text);
  await expect.poll(() => editorText(editor), { timeout: SLOW }).toBe(text);
}

/**
 * Runs `operation` of the document and waits for `expected` in the result. The default document
 * holds the whole session lifecycle, so ▶ first asks which operation to run.
 */
async function runAndWaitFor(expected: string, operation = 'RequestedSessions'): Promise<string> {
  await page.getByRole('button', { name: /^Execute query/ }).click();
  await page.getByRole('menuitem', { name: operation, exact: true }).click({ timeout: SLOW });
  await expect.poll(() => editorText(resultPane()), { timeout: SLOW }).toContain(expected);
  return editorText(resultPane());
}

describe('GraphiQL in Chromium', { timeout: SLOW }, () => {
  it('renders from the gateway alone: no request to another host is even attempted', async () => {
    await page.getByRole('button', { name: /^Execute query/ }).waitFor({ timeout: SLOW });
    await expect
      .poll(() => editorText(queryEditor()), { timeout: SLOW })
      .toContain('query RequestedSessions');
    await expect.poll(() => editorText(headersEditor()), { timeout: SLOW }).toContain('mca_your_agent_key');
    await page.getByRole('button', { name: 'Variables', exact: true }).click();
    await expect.poll(() => editorText(variablesEditor()), { timeout: SLOW }).toContain('"limit": 20');
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await expect.poll(() => page.title()).toContain('GraphiQL');

    expect(external).toEqual([]);
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((url) => url.startsWith(harness.gateway.url.origin))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('runs the default query with the key typed into the Headers editor', async () => {
    await typeHeaders(JSON.stringify({ 'X-Api-Key': GOOD_KEY }));

    const result = await runAndWaitFor('"501"');
    expect(result).toContain('"REQUESTED"');
    expect(result).toContain('"502"');
    expect(result).not.toContain('"errors"');

    const keys = harness.upstream.requests
      .filter((request) => request.path === SESSIONS_PATH)
      .map((request) => request.headers['x-api-key']);
    // One click, one upstream call, with the key typed.
    expect(keys).toEqual([GOOD_KEY]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
  });

  it('shows UNAUTHENTICATED when the upstream rejects the typed key', async () => {
    const accepted = agentmc();
    const rejected = envelope(401, { code: 'unauthenticated', message: 'Invalid API key.' });
    harness.upstream.respondWith((response, request) =>
      (request.headers['x-api-key'] === BAD_KEY ? rejected : accepted)(response, request),
    );
    await typeHeaders(JSON.stringify({ 'X-Api-Key': BAD_KEY }));

    const result = await runAndWaitFor('UNAUTHENTICATED');
    expect(result).not.toContain('"501"');
    expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toContain(BAD_KEY);
  });

  it("opens the docs explorer on the gateway's own descriptions", async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('section.graphiql-doc-explorer');
    // The schema arrives by introspection through the gateway; then Query > agent > Agent.
    await docs
      .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
      .first()
      .click();
    await expect.poll(() => docs.innerText(), { timeout: SLOW }).toContain('The agent this request acts as');
    await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^agent$/ }).click();
    await docs
      .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Agent$/ })
      .first()
      .click();
    await expect
      .poll(() => docs.innerText(), { timeout: SLOW })
      .toContain('Realtime sessions that browsers have asked this agent to join');
  });

  it('made no request to another host during the whole session, and would have caught one', async () => {
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);

    // The guard is not vacuous: a request to another host is recorded and never leaves.
    const outcome = await page.evaluate(() =>
      fetch('https://cdn.example.invalid/graphiql.css').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(outcome).toBe('blocked');
    expect(external).toEqual(['https://cdn.example.invalid/graphiql.css']);
  });
});
