import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test machines are shared 2-core boxes; the defaults (1 s, 5 s) flake under load.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

// recharts' ResponsiveContainer measures its parent; jsdom has no ResizeObserver.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;
