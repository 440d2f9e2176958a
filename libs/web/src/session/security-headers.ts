import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The pages' Content-Security-Policy: the API's (scripts and styles from this origin only), plus
 * a per-response nonce for GOV.UK Frontend's one inline line that marks the page as JS-enabled.
 */
export function pageSecurityHeaders(production: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const nonce = randomBytes(16).toString('base64');
    res.locals['cspNonce'] = nonce;
    helmet.contentSecurityPolicy({
      directives: {
        scriptSrc: ["'self'", `'nonce-${nonce}'`],
        formAction: ["'self'"],
        // Plain http on a developer's machine must still load the stylesheet.
        upgradeInsecureRequests: production ? [] : null,
      },
    })(req, res, next);
  };
}
