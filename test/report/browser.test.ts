import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { chromium } from 'playwright-core';
import { tempDir } from './fixtures';
import { ServerlessApiStack } from '../../examples/serverless-api/stack';
import { main } from '../../src/cli/cdk-xray';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does); playwright-core never downloads a browser here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.resolve(__dirname, '..', '..', 'test-reports', 'xray-report.png');
const available = fs.existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the browser test: ${CHROMIUM} not found (apt-get install chromium). In CI it fails instead.`);
}
const describeBrowser = available || process.env.CI ? describe : describe.skip;

describeBrowser('HTML report in a real browser (examples/serverless-api)', () => {
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  let page: Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>;
  let html: string;

  beforeAll(async () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    new ServerlessApiStack(app, 'ServerlessApi');
    app.synth();
    html = path.join(outdir, 'xray-report.html');
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    expect(main(['report', outdir, '--html', html], quiet)).toBe(0);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run',
        '--disable-extensions', '--disable-sync', '--disable-component-update', '--no-default-browser-check'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(`file://${html}`);
    expect(requests).toEqual([`file://${html}`]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('the service map renders a node per resource on the request path, with its visible label', async () => {
    const svg = page.locator('svg.service-map');
    await expect(svg.isVisible()).resolves.toBe(true);
    const lambdas = svg.locator('g.node[data-type="AWS::Lambda::Function"]');
    await expect(lambdas.count()).resolves.toBe(2);
    for (const label of ['WriteItem', 'ReadItem']) {
      const text = svg.locator('g.node text.node-label', { hasText: new RegExp(`^${label}$`) });
      await expect(text.isVisible()).resolves.toBe(true);
    }
    await expect(svg.locator('g.node[data-type="AWS::DynamoDB::Table"]').count()).resolves.toBe(1);
    await expect(svg.locator('g.node[data-type^="AWS::ApiGateway::"]').count()).resolves.toBeGreaterThan(0);

    const boxes = await svg.locator('g.node rect').evaluateAll(rects => rects.map(r => {
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, w: b.width, h: b.height };
    }));
    for (const [i, a] of boxes.entries()) {
      expect(a.w).toBeGreaterThan(100);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
  });

  test('edges: the REST API integrates each function, and each function reaches the table', async () => {
    const edges = await page.locator('svg.service-map g.edge').evaluateAll(gs => gs.map(g => {
      const p = g.querySelector('path')!.getBoundingClientRect();
      return {
        from: g.getAttribute('data-from')!,
        to: g.getAttribute('data-to')!,
        kind: g.getAttribute('data-kind')!,
        label: g.querySelector('text')!.textContent,
        drawn: p.width + p.height > 10,
      };
    }));
    const typeOf = async (id: string) => page.locator(`svg.service-map g.node[data-id="${id}"]`).getAttribute('data-type');
    const lambdaIds = await page.locator('svg.service-map g.node[data-type="AWS::Lambda::Function"]').evaluateAll(gs => gs.map(g => g.getAttribute('data-id')!));
    const tableId = await page.locator('svg.service-map g.node[data-type="AWS::DynamoDB::Table"]').getAttribute('data-id');
    for (const fn of lambdaIds) {
      const into = edges.filter(e => e.to === fn && e.kind.includes('integration'));
      expect(into).toHaveLength(1);
      expect(await typeOf(into[0].from)).toMatch(/^AWS::ApiGateway::/);
      expect(edges.filter(e => e.from === fn && e.to === tableId && e.kind.includes('data'))).toHaveLength(1);
    }
    for (const e of edges) {
      expect(e.drawn).toBe(true);
      expect(e.label).toBe(e.kind);
    }
  });

  test('the coverage table lists every node of the map; a screenshot is saved', async () => {
    const mapIds = await page.locator('svg.service-map g.node:not(.external)').evaluateAll(gs => gs.map(g => g.getAttribute('data-id')).sort());
    const rowIds = await page.locator('table.coverage tbody tr').evaluateAll(rs => rs.map(r => r.getAttribute('data-id')).sort());
    expect(rowIds).toEqual(mapIds);
    await expect(page.locator('h2', { hasText: 'Stack ServerlessApi' }).isVisible()).resolves.toBe(true);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});
