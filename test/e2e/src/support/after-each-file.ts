import { undocumentedProblems } from './documented-problems';

// The contract check of `documented-problems.ts`, once per spec file.
afterAll(() => {
  expect(undocumentedProblems()).toEqual([]);
});
