/** Injection token for the validated Environment. */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
