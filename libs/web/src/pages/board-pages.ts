import { Inject } from '@nestjs/common';
import type nunjucks from 'nunjucks';
import { BOARD_PORT, type BoardPort } from '../board.port';
import { VIEWS } from './web-exception.filter';

/**
 * What every controller of the board's signed-in pages is given: the views it renders with and
 * the port it reads and writes through. A controller extends it and declares no constructor.
 */
export abstract class BoardPages {
  constructor(
    @Inject(VIEWS) protected readonly views: nunjucks.Environment,
    @Inject(BOARD_PORT) protected readonly board: BoardPort,
  ) {}
}
