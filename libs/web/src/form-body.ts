import { urlencoded, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * The board's forms are sent as application/x-www-form-urlencoded (no JavaScript needed). The
 * API's own routes take JSON only; this parser takes a form body on the pages' paths only, under
 * the same size limit, and leaves everything else to the API's parser.
 */
export function webFormBodyParser(limitBytes: number, api: RequestHandler): RequestHandler {
  const form = urlencoded({ extended: false, limit: limitBytes, parameterLimit: 1000 });
  return (req: Request, res: Response, next: NextFunction) => {
    const isPage = !req.path.startsWith('/v1/') && !req.path.startsWith('/docs') && !req.path.startsWith('/health');
    if (isPage && req.is('application/x-www-form-urlencoded')) return form(req, res, next);
    return api(req, res, next);
  };
}
