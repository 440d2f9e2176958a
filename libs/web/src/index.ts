export * from './board.port';
export { WebModule, SESSION_COOKIE } from './web.module';
export { WEB_OPTIONS, type WebOptions, type OidcOptions } from './web-options';
export { WEB_ROUTE_KEY } from './web-routes';
export { webFormBodyParser } from './form-body';
