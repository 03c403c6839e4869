// Drives the public pages in headless Chromium as a person would (keyboard, phone
// width, senior mode, English), runs axe-core on every page it visits, and fails on
// any violation or broken expectation. Usage:
//   node check-pages.mjs BASE_URL [SCREENSHOT_DIR]
// Chromium comes from the system (Debian's `chromium`), or CHROMIUM=/path.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const base = process.argv[2];
const shots = process.argv[3];
if (!base) throw new Error('usage: node check-pages.mjs BASE_URL [SCREENSHOT_DIR]');
if (shots) mkdirSync(shots, { recursive: true });

const failures = [];
const fail = (what) => { failures.push(what); console.error(`FAIL ${what}`); };
const check = (ok, what) => { if (!ok) fail(what); };

async function axe(page, label) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () =>
    await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  for (const v of result.violations) {
    fail(`axe ${label}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

async function noSideScroll(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  check(scroll <= width, `${label}: page is ${scroll}px wide in a ${width}px window`);
}

// Presses Tab until the element matching `selector` has focus: proves it can be
// reached with the keyboard alone.
async function tabTo(page, selector, label) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return true;
  }
  fail(`${label}: ${selector} cannot be reached with Tab`);
  return false;
}

// Staff sign-in with the keyboard: id, password, Enter, to the workbench.
async function signIn(page, id, password) {
  await page.goto(base + '/staff/login');
  await page.fill('#staff_id', id);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/staff$/), page.keyboard.press('Enter')]);
}

async function visit(page, path, label) {
  const response = await page.goto(base + path);
  check(response && response.status() < 400, `${label}: ${path} answered ${response && response.status()}`);
  await axe(page, label);
  await shot(page, label);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  // 1. Desktop, keyboard only: search in everyday words, open the first result.
  const desktop = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await desktop.newPage();
  await visit(page, '/', 'home');
  if (await tabTo(page, '#q', 'home')) {
    await page.keyboard.type('失业了怎么领钱');
    await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press('Enter')]);
    await axe(page, 'search');
    await shot(page, 'search');
    const first = await page.locator('main ol.list li a').first().textContent();
    check(first && first.includes('失业保险金申领'), `search: first result is ${first}`);
    if (await tabTo(page, 'main ol.list li:first-child a', 'search')) {
      await Promise.all([page.waitForURL(/\/guides\//), page.keyboard.press('Enter')]);
    }
  }
  check(page.url().endsWith('/guides/unemployment-benefit-claim'), `search: the first result led to ${page.url()}`);
  await axe(page, 'guide-national');
  await shot(page, 'guide-national');
  check((await page.locator('h1').textContent()).includes('失业保险金申领'), 'guide: heading');
  check(await page.locator('text=尚未选择地区').count() > 0, 'guide: says it shows the national standard');

  // 2. Choose a region by links: province, city, county, then "use this one".
  await visit(page, '/region?back=/guides/unemployment-benefit-claim', 'region-provinces');
  await Promise.all([page.waitForURL(/code=330000/), page.getByRole('link', { name: '浙江省' }).click()]);
  await Promise.all([page.waitForURL(/code=330200/), page.getByRole('link', { name: '宁波市' }).click()]);
  await Promise.all([page.waitForURL(/code=330211/), page.getByRole('link', { name: '镇海区' }).click()]);
  await axe(page, 'region-county');
  await Promise.all([page.waitForURL(/\/guides\/unemployment-benefit-claim$/), page.getByRole('button', { name: /就选/ }).click()]);
  check(await page.locator('text=浙江省 宁波市 镇海区 的办事指南').count() > 0, 'guide: shows the chosen region');
  await axe(page, 'guide-zhenhai');
  await shot(page, 'guide-zhenhai');
  await visit(page, '/guides/unemployment-benefit-claim?print=1', 'guide-print');

  // 3. The progress lookup: empty fields are named, a wrong pair is refused in words.
  await visit(page, '/progress', 'progress');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForSelector('#case-error');
  check(await page.locator('#case[aria-invalid=true]').count() === 1, 'progress: empty case number marked');
  await axe(page, 'progress-errors');
  await page.fill('#case', 'no-such-case');
  await page.fill('#last4', '1234');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForSelector('text=没有找到这个办件');
  await axe(page, 'progress-not-found');
  if (process.env.CASE_ID) {
    // A real case: its state and its history in plain words, no codes.
    await visit(page, `/progress?case=${encodeURIComponent(process.env.CASE_ID)}&last4=${encodeURIComponent(process.env.CASE_LAST4)}`, 'progress-found');
    const facts = await page.locator('main dl.facts').textContent();
    check(/已受理|审查中|已中止|已办结|等待|已提交|已作出决定|不予受理|已撤回|已终止/.test(facts), `progress: state in words: ${facts}`);
    check(!/[a-z]+_[a-z]+/.test(await page.locator('main').textContent()), 'progress: no code names on the page');
    check(await page.locator('main ol.list li').count() >= 1, 'progress: the history is listed');
    await shot(page, 'progress-found');
  }

  // 4. Senior mode: switched on a page, remembered, big type and big targets.
  await page.goto(base + '/');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /长辈版/ }).click()]);
  for (const path of ['/', '/search?q=社保卡丢了', '/guides/unemployment-benefit-claim', '/region', '/progress', '/halls/zhenhai-center/ticket', '/halls/zhenhai-center/appointments?item=retirement-pension-claim']) {
    await page.goto(base + path);
    const label = `senior ${path}`;
    check(await page.evaluate(() => document.documentElement.classList.contains('senior')), `${label}: senior mode remembered`);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p, main li, main dd')).fontSize));
    check(size >= 22, `${label}: body text is ${size}px`);
    const small = await page.evaluate(() => [...document.querySelectorAll('a, button, input, select')]
      .filter((e) => e.offsetParent !== null && !e.classList.contains('skip'))
      .map((e) => ({ text: (e.textContent || e.name || '').trim().slice(0, 20), h: e.getBoundingClientRect().height }))
      .filter((e) => e.h < 60));
    check(small.length === 0, `${label}: targets under 60px tall: ${JSON.stringify(small.slice(0, 5))}`);
    await axe(page, label);
  }
  await shot(page, 'senior-progress');
  await page.goto(base + '/guides/unemployment-benefit-claim');
  await shot(page, 'senior-guide');
  await desktop.close();

  // 5. A phone, 360 px wide: no page scrolls sideways, in either mode.
  const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const mobile = await phone.newPage();
  for (const senior of [false, true]) {
    if (senior) {
      await mobile.goto(base + '/');
      await Promise.all([mobile.waitForLoadState('load'), mobile.getByRole('button', { name: /长辈版/ }).click()]);
    }
    for (const path of ['/', '/search?q=退休了怎么领养老金', '/guides/retirement-pension-claim', '/life-events/retirement', '/projects/employee-pension', '/region?code=330000', '/progress', '/halls/zhenhai-center/ticket', '/halls/zhenhai-center/appointments', '/halls/zhenhai-center/display']) {
      const label = `360${senior ? ' senior' : ''} ${path}`;
      await mobile.goto(base + path);
      await noSideScroll(mobile, label);
      await axe(mobile, label);
    }
    await shot(mobile, senior ? 'phone-senior-guide' : 'phone-guide');
  }
  await phone.close();

  // 6. Staff: sign in with the keyboard, the workbench, a printed document.
  if (process.env.STAFF_ID) {
    const staff = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const desk = await staff.newPage();
    await visit(desk, '/staff/login', 'staff-login');
    await desk.fill('#staff_id', process.env.STAFF_ID);
    await desk.fill('#password', process.env.STAFF_PASSWORD);
    await Promise.all([desk.waitForURL(/\/staff$/), desk.keyboard.press('Enter')]);
    await axe(desk, 'staff-workbench');
    await shot(desk, 'staff-workbench');
    check(await desk.locator('td.red').count() > 0, 'workbench: the demo has overdue cases');
    check(!/\b(work_injury|suspended|in_review|accepted)\b/.test(await desk.locator('main').textContent()), 'workbench: no code names');
    await desk.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(desk, 'staff-workbench 360');
    await staff.close();
    if (process.env.DOCUMENT_SEQ) {
      const api = await browser.newContext({ bypassCSP: true, extraHTTPHeaders: { authorization: `Bearer ${process.env.STAFF_TOKEN}` } });
      const doc = await api.newPage();
      await visit(doc, `/api/v1/cases/${process.env.CASE_ID}/documents/${process.env.DOCUMENT_SEQ}`, 'document');
      check(await doc.locator('main h1').count() === 1, 'document: one heading inside main');
      await api.close();
    }
  }

  // 7. A citizen's whole journey: guide → sign in (the OpenID provider when there is
  // one) → apply with files → the clerk's
  // one-time notice → supplement online → accepted, decided → open the decision.
  if (process.env.REVIEWER_TOKEN) {
    const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const PDF = Buffer.from('%PDF-1.4\n%a termination letter\n');
    const api = async (token, caseId, version, command) => {
      const r = await fetch(`${base}/api/v1/cases/${caseId}/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: `page-check-${caseId}-${version}`, expected_version: version, command }),
      });
      check(r.ok, `api ${command.command}: ${r.status} ${await r.text()}`);
    };
    const person = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const p = await person.newPage();
    await p.goto(base + '/region?code=330211&back=/guides/unemployment-benefit-claim');
    await Promise.all([p.waitForURL(/\/guides\//), p.getByRole('button', { name: /就选/ }).click()]);
    await Promise.all([p.waitForURL(/\/signin/), p.getByRole('link', { name: '在线申请' }).click()]);
    await axe(p, 'signin');
    await shot(p, 'signin');
    if (process.env.OIDC) {
      // Through the real OpenID provider, as a deployment signs people in.
      await p.getByRole('link', { name: '通过统一身份认证平台登录' }).click();
      await p.waitForSelector('input[name=login]');
      await p.fill('input[name=login]', 'zhang.san');
      await p.fill('input[name=password]', 'any password: the provider is a test one');
      await Promise.all([p.waitForLoadState('load'), p.locator('button[type=submit]').first().click()]);
      if (!p.url().startsWith(base)) {
        await Promise.all([p.waitForURL((u) => u.toString().startsWith(base)), p.locator('button[type=submit]').first().click()]);
      }
      await p.waitForURL(/\/apply\//);
    } else {
      await Promise.all([p.waitForURL(/\/apply\//), p.locator('form[action="/signin/demo"] button').first().click()]);
    }
    await axe(p, 'apply');
    await shot(p, 'apply');
    await p.setInputFiles('#file-id-card', { name: 'id.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([p.waitForURL(/\/my\/cases\//), p.getByRole('button', { name: '提交申请' }).click()]);
    const caseId = p.url().split('/my/cases/')[1];
    check(await p.locator('text=已提交，等待受理').count() > 0, 'journey: submitted');
    await api(process.env.STAFF_TOKEN, caseId, 1, { command: 'issue_notice' });
    await p.reload();
    check(await p.locator('text=还缺的材料').count() > 0, 'journey: the notice is shown');
    await axe(p, 'my-case-notice');
    await shot(p, 'my-case-notice');
    await p.setInputFiles('#file-termination-proof', { name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: '补交材料' }).click()]);
    await p.waitForSelector('text=已补交材料');
    await api(process.env.STAFF_TOKEN, caseId, 3, { command: 'accept' });
    await api(process.env.REVIEWER_TOKEN, caseId, 4, { command: 'start_review' });
    await api(process.env.REVIEWER_TOKEN, caseId, 5, { command: 'decide', grant: true, reason: '符合条件' });
    await p.reload();
    check(await p.locator('text=已作出决定').count() > 0, 'journey: decided');
    await axe(p, 'my-case-decided');
    await shot(p, 'my-case-decided');
    await Promise.all([p.waitForURL(/\/documents\//), p.getByRole('link', { name: '决定书' }).click()]);
    check(await p.locator('h1').textContent() === '决定书', 'journey: the decision opens');
    await axe(p, 'my-decision');
    // Rated online from the case page (the acceptance), with the keyboard alone.
    await p.goto(base + `/my/cases/${caseId}`);
    await Promise.all([p.waitForURL(/\/rate$/), p.getByRole('link', { name: '评价本次服务' }).click()]);
    await axe(p, 'rate-online');
    await shot(p, 'rate-online');
    await p.focus('#level-satisfied');
    await p.keyboard.press('Space');
    if (await tabTo(p, 'main form[method=post] button[type=submit]', 'rate-online submit')) {
      await Promise.all([p.waitForEvent('framenavigated'), p.keyboard.press('Enter')]);
    }
    await p.waitForSelector('h1:has-text("感谢您的评价")', { timeout: 10000 })
      .catch(() => fail('rate online: thanked'));
    // Completed: the text message's signed link opens the case on a phone, not signed
    // in, and rates the completion.
    await api(process.env.STAFF_TOKEN, caseId, 6, { command: 'complete', method: '邮寄送达' });
    await p.goto(base + '/my/inbox');
    const sms = (await p.locator('ol.messages').textContent()).match(/\/m\/[^\s，。]+/g) || [];
    check(sms.length > 0, 'inbox: the messages carry a signed link');
    const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const m = await phone.newPage();
    await m.goto(base + sms[0]);
    await Promise.all([m.waitForURL(/\/rate$/), m.getByRole('link', { name: '评价本次服务' }).click()]);
    await axe(m, 'rate-link');
    await noSideScroll(m, 'rate-link 360');
    await shot(m, 'rate-link');
    await m.check('#level-very_satisfied');
    await Promise.all([m.waitForLoadState('load'), m.getByRole('button', { name: '提交评价' }).click()]);
    check((await m.locator('h1').textContent()).includes('感谢您的评价'), 'rate by link: thanked');
    await phone.close();
    await p.goto(base + '/my');
    await axe(p, 'my-cases');
    await p.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/my', `/my/cases/${caseId}`, '/apply/unemployment-benefit-claim']) {
      await p.goto(base + path);
      await noSideScroll(p, `360 ${path}`);
    }
    await person.close();

    // A kiosk: after two minutes without a touch it starts again, signed out.
    const kioskContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', hasTouch: true });
    const kiosk = await kioskContext.newPage();
    await kiosk.clock.install();
    await kiosk.goto(base + '/kiosk');
    check(await kiosk.evaluate(() => document.documentElement.classList.contains('kiosk')), 'kiosk: kiosk mode');
    const small = await kiosk.evaluate(() => [...document.querySelectorAll('a, button, input')]
      .filter((e) => e.offsetParent !== null && !e.classList.contains('skip'))
      .filter((e) => { const r = e.getBoundingClientRect(); return r.height < 60 || r.width < 60; })
      .map((e) => (e.textContent || e.name || '').trim().slice(0, 20)));
    check(small.length === 0, `kiosk: targets under 60 × 60: ${JSON.stringify(small.slice(0, 5))}`);
    await axe(kiosk, 'kiosk-home');
    await shot(kiosk, 'kiosk-home');
    await kiosk.goto(base + '/region?code=330211&back=/');
    await Promise.all([kiosk.waitForURL(base + '/'), kiosk.getByRole('button', { name: /就选/ }).click()]);
    check(await kiosk.locator('text=镇海区').count() > 0, 'kiosk: region chosen');
    await kiosk.clock.fastForward(121000);
    await kiosk.waitForFunction(() => document.body.textContent.includes('尚未选择地区'));
    await kioskContext.close();
  }

  // 8. Sign-in through the real OpenID provider: a person, then an employer's agent.
  if (process.env.OIDC) {
    for (const [login, expect] of [['zhang.san', '当前登录：张三'], ['agent.li', '当前登录：李四（代办）']]) {
      const ctx = await browser.newContext({ bypassCSP: true, locale: 'zh-CN' });
      const o = await ctx.newPage();
      await o.goto(base + '/signin?back=/my');
      await o.getByRole('link', { name: '通过统一身份认证平台登录' }).click();
      await o.waitForSelector('input[name=login]');
      await o.fill('input[name=login]', login);
      await o.fill('input[name=password]', 'any password: the provider is a test one');
      await Promise.all([o.waitForLoadState('load'), o.locator('button[type=submit]').first().click()]);
      // The provider asks for consent once.
      if (!o.url().startsWith(base)) {
        await Promise.all([o.waitForURL((u) => u.toString().startsWith(base)), o.locator('button[type=submit]').first().click()]);
      }
      await o.waitForURL(base + '/my');
      check(await o.locator(`text=${expect}`).count() > 0, `oidc ${login}: signed in as ${await o.locator('main').textContent()}`);
      await axe(o, `oidc-${login}`);
      await ctx.close();
    }
  }

  // 10. The hall: a ticket taken at the front desk, a clerk signing on with the
  // keyboard and calling it, the hall's screen updating live (server-sent events).
  if (process.env.STAFF_ID) {
    const tv = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    const screen = await tv.newPage();
    await visit(screen, '/halls/zhenhai-center/display', 'hall-display');
    await screen.waitForFunction(() => document.getElementById('content').hasAttribute('data-version'), null, { timeout: 10000 })
      .catch(() => fail('hall-display: the live feed never arrived'));

    const desk = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const front = await desk.newPage();
    await visit(front, '/halls/zhenhai-center/ticket', 'hall-ticket-form');
    await noSideScroll(front, 'hall-ticket-form 360');
    // A wrong identity number is named, and nothing chosen is lost.
    await front.selectOption('#item', 'unemployment-benefit-claim');
    await front.fill('#person', '110105194912310021');
    await Promise.all([front.waitForLoadState('load'), front.getByRole('button', { name: '取号', exact: true }).click()]);
    check(await front.locator('p.error').count() === 1, 'hall-ticket-form: a wrong identity number is named');
    check(await front.locator('#item').inputValue() === 'unemployment-benefit-claim', 'hall-ticket-form: the service chosen is kept');
    check(await front.locator('#person').inputValue() === '110105194912310021', 'hall-ticket-form: the number typed is kept');
    await axe(front, 'hall-ticket-form-error');
    await front.fill('#person', '');
    await Promise.all([front.waitForURL(/\/tickets\//), front.getByRole('button', { name: '取号', exact: true }).click()]);
    await axe(front, 'hall-ticket');
    await shot(front, 'hall-ticket');
    await noSideScroll(front, 'hall-ticket 360');
    const number = (await front.locator('.ticket-number').textContent()).trim();
    check(/^A\d{3}$/.test(number), `hall-ticket: a walk-in number, got ${number}`);
    check((await front.locator('main').textContent()).includes('前面还有'), 'hall-ticket: people ahead shown');

    const staff = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const clerk = await staff.newPage();
    await signIn(clerk, process.env.STAFF_ID, process.env.STAFF_PASSWORD);
    await visit(clerk, '/staff/window', 'window-sign-on');
    if (await tabTo(clerk, 'button[value=open]', 'window-sign-on')) {
      await Promise.all([clerk.waitForLoadState('load'), clerk.keyboard.press('Enter')]);
    }
    await clerk.waitForSelector('button[value=call]');
    await axe(clerk, 'window-free');
    check((await clerk.locator('main').textContent()).includes('精'), 'window: the clerk sees their own skills');
    const before = Number(await screen.locator('#content').getAttribute('data-version'));
    if (await tabTo(clerk, 'button[value=call]', 'window-call')) {
      await Promise.all([clerk.waitForLoadState('load'), clerk.keyboard.press('Enter')]);
    }
    await clerk.waitForSelector('button[value=finish]');
    await axe(clerk, 'window-serving');
    await shot(clerk, 'window-serving');
    const called = (await clerk.locator('.ticket-number').first().textContent()).trim();
    await screen.waitForFunction(([n, v]) => {
      const first = document.querySelector('#called tr');
      return Number(document.getElementById('content').getAttribute('data-version')) > v && first && first.textContent.includes(n);
    }, [called, before], { timeout: 10000 }).catch(() => fail(`hall-display: ${called} never appeared live`));
    check((await screen.locator('#called tr').first().textContent()).includes('1'), 'hall-display: the window is shown');
    await shot(screen, 'hall-display-live');
    await clerk.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(clerk, 'window-serving 360');
    // Take in the person's application at the window, notice, supplement, accept.
    await clerk.setViewportSize({ width: 1280, height: 900 });
    await clerk.goto(base + '/staff/window');
    await Promise.all([clerk.waitForURL(/\/staff\/intake/), clerk.getByRole('link', { name: '为此人受理申请' }).click()]);
    await axe(clerk, 'intake-item');
    await clerk.selectOption('#item', 'unemployment-benefit-claim');
    await Promise.all([clerk.waitForURL(/item=/), clerk.getByRole('button', { name: '下一步' }).click()]);
    await axe(clerk, 'intake-form');
    await clerk.fill('#applicant-id', '11010519491231002X');
    await clerk.check('#m-id-card');
    await Promise.all([clerk.waitForURL(/\/staff\/cases\//), clerk.getByRole('button', { name: '受理登记' }).click()]);
    await axe(clerk, 'desk-submitted');
    await shot(clerk, 'desk-submitted');
    const act = async (name, label) => {
      await Promise.all([clerk.waitForLoadState('load'), clerk.getByRole('button', { name, exact: true }).click()]);
      check(await clerk.locator('p.error').count() === 0, `${label}: refused: ${await clerk.locator('p.error').allTextContents()}`);
    };
    await act('出具一次性告知书', 'desk notice');
    check((await clerk.locator('main').textContent()).includes('一次性告知书'), 'desk: the notice is listed to print');
    await clerk.locator('input[name=handed_in]').evaluateAll((boxes) => boxes.forEach((b) => { b.checked = true; }));
    await act('登记补交材料', 'desk supplement');
    await act('受理', 'desk accept');
    await axe(clerk, 'desk-accepted');
    await shot(clerk, 'desk-accepted');
    check(!/\b(issue_notice|awaiting_supplement|accepted|start_review)\b/.test(await clerk.locator('main').textContent()), 'desk: no code names');
    await clerk.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(clerk, 'desk-accepted 360');
    await clerk.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([clerk.waitForURL(/\/staff\/window/), clerk.getByRole('button', { name: new RegExp(`办结 ${called}`) }).click()]);
    await clerk.waitForSelector('button[value=call]');
    check(!/\b(ticket_|nothing_to_call|walk_in)\b/.test(await clerk.locator('main').textContent()), 'window: no code names');
    // Finished: the window asks the person to rate it, by QR code or on the pad.
    check((await clerk.locator('.rate-pad').textContent()).includes(called), 'window: the finished ticket is asked to rate');
    check(await clerk.locator('.rate-pad svg').count() === 1, 'window: a QR code to rate');
    await axe(clerk, 'window-rate-pad');
    await shot(clerk, 'window-rate-pad');
    const padPath = await clerk.locator('.rate-pad a').getAttribute('href');
    const pad = await desk.newPage();
    const unsigned = await pad.goto(base + padPath.split('?')[0]);
    check(unsigned.status() === 404, 'rate: a guessed ticket number alone does not open the rating page');
    await visit(pad, padPath, 'rate-visit');
    await noSideScroll(pad, 'rate-visit 360');
    await pad.fill('#rating-text', '很耐心');
    await Promise.all([pad.waitForLoadState('load'), pad.getByRole('button', { name: '提交评价' }).click()]);
    check(await pad.locator('p.error').count() === 1, 'rate: a missing level is named');
    check(await pad.locator('#rating-text').inputValue() === '很耐心', 'rate: the comment is kept');
    await axe(pad, 'rate-visit-error');
    await shot(pad, 'rate-visit-error');
    await pad.check('#level-very_satisfied');
    await pad.check('#indicator-attitude');
    await Promise.all([pad.waitForLoadState('load'), pad.getByRole('button', { name: '提交评价' }).click()]);
    check((await pad.locator('h1').textContent()).includes('感谢您的评价'), 'rate: thanked');
    await axe(pad, 'rated');
    await shot(pad, 'rated');
    await pad.goto(base + padPath);
    check((await pad.locator('main').textContent()).includes('非常满意'), 'rate: a second visit shows the rating given, not a form');
    await clerk.reload();
    check(await clerk.locator('.rate-pad').count() === 0, 'window: rated, the QR code is gone');
    await Promise.all([clerk.waitForLoadState('load'), clerk.getByRole('button', { name: '下岗' }).click()]);

    // The halls overview: every window with its clerk, followed live.
    await visit(clerk, '/staff/halls', 'halls-overview');
    check((await clerk.locator('main').textContent()).includes('镇海综合柜员（养老）'), 'halls: the demo clerk on window 2 is shown');

    // Bookings: the demo's next working day, a booking by phone, then cancelled.
    await visit(clerk, '/staff/bookings', 'bookings-today');
    const nextDay = await clerk.evaluate(async () => {
      const r = await fetch('/halls/zhenhai-center/appointments');
      const html = await r.text();
      const m = html.match(/<option value="(\d{4}-\d{2}-\d{2})"/g) || [];
      return m.map((o) => o.match(/\d{4}-\d{2}-\d{2}/)[0]).find((d) => d > new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
    });
    check(!!nextDay, 'booking: the hall has a next working day');
    await visit(clerk, `/staff/bookings?hall=zhenhai-center&day=${nextDay}`, 'bookings-next-day');
    check((await clerk.locator('main').textContent()).includes('上门服务'), 'bookings: the demo home visit is listed');
    const rowsBefore = await clerk.locator('tbody tr').count();
    await clerk.selectOption('#book-slot', '11:00');
    await clerk.fill('#book-person', '110105200001010016');
    await Promise.all([clerk.waitForLoadState('load'), clerk.getByRole('button', { name: '预约', exact: true }).click()]);
    check(await clerk.locator('p.error').count() === 0, `bookings: refused: ${await clerk.locator('p.error').allTextContents()}`);
    check(await clerk.locator('tbody tr').count() === rowsBefore + 1, 'bookings: the new booking is listed');
    // Moved by phone to 11:30, in one step, then cancelled.
    const row = clerk.locator('tr', { hasText: 'Y1100' }).last();
    await row.locator('select[name=slot]').selectOption('11:30');
    await Promise.all([clerk.waitForLoadState('load'), row.getByRole('button', { name: '改约' }).click()]);
    check(await clerk.locator('p.error').count() === 0, `bookings: move refused: ${await clerk.locator('p.error').allTextContents()}`);
    check((await clerk.locator('tr', { hasText: 'Y1130' }).last().textContent()).includes('已预约'), 'bookings: moved to 11:30');
    const cancel = clerk.getByRole('button', { name: /取消预约 Y1130/ });
    await Promise.all([clerk.waitForLoadState('load'), cancel.last().click()]);
    check((await clerk.locator('tr', { hasText: 'Y1130' }).last().textContent()).includes('已取消'), 'bookings: cancelled');
    await axe(clerk, 'bookings-after');
    await shot(clerk, 'bookings');
    await clerk.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(clerk, 'bookings 360');
    // The public booking page, at 360 px, not signed in.
    await visit(front, `/halls/zhenhai-center/appointments?item=retirement-pension-claim&day=${nextDay}`, 'booking-public');
    await noSideScroll(front, 'booking-public 360');
    check(await front.locator('input[name=slot][disabled]').count() > 0, 'booking-public: a full time is shown as full');
    await tv.close();
    await desk.close();
    await staff.close();
  }

  // 11. An administrator adds a hall and sets its booking rules; mistakes are named.
  if (process.env.ADMIN_PASSWORD) {
    const office = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const a = await office.newPage();
    await signIn(a, 'admin', process.env.ADMIN_PASSWORD);
    await visit(a, '/staff/admin/halls', 'admin-halls');
    await a.fill('#new-id', 'beilun-center');
    await a.fill('#new-region', '510107');
    await a.fill('#new-name', '北仑区人社服务大厅');
    await a.fill('#new-windows', '4');
    await Promise.all([a.waitForLoadState('load'), a.getByRole('button', { name: '新增大厅' }).click()]);
    check(await a.locator('#new-region-error').count() === 1, 'admin: a region outside the jurisdiction is named');
    await axe(a, 'admin-halls-error');
    await a.fill('#new-id', 'beilun-center');
    await a.fill('#new-region', '330206');
    await a.fill('#new-name', '北仑区人社服务大厅');
    await a.fill('#new-windows', '4');
    await Promise.all([a.waitForLoadState('load'), a.getByRole('button', { name: '新增大厅' }).click()]);
    check((await a.locator('main').textContent()).includes('已新增大厅 beilun-center'), 'admin: the hall is added');
    await a.fill('#hours-beilun-center', '08:30-12:00,11:00-17:00');
    await Promise.all([a.waitForLoadState('load'), a.locator('section', { hasText: 'beilun-center' }).getByRole('button', { name: '保存预约规则' }).click()]);
    check((await a.locator('#hours-error-beilun-center').textContent()).includes('第 2 段'), 'admin: overlapping hours are named at the field');
    check(await a.locator('#hours-beilun-center').inputValue() === '08:30-12:00,11:00-17:00', 'admin: what was typed is kept');
    await axe(a, 'admin-halls-hours-error');
    await shot(a, 'admin-halls');
    await a.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(a, 'admin-halls 360');
    await office.close();
  }

  // 12. Ratings: a supervisor's poor ratings to follow up (overdue ones red), one
  // followed up with the keyboard; the public figures, drilled down, at 360 px.
  if (process.env.SUPERVISOR_PASSWORD) {
    const office = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const s = await office.newPage();
    await signIn(s, 'supervisor-zj', process.env.SUPERVISOR_PASSWORD);
    // The workbench says what went overdue and came up to this supervisor.
    await axe(s, 'staff-workbench-supervisor');
    await shot(s, 'staff-workbench-supervisor');
    const escalated = s.locator('#escalated-title + ul a');
    check(await escalated.count() >= 1, 'workbench: overdue follow-ups or complaints are named');
    check((await escalated.first().textContent()).includes('超期'), 'workbench: in words');
    await visit(s, '/staff/ratings', 'staff-ratings');
    check(await s.locator('tbody tr').count() > 1, 'ratings: the demo poor ratings are listed');
    check(await s.locator('.red').count() > 0, 'ratings: overdue follow-ups are red');
    await shot(s, 'staff-ratings');
    await visit(s, '/staff/ratings?show=all', 'staff-ratings-all');
    check((await s.locator('main').textContent()).includes('已办结'), 'ratings: closed ones with show=all');
    await s.goto(base + '/staff/ratings');
    const toContact = s.locator('tr', { hasText: '待回访' }).first().locator('a');
    await Promise.all([s.waitForLoadState('load'), toContact.click()]);
    await axe(s, 'staff-rating');
    await s.fill('#contact-text', '电话回访：已致歉并说明改进');
    if (await tabTo(s, '#contact-button', 'staff-rating contact')) {
      await s.keyboard.press('Enter');
    }
    await s.waitForSelector('#close-text', { timeout: 10000 }).catch(() => fail('ratings: contacted with the keyboard'));
    check((await s.locator('main').textContent()).includes('已回访'), 'ratings: the contact is in the steps');
    await s.fill('#close-text', '已当场整改');
    await Promise.all([s.waitForLoadState('load'), s.getByRole('button', { name: '办结整改' }).click()]);
    check(await s.locator('p.error').count() === 1, 'ratings: closing without a way is named');
    await axe(s, 'staff-rating-error');
    await s.check('#way-fixed');
    await s.fill('#close-text', '已当场整改');
    await Promise.all([s.waitForLoadState('load'), s.getByRole('button', { name: '办结整改' }).click()]);
    check((await s.locator('main').textContent()).includes('立行立改'), 'ratings: closed, fixed at once');
    await shot(s, 'staff-rating');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-rating 360');
    await s.goto(base + '/staff/ratings');
    await noSideScroll(s, 'staff-ratings 360');
    await s.setViewportSize({ width: 1280, height: 900 });
    await visit(s, '/staff/ratings/models', 'staff-models');
    check((await s.locator('tbody').textContent()).includes('镇海综合柜员'), 'models: the demo clerks are ranked');
    check((await s.locator('main').textContent()).includes('示例'), 'models: the criteria say they are illustrative');
    await shot(s, 'staff-models');
    await office.close();

    const people = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const p = await people.newPage();
    await visit(p, '/ratings', 'published-country');
    await noSideScroll(p, 'published 360');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('link', { name: '浙江省', exact: true }).click()]);
    check((await p.locator('h2').first().textContent()).includes('浙江省'), 'published: drilled down to the province');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('link', { name: '宁波市', exact: true }).click()]);
    await Promise.all([p.waitForLoadState('load'), p.getByRole('link', { name: '镇海区', exact: true }).click()]);
    check((await p.locator('main').textContent()).includes('满意率'), 'published: the county figures');
    await axe(p, 'published-county');
    await shot(p, 'published-county');
    await noSideScroll(p, 'published-county 360');
    await p.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(p, 'published-county senior 360');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('link', { name: /镇海区行政服务中心/ }).click()]);
    check(p.url().includes('/halls/zhenhai-center/stars'), 'published: a hall opens its star windows');
    await axe(p, 'hall-stars');
    await noSideScroll(p, 'hall-stars 360');
    check((await p.locator('main').textContent()).includes('怎样评星'), 'stars: the formula is shown');
    const quarter = p.locator('main a[href*="quarter="]').first();
    await Promise.all([p.waitForURL(/quarter=\d{4}-Q[1-4]/), quarter.click()]);
    check(/\d{4}-Q[1-4]/.test(await p.locator('caption').textContent()), 'stars: a quarter is shown');
    check(await p.locator('tbody tr').count() >= 1, 'stars: the quarter lists the windows');
    await axe(p, 'hall-stars-quarter');
    const bad = await p.goto(base + '/halls/zhenhai-center/stars?quarter=2026-Q7');
    check(bad.status() === 422, `stars: a quarter that is none is refused (${bad.status()})`);
    await people.close();
  }

  // 13. Complaints: a person files one with the keyboard (a refused form keeps what
  // was typed), a supervisor sees the overdue one red and answers in writing, the
  // person prints the answer and says they are satisfied; at 360 px and in senior mode.
  if (process.env.SUPERVISOR_PASSWORD) {
    const people = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const p = await people.newPage();
    await p.goto(base + '/signin?back=/my/complaints');
    await Promise.all([p.waitForURL(/\/my\/complaints/), p.locator('form[action="/signin/demo"] button').first().click()]);
    await axe(p, 'my-complaints');
    await shot(p, 'my-complaints');
    check((await p.locator('main').textContent()).includes('TSDEMO0003'), 'complaints: the demo complaint is listed as mine');
    await p.fill('#complaint-text', '取号机坏了，没人告诉我怎么办');
    if (await tabTo(p, 'form[action="/my/complaints"] button', 'complaint form')) {
      await p.keyboard.press('Enter');
    }
    await p.waitForSelector('p.error', { timeout: 10000 }).catch(() => fail('complaints: nothing chosen is named'));
    check((await p.inputValue('#complaint-text')).includes('取号机坏了'), 'complaints: the text is kept');
    await axe(p, 'my-complaints-error');
    await p.check('#about-hall');
    await p.selectOption('#complaint-hall', 'zhenhai-center');
    await Promise.all([p.waitForURL(/\/my\/complaints\/TS/), p.getByRole('button', { name: '提交投诉' }).click()]);
    check((await p.locator('main').textContent()).includes('待答复'), 'complaints: filed and waiting');
    await axe(p, 'my-complaint');
    await shot(p, 'my-complaint');
    const mine = p.url().split('?')[0];
    await p.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(p, 'my-complaint 360');
    await p.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(p, 'my-complaint senior 360');
    await p.goto(base + '/my/complaints');
    await noSideScroll(p, 'my-complaints 360');
    await p.setViewportSize({ width: 1280, height: 900 });

    const office = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const s = await office.newPage();
    await signIn(s, 'supervisor-zj', process.env.SUPERVISOR_PASSWORD);
    await visit(s, '/staff/complaints', 'staff-complaints');
    check(await s.locator('.red').count() > 0, 'complaints: the overdue one is red');
    check((await s.locator('main').textContent()).includes('已转'), 'complaints: the overdue one has gone up');
    const number = mine.split('/').pop();
    await Promise.all([s.waitForLoadState('load'), s.getByRole('link', { name: number }).click()]);
    await axe(s, 'staff-complaint');
    await s.fill('#reply-text', '已检修取号机，并在机旁张贴人工取号指引。');
    await Promise.all([s.waitForLoadState('load'), s.getByRole('button', { name: '发送答复' }).click()]);
    check((await s.locator('main').textContent()).includes('已答复'), 'complaints: answered');
    await shot(s, 'staff-complaint');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-complaint 360');
    await s.goto(base + '/staff/complaints');
    await noSideScroll(s, 'staff-complaints 360');
    await office.close();

    await visit(p, `${mine.replace(base, '')}/reply`, 'complaint-reply-document');
    check((await p.locator('h1').textContent()) === '投诉答复书', 'complaints: the answer prints');
    await p.goto(mine);
    await p.check('#verdict-satisfied');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: '提交评价' }).click()]);
    check((await p.locator('main').textContent()).includes('已办结'), 'complaints: closed satisfied');
    await people.close();
  }

  // 14. Supervision figures: the province, drilled down to the city, ranked by a
  // chosen figure, with its chart and table; at 360 px, in senior mode and printed.
  if (process.env.SUPERVISOR_PASSWORD) {
    const office = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const s = await office.newPage();
    await signIn(s, 'supervisor-zj', process.env.SUPERVISOR_PASSWORD);
    await visit(s, '/staff/figures', 'staff-figures-province');
    check((await s.locator('h1').textContent()).includes('浙江省'), 'figures: the supervisor\'s province');
    await Promise.all([s.waitForURL(/region=330200/), s.getByRole('link', { name: '宁波市', exact: true }).click()]);
    check(await s.locator('tbody th a', { hasText: '镇海区' }).count() === 1, 'figures: the city lists 镇海区');
    // Hall waits (the demo hall's calls today), by item and by channel.
    const zhenhai = s.locator('#ranking ~ div tbody tr', { hasText: '镇海区' });
    check(/\d+\.\d%/.test(await s.locator('.facts').first().textContent()), 'figures: rates in the summary');
    check((await s.locator('.facts').first().textContent()).includes('15 分钟内叫号占比'), 'figures: hall waits are a figure');
    check(await zhenhai.count() === 1, 'figures: 镇海区 has a line');
    check(await s.locator('#by-item ~ div tbody tr').count() >= 1, 'figures: the items are listed');
    check((await s.locator('main').textContent()).includes('大厅窗口'), 'figures: the channels are listed');
    await s.selectOption('#figures-figure', 'mean_days');
    await Promise.all([s.waitForURL(/figure=mean_days/), s.getByRole('button', { name: '查看' }).click()]);
    check((await s.locator('#ranking').textContent()).includes('平均办理工作日'), 'figures: ranked by the chosen figure');
    check(await s.locator('figure.chart svg[role=img]').count() === 2, 'figures: the ranking and the trend are drawn');
    check(await s.locator('#trend ~ div tbody tr').count() >= 1, 'figures: the month-by-month table');
    await axe(s, 'staff-figures-city');
    await shot(s, 'staff-figures-city');
    // By the day: the last seven days from the quick link (a line a day; a city's
    // items are kept by month only, and the page says so), then the province's days
    // typed into the day form with the keyboard.
    await Promise.all([s.waitForURL(/from=\d{4}-\d{2}-\d{2}/), s.getByRole('link', { name: '最近 7 天' }).click()]);
    check(await s.locator('#trend + div tbody tr').count() === 7, 'figures by day: seven lines');
    check((await s.locator('#trend + div thead').textContent()).includes('日期') && (await s.locator('#trend').textContent()).includes('按日'), 'figures by day: the lines are days');
    check((await s.locator('main').textContent()).includes('按日的事项数字只为省和全国保存'), 'figures by day: a city\'s items are not kept by day');
    await axe(s, 'staff-figures-days');
    await shot(s, 'staff-figures-days');
    await s.goto(base + '/staff/figures');
    const week = await s.evaluate(() => {
      const day = (d) => d.toISOString().slice(0, 10);
      const today = new Date(Date.now() + 8 * 3600 * 1000);
      return [day(new Date(today.getTime() - 13 * 86400 * 1000)), day(today)];
    });
    await s.focus('#figures-from-day');
    await s.fill('#figures-from-day', week[0]);
    await s.keyboard.press('Tab');
    await s.fill('#figures-to-day', week[1]);
    if (await tabTo(s, 'fieldset button', 'figures by day')) {
      await Promise.all([s.waitForURL(/from=\d{4}-\d{2}-\d{2}/), s.keyboard.press('Enter')]);
      check(await s.locator('#trend + div tbody tr').count() === 14, 'figures by day: fourteen lines typed');
      check(await s.locator('#by-item ~ div tbody tr').count() >= 1, 'figures by day: a province\'s items by day');
    }
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-figures-days 360');
    await axe(s, 'staff-figures-days 360');
    await shot(s, 'staff-figures-days-360');
    await s.setViewportSize({ width: 1280, height: 900 });
    await s.goto(base + '/staff/figures?region=330200&figure=mean_days');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-figures 360');
    await s.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(s, 'staff-figures senior 360');
    await s.setViewportSize({ width: 1280, height: 900 });
    await s.emulateMedia({ media: 'print' });
    check(await s.locator('form.no-print').evaluateAll((forms) => forms.length === 2 && forms.every((f) => getComputedStyle(f).display === 'none')), 'figures: the forms do not print');
    await s.emulateMedia({ media: 'screen' });
    // 效果评估 from the figures page: 浙江's change of an item, before and after.
    await s.goto(base + '/staff/figures');
    await Promise.all([s.waitForURL(/\/staff\/figures\/effect/), s.getByRole('link', { name: /效果评估/ }).click()]);
    await s.selectOption('#effect-item', 'retirement-pension-claim');
    await Promise.all([s.waitForURL(/item=retirement-pension-claim/), s.getByRole('button', { name: '比较' }).click()]);
    check(await s.locator('main section table').count() >= 1, 'effect: a before-and-after table per change');
    check((await s.locator('main').textContent()).includes('不能单独证明'), 'effect: says it is a comparison, not a cause');
    await axe(s, 'staff-effect');
    await shot(s, 'staff-effect');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-effect 360');
    await s.setViewportSize({ width: 1280, height: 900 });
    // The ministry: the whole country, its provinces ranked per 10,000 residents, with
    // the population-weighted CV and the Theil split over the four economic regions.
    if (process.env.NATIONAL_PASSWORD) {
      const ministry = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
      const n = await ministry.newPage();
      await signIn(n, 'supervisor-cn', process.env.NATIONAL_PASSWORD);
      await visit(n, '/staff/figures?figure=per_10k_residents', 'staff-figures-nation');
      check((await n.locator('h1').textContent()).includes('全国'), 'nation: the heading');
      check(await n.locator('#ranking ~ div tbody tr').count() >= 10, 'nation: the synthetic year\'s provinces are ranked');
      const even = await n.locator('main').textContent();
      check(even.includes('按常住人口加权') && even.includes('四大区域之间'), 'nation: weighted CV and the Theil split');
      await shot(n, 'staff-figures-nation');
      await Promise.all([n.waitForURL(/region=330000/), n.getByRole('link', { name: '浙江省', exact: true }).click()]);
      check(await n.getByRole('link', { name: /全国/ }).count() >= 1, 'nation: a province links back up');
      await n.setViewportSize({ width: 360, height: 740 });
      await n.goto(base + '/staff/figures');
      await noSideScroll(n, 'staff-figures-nation 360');
      await axe(n, 'staff-figures-nation 360');
      await n.evaluate(() => document.documentElement.classList.add('senior'));
      await noSideScroll(n, 'staff-figures-nation senior 360');
      await ministry.close();
    }
    await visit(s, '/staff/standards', 'staff-standards');
    check(await s.locator('table.heatmap tbody tr').count() >= 1, 'standards: the differing items are listed');
    check((await s.locator('main').textContent()).includes('与国家标准的差异'), 'standards: the heading');
    check(/\d+ 个县级单位中，\d+ 个能办理全部现行事项/.test(await s.locator('main').textContent()), 'standards: coverage by place');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-standards 360');
    await s.setViewportSize({ width: 1280, height: 900 });
    // 15. 免申即享: the list of last year's synthetic employers in reach, with reasons.
    await visit(s, '/staff/proactive', 'staff-proactive');
    check((await s.locator('main').textContent()).includes('符合条件'), 'proactive: outcomes listed');
    check(await s.locator('tbody tr.eligible').count() >= 1, 'proactive: someone is eligible');
    check(await s.locator('tbody tr.not').count() >= 1, 'proactive: someone is not, with reasons');
    await s.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(s, 'staff-proactive 360');
    await s.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(s, 'staff-proactive senior 360');
    await shot(s, 'staff-proactive-360-senior');
    await s.evaluate(() => document.documentElement.classList.remove('senior'));
    await s.setViewportSize({ width: 1280, height: 900 });
    check((await s.locator('#publicity').textContent()).includes('公示'), 'proactive: the publication section');
    const publicHref = await s.getByRole('link', { name: '查看公示页' }).getAttribute('href');
    await office.close();
    // 16. The public notice (公示) of the published list, for anyone, at 360 px too.
    const notice = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const n = await notice.newPage();
    await visit(n, publicHref, 'public-notice');
    check(await n.locator('tbody tr').count() >= 1, 'notice: employers listed');
    check(await n.getByRole('link', { name: /提出异议/ }).count() >= 1, 'notice: objections open');
    await n.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(n, 'public-notice 360');
    await shot(n, 'public-notice-360');
    await n.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(n, 'public-notice senior 360');
    await shot(n, 'public-notice-360-senior');
    // The notice of persons (技能提升补贴): holders only by masked identity numbers.
    await n.evaluate(() => document.documentElement.classList.remove('senior'));
    await n.setViewportSize({ width: 1280, height: 900 });
    await visit(n, publicHref.replace('job-retention-refund', 'skill-upgrade-subsidy'), 'public-notice-persons');
    const persons = await n.locator('main').textContent();
    check(persons.includes('持证人') && /\d{4}\*{10}[\dX]{4}/.test(persons), 'notice of persons: masked identity numbers');
    check(!/\d{17}[\dX]/.test(persons), 'notice of persons: no whole identity number');
    await n.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(n, 'public-notice-persons 360');
    await axe(n, 'public-notice-persons 360');
    await shot(n, 'public-notice-persons-360');
    await n.goto(base + publicHref);
    // The objection form: signed in with the demo sign-in, at 360 px in senior mode.
    const objectHref = await n.getByRole('link', { name: /提出异议/ }).first().getAttribute('href');
    await n.goto(base + objectHref);
    await Promise.all([n.waitForURL(/\/object\?id=/), n.locator('form[action="/signin/demo"] button').first().click()]);
    await n.evaluate(() => document.documentElement.classList.add('senior'));
    await axe(n, 'public-objection');
    await noSideScroll(n, 'public-objection senior 360');
    check(await n.locator('textarea#objection-text').count() === 1, 'objection: the form');
    await shot(n, 'public-objection-360-senior');
    await n.setViewportSize({ width: 1280, height: 900 });
    await shot(n, 'public-objection');
    // Sent with the keyboard alone: the notice says it was received.
    await n.evaluate(() => document.documentElement.classList.remove('senior'));
    await n.locator('textarea#objection-text').focus();
    await n.keyboard.type('该单位2025年11月起已停产，未足额缴费。');
    await tabTo(n, 'form[action$="/object"] button[type="submit"]', 'objection: send');
    await Promise.all([n.waitForURL(/done=objected/), n.keyboard.press('Enter')]);
    check(await n.locator('p.notice[role="status"]').count() >= 1, 'objection: received');
    check((await n.locator('main').textContent()).includes('本名单中没有您的记录'), 'notice: a signed-in person is told they are not on it');
    // 16b. The national supervisor decides it with the keyboard (upheld: not granted),
    // and the objector finds the outcome in their messages.
    if (process.env.NATIONAL_PASSWORD) {
      const ministry = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
      const m = await ministry.newPage();
      await signIn(m, 'supervisor-cn', process.env.NATIONAL_PASSWORD);
      await visit(m, '/staff/proactive?policy=job-retention-refund&year=2025', 'staff-proactive-objection');
      const card = m.locator('form[action="/staff/proactive/decide"]').first();
      check(await card.count() === 1, 'objection: waiting for a decision');
      await card.locator('input[value="uphold"]').focus();
      await m.keyboard.press('Space');
      await tabTo(m, 'form[action="/staff/proactive/decide"] textarea[name="reason"]', 'objection: the reason');
      await m.keyboard.type('经核实，该单位11月、12月未足额缴费。');
      await m.keyboard.press('Tab');
      // The answer redirects to the address already shown: wait for the page that
      // follows the decision, not for a change of address.
      await Promise.all([
        m.waitForResponse((r) => r.request().method() === 'GET' && r.url().includes('/staff/proactive?')),
        m.keyboard.press('Enter'),
      ]);
      await m.waitForLoadState('load');
      check(await m.locator('form[action="/staff/proactive/decide"]', { hasText: '该单位2025年11月起已停产' }).count() === 0, 'objection: no longer waiting');
      await shot(m, 'staff-proactive-decided');
      await ministry.close();
      await n.goto(base + '/my/inbox');
      const inbox = await n.locator('main').textContent();
      check(inbox.includes('异议经核实成立，该条不予发放'), 'inbox: the objector is told the outcome');
      await axe(n, 'my-inbox-objection');
      await n.setViewportSize({ width: 360, height: 740 });
      await n.evaluate(() => document.documentElement.classList.add('senior'));
      await noSideScroll(n, 'my-inbox-objection senior 360');
      await shot(n, 'my-inbox-objection-360-senior');
    }
    await notice.close();
  }

  // 17. 智能审批: a case the item's rule decided, as a supervisor reads it: what the
  // rule did, each condition with the register's values, at 360 px in senior mode.
  if (process.env.RULE_CASE_ID && process.env.SUPERVISOR_PASSWORD) {
    const office = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const s = await office.newPage();
    await signIn(s, 'supervisor-zj', process.env.SUPERVISOR_PASSWORD);
    await visit(s, `/staff/cases/${process.env.RULE_CASE_ID}`, 'staff-rule-case');
    const main = await s.locator('main').textContent();
    check(main.includes('自动审批规则'), 'rule case: the rule section');
    check(main.includes('已向本人发放社会保障卡且尚未启用、未挂失'), 'rule case: the condition in words');
    check(main.includes('已按登记数据自动作出决定'), 'rule case: the timeline says the rule decided');
    check(!/\bdecide_by_rule\b|\breferred_to_reviewer\b/.test(main), 'rule case: no code names');
    await shot(s, 'staff-rule-case');
    await s.setViewportSize({ width: 360, height: 740 });
    await s.evaluate(() => document.documentElement.classList.add('senior'));
    await noSideScroll(s, 'staff-rule-case senior 360');
    await shot(s, 'staff-rule-case-360-senior');
    await office.close();
  }

  // 9. English: the switch changes the language of the whole page.
  const english = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const en = await english.newPage();
  await en.goto(base + '/');
  await Promise.all([en.waitForLoadState('load'), en.getByRole('button', { name: 'English' }).click()]);
  check(await en.evaluate(() => document.documentElement.lang) === 'en', 'english: html lang');
  check((await en.locator('h1').textContent()).includes('all in one place'), 'english: heading');
  await visit(en, '/guides/work-injury-recognition', 'english-guide');
  check(await en.locator('text=Documents to bring').count() > 0, 'english: guide headings');
  await english.close();
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('all page checks passed');
