export { openEventStoreDbEventStore, type EventStoreDbOptions, type RetryNotice } from './eventstoredb-event-store';
