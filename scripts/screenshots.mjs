// Drives a running dashboard (started by screenshots.sh) to the states worth a picture and saves them, light and dark.
// Arguments: BASE_URL OUT_DIR PLAYWRIGHT_PACKAGE (the Playwright that the .NET test build ships, with its own node).
import { createRequire } from 'node:module';
import path from 'node:path';

const [base, out, playwrightPackage, dataSetsDir] = process.argv.slice(2);
const { chromium } = createRequire(import.meta.url)(playwrightPackage);

const api = async (method, url, body) => {
  const response = await fetch(base + url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
};
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(what, test, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}, in vain`);
    await sleep(1000);
  }
}

const runStatus = async id => (await api('GET', `/api/runs/${id}`)).status.toLowerCase();
const finished = status => ['completed', 'failed', 'cancelled', 'interrupted'].includes(status);

const dataSets = await api('GET', '/api/datasets');
const demo = dataSets.find(d => d.name === 'demo') ?? dataSets[0];
if (!demo) throw new Error('no data set: the demo data set should have been generated on the first start');
const demoFolder = path.join(dataSetsDir, demo.name);

// Five small finished runs that differ in a few options, so the list, the comparison and the charts have something to show.
const small = { dataSet: demo.name, preset: 'quick', depth: 18, imageSize: 64, batchSize: 16, epochs: 3 };
const recipes = [
  { name: 'r18 64px baseline', tags: 'baseline', seed: 1 },
  { name: 'r18 64px lr 0.02', tags: 'lr-search', seed: 1, learningRate: 0.02 },
  { name: 'r18 64px flip', tags: 'augment', seed: 1, augmentFlip: true },
  { name: 'r18 64px cosine', tags: 'lr-search', seed: 2, schedule: 'cosine', warmupSteps: 10 },
  { name: 'r18 64px seed 3', tags: 'baseline', seed: 3 },
];
const ids = [];
for (const recipe of recipes) ids.push((await api('POST', '/api/runs', { ...small, ...recipe })).id);
// One longer run to catch while it trains.
const live = (await api('POST', '/api/runs', { ...small, name: 'r18 64px live', tags: 'demo', epochs: 5, seed: 4 })).id;
// A sweep of six small trials (trained after the runs), with median stopping, for the sweep pages.
const sweep = (await api('POST', '/api/sweeps', {
  dataSet: demo.name, preset: 'quick', name: 'learning rate × flip', overrides: { depth: 18, imageSize: 32, epochs: 4 },
  space: { learningRate: { min: 0.001, max: 0.05, scale: 'log', count: 3 }, augmentFlip: [false, true] },
  medianStopping: { minEpochs: 2, minCompletedTrials: 2 },
})).id;

for (const id of ids) {
  const status = await waitFor(`run ${id} to finish`, async () => { const s = await runStatus(id); return finished(s) && s; }, 900);
  console.log(`run ${id}: ${status}`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const shoot = async (name, url, ready, theme, act) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'palmlab-theme', value: theme, url: base }]);
  const page = await context.newPage();
  await page.goto(base + url);
  await page.locator('.mud-layout[data-interactive="true"]').waitFor({ timeout: 30000 });
  if (ready) await page.locator(ready).first().waitFor({ timeout: 30000 });
  if (act) await act(page);
  await sleep(1500); // charts finish their first draw
  const file = path.join(out, `${name}-${theme}.png`);
  await page.screenshot({ path: file });
  console.log(`saved ${file}`);
  await context.close();
};
const both = async (name, url, ready) => {
  for (const theme of ['light', 'dark']) await shoot(name, url, ready, theme);
};

await waitFor(`run ${live} to start training`, async () => (await api('GET', `/api/runs/${live}/batch-losses`)).length > 20, 600);
await both('run-training', `/runs/${live}`, '.apexcharts-canvas');
await both('runs-list', '/', 'table tbody tr');
await both('new-run', '/runs/new?preset=quick', '.apexcharts-canvas');
await both('compare-3-runs', `/compare?runs=${ids.slice(0, 3).join(',')}`, '.apexcharts-canvas');
await both('datasets', '/datasets', 'table tbody tr');
await both('dataset', `/datasets/${demo.id}`, 'img');
await both('run-completed', `/runs/${ids[0]}`, '.apexcharts-canvas');
// The Predict page with one image: PALMLAB_SCREENSHOT_IMAGE (a real photograph, say) or a demo image.
const image = process.env.PALMLAB_SCREENSHOT_IMAGE || path.join(demoFolder, 'PALM-Training400', 'P0001.jpg');
for (const theme of ['light', 'dark']) {
  await shoot('predict', `/predict?checkpoint=${ids[0]}:best`, null, theme, async page => {
    const input = page.getByLabel('Choose images');
    await input.waitFor({ timeout: 30000 });
    await page.waitForFunction(e => e && !e.disabled && e._blazorInputFileNextFileId !== undefined, await input.elementHandle(), { timeout: 30000 });
    await input.setInputFiles(image);
    await page.getByRole('img', { name: /^Grad-CAM heat map of / }).waitFor({ timeout: 60000 });
  });
}
await waitFor(`run ${live} to finish`, async () => finished(await runStatus(live)), 900);
await both('run-live-completed', `/runs/${live}`, '.apexcharts-canvas');
await waitFor(`sweep ${sweep} to finish`, async () => (await api('GET', `/api/sweeps/${sweep}`)).status !== 'Running', 1800);
await both('sweep', `/sweeps/${sweep}`, '.apexcharts-canvas');
await both('sweeps-list', '/sweeps', 'table tbody tr');
await both('new-sweep', `/sweeps/new?from=${ids[0]}`, '.sw-summary');
await browser.close();
