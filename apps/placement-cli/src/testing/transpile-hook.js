// Kept for the CLI specs that spawn main.ts: the hook itself lives with the event store's testing kit.
require('../../../../libs/event-store/src/testing/transpile-hook.js');
