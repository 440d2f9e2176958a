import type { CommandResult, ProblemDetails } from '@placement/api';

/**
 * The bodies the API answers with, as the specs read them: the app's own types, so a spec and the
 * OpenAPI document cannot drift apart. A read route's body is imported by its schema name from
 * `@placement/api` (e.g. `MatchesBody`).
 */

/** A refusal (RFC 9457 problem+json), with the extension members some rule codes carry. */
export interface Problem extends ProblemDetails {
  /** EXCLUDED_BY_MATCHING: the exclusion codes no override covered. */
  exclusions?: string[];
  /** The children a refusal is about. */
  childIds?: string[];
  /** 409 ID_IN_USE: the id already taken, and the body field that carried it. */
  id?: string;
  field?: string;
}

/** What a command route answers: the resource id, the events written, their position, and whether a replay. */
export type Answer = CommandResult;
