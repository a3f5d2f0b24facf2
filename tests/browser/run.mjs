// The public pages in a real Chromium: accessibility (axe-core, WCAG 2.1 A and AA) at a
// desktop and a mobile width, the structural checks axe leaves aside (language, one <h1>,
// skip link), a keyboard-only journey from the home page to the "Signaler une erreur"
// form, and the search without JavaScript.
//
//   node tests/browser/run.mjs BASE_URL ARTEFACT_DIR
//
// Writes ARTEFACT_DIR/axe-report.json and ARTEFACT_DIR/screenshots/*.png, prints a table of
// the violations by impact and every failure; exits 1 on a serious or critical violation
// or on any failed check.

import { chromium } from 'playwright-core';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const [base, artefacts] = process.argv.slice(2).map((a) => a?.replace(/\/+$/, ''));
if (!base || !artefacts) {
  console.error('usage: node run.mjs BASE_URL ARTEFACT_DIR');
  process.exit(2);
}

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling Google's services, and a
// closed network refuses those connections noisily.
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WIDTHS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  mobile: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
};
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];
const RESULT_LINK = 'a[href^="/structures/"], a[href^="/services/"], a[href^="/projets/"]';
const MAX_TABS = 200;
const TIMEOUT_MS = 15_000;

/** The demo accounts of the README. */
const ACCOUNTS = {
  member: ['membre@demo.example.org', 'camille-demo-2026'],
  moderator: ['moderation@demo.example.org', 'moderatrice-demo-2026'],
  committee: ['comite@demo.example.org', 'jury-demo-2026'],
};

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const failures = [];
const fail = (message) => failures.push(message);

// A wedged browser must not hang the caller forever.
const WATCHDOG_MS = 10 * 60 * 1000;
setTimeout(() => {
  for (const f of failures) console.error(`  - ${f}`);
  console.error(`browser checks still running after ${WATCHDOG_MS / 60000} minutes: aborted`);
  process.exit(1);
}, WATCHDOG_MS).unref();

// Screenshots of an earlier run would pass for this one's.
await rm(path.join(artefacts, 'screenshots'), { recursive: true, force: true });
await mkdir(path.join(artefacts, 'screenshots'), { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }).catch((error) => {
  console.error(`could not start Chromium (${CHROMIUM}); scripts/browser-deps installs it.\n${error.message}`);
  process.exit(1);
});

try {
  const pages = await pagesToCheck();
  const report = [];
  for (const spec of pages) {
    for (const [width, options] of Object.entries(WIDTHS)) {
      report.push(await checkPage(spec, width, options));
    }
  }
  await writeFile(path.join(artefacts, 'axe-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  printTable(report);
  for (const entry of report) {
    for (const v of entry.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')) {
      const example = v.nodes[0] ? `, e.g. ${v.nodes[0].target.join(' ')}: ${v.nodes[0].html.slice(0, 120)}` : '';
      fail(`${entry.path} (${entry.width}): axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} node(s)${example})`);
    }
  }

  for (const [name, journey] of [
    ['keyboard journey', keyboardJourney],
    ['search without JavaScript', searchWithoutJavaScript],
    ['member: edit a service with the keyboard', memberEditsWithKeyboard],
    ['member: confirm a listing with the keyboard', memberConfirmsWithKeyboard],
    ['moderator: approve the first item with the keyboard', moderatorApprovesWithKeyboard],
  ]) {
    const before = failures.length;
    await journey();
    console.log(`${name}: ${failures.length === before ? 'passed' : 'FAILED'}`);
  }
} catch (error) {
  fail(`unexpected error: ${error.stack || error}`);
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(`\n${failures.length} failure(s):`);
  for (const f of failures) console.error(`  - ${f}`);
  console.error(`artefacts: ${artefacts}`);
  process.exit(1);
}
console.log(`all browser checks passed; artefacts: ${artefacts}`);

/** The fixed pages, then one structure, service and project found through the search. */
async function pagesToCheck() {
  const pages = [
    { slug: 'accueil', path: '/' },
    { slug: 'connexion', path: '/connexion' },
    { slug: 'inscription', path: '/inscription' },
    { slug: 'mot-de-passe-oublie', path: '/mot-de-passe-oublie' },
    { slug: 'recherche-reprendre-le-travail', path: '/recherche?q=reprendre+le+travail' },
    { slug: 'recherche-soutien-25', path: '/recherche?q=soutien&code_departement=25' },
  ];
  const context = await browser.newContext(WIDTHS.desktop);
  const page = await context.newPage();
  for (const [kind, prefix, slug] of [
    ['structure', '/structures/', 'structure'],
    ['service', '/services/', 'service'],
    ['project', '/projets/', 'projet'],
  ]) {
    const listing = `/recherche?kind=${kind}`;
    if (!(await open(page, listing))) continue;
    const href = await page.locator(`a[href^="${prefix}"]`).first().getAttribute('href', { timeout: 1000 }).catch(() => null);
    if (!href) {
      fail(`${listing}: no result link a[href^="${prefix}"] to follow`);
      continue;
    }
    const found = new URL(href, base).pathname;
    pages.push({ slug, path: found });
    if (kind === 'service') pages.push({ slug: 'service-signaler', path: `${found}/signaler` });
    if (kind === 'project') pages.push({ slug: 'proposer-mon-aide', path: `${found}/aider`, as: 'member' });
  }
  // A service with evaluations: its figures and the structure's answer, the questionnaire
  // on the page for a signed-in visitor and on its own page.
  if (await open(page, '/recherche?kind=service&q=onconnecte')) {
    const href = await page.locator('a[href^="/services/"]').first().getAttribute('href', { timeout: 1000 }).catch(() => null);
    if (href) {
      const found = new URL(href, base).pathname;
      pages.push({ slug: 'service-avis', path: found });
      pages.push({ slug: 'service-avis-questionnaire', path: found, as: 'moderator' });
      pages.push({ slug: 'donner-mon-avis', path: `${found}/avis`, as: 'moderator' });
    } else fail('/recherche?kind=service&q=onconnecte: no service with evaluations to follow');
  }
  await context.close();
  return pages.concat([
    { slug: 'projets', path: '/projets' },
    { slug: 'evenements', path: '/evenements' },
    { slug: 'annuaire-25', path: '/annuaire/25' },
    { slug: 'annuaire-region-27', path: '/annuaire/region/27' },
    { slug: 'annuaire', path: '/annuaire' },
    { slug: 'indicateurs', path: '/indicateurs' },
    { slug: 'plan-du-site', path: '/plan-du-site' },
    { slug: 'accessibilite', path: '/accessibilite' },
    { slug: 'mentions-legales', path: '/mentions-legales' },
    { slug: 'donnees-personnelles', path: '/donnees-personnelles' },
    { slug: 'erreur-404', path: '/structures/00000000-0000-0000-0000-000000000000', status: 404 },
  ], await workspacePages());
}

/** Signs a browser context in through the sign-in form's own POST (cookies kept). */
async function signIn(context, who) {
  const [email, password] = ACCOUNTS[who];
  const response = await context.request.post(`${base}/connexion`, {
    form: { email, password, retour: '/espace' },
    headers: { Origin: base },
    maxRedirects: 0,
  });
  if (response.status() !== 303) fail(`sign-in as ${who}: HTTP ${response.status()}, expected 303`);
}

/** The workspace's pages, found by following the signed-in pages' own links. */
async function workspacePages() {
  const found = [
    { slug: 'espace', path: '/espace', as: 'member' },
    { slug: 'compte', path: '/compte', as: 'member' },
    { slug: 'nouvelle-structure', path: '/espace/structures/nouvelle', as: 'member' },
    { slug: 'moderation', path: '/moderation', as: 'moderator' },
    { slug: 'moderation-signalements', path: '/moderation/signalements', as: 'moderator' },
    { slug: 'moderation-offres', path: '/moderation/offres', as: 'moderator' },
    { slug: 'moderation-fraicheur', path: '/moderation/fraicheur', as: 'moderator' },
    { slug: 'moderation-label', path: '/moderation/label', as: 'moderator' },
    { slug: 'comite', path: '/comite', as: 'committee' },
    { slug: 'mes-evenements', path: '/espace/evenements', as: 'committee' },
    { slug: 'nouvel-evenement', path: '/espace/evenements/nouveau', as: 'committee' },
    { slug: 'mes-candidatures', path: '/espace/candidatures', as: 'member' },
    { slug: 'moderation-evenements', path: '/moderation/evenements', as: 'moderator' },
  ];
  for (const [who, from, selector, slug] of [
    ['member', '/espace', 'a[href^="/espace/structures/"]:not([href$="/modifier"]):not([href$="/nouveau"]):not([href$="/nouvelle"])', 'espace-structure'],
    ['member', '/espace', 'a[href^="/espace/services/"][href$="/modifier"]', 'formulaire-service'],
    ['member', '/espace', 'a[href^="/espace/services/"]:not([href$="/modifier"])', 'espace-service'],
    ['member', '/espace', 'a[href^="/espace/projets/"]:not([href$="/modifier"]):not([href$="/nouveau"])', 'espace-projet'],
    ['moderator', '/moderation', 'a[href^="/moderation/file/"]', 'moderation-element'],
    ['committee', '/comite', 'a[href^="/comite/dossiers/"]', 'comite-dossier'],
    ['member', '/evenements', 'a[href^="/evenements/"]', 'evenement'],
    ['committee', '/espace/evenements', 'a[href$="/candidatures"]', 'evenement-candidatures'],
    ['committee', '/espace/evenements', 'a[href$="/modifier"]', 'evenement-modifier'],
  ]) {
    const context = await browser.newContext(WIDTHS.desktop);
    await signIn(context, who);
    const page = await context.newPage();
    if (await open(page, from)) {
      const href = await page.locator(selector).first().getAttribute('href', { timeout: 1000 }).catch(() => null);
      if (href) found.push({ slug, path: href, as: who });
      else fail(`${from} (${who}): no link ${selector} to follow`);
    }
    await context.close();
  }
  const event = found.find((p) => p.slug === 'evenement');
  if (event) {
    found.push({ slug: 'evenement-candidater', path: `${event.path}/candidater`, as: 'member' });
    // The demo member organises the regional edition and takes part in it: its speed
    // meetings, their organisation and the table plan.
    const context = await browser.newContext(WIDTHS.desktop);
    await signIn(context, 'member');
    const page = await context.newPage();
    if (await open(page, event.path)) {
      for (const [selector, slug] of [
        ['a[href$="/rencontres"]', 'rencontres'],
        ['a[href$="/rencontres/organisation"]', 'rencontres-organisation'],
      ]) {
        const href = await page.locator(selector).first().getAttribute('href', { timeout: 1000 }).catch(() => null);
        if (href) found.push({ slug, path: href, as: 'member' });
        else fail(`${event.path} (member): no link ${selector} to follow`);
      }
    }
    await context.close();
    const organise = found.find((p) => p.slug === 'rencontres-organisation');
    if (organise) found.push({ slug: 'plan-de-table', path: organise.path.replace(/organisation$/, 'plan'), as: 'member' });
  }
  const form = found.find((p) => p.slug === 'formulaire-service');
  if (form) found.push({ ...form, slug: 'formulaire-service-erreur', invalid: { 'contact.phone': '12', name: '' } });
  return found;
}

/** Navigates and checks the status (2xx unless another is expected); false when unusable. */
async function open(page, target, expected, where = target) {
  let response;
  try {
    response = await page.goto(base + target, { waitUntil: 'load', timeout: TIMEOUT_MS });
  } catch (error) {
    fail(`${where}: could not load: ${error.message.split('\n')[0]}`);
    return false;
  }
  const status = response?.status() ?? 0;
  if (expected ? status !== expected : status < 200 || status > 299) {
    fail(`${where}: HTTP ${status}, expected ${expected ?? '2xx'}`);
    // An error page that exists is still worth auditing; a missing page is not.
    return status !== 404 || expected === 404;
  }
  return true;
}

async function checkPage(spec, width, options) {
  const entry = { page: spec.slug, path: spec.path, width, counts: zeroCounts(), violations: [], incomplete: [] };
  // The pages forbid inline scripts; the injected axe-core needs that lifted, and only here.
  const context = await browser.newContext({ ...options, bypassCSP: true });
  if (spec.as) await signIn(context, spec.as);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const where = `${spec.path}${spec.invalid ? ' with an error' : ''} (${width}${spec.as ? `, ${spec.as}` : ''})`;
  try {
    if (!(await open(page, spec.path, spec.status, where))) {
      entry.error = 'not loaded';
      return entry;
    }
    if (spec.invalid) {
      for (const [name, value] of Object.entries(spec.invalid)) await page.locator(`[name="${name}"]`).first().fill(value);
      await Promise.all([page.waitForLoadState('load'), page.locator('button[name=then][value=save]').click()]);
      const shown = await page.locator('.fr-error-text').count();
      if (shown < 2) fail(`${where}: ${shown} field error(s) shown beside their fields, expected one per wrong field`);
      const kept = await page.locator('[name="contact.phone"]').inputValue();
      if (kept !== spec.invalid['contact.phone']) fail(`${where}: the phone typed was not kept (${JSON.stringify(kept)})`);
    }
    const structure = await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      h1: document.querySelectorAll('h1').length,
    }));
    if (structure.lang !== 'fr') fail(`${where}: <html lang> is ${JSON.stringify(structure.lang)}, expected "fr"`);
    if (structure.h1 !== 1) fail(`${where}: ${structure.h1} <h1> elements, expected exactly one`);

    // Zoomed to 200 % (or more), a page reflows into the narrow width: nothing but a wide
    // table's own box may scroll sideways (WCAG 1.4.10).
    if (width === 'mobile') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) fail(`${where}: the page scrolls sideways by ${overflow}px at ${options.viewport.width}px`);
    }

    await page.screenshot({ path: path.join(artefacts, 'screenshots', `${spec.slug}-${width}.png`), fullPage: true });

    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }),
      AXE_TAGS,
    );
    for (const v of results.violations) {
      const impact = IMPACTS.includes(v.impact) ? v.impact : 'minor';
      entry.counts[impact] += 1;
      entry.violations.push({
        id: v.id,
        impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
      });
    }
    entry.incomplete = results.incomplete.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.length }));

    // The skip link is the first thing the keyboard reaches, and it leads somewhere.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const href = el?.getAttribute('href') ?? null;
      const id = href?.startsWith('#') ? decodeURIComponent(href.slice(1)) : null;
      return { tag: el?.tagName.toLowerCase(), href, targetExists: id ? !!document.getElementById(id) : false };
    });
    if (!skip.href?.startsWith('#')) {
      fail(`${where}: first focusable element is <${skip.tag}> href=${JSON.stringify(skip.href)}, expected a skip link (href="#…")`);
    } else if (!skip.targetExists) {
      fail(`${where}: skip link ${skip.href} points to no element with that id`);
    }
  } catch (error) {
    fail(`${where}: ${error.message.split('\n')[0]}`);
    entry.error = error.message.split('\n')[0];
  } finally {
    await context.close();
  }
  return entry;
}

/** Home → search → first result → "Signaler une erreur" form, with the keyboard only. */
async function keyboardJourney() {
  const context = await browser.newContext(WIDTHS.desktop);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const step = (name) => `keyboard journey, ${name}`;
  try {
    if (!(await open(page, '/', undefined, step('home')))) return;
    if (!(await tabUntil(page, step('home'), 'the search field input[name=q]', 'input[name=q]'))) return;
    await page.keyboard.type('reprendre le travail');
    if (!(await pressEnterAndWait(page, step('search submitted with Enter'), (url) => url.pathname === '/recherche'))) return;

    const results = page.url();
    if (!(await tabUntil(page, step(`results ${results}`), `a result link (${RESULT_LINK})`, RESULT_LINK))) return;
    const chosen = await page.evaluate(() => document.activeElement.getAttribute('href'));
    const chosenPath = new URL(chosen, base).pathname;
    if (!(await pressEnterAndWait(page, step(`following result ${chosen}`), (url) => url.pathname === chosenPath))) return;

    const listing = page.url();
    if (!(await tabUntil(page, step(`listing ${listing}`), 'a link "Signaler une erreur"', 'a', 'Signaler une erreur'))) return;
    if (!(await pressEnterAndWait(page, step('opening "Signaler une erreur"'), (url) => url.href !== listing))) return;

    const form = await page.evaluate(() =>
      [...document.querySelectorAll('form')].some(
        (f) =>
          f.querySelector('select[name=reason], input[type=radio][name=reason]') &&
          f.querySelector('button[type=submit], button:not([type]), input[type=submit]'),
      ),
    );
    if (!form) {
      fail(`${step('report form')}: ${page.url()} has no form with a "reason" select or radio group and a submit button`);
    }
  } catch (error) {
    fail(`${step('aborted')}: at ${page.url()}: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** A member opens a service's form from /espace, changes its hours and saves, keyboard only. */
async function memberEditsWithKeyboard() {
  const context = await browser.newContext(WIDTHS.desktop);
  await signIn(context, 'member');
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const step = (name) => `member keyboard edit, ${name}`;
  try {
    if (!(await open(page, '/espace', undefined, step('workspace')))) return;
    if (!(await tabUntil(page, step('/espace'), 'a service\'s "Modifier" link', 'a[href^="/espace/services/"][href$="/modifier"]'))) return;
    if (!(await pressEnterAndWait(page, step('opening the form'), (url) => url.pathname.endsWith('/modifier')))) return;
    const stamp = `Le jeudi de 14 h à 17 h (essai ${Date.now()})`;
    if (!(await tabUntil(page, step('form'), 'the hours field', 'textarea[name=opening_hours]'))) return;
    await page.keyboard.press('Control+A');
    await page.keyboard.type(stamp);
    if (!(await tabUntil(page, step('form'), 'the "Enregistrer" button', 'button[name=then][value=save]'))) return;
    if (!(await pressEnterAndWait(page, step('saving'), (url) => url.searchParams.get('fait') === 'enregistre'))) return;
    const text = await page.locator('main').innerText();
    if (!text.includes(stamp)) fail(`${step('after saving')}: ${page.url()} does not show the new hours`);
  } catch (error) {
    fail(`${step('aborted')}: at ${page.url()}: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** A member presses "Mes informations sont à jour" on /espace, keyboard only. */
async function memberConfirmsWithKeyboard() {
  const context = await browser.newContext(WIDTHS.desktop);
  await signIn(context, 'member');
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const step = (name) => `member keyboard confirmation, ${name}`;
  try {
    if (!(await open(page, '/espace', undefined, step('workspace')))) return;
    if (!(await tabUntil(page, step('/espace'), 'a "Mes informations sont à jour" button', 'button', 'Mes informations sont à jour'))) return;
    if (!(await pressEnterAndWait(page, step('confirming'), (url) => url.searchParams.get('fait') === 'confirme'))) return;
    const status = await page.locator('[role=status]').innerText().catch(() => '');
    if (!status.includes('confirmée')) fail(`${step('after confirming')}: no confirmation message on ${page.url()}`);
  } catch (error) {
    fail(`${step('aborted')}: at ${page.url()}: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** A moderator opens the queue's oldest item and approves it, keyboard only. */
async function moderatorApprovesWithKeyboard() {
  const context = await browser.newContext(WIDTHS.desktop);
  await signIn(context, 'moderator');
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const step = (name) => `moderator keyboard approval, ${name}`;
  try {
    if (!(await open(page, '/moderation', undefined, step('queue')))) return;
    if (!(await tabUntil(page, step('/moderation'), 'the first item of the queue', 'a[href^="/moderation/file/"]'))) return;
    const item = await page.evaluate(() => document.activeElement.getAttribute('href'));
    if (!(await pressEnterAndWait(page, step('opening the item'), (url) => url.pathname === item))) return;
    if (!(await tabUntil(page, step('item'), 'the "Approuver" choice', 'input[name=decision][value=approve]'))) return;
    await page.keyboard.press('Space');
    if (!(await tabUntil(page, step('item'), 'the "Enregistrer la décision" button', 'button', 'Enregistrer la décision'))) return;
    if (!(await pressEnterAndWait(page, step('deciding'), (url) => url.pathname !== item))) return;
    const status = await page.locator('[role=status]').innerText().catch(() => '');
    if (!status.includes('Décision enregistrée')) fail(`${step('after deciding')}: no "Décision enregistrée" on ${page.url()}`);
  } catch (error) {
    fail(`${step('aborted')}: at ${page.url()}: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** Presses Tab until the focused element matches `selector` (and contains `text`). */
async function tabUntil(page, where, wanted, selector, text = '') {
  for (let i = 1; i <= MAX_TABS; i += 1) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([sel, txt]) => {
        const el = document.activeElement;
        return !!el && el !== document.body && el.matches(sel) && el.textContent.includes(txt);
      },
      [selector, text],
    );
    if (hit) return true;
  }
  fail(`${where}: ${wanted} never received focus after ${MAX_TABS} Tab presses`);
  return false;
}

async function pressEnterAndWait(page, where, arrived) {
  try {
    await Promise.all([
      page.waitForURL((url) => arrived(url), { waitUntil: 'load', timeout: TIMEOUT_MS }),
      page.keyboard.press('Enter'),
    ]);
    return true;
  } catch (error) {
    fail(`${where}: Enter did not lead to the expected page (still at ${page.url()}): ${error.message.split('\n')[0]}`);
    return false;
  }
}

/** The search form works as plain HTML: GET /recherche with results. */
async function searchWithoutJavaScript() {
  const where = 'search without JavaScript';
  const context = await browser.newContext({ ...WIDTHS.desktop, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  try {
    if (!(await open(page, '/', undefined, `${where}, home`))) return;
    const form = page.locator('form', { has: page.locator('input[name=q]') }).first();
    await form.locator('input[name=q]').first().fill('sophrologie');
    const submit = form.locator('button[type=submit], button:not([type]), input[type=submit]').first();
    await Promise.all([page.waitForURL((url) => url.href !== `${base}/`, { waitUntil: 'load' }), submit.click()]);
    const url = new URL(page.url());
    if (url.pathname !== '/recherche') {
      fail(`${where}: the form led to ${url.pathname}, expected /recherche`);
      return;
    }
    const links = await page.locator(RESULT_LINK).count();
    if (links === 0) fail(`${where}: ${page.url()} shows no result link (${RESULT_LINK})`);
  } catch (error) {
    fail(`${where}: at ${page.url()}: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

function zeroCounts() {
  return Object.fromEntries(IMPACTS.map((i) => [i, 0]));
}

function printTable(report) {
  const header = ['page', 'width', ...IMPACTS];
  const rows = report.map((e) =>
    e.error ? [e.path, e.width, 'n/a', '', '', ''] : [e.path, e.width, ...IMPACTS.map((i) => String(e.counts[i]))],
  );
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  console.log('');
}
