import { Global, Module } from '@nestjs/common';
import { UnitDirectory } from './unit-directory';

@Global()
@Module({ providers: [UnitDirectory], exports: [UnitDirectory] })
export class DirectoryModule {}
