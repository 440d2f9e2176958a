import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { councilStylesheet, GOVUK_DIST, webFile } from './views';
import { WebRoutes } from './web-routes';

const GOVUK = path.join(GOVUK_DIST, 'govuk');
const IMAGES = new Set(readdirSync(path.join(GOVUK, 'assets', 'images')));

/**
 * GOV.UK Frontend's compiled CSS, JavaScript and images, served from the installed package
 * (never a CDN), with the board's own small stylesheet and live-update script.
 */
@Controller('assets')
@WebRoutes()
export class AssetsController {
  private readonly css = `${councilStylesheet()}\n${readFileSync(webFile('assets', 'board.css'), 'utf8')}`;

  @Get('board.css')
  stylesheet(@Res() res: Response): void {
    res.type('css').setHeader('Cache-Control', 'public, max-age=3600').send(this.css);
  }

  @Get('govuk-frontend.min.js')
  govukScript(@Res() res: Response): void {
    res.type('js').setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(path.join(GOVUK, 'govuk-frontend.min.js'));
  }

  @Get('board.js')
  boardScript(@Res() res: Response): void {
    res.type('js').setHeader('Cache-Control', 'no-cache');
    res.sendFile(webFile('assets', 'board.js'));
  }

  @Get('manifest.json')
  manifest(@Res() res: Response): void {
    res.sendFile(path.join(GOVUK, 'assets', 'manifest.json'));
  }

  @Get('images/:file')
  image(@Param('file') file: string, @Res() res: Response): void {
    if (!IMAGES.has(file)) throw new NotFoundException();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path.join(GOVUK, 'assets', 'images', file));
  }
}
