import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiPublicMarker, ApiRolesMarker } from '../http/openapi';

/** The four roles of the HTTP API, spelled as the API contract writes them. */
export const ROLES = ['placement-officer', 'residential-manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_KEY = 'placement:roles';
export const PUBLIC_KEY = 'placement:public';

/** Roles allowed on a route. A route without @Roles admits any authenticated role (reads). */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiRolesMarker(roles));
/** No token needed (health, OpenAPI). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiPublicMarker());

/** Every role that may change the record. Auditors read but never write. */
export const WRITERS: Role[] = ['placement-officer', 'residential-manager', 'admin'];
