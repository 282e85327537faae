/** A test lifecycle for engines on fake runners: fake timers, fresh runners, engines closed. */

import { afterEach, beforeEach, vi } from 'vitest';
import type { EngineSettings } from '../engine-settings.js';
import { TaskEngine } from '../task-engine.js';
import { FakeRunners, fakeEngineSettings } from './fake-runner.js';

/** What {@link fakeEnginesPerTest} gives a test. */
export interface FakeEngines {
  /** This test's runner factory. */
  readonly runners: FakeRunners;
  /** An engine on this test's runners, with `defaults` then `overrides` applied; closed after the test. */
  make(overrides?: Partial<EngineSettings>): TaskEngine;
}

/**
 * Inside a describe block: before each test, fake timers (`setTimeout`, `clearTimeout`,
 * `performance`) and a fresh {@link FakeRunners} (set up by `prepare`); after it, every
 * engine made is closed with its timers run out.
 */
export function fakeEnginesPerTest(
  defaults: Partial<EngineSettings> = {},
  prepare: (runners: FakeRunners) => void = () => {},
): FakeEngines {
  let runners = new FakeRunners();
  let engines: TaskEngine[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    runners = new FakeRunners();
    prepare(runners);
    engines = [];
  });
  afterEach(async () => {
    const closing = Promise.all(engines.map((engine) => engine.close()));
    await vi.runAllTimersAsync();
    await closing;
    vi.useRealTimers();
  });
  return {
    get runners() {
      return runners;
    },
    make(overrides = {}) {
      const engine = new TaskEngine(fakeEngineSettings(runners, { ...defaults, ...overrides }));
      engines.push(engine);
      return engine;
    },
  };
}
