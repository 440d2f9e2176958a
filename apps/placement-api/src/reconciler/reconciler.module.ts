import { Module } from '@nestjs/common';
import { Reconciler } from './reconciler';

@Module({ providers: [Reconciler], exports: [Reconciler] })
export class ReconcilerModule {}
