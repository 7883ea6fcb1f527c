// serve.test.mjs: the chronicle web page in a real browser.
//
// Design note: Playwright (playwright-core, no bundled browsers) drives
// Debian's chromium against a `chronicle serve` that tests/cli/test_browser.sh
// starts over the seeds and the bundled sample.  The tests assert on what a
// person sees (text, visible panels, highlighted matches), refuse every
// request that leaves the server's origin, fail on any script error or CSP
// violation, and save a screenshot of each view in CHR_SHOTS.
//
// Environment: CHR_URL (server base URL, required), CHR_SHOTS (screenshot
// folder), CHR_SEEDS=1 when the seeds were ingested, CHR_EXAMPLES=1 when the
// bundled sample was, CHR_CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.CHR_URL || '').replace(/\/$/, '');
const SHOTS = process.env.CHR_SHOTS || 'screenshots';
const SEEDS = process.env.CHR_SEEDS === '1';
const EXAMPLES = process.env.CHR_EXAMPLES === '1';
const T = 15000;

let ctx, page, profile;
const problems = []; // script errors, CSP violations, off-origin requests

before(async () => {
  assert.ok(BASE, 'CHR_URL must name the server');
  mkdirSync(SHOTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'chr-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE + '/') || url === BASE) return route.continue();
    problems.push('off-origin request: ' + url);
    return route.abort();
  });
  page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(T);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // 4xx answers are expected (a malformed query is a 400); anything
    // else logged as an error is a problem
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push('console error: ' + m.text());
  });
});

after(async () => {
  if (ctx) await ctx.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(name, fullPage = false) {
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage });
}

async function search(word) {
  await page.fill('#search-input', word);
  await page.press('#search-input', 'Enter');
}

test('the article list opens with newest articles and placeholders', async () => {
  await page.goto(BASE + '/');
  await page.locator('.card').first().waitFor();
  assert.equal(await page.locator('.page-head h1').textContent(), 'Articles');
  assert.ok(await page.locator('.card').count() > 1, 'several articles listed');
  // the first dated article is not older than the second
  const dates = await page.locator('.card .meta time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  assert.ok(dates.length >= 2 && dates[0] >= dates[1], 'newest first: ' + dates.slice(0, 3).join(', '));
  const events = page.locator('[data-panel="events"]');
  await events.locator('ul, .empty-line').first().waitFor();
  if (SEEDS || EXAMPLES) assert.ok(await events.locator('li a').count() > 0, 'the events panel lists events');
  else assert.match(await events.textContent(), /No events yet|Event/);
  assert.match(await page.locator('#foot-status').textContent(), /\d+ articles? · chronicle/);
  await shot('01-articles');
});

test('following a link opens the article with what cleaning removed', async () => {
  await page.goto(BASE + '/#/');
  const card = page.locator('.card', { has: page.locator('.pill') }).first();
  await card.waitFor();
  const headline = (await card.locator('.card-title a').textContent()).trim();
  await card.locator('.card-title a').click();
  await page.locator('.story-title').waitFor();
  assert.equal((await page.locator('.story-title').textContent()).trim(), headline);
  assert.match(page.url(), /#\/article\//);
  const panel = page.locator('#removed');
  assert.ok(await panel.isVisible(), 'removed-by-cleaning panel visible');
  assert.match(await panel.locator('h2').textContent(), /Removed by cleaning/);
  const items = panel.locator('.removed-list li');
  assert.ok(await items.count() > 0, 'at least one removal listed');
  assert.ok((await items.first().locator('.reason').textContent()).trim().length > 0, 'each removal has a reason');
  assert.ok(await page.locator('.body p').count() > 0, 'clean text shown');
  await shot('02-article', true);
});

test('an article from the seeds shows its date, source and agencies', { skip: !SEEDS && 'no seeds' }, async () => {
  await page.goto(BASE + '/#/article/000_ebeebb8ab09c1e5b');
  await page.locator('.story-title').waitFor();
  const facts = await page.locator('.facts').textContent();
  assert.match(facts, /Published/);
  assert.match(facts, /From/);
  assert.ok(await page.locator('#removed').isVisible());
  await shot('03-article-seed');
});

test('a syndicated copy links to the other copies', { skip: !EXAMPLES && 'no bundled sample' }, async () => {
  await page.goto(BASE + '/#/article/01_valmora_strike_cpa');
  const copies = page.locator('.copies:not([hidden])');
  await copies.waitFor();
  assert.match(await copies.textContent(), /Other copies of this story/);
  await copies.locator('a').first().click();
  await page.locator('.story-title').waitFor();
  assert.match(page.url(), /#\/article\/(?!01_valmora_strike_cpa)/);
});

test('search shows highlighted matches', async () => {
  const word = SEEDS ? 'Lavrov' : EXAMPLES ? 'Valmora' : 'the';
  await page.goto(BASE + '/#/');
  await page.locator('.card').first().waitFor();
  await search(word);
  await page.locator('.result').first().waitFor();
  assert.match(page.url(), new RegExp('#/search\\?q=' + word));
  const mark = page.locator('.result mark').first();
  assert.ok(await mark.isVisible(), 'a highlighted match is visible');
  assert.equal((await mark.textContent()).toLowerCase(), word.toLowerCase());
  assert.match(await page.locator('.page-head .sub').textContent(), /match/);
  // markers never leak into the text
  const text = await page.locator('.results').textContent();
  assert.ok(!/[\u0002\u0003]/.test(text), 'no raw markers');
  await shot('04-search');
  // and a result leads to its article, with the words highlighted there
  await page.locator('.result .card-title a').first().click();
  await page.locator('.story-title').waitFor();
  const inText = page.locator('.body mark').first();
  await inText.waitFor();
  assert.equal((await inText.textContent()).toLowerCase(), word.toLowerCase());
  assert.match(await page.locator('.back a').textContent(), /Back to the results/);
  await shot('05-article-from-search');
});

test('a malformed query explains itself instead of failing', async () => {
  await page.goto(BASE + '/#/');
  await search('"unbalanced');
  const err = page.locator('.notice.error');
  await err.waitFor();
  assert.match(await err.textContent(), /could not be run/);
  assert.match(await err.textContent(), /malformed query/);
  await shot('06-search-error');
});

test('the timeline lists dated facts and leads into an event', async () => {
  await page.goto(BASE + '/#/timeline');
  assert.equal(await page.locator('[data-nav="timeline"]').getAttribute('aria-current'), 'page');
  await page.locator('.tl-entry, [data-empty="timeline"]').first().waitFor();
  if (!SEEDS) {
    await shot('07-timeline');
    return;
  }
  const entry = page.locator('.tl-entry', { hasText: 'Sergei Lavrov' }).first();
  await entry.waitFor();
  assert.match(await page.locator('.timeline').textContent(), /20 November 2019/);
  assert.ok(await page.locator('.tl-month').count() >= 2, 'entries grouped by month');
  await shot('07-timeline');
  const title = (await entry.locator('.tl-event').textContent()).trim();
  await entry.locator('.tl-event').click();
  await page.locator('.story-title').waitFor();
  assert.match(page.url(), /#\/event\//);
  assert.equal((await page.locator('.story-title').textContent()).trim(), title);
  const facts = page.locator('[data-section="facts"]');
  assert.match(await facts.textContent(), /Choe Son-hui/);
  assert.match(await facts.textContent(), /Sergei Lavrov/);
  assert.ok(await facts.locator('blockquote').count() > 0, 'facts quote their sentences');
  assert.ok(await page.locator('[data-section="summary"] .cite').count() > 0, 'summary sentences link to articles');
  await page.locator('[data-section="sources"] .groups').waitFor();
  assert.match(await page.locator('[data-section="sources"] h2').textContent(), /Sources \(\d+ articles?, \d+ independent stor/);
  await page.locator('[data-section="sources"] li a:not([href="#"])').first().waitFor();
  await shot('09-event');
});

test('disagreeing sources are highlighted on the facts view and the event', { skip: !SEEDS && 'no seeds' }, async () => {
  await page.goto(BASE + '/#/facts');
  const c = page.locator('.conflict').first();
  await c.waitFor();
  const text = await c.textContent();
  assert.match(text, /Sources disagree/);
  assert.match(text, /5 days/);
  assert.match(text, /3 days/);
  assert.match(text, /five-day trip/);
  assert.match(text, /three-day visit/);
  assert.ok(await page.locator('.fact').count() > 5, 'facts listed');
  await shot('10-facts');
  await c.locator('a', { hasText: 'Open the event' }).click();
  await page.locator('.story-title').waitFor();
  const onEvent = page.locator('#conflicts .conflict');
  await onEvent.waitFor();
  assert.ok(await onEvent.isVisible(), 'the conflict is shown on the event page');
  assert.match(await page.locator('.facts').textContent(), /Disputed/);
  await shot('11-event-conflict');
});

test('following an entity shows its aliases, roles and timeline', { skip: !SEEDS && 'no seeds' }, async () => {
  await page.goto(BASE + '/#/facts');
  const link = page.locator('.fact a.ent', { hasText: 'Sergei Lavrov' }).first();
  await link.waitFor();
  await link.click();
  await page.locator('.story-title').waitFor();
  assert.equal((await page.locator('.story-title').textContent()).trim(), 'Sergei Lavrov');
  assert.match(await page.locator('.facts').textContent(), /person/);
  const tl = page.locator('[data-section="timeline"] .tl-entry');
  await tl.first().waitFor();
  assert.match(await page.locator('[data-section="timeline"]').textContent(), /Choe/);
  await shot('12-entity');
  // an entity with aliases and roles over time
  await page.goto(BASE + '/#/entity/' + encodeURIComponent('Choe Son-hui'));
  await page.locator('.story-title').waitFor();
  const dl = await page.locator('.facts').textContent();
  assert.match(dl, /Also called/);
  await page.locator('[data-section="timeline"] .tl-entry').first().waitFor();
  if (await page.locator('[data-section="roles"]').count()) {
    assert.ok(await page.locator('.roles li').count() > 0);
  }
  await shot('13-entity-aliases');
  // the timeline filtered to the entity, from the filter form
  await page.goto(BASE + '/#/timeline');
  await page.locator('#timeline-form input[name="entity"]').fill('Lavrov');
  await page.locator('#timeline-form button').click();
  await page.locator('.page-head h1', { hasText: 'Timeline of Lavrov' }).waitFor();
  await page.locator('.tl-entry').first().waitFor();
  assert.match(await page.locator('.timeline').textContent(), /Lavrov/);
});

test('events list and empty or missing views explain themselves', async () => {
  await page.goto(BASE + '/#/events');
  await page.locator('.event-card, [data-empty="events"]').first().waitFor();
  if (SEEDS) assert.match(await page.locator('.cards').textContent(), /Korea|Pyongyang|Moscow/);
  await shot('14-events');
  await page.goto(BASE + '/#/entities');
  await page.locator('ul.list li, [data-empty="entities"]').first().waitFor();
  await page.goto(BASE + '/#/event/999999');
  await page.locator('.notice.error').waitFor();
  assert.match(await page.locator('.notice.error').textContent(), /No such event/);
  await page.goto(BASE + '/#/timeline?entity=nobody-at-all');
  // the previous view's notice may still be on the page while this one loads
  await page.locator('.notice.error', { hasText: 'No such entity' }).waitFor();
});

test('a phone-sized screen gets one readable column', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(BASE + '/#/');
    const card = page.locator('.card', { has: page.locator('.pill') }).first();
    await card.waitFor();
    await card.locator('.card-title a').click();
    await page.locator('.story-title').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
    await shot('08-article-phone');
    await page.locator('#removed').scrollIntoViewIfNeeded();
    assert.ok(await page.locator('#removed').isVisible());
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test('data is shown as text, never as markup', async () => {
  const evil = '<img src=x onerror="window.__pwned=1">Harbour <b>bold</b> claim';
  const res = await fetch(BASE + '/api/articles', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'xss-probe', title: evil, text: 'Quillfeather <script>window.__pwned=2</script> report about the harbour.' }),
  });
  assert.ok(res.status === 201 || res.status === 401, 'POST answered ' + res.status);
  if (res.status !== 201) return; // the server was started with --token
  await page.goto(BASE + '/#/search?q=quillfeather');
  await page.locator('.result').first().waitFor();
  await page.locator('.result .card-title a').first().click();
  await page.locator('.story-title').waitFor();
  assert.equal(await page.locator('.story-title').textContent(), evil);
  assert.equal(await page.locator('.story img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('no script errors, CSP violations or off-origin requests', () => {
  assert.deepEqual(problems, []);
});
