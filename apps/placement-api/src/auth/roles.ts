import { SetMetadata } from '@nestjs/common';

/** The four roles of the HTTP API, spelled as the API contract writes them. */
export const ROLES = ['placement-officer', 'residential-manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_KEY = 'placement:roles';
export const PUBLIC_KEY = 'placement:public';

/** Roles allowed on a route. A route without @Roles admits any authenticated role (reads). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed (health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Every role that may change the record. Auditors read but never write. */
export const WRITERS: Role[] = ['placement-officer', 'residential-manager', 'admin'];
