export { syntheticEvents, type StreamEvent, type DomainEvent, type SyntheticOptions } from './synthetic-events';
export { appendAll, toAppend } from './append';
