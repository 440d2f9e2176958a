/** The demo bearer tokens the API accepts outside production (its `DEMO_TOKENS`), one a role. */
export const TOKENS = {
  placement: 'dev-placement',
  manager: 'dev-manager',
  auditor: 'dev-auditor',
  admin: 'dev-admin',
} as const;

/** The actor ids behind the demo tokens, which prefix an Idempotency-Key's command id. */
export const ACTOR_OF_TOKEN: Record<string, string> = {
  'dev-placement': 'demo-placement-officer',
  'dev-manager': 'demo-residential-manager',
  'dev-auditor': 'demo-auditor',
  'dev-admin': 'demo-admin',
};
