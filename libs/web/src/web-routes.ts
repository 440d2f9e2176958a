import { SetMetadata } from '@nestjs/common';
import type { ViewerRole } from './board.port';

/**
 * Marks the web's controllers: they authenticate by session cookie (their own guard), so the
 * API's bearer-token guard steps aside for them, and only for them.
 */
export const WEB_ROUTE_KEY = 'placement:web-route';
export const WebRoutes = () => SetMetadata(WEB_ROUTE_KEY, true);

export const PAGE_ROLES_KEY = 'placement:page-roles';
/** Roles that may open a page or send its form; without it, anyone signed in may. */
export const PageRoles = (...roles: ViewerRole[]) => SetMetadata(PAGE_ROLES_KEY, roles);
