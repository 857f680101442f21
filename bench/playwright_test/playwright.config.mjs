// Playwright Test's settings for the peer journey `python -m bench` times (bench/peer.py
// sets the variables): one worker, so one warm browser runs every journey in turn, each in a
// fresh context; the same Chromium, switches and context options as the harness. No test
// time limit: a journey waits for its turn while the harness runs its own (bench/peer.py has
// the deadlines); web-first assertions wait as long as the harness's steps may.
import { defineConfig } from '@playwright/test';

const launch = JSON.parse(process.env.SENTINEL_BENCH_LAUNCH ?? '{}');

export default defineConfig({
  testDir: '.',
  testMatch: 'registration.spec.mjs',
  outputDir: process.env.SENTINEL_BENCH_OUTPUT ?? 'test-results',
  workers: 1,
  retries: 0,
  maxFailures: 1,
  timeout: 0,
  expect: { timeout: 30_000 },
  reporter: 'line',
  use: {
    browserName: 'chromium',
    headless: launch.headless ?? true,
    launchOptions: { args: launch.args ?? [], executablePath: launch.executablePath },
    locale: 'pt-PT',
    timezoneId: 'Europe/Lisbon',
    viewport: { width: 1280, height: 900 },
    // Playwright Test's defaults, spelt out: what a team that picks it gets.
    screenshot: 'off',
    trace: 'off',
    video: 'off',
  },
});
