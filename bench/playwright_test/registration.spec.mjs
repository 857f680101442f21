// Registration and activation of a citizen, as a team using Playwright Test would write it:
// the same clicks and fills as the bare script of bench/journey.py, on the same mock portal,
// the code read from its test-control outbox.
//
// bench/peer.py runs it in turn with the harness's journeys: journey N waits for the file
// go-N.json in SENTINEL_BENCH_DIR (its citizen), then appends its time to events.jsonl there,
// from its first call to its last (the context and page Playwright Test makes beforehand are
// left out, as the harness's are).
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from '@playwright/test';

const url = process.env.SENTINEL_BENCH_URL;
const token = process.env.SENTINEL_BENCH_TOKEN;
const dir = process.env.SENTINEL_BENCH_DIR;
const runs = Number(process.env.SENTINEL_BENCH_RUNS);

const now = () => (performance.timeOrigin + performance.now()) / 1000;
const event = (fields) => appendFileSync(join(dir, 'events.jsonl'), `${JSON.stringify(fields)}\n`);

async function turn(journey) {
  event({ event: 'waiting', journey, at: now() });
  const go = join(dir, `go-${journey}.json`);
  while (!existsSync(go)) await sleep(5);
  const citizen = JSON.parse(readFileSync(go, 'utf8'));
  rmSync(go);
  return citizen;
}

async function registrationCode(niss) {
  const response = await fetch(`${url}/__test__/outbox?niss=${encodeURIComponent(niss)}`, {
    headers: { 'X-Test-Token': token },
  });
  if (!response.ok) throw new Error(`the outbox answered HTTP ${response.status}`);
  const message = (await response.json()).find((m) => m.purpose === 'registration');
  if (!message?.delivered) throw new Error('no registration code was delivered');
  return message.code;
}

test.afterEach(({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) event({ event: 'failed' });
});

for (let journey = 1; journey <= runs; journey++) {
  test(`registration and activation ${journey}`, async ({ page }) => {
    const citizen = await turn(journey);
    const started = performance.now();
    await page.goto(url);
    await page.getByRole('button', { name: 'Iniciar sessão' }).click();
    await page
      .getByRole('button', { name: 'Autenticação com o seu utilizador da Segurança Social' })
      .click();
    await page.getByRole('button', { name: 'Registar', exact: true }).click();
    await page.getByRole('button', { name: 'Li e aceito os termos e condições' }).click();
    await page.getByLabel('Cidadão').check();
    await page.getByLabel('NISS').fill(citizen.niss);
    await page.getByLabel('Data de nascimento').fill(citizen.birthDate);
    await page.getByLabel('Não sou robô').check();
    await page.getByRole('button', { name: 'Seguinte: Canal de verificação' }).click();
    await page.getByLabel('SMS').check();
    await page.getByRole('button', { name: 'Pedir código de verificação' }).click();
    await expect(page.getByText('foi efetuado com sucesso')).toBeVisible();

    await page.goto(url);
    await page.getByRole('button', { name: 'Iniciar sessão' }).click();
    await page
      .getByRole('button', { name: 'Autenticação com o seu utilizador da Segurança Social' })
      .click();
    await page.getByRole('button', { name: 'Ativar conta' }).click();
    await page.getByLabel('NISS').fill(citizen.niss);
    await page.getByLabel('Código de verificação').fill(await registrationCode(citizen.niss));
    await page.getByRole('button', { name: 'Confirmar código de verificação' }).click();
    await page.getByLabel('Palavra-passe', { exact: true }).fill(citizen.password);
    await page.getByLabel('Confirmação da palavra-passe').fill(citizen.password);
    await page.getByRole('button', { name: 'Confirmar palavra-passe' }).click();
    await page
      .getByRole('link', {
        name: 'pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe',
      })
      .click();
    await expect(page.getByLabel('Palavra-passe', { exact: true })).toBeVisible();
    event({ event: 'done', journey, seconds: (performance.now() - started) / 1000 });
  });
}
